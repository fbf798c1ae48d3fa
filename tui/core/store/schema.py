"""The catalogue's SQLite schema and its migrations.

Shaped by Open Referral HSDS: an organisation runs services; a service at a place
(``resources``) has phones (voice and fax), a service area (``service_areas``: the
places it serves), needs, a last-verified date, a status and a confidential flag.
Reference data (areas, postal codes, needs) lives in the same file, so a catalogue
travels whole. The referral log is kept apart, in the worker's own data folder
(see ``tui.core.referrals``): a catalogue is shared between offices, referrals are not.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from tui.core import db
from tui.core.files import link_into_place, remove_sqlite_files
from tui.core.reference.data import load_reference


def _crisis_column(conn: sqlite3.Connection) -> None:
    """Migration 5 through sqlite-utils (a column change: ``add_column``), in the migration's transaction."""
    db.table(conn, "needs").add_column("crisis", int, not_null_default=0)
    conn.execute("UPDATE needs SET crisis = 1 WHERE code IN ('consultation', 'food', 'shelter', 'dv', 'health')")


# Each entry upgrades the schema by one version; never change what one does once shipped (its SQL is
# stored in every catalogue, and the committed resources.db is compared with a fresh build; migration 5
# became a sqlite-utils function that makes the same column, and resources.db was rebuilt with it). A new column
# change is a function of the connection: ``db.table(conn, "resources").add_column(...)``
# (sqlite-utils, inside the version's transaction; see ``db.table`` for why not ``transform``).
MIGRATIONS: list[db.Migration] = [
    # 1: the catalogue
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE subprefectures (
        code TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, name_full TEXT NOT NULL, kana TEXT NOT NULL,
        office_city TEXT, municipality_count INTEGER, office_jis_code TEXT
    );
    CREATE TABLE areas (
        jis_code TEXT PRIMARY KEY, name TEXT NOT NULL, kana TEXT NOT NULL, romaji TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('city', 'town', 'village', 'ward')),
        subprefecture TEXT NOT NULL REFERENCES subprefectures(name),
        subprefecture_kana TEXT, parent_jis_code TEXT REFERENCES areas(jis_code),
        subprefecture_full TEXT, district TEXT, district_kana TEXT
    );
    CREATE TABLE postal_codes (
        postal_code TEXT PRIMARY KEY, jis_code TEXT NOT NULL REFERENCES areas(jis_code),
        office INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE needs (
        code TEXT PRIMARY KEY, label_ja TEXT NOT NULL, kana TEXT NOT NULL, label_en TEXT NOT NULL,
        synonyms TEXT NOT NULL DEFAULT '', description_ja TEXT NOT NULL DEFAULT '', position INTEGER NOT NULL
    );
    CREATE TABLE organizations (
        id TEXT PRIMARY KEY, name TEXT NOT NULL
    );
    CREATE TABLE resources (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL CHECK (name <> ''),
        name_kana TEXT NOT NULL DEFAULT '',
        name_kana_generated INTEGER NOT NULL DEFAULT 0,
        organization_id TEXT REFERENCES organizations(id),
        description TEXT NOT NULL DEFAULT '',
        area TEXT NOT NULL DEFAULT '',
        address TEXT NOT NULL DEFAULT '',
        postal_code TEXT NOT NULL DEFAULT '',
        email TEXT NOT NULL DEFAULT '',
        url TEXT NOT NULL DEFAULT '',
        hours TEXT NOT NULL DEFAULT '',
        eligibility TEXT NOT NULL DEFAULT '',
        cost TEXT NOT NULL DEFAULT '',
        how_to_refer TEXT NOT NULL DEFAULT '',
        capacity TEXT NOT NULL DEFAULT '',
        transport TEXT NOT NULL DEFAULT '',
        languages TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        last_verified TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'closed')),
        confidential INTEGER NOT NULL DEFAULT 0 CHECK (confidential IN (0, 1)),
        source TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX resources_area ON resources(area);
    CREATE INDEX resources_organization ON resources(organization_id);
    CREATE TABLE resource_needs (
        resource_id TEXT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
        need_code TEXT NOT NULL REFERENCES needs(code),
        position INTEGER NOT NULL,
        PRIMARY KEY (resource_id, need_code)
    ) WITHOUT ROWID;
    CREATE INDEX resource_needs_code ON resource_needs(need_code);
    CREATE TABLE service_areas (
        resource_id TEXT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
        place_code TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (resource_id, place_code)
    ) WITHOUT ROWID;
    CREATE TABLE phones (
        resource_id TEXT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('voice', 'fax')),
        position INTEGER NOT NULL,
        -- after the key columns: SQLite 3.40's integrity_check misreports a NOT NULL
        -- column placed before a key column in a WITHOUT ROWID table
        number TEXT NOT NULL,
        PRIMARY KEY (resource_id, kind, position)
    ) WITHOUT ROWID;
    """,
    # 2: the search index, stored so opening does not rebuild it (tui/core/search.py);
    # rows for another data_version or format are stale and get replaced.
    """
    CREATE TABLE search_index (
        part TEXT PRIMARY KEY, data_version INTEGER NOT NULL, format INTEGER NOT NULL, data BLOB NOT NULL
    );
    """,
    # 3 (index 2): the change log (tui/core/changes.py): one row per changed field of a
    # resource, written in the same transaction as the change. Values are text
    # (lists joined with "; ", confidential as yes/""); field "resource" marks a new one.
    """
    CREATE TABLE changes (
        id INTEGER PRIMARY KEY,
        resource_id TEXT NOT NULL,
        field TEXT NOT NULL,
        old TEXT NOT NULL DEFAULT '',
        new TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL,
        by TEXT NOT NULL DEFAULT '',
        how TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX changes_resource ON changes(resource_id, id);
    """,
    # 4: sharing between offices (tui/core/sync.py): the shared repository and last synced
    # commit, conflicts waiting for a person, and which resources changed since the last sync
    # (kept by triggers, so a sync reads only those instead of the whole catalogue; a row's
    # rowid grows with each change, so a sync clears only what it has read).
    """
    CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE sync_conflicts (
        resource_id TEXT NOT NULL, field TEXT NOT NULL, mine TEXT NOT NULL, theirs TEXT NOT NULL,
        base TEXT NOT NULL, by TEXT NOT NULL DEFAULT '', at TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (resource_id, field)
    );
    CREATE TABLE sync_pending (resource_id TEXT PRIMARY KEY);
    CREATE TRIGGER sync_pending_insert AFTER INSERT ON resources BEGIN
        DELETE FROM sync_pending WHERE resource_id = NEW.id;
        INSERT INTO sync_pending(resource_id) VALUES (NEW.id);
    END;
    CREATE TRIGGER sync_pending_update AFTER UPDATE ON resources BEGIN
        DELETE FROM sync_pending WHERE resource_id = NEW.id;
        INSERT INTO sync_pending(resource_id) VALUES (NEW.id);
    END;
    """,
    # 5: needs where no answer is unacceptable (seed/needs.csv `crisis`): a search for one
    # that finds nothing nearby still lists the lines serving all Hokkaido (tui/core/search/crisis.py).
    # Catalogues made before this column get the shipped marks.
    _crisis_column,
    # 6: resources changed since the stored search index's base was built (tui/core/search/build.py),
    # kept by triggers as sync_pending is: a process that finds the index behind the data builds a
    # small delta for these ids instead of rebuilding the whole index; a full build clears them.
    """
    CREATE TABLE search_pending (  -- seq never goes back (AUTOINCREMENT): a stored delta knows the last it covered
        seq INTEGER PRIMARY KEY AUTOINCREMENT, resource_id TEXT NOT NULL UNIQUE
    );
    CREATE TRIGGER search_pending_insert AFTER INSERT ON resources BEGIN
        DELETE FROM search_pending WHERE resource_id = NEW.id;
        INSERT INTO search_pending(resource_id) VALUES (NEW.id);
    END;
    CREATE TRIGGER search_pending_update AFTER UPDATE ON resources BEGIN
        DELETE FROM search_pending WHERE resource_id IN (OLD.id, NEW.id);
        INSERT INTO search_pending(resource_id) SELECT OLD.id WHERE OLD.id <> NEW.id;  -- a changed id: its old slot dies
        INSERT INTO search_pending(resource_id) VALUES (NEW.id);
    END;
    CREATE TRIGGER search_pending_delete AFTER DELETE ON resources BEGIN
        DELETE FROM search_pending WHERE resource_id = OLD.id;
        INSERT INTO search_pending(resource_id) VALUES (OLD.id);
    END;
    """,  # noqa: E501 — a shipped migration is never edited (its SQL is stored in every catalogue)
]

SCHEMA_VERSION = len(MIGRATIONS)


def connect(path: str | Path) -> sqlite3.Connection:
    """Open (creating and migrating) a catalogue for reading and writing."""
    return db.connect(path, MIGRATIONS, "catalogue")


def connect_read_only(path: str | Path) -> sqlite3.Connection:
    """Open a catalogue we may not write: read-only, never migrated."""
    return db.connect_read_only(path, SCHEMA_VERSION, "catalogue")


def create(path: Path, seed_dir: Path) -> None:
    """A new catalogue (reference data included), built beside ``path`` and renamed into place."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)
    os.close(fd)
    os.unlink(tmp)  # SQLite makes the file itself
    try:
        conn = connect(tmp)
        try:
            load_reference(conn, seed_dir)
        finally:
            conn.close()  # the last connection checkpoints the WAL into the file
        link_into_place(tmp, path)  # never over a file another process made meanwhile
    finally:
        remove_sqlite_files(tmp)


# The triggers that note each written resource as waiting: to be sent (sync_pending), to be indexed
# (search_pending). Each moves the id to the end of its list (a delete, then an insert).
_NOTING = ("sync_pending_insert", "sync_pending_update", "search_pending_insert", "search_pending_update")


@contextmanager
def noted_at_once(conn: sqlite3.Connection, ids: Sequence[str]) -> Iterator[None]:
    """Many resources written inside: the noting triggers are set aside and ``ids`` noted in one
    statement per list afterwards — the same rows in the same order (``INSERT OR REPLACE`` deletes,
    then inserts at the end), for a third of the cost (100k rows: 3.5 → 1.5 s of an import). Only
    inside the caller's transaction: SQLite's schema changes are transactional, so no other
    connection ever sees the triggers gone, and an error rolls them back with the rows."""
    if not conn.in_transaction:
        raise RuntimeError("noted_at_once: inside a transaction only")
    saved = conn.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN "
                         f"({', '.join('?' * len(_NOTING))}) ORDER BY name", _NOTING).fetchall()
    for name, _ in saved:
        conn.execute(f"DROP TRIGGER {name}")
    yield  # an error propagates, and the caller's transaction rolls everything back
    listed = json.dumps(list(ids), ensure_ascii=False)
    for table in ("sync_pending", "search_pending"):
        conn.execute(f"INSERT OR REPLACE INTO {table}(resource_id) SELECT value FROM json_each(?) ORDER BY key",
                     (listed,))
    for _, sql in saved:
        conn.execute(sql)
