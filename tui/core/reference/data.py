"""Reference data (areas, postal codes, needs) from seed/ into a catalogue, and kept current.

A new catalogue is filled from the seed CSVs. An existing one remembers a hash of
the files it was last filled from (``meta.reference_hash``); when the project's
areas or needs move on (a new need, a synonym, a renamed place) the next open
copies them in, in one transaction, without touching a resource. Each table gets
whatever columns both it and the CSV have, so a column added by a later migration
(e.g. ``needs.crisis``) arrives with the CSV that carries it.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path

from tui.core.db import transaction
from tui.core.reference.areas import read_csv
from tui.core.reference.needs import is_crisis

FILES = ("subprefectures.csv", "areas.csv", "postal_codes.csv", "postal_codes_office.csv", "needs.csv")
HASH_KEY = "reference_hash"
_KEYS = {"subprefectures": "code", "areas": "jis_code", "postal_codes": "postal_code", "needs": "code"}


def reference_hash(folder: Path) -> str | None:
    """A hash of the seed reference files; None when the folder lacks any of them."""
    digest = hashlib.sha256()
    for name in FILES:
        try:
            digest.update(name.encode() + b"\0" + (folder / name).read_bytes() + b"\0")
        except OSError:
            return None
    return digest.hexdigest()


def load_reference(conn: sqlite3.Connection, folder: Path) -> None:
    """Fill the reference tables of a new catalogue from the seed CSVs."""
    with transaction(conn):
        _copy_all(conn, folder)


def refresh_reference(conn: sqlite3.Connection, folder: Path) -> bool:
    """Copy changed seed reference data into an existing catalogue; True when it did."""
    wanted = reference_hash(folder)
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (HASH_KEY,)).fetchone()
    if wanted is None or (row is not None and row[0] == wanted):
        return False
    with transaction(conn):
        _copy_all(conn, folder)
        # The search index holds need labels and place names: make it rebuild.
        conn.execute(
            "INSERT INTO meta(key, value) VALUES ('data_version', '1') "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )
    return True


def _copy_all(conn: sqlite3.Connection, folder: Path) -> None:
    # A renamed subprefecture and its areas change in one go: check references at commit.
    conn.execute("PRAGMA defer_foreign_keys = ON")
    _upsert(conn, "subprefectures", read_csv(folder / "subprefectures.csv"))
    areas: list[dict[str, str | None]] = [dict(row) for row in read_csv(folder / "areas.csv")]
    for area in areas:
        area["parent_jis_code"] = area.get("parent_jis_code") or None
    _upsert(conn, "areas", sorted(areas, key=lambda r: (r["kind"] == "ward", r["jis_code"] or "")))
    conn.execute("DELETE FROM postal_codes")
    for name, office in (("postal_codes.csv", "0"), ("postal_codes_office.csv", "1")):
        _upsert(conn, "postal_codes", [dict(row, office=office) for row in read_csv(folder / name)])
    needs = [dict(row, position=str(n)) for n, row in enumerate(read_csv(folder / "needs.csv"))]
    for need in needs:  # the CSV says yes/blank; the table holds 1/0
        if "crisis" in need:
            need["crisis"] = "1" if is_crisis(need["crisis"]) else "0"
    _upsert(conn, "needs", needs)
    # A need dropped from the taxonomy goes only when no resource still uses it.
    codes = [row["code"] for row in needs]
    conn.execute(
        f"DELETE FROM needs WHERE code NOT IN ({','.join('?' * len(codes))}) "
        "AND code NOT IN (SELECT need_code FROM resource_needs)",
        codes,
    )
    conn.execute(
        "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (HASH_KEY, reference_hash(folder) or ""),
    )


def _upsert(conn: sqlite3.Connection, table: str, rows: Iterable[Mapping[str, str | None]]) -> None:
    """Insert or update ``rows`` by the table's key (sqlite-utils), with the columns both have.

    Inside the caller's transaction: sqlite-utils nests its own as a savepoint.
    """
    import sqlite_utils  # only when the reference data is loaded or changed: not on every start

    target = sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False).table(table)
    have = set(target.columns_dict)
    cells: list[dict[str, str | None]] = [{c: v for c, v in row.items() if c in have} for row in rows]
    if cells:
        target.upsert_all(cells, pk=_KEYS[table], batch_size=2000)
