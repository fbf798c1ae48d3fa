"""The catalogue's search index: searched, kept up to the data, stored after each write, and built
whole elsewhere (the app's worker) when a full build would land on a keystroke (issue 20).

A part of ``Catalogue`` (it inherits ``IndexKeeping``), kept apart from reading and writing rows.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Self

from tui.core.models import Hit
from tui.core.reference.areas import HOKKAIDO, Gazetteer
from tui.core.reference.needs import Taxonomy
from tui.core.search import stored
from tui.core.search.index import SearchIndex

if TYPE_CHECKING:
    from tui.core.search.stored import StoreOnly

_log = logging.getLogger("tui.core.store.catalogue")


class IndexKeeping:
    """The search index of one catalogue connection (``Catalogue`` sets every attribute below)."""

    conn: sqlite3.Connection
    path: Path
    lock: threading.RLock
    read_only: bool
    gazetteer: Gazetteer
    taxonomy: Taxonomy
    _index: SearchIndex | None
    index_unstored: str  # why the search index could not be stored, once it could not
    # The app: a full build (compaction, or many rows changed by another program) is asked of this
    # and runs in its worker while the index in hand serves, behind by those changes (``adopt_index``).
    build_elsewhere: Callable[[], None] | None
    index_behind: bool  # the index in hand is older than the data; a build elsewhere is on its way

    @property
    def data_version(self) -> int:
        raise NotImplementedError

    @classmethod
    def open(cls, path: str | Path, *, seed_dir: Path | None = None) -> Self:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def build_whole(self, progress: Callable[[int, int], None] | None = None) -> SearchIndex:
        """A full build of this catalogue's file on a connection of its own, stored when the file can
        be written: the app's compaction, run in a worker while the index in hand serves its searches
        (``adopt_index`` then takes it)."""
        other = type(self).open(self.path)
        try:
            index = stored.load_or_build(other, rebuild=True, progress=progress)
            assert isinstance(index, SearchIndex)
            if not other.read_only:
                other.keep_built(index)  # a failure to store is said there: the index serves anyway
            return index
        finally:
            other.close()

    def store_index(self, *, rebuild: bool = False) -> None:
        """Bring the search index up to the data as it is now, and store what that built: a small
        delta for the resources changed since the stored base (search_pending), or a full build
        when there is no base, on ``rebuild``, or when too much changed (compaction).

        Called by what changes the catalogue, after its transaction has committed; never by
        search. Inside a caller's transaction (a sync applies its merge in one) it stores nothing
        (the caller calls it again after its commit; else the next process catches up). A failure
        to store leaves only the stored index stale, never the data: it is caught here, outside
        any transaction, and said once.
        """
        with self.lock:
            if self.conn.in_transaction:
                self._index = None
                return
            if self._full_build_elsewhere(rebuild):
                return
            if self.read_only:  # nothing can be stored; a search builds what it needs
                index = None if self._index is None else stored.load_or_build(self, rebuild=rebuild)
                self._index = index if isinstance(index, SearchIndex) else None
                return
            # A process that has not searched (a CLI write) builds what is to be stored and reads no
            # stored part; one that has (the app) keeps the index it will search next.
            built = stored.load_or_build(self, rebuild=rebuild, load=self._index is not None, held=self._index)
            self._index = built if isinstance(built, SearchIndex) else None
            self.keep_built(built)

    def keep_built(self, built: SearchIndex | StoreOnly) -> None:
        """Store what ``load_or_build`` built (outside any transaction); a failure leaves the stored
        index stale, never the data, and is said once."""
        with self.lock:
            try:
                stored.store(built, self.conn)
            except sqlite3.Error as error:
                if not self.index_unstored:
                    _log.warning("%s: the search index was not stored (%s); searches catch up from the changes",
                                 self.path, error)
                self.index_unstored = str(error)

    def search(
        self, query: str = "", *, area: str | None = None, needs: Sequence[str] | None = (), limit: int = 50
    ) -> list[Hit]:
        """Resources matching ``query`` inside the area and needs filters, best first.

        ``area`` is any name the gazetteer resolves (raises ``UnknownArea``);
        ``needs`` are codes, labels or synonyms (raises ``UnknownNeed``); None or empty: no filter.
        """
        place = self.gazetteer.resolve(area).code if area else None
        if place == HOKKAIDO:
            place = None  # 全道 keeps every resource, as no filter does (Gazetteer.overlaps)
        need_codes = [self.taxonomy.resolve(n).code for n in needs or ()]
        return self.search_index().search(query, area=place, needs=need_codes, limit=limit)

    def search_index(self) -> SearchIndex:
        """The search index at the current data_version (loaded, or built in memory when stale); coverage
        uses its masks. Never stored from here: the commands that change the catalogue store it."""
        with self.lock:
            if self._index is None or self._index.data_version != self.data_version:
                if self._index is not None and self._full_build_elsewhere():
                    return self._index
                index = stored.load_or_build(self, held=self._index)
                assert isinstance(index, SearchIndex)
                self._index, self.index_behind = index, False
            return self._index

    def _full_build_elsewhere(self, rebuild: bool = False) -> bool:
        """With ``build_elsewhere`` set (the app) and an index in hand, a full build is not made here:
        it is asked for (once), and the index in hand keeps serving until ``adopt_index``."""
        if self.build_elsewhere is None or self._index is None:
            return False
        if not (rebuild or self.index_behind or stored.plan(self) == "full"):
            return False
        if not self.index_behind:
            self.index_behind = True
            self.build_elsewhere()
        return True

    def adopt_index(self, index: SearchIndex) -> bool:
        """Take an index built elsewhere (``build_whole``) if it is at the data's version; False
        when the data moved on meanwhile (the caller builds again)."""
        with self.lock:
            if index.data_version != self.data_version:
                return False
            self._index = index
            self.index_behind = False
            return True
