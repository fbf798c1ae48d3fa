"""The search index as the catalogue stores it: loaded when it is current, a delta built for the
resources changed since the stored base (``search_pending``), or built whole; and stored after
the write that changed the rows has committed (``Catalogue.store_index``)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager

from tui.core.search import build as b
from tui.core.search.index import SearchIndex

FORMAT = 4  # bump when the stored layout or the keys change: the index is rebuilt
# Every write rebuilds the whole delta (all rows changed since the base), about 1 ms a row with
# placing them in base order (bench/incremental.py, README "Incremental index"): past COMPACT_ROWS
# that alone would pass a search's own cost, so the write makes a full build instead (compaction).
# It does not grow with the catalogue; a small catalogue compacts sooner, its full build is cheap.
COMPACT_ROWS, COMPACT_MIN = 1000, 50


def compact_after(base_size: int) -> int:
    """Changed rows past which a full build replaces the delta."""
    return min(COMPACT_ROWS, max(COMPACT_MIN, base_size // 4))


class StoreOnly:
    """What a write built to store, with no index loaded (a process that has not searched)."""

    def __init__(self, data_version: int, unstored: tuple | None):
        self.data_version = data_version
        self.unstored = unstored


def _decide(catalogue, version: int, stored: dict, changed: tuple[list[str], int] | None) -> str:
    """What the index at ``version`` takes: ``"base"`` or ``"base+delta"`` (stored and current),
    ``"delta"`` (a delta for the rows changed since the base) or ``"full"`` (a full build)."""
    base, delta = stored.get("base"), stored.get("delta")
    # Current: built at this version and, as a write that bumps no version can change
    # rows too, covering every pending change (seq only grows).
    if base is not None and base[0] == version and delta is None and (changed is None or not changed[0]):
        return "base"
    if (base is not None and delta is not None and delta[0] == version
            and (changed is None or delta[1].get("mark") == changed[1])):
        return "base+delta"
    if (base is None or changed is None or len(changed[0]) > compact_after(base[1]["size"])
            or base[1]["places"] != sorted(catalogue.gazetteer.places)
            or base[1]["needs"] != list(catalogue.taxonomy.needs)):
        return "full"
    return "delta"


@contextmanager
def _snapshot(catalogue):
    """One read snapshot (the version, the stored segments and the rows agree), unless the caller's
    transaction is one already."""
    conn = catalogue.conn
    with catalogue.lock:
        own = not conn.in_transaction
        if own:
            conn.execute("BEGIN")
        try:
            yield conn
        finally:
            if own:
                conn.execute("COMMIT")


def plan(catalogue) -> str:
    """What ``load_or_build`` would do now (``_decide``), reading only the stored segments' meta."""
    with _snapshot(catalogue) as conn:
        return _decide(catalogue, catalogue.data_version, b.load_segments(conn, FORMAT, parts_for=()),
                       b.pending(conn))


def load_or_build(catalogue, *, rebuild: bool = False, load: bool = True,
                  progress: Callable[[int, int], None] | None = None,
                  held: SearchIndex | None = None) -> SearchIndex | StoreOnly:
    """The index at the catalogue's data_version: the stored one when it is current; else the
    stored base with a delta built for the resources changed since (search_pending); a full
    build only with no usable base, ``rebuild``, or past ``COMPACT`` changed rows.

    Never stores anything: what is worth storing is left in ``unstored`` for
    ``Catalogue.store_index`` to store after the write's transaction has committed. ``load=False``
    (a write in a process that has not searched): the stored parts are not read, only what is to
    be stored is built (a ``StoreOnly``) — a one-edit CLI write at 100k does not read the base.
    ``progress(rows done, rows in all)``: called during a full build. ``held``: the index this
    process has in hand; its base is used again when it is the stored one (the app's save at 1M
    read 760 MB of base parts it already held).
    """
    with _snapshot(catalogue) as conn:
        version = catalogue.data_version
        stored = {} if rebuild else b.load_segments(conn, FORMAT, parts_for=())  # the meta decides
        changed = b.pending(conn)
        step = _decide(catalogue, version, stored, changed)
        if step == "full":
            built = b.build_parts(catalogue, progress=progress)
            unstored = ("base", *built, changed[1] if changed else 0)
            if not load:
                return StoreOnly(version, unstored)
            index = SearchIndex(version, built, catalogue.gazetteer, catalogue.taxonomy)
            index.base_segment, index.unstored = (version, *built), unstored
            return index
        assert changed is not None  # only a full build goes without search_pending
        if not load:
            if step != "delta":
                return StoreOnly(version, None)
            built = b.build_parts(catalogue, changed[0])
            built[0]["mark"] = changed[1]
            return StoreOnly(version, ("delta", *built, 0))
        base = stored["base"]
        if held is None or held.base_segment is None or held.base_segment[0] != base[0]:
            base = b.load_segments(conn, FORMAT, parts_for=("base",))["base"]
        else:
            base = held.base_segment  # a base is a full build at its version: the stored one is this one
        if step == "delta":
            delta: tuple[dict, dict[str, bytes]] | None = b.build_parts(catalogue, changed[0])
            assert delta is not None
            delta[0]["mark"] = changed[1]
        else:
            delta = b.load_segments(conn, FORMAT, parts_for=("delta",))["delta"][1:] if step == "base+delta" \
                else None
        index = SearchIndex(version, base[1:], catalogue.gazetteer, catalogue.taxonomy, delta)
        index.base_segment = base
        if step == "delta":
            assert delta is not None
            index.unstored = ("delta", *delta, 0)
        return index


def store(index: SearchIndex | StoreOnly, conn) -> bool:
    """Store what ``load_or_build`` built (outside any transaction; errors propagate)."""
    if index.unstored is None:
        return False
    segment, meta, parts, mark = index.unstored
    done = b.store_segment(conn, index.data_version, FORMAT, segment, meta, parts, mark=mark)
    index.unstored = None
    return done
