"""Building the search index's parts from a catalogue: only the search columns are read.

The parts are plain bytes (numpy arrays and one UTF-8 blob of records) so they are
stored in the catalogue as they are and loaded without rebuilding anything.
"""

from __future__ import annotations

import array
import json
import os
import sqlite3
from collections.abc import Callable, Collection

import numpy as np

from tui.core.db import transaction
from tui.core.search.grams import GramIndex
from tui.core.search.keys import keys_with_loose, name_key, reading_key
from tui.core.search.readings import NameReader
from tui.core.text import fold, loose

SEP, LIST = "\x1f", ";"
# Fields of a stored record, in order.
ID, NAME, ORG, AREA, NEEDS, PHONE, STATUS, VERIFIED, PLACES, NAME_KEYS, ORG_KEYS = range(11)


class Lists:
    """Many lists of row numbers in two arrays (CSR): where each starts, and the items."""

    def __init__(self, starts: bytes, items: bytes):
        self.starts = np.frombuffer(starts, dtype=np.int64)
        self.items = np.frombuffer(items, dtype=np.uint32)

    def get(self, n: int) -> np.ndarray:
        return self.items[self.starts[n] : self.starts[n + 1]]

    def joined(self, delta: Lists, offset: int) -> Lists:
        """These lists with a delta segment's (its rows numbered from ``offset``) after each."""
        pieces = []
        for n in range(len(self.starts) - 1):
            pieces += [self.get(n), delta.get(n) + np.uint32(offset)]
        starts = np.zeros(len(self.starts), dtype=np.int64)
        starts[1:] = np.cumsum([len(p) for p in pieces[0::2]]) + np.cumsum([len(p) for p in pieces[1::2]])
        return Lists(starts.tobytes(), np.concatenate(pieces).astype(np.uint32).tobytes() if pieces else b"")

    @staticmethod
    def pack(lists: list[array.array]) -> tuple[bytes, bytes]:
        """Lists of uint32 ("I" arrays) → the starts and the items, as bytes."""
        starts = np.zeros(len(lists) + 1, dtype=np.int64)
        starts[1:] = np.cumsum([len(x) for x in lists])
        return starts.tobytes(), b"".join(x.tobytes() for x in lists)


# -- building ---------------------------------------------------------------------


def place_keys(gazetteer, code: str) -> list[str]:
    """Strict keys a place is typed as: kanji, kana, the stem without 市町村, romaji."""
    place = gazetteer.places[code]
    keys = [fold(place.name), fold(place.kana), fold(place.full_name), fold(place.romaji.replace("-", ""))]
    suffix = {"市": "し", "町": ("ちょう", "まち"), "村": ("むら", "そん")}.get(place.name[-1:], ())
    for reading in (suffix,) if isinstance(suffix, str) else suffix:
        if place.kind != "ward" and fold(place.kana).endswith(reading):
            keys += [fold(place.name[:-1]), fold(place.kana)[: -len(reading)], fold(place.romaji.split("-")[0])]
            break
    if place.kind == "ward":  # 中央区 alone
        keys.append(fold(place.name.removeprefix("札幌市")))
    if place.kind == "prefecture":
        keys += [fold("北海道"), fold("ほっかいどう")]
    return [k for k in keys if k]


def need_terms(taxonomy, code: str) -> list[str]:
    need = taxonomy.needs[code]
    return [*need.terms, *need.label_ja.replace("・", " ").split()]


def _text_places(gazetteer, area: str, served: list[str]) -> list[str]:
    """Places whose names a word may match: its own area and what contains it, and what it serves."""
    codes = [area] if area else []
    place = gazetteer.places.get(area)
    while place is not None:
        parent = gazetteer.parent_of(place)
        if not parent or parent == "hokkaido":
            break
        codes.append(parent)
        place = gazetteer.places.get(parent)
    codes += served
    return list(dict.fromkeys(c for c in codes if c in gazetteer.places))


def _post(row: int, numbers: list[int], lists: list[array.array]) -> None:
    """``row`` into the posting list of each place or need numbered."""
    for number in numbers:
        lists[number].append(row)


PROGRESS_EVERY = 5000  # rows between two progress calls of a full build


def build_parts(catalogue, ids: list[str] | None = None,
                progress: Callable[[int, int], None] | None = None) -> tuple[dict, dict[str, bytes]]:
    """Read only the search columns of non-closed resources, in base order, and build the parts.

    Rows stream from SQLite already sorted (active, then most recently verified), so
    no list of every row is held besides the keys the n-gram indexes need.
    ``ids``: only these resources — a delta segment, built by this same code (its
    ``meta["ids"]`` lists them all, the closed and deleted ones too: their base slots die).
    """
    gazetteer = catalogue.gazetteer
    reader = NameReader(gazetteer)
    place_codes = sorted(gazetteer.places)
    place_number = {c: n for n, c in enumerate(place_codes)}
    need_codes = list(catalogue.taxonomy.needs)
    need_number = {c: n for n, c in enumerate(need_codes)}
    records = bytearray()
    record_starts = array.array("q", [0])
    active = bytearray()
    verified_days = bytearray()  # ISO date, 10 bytes a row, blank when never verified (coverage)
    org_of = array.array("i")
    # Non-empty name and reading keys, and the row of each: the two n-gram indexes' input.
    strict_keys: list[str] = []
    strict_rows = array.array("I")
    loose_keys: list[str] = []
    loose_rows = array.array("I")
    org_numbers: dict[str, int] = {}
    org_key_of: dict[str, str] = {}  # organisation name: its key
    org_keys: list[list[str]] = []
    text_lists = [array.array("I") for _ in place_codes]
    served_lists = [array.array("I") for _ in place_codes]
    need_lists = [array.array("I") for _ in need_codes]
    places_of: dict[tuple[str, str], tuple[list[str], list[str]]] = {}
    row_ids: list[str] = []
    with catalogue.lock:
        total = catalogue.conn.execute("SELECT count(*) FROM resources WHERE status <> 'closed'").fetchone()[0] \
            if progress else 0
        rows = catalogue.conn.execute(
            """SELECT r.id, r.name, r.name_kana, coalesce(o.name, ''), r.area, r.status, r.last_verified,
                   coalesce((SELECT group_concat(need_code, ';') FROM
                       (SELECT need_code FROM resource_needs WHERE resource_id = r.id ORDER BY position)), ''),
                   coalesce((SELECT group_concat(place_code, ';') FROM
                       (SELECT place_code FROM service_areas WHERE resource_id = r.id ORDER BY position)), ''),
                   coalesce((SELECT group_concat(number, '; ') FROM
                       (SELECT number FROM phones WHERE resource_id = r.id AND kind = 'voice' ORDER BY position)), '')
               FROM resources r LEFT JOIN organizations o ON o.id = r.organization_id
               WHERE r.status <> 'closed' {}
               ORDER BY r.status <> 'active', r.last_verified = '', r.last_verified DESC, r.name, r.id""".format(
                "" if ids is None else "AND r.id IN (SELECT value FROM json_each(?))"),
            () if ids is None else (json.dumps(ids),),
        )
        for row, (rid, name, kana, org, area, status, verified, needs, serves, phone) in enumerate(rows):
            # A name without a reading is read here (place names from the area data): せいかつ finds 生活.
            strict_name, strict_reading = name_key(name), reading_key(kana or reader.reading(name))
            loose_name, loose_reading = loose(strict_name), loose(strict_reading)
            for key, keys_of, rows_of in (
                (strict_name, strict_keys, strict_rows), (strict_reading, strict_keys, strict_rows),
                (loose_name, loose_keys, loose_rows), (loose_reading, loose_keys, loose_rows),
            ):
                if key:
                    keys_of.append(key)
                    rows_of.append(row)
            if (area, serves) not in places_of:
                listed = [s for s in serves.split(";") if s]
                places_of[area, serves] = (_text_places(gazetteer, area, listed), listed or ([area] if area else []))
            text_places, served = places_of[area, serves]
            _post(row, [place_number[code] for code in text_places], text_lists)
            _post(row, [place_number[code] for code in served if code in place_number], served_lists)
            _post(row, [need_number[code] for code in needs.split(";") if code in need_number], need_lists)
            org_key = org_key_of.get(org)
            if org_key is None:  # an organisation runs many services: its key is made once
                org_key = org_key_of[org] = ";".join(keys_with_loose(name_key(org))) if org else ""
            if org_key and org_key not in org_numbers:
                org_numbers[org_key] = len(org_keys)
                org_keys.append(org_key.split(";"))
            org_of.append(org_numbers.get(org_key, -1))
            active.append(status == "active")
            verified_days += (verified[:10] if len(verified) >= 10 else "").encode("ascii", "replace").ljust(10, b"\0")
            # Always four key slots: name, loose name, reading, loose reading (blank when absent).
            keys = ";".join((strict_name, loose_name, strict_reading, loose_reading))
            fields = (rid, name, org, area, needs, phone, status, verified, ";".join(text_places), keys, org_key)
            # The separator cannot occur in clean text; keys are folded, so never hold it.
            records += SEP.join(f.replace(SEP, " ") for f in fields).encode("utf-8")
            record_starts.append(len(records))
            row_ids.append(rid)
            if progress and row % PROGRESS_EVERY == 0:
                progress(row, total)
    org_count = len(org_keys)
    org_array = np.frombuffer(org_of, dtype=np.int32).copy()
    org_array[org_array < 0] = org_count
    parts: dict[str, bytes] = {
        "records": bytes(records),  # a bytes copy for the stored parts (mypy: bytearray is not bytes)
        "record_starts": record_starts.tobytes(),
        "active": bytes(active),
        "verified": bytes(verified_days),
        "org_of": org_array.tobytes(),
        # Slots sorted by id: a changed id's old slot is found by binary search (``slot_of``).
        "id_order": np.array(sorted(range(len(row_ids)), key=row_ids.__getitem__), dtype=np.uint32).tobytes(),
    }
    for name, lists in (("places_text", text_lists), ("places_served", served_lists), ("needs", need_lists)):
        parts[f"{name}.starts"], parts[f"{name}.items"] = Lists.pack(lists)
    # Strict and loose keys in separate indexes, so a word's estimate matches how it will score.
    size = len(active)
    for prefix, index in (("names.", lambda: GramIndex.build_flat(strict_keys, strict_rows, size)),
                          ("loose.", lambda: GramIndex.build_flat(loose_keys, loose_rows, size)),
                          ("orgs.", lambda: GramIndex.build(org_keys))):
        parts.update({prefix + k: v for k, v in index().to_bytes().items()})
    meta = {"size": len(active), "places": place_codes, "needs": need_codes, "orgs": org_count}
    if ids is not None:
        meta["ids"] = ids
    return meta, parts


# -- storing ------------------------------------------------------------------------
#
# Two segments are stored, each keyed by the data_version it was built at: the base
# (every resource, at its last full build) and the delta (the resources changed since,
# which search_pending lists; replaced whole at each write, so it stays small).

BASE, DELTA = "base:", "delta:"


def load_segments(conn: sqlite3.Connection, format_: int, *,
                  parts_for: Collection[str] = ("base", "delta")) -> dict[str, tuple[int, dict, dict[str, bytes]]]:
    """The stored segments of this format: ``{"base": (version, meta, parts), "delta": ...}``; the
    parts read only for the segments in ``parts_for`` (the others' parts empty): what to build is
    decided from the meta without reading 100 MB."""
    try:
        rows = conn.execute(
            "SELECT rowid, part, data_version FROM search_index WHERE format = ?", (format_,)
        ).fetchall()
    except sqlite3.OperationalError:  # a catalogue from before the index was stored
        return {}
    found: dict[str, tuple[int, dict, dict[str, bytes]]] = {}
    for prefix in (BASE, DELTA):
        mine = [(rowid, part[len(prefix):], version) for rowid, part, version in rows if part.startswith(prefix)]
        if len({version for *_, version in mine}) != 1:
            continue  # absent (or torn, which a transaction never leaves): built again
        parts: dict[str, bytes] = {}
        for rowid, part, _ in mine:  # read blobs in place: no second copy of a large part while loading
            if prefix[:-1] not in parts_for and part != "meta":
                continue
            with conn.blobopen("search_index", "data", rowid, readonly=True) as blob:
                parts[part] = blob.read()
        if "meta" in parts:
            found[prefix[:-1]] = (mine[0][2], json.loads(parts.pop("meta")), parts)
    return found


def pending(conn: sqlite3.Connection) -> tuple[list[str], int] | None:
    """Resources changed since the base was built, and the last change's mark; None before migration 6."""
    try:
        rows = conn.execute("SELECT seq, resource_id FROM search_pending ORDER BY seq").fetchall()
    except sqlite3.OperationalError:
        return None
    return [rid for _, rid in rows], (rows[-1][0] if rows else 0)


def store_segment(conn: sqlite3.Connection, version: int, format_: int, segment: str, meta: dict,
                  parts: dict[str, bytes], *, mark: int = 0) -> bool:
    """Store a new base (``segment="base"``: the delta goes, and the ids it covered up to ``mark``
    leave search_pending) or a new delta, in a transaction of its own. False when the data moved
    on since ``version`` (the write that moved it stores its own).

    Never inside a caller's transaction: SQLITE_FULL there rolls the caller's whole transaction
    back, and an error caught inside it would let the statements after it autocommit. Errors
    propagate; the caller (``Catalogue.store_index``) catches them outside any transaction, and the
    stored index is only stale: the next process catches up from search_pending.
    """
    if conn.in_transaction:
        raise RuntimeError("the search index is stored in its own transaction, never inside another")
    with transaction(conn):
        if os.environ.get("TSUNAGU_FAULT") == "index-disk-full":  # tests: SQLITE_FULL rolls everything back
            conn.execute("ROLLBACK")
            raise sqlite3.OperationalError("database or disk is full")
        row = conn.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
        if (int(row[0]) if row else 0) != version:
            return False
        prefix = BASE if segment == "base" else DELTA
        if segment == "base":
            conn.execute("DELETE FROM search_index")
            conn.execute("DELETE FROM search_pending WHERE seq <= ?", (mark,))
        else:
            conn.execute("DELETE FROM search_index WHERE part LIKE 'delta:%' OR format <> ?", (format_,))
        conn.executemany(
            "INSERT INTO search_index(part, data_version, format, data) VALUES (?, ?, ?, ?)",
            [(prefix + name, version, format_, data) for name, data in parts.items()]
            + [(prefix + "meta", version, format_, json.dumps(meta).encode())],
        )
    return True


def order_key(record: list[str]) -> tuple:
    """A record's place in base order, as build_parts' ORDER BY puts it: active first, then
    verified before never, most recent first, then name and id (code point order is SQLite's
    BINARY order of UTF-8)."""
    verified = record[VERIFIED]
    # last_verified DESC: negated code points, and a shorter string after the longer it begins.
    return (record[STATUS] != "active", verified == "", (*(-ord(c) for c in verified), 1), record[NAME],
            record[ID])
