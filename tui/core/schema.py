"""The catalogue's SQLite schema and its migrations.

Shaped by Open Referral HSDS: an organisation runs services; a service at a place
(``resources``) has phones (voice and fax), a service area (``service_areas``: the
places it serves), needs, a last-verified date, a status and a confidential flag.
Reference data (areas, postal codes, needs) lives in the same file, so a catalogue
travels whole. The referral log is kept apart, in the worker's own data folder
(see ``referrals.py``): a catalogue is shared between offices, referrals are not.
"""

from __future__ import annotations

import sqlite3
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import DamagedFile

# Each entry upgrades the schema by one version; never edit one that has shipped.
MIGRATIONS: list[str] = [
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
    # that finds nothing nearby still lists the lines serving all Hokkaido (tui/core/crisis.py).
    # Catalogues made before this column get the shipped marks.
    """
    ALTER TABLE needs ADD COLUMN crisis INTEGER NOT NULL DEFAULT 0;
    UPDATE needs SET crisis = 1 WHERE code IN ('consultation', 'food', 'shelter', 'dv', 'health');
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


class SchemaTooNew(RuntimeError):
    """The file was written by a newer Tsunagu; opening it could lose data."""


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def connect(path, migrations: list[str] = MIGRATIONS, what: str = "catalogue") -> sqlite3.Connection:
    """Open a Tsunagu SQLite file: autocommit (we write through ``transaction``), WAL,
    foreign keys on, usable from worker threads (callers guard it with a lock), migrated."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    try:
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        migrate(conn, migrations, what)
    except BaseException:
        conn.close()
        raise
    return conn


_HEADER = b"SQLite format 3\x00"


def check_file(path: str | Path, what: str) -> None:
    """Refuse a file that cannot be a Tsunagu SQLite file, before SQLite takes it for a new one.

    Cheap checks only (the 100-byte header): zero bytes, not SQLite at all, or shorter
    than the size its header records (truncated). SQLite names the rest when read.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            header = f.read(100)
    except IsADirectoryError:
        raise DamagedFile(path, what, "フォルダです (a folder, not a file)") from None
    if size == 0:
        raise DamagedFile(path, what, "0 バイトの空ファイルです (the file is empty: 0 bytes)")
    if not header.startswith(_HEADER) or len(header) < 100:
        raise DamagedFile(path, what, "SQLite のファイルではありません (not an SQLite file)")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The page count in the header is valid when its change counter matches (SQLite 3.7+ writes both).
    if header[24:28] == header[92:96] and pages and size < page_size * pages:
        raise DamagedFile(path, what, f"途中で切れています (truncated: {size} of {page_size * pages} bytes)")


def connect_read_only(path: str | Path, what: str = "catalogue") -> sqlite3.Connection:
    """Open a file we may not write (a shared or write-protected catalogue): read-only, never migrated."""
    base = "file:" + urllib.parse.quote(str(Path(path).resolve()))
    conn = sqlite3.connect(base + "?mode=ro", uri=True, check_same_thread=False)
    try:  # read-only, still seeing another process's writes...
        schema_version(conn)
    except sqlite3.OperationalError:  # ...unless its WAL index cannot be opened: then as a fixed file
        conn.close()
        conn = sqlite3.connect(base + "?immutable=1", uri=True, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    try:
        version = schema_version(conn)
        if version > SCHEMA_VERSION:
            raise SchemaTooNew(f"{what} schema {version} is newer than this Tsunagu ({SCHEMA_VERSION}); please upgrade")
        if version < SCHEMA_VERSION:
            from .errors import ReadOnlyCatalogue

            raise ReadOnlyCatalogue(Path(path))  # it needs upgrading, and we may not write it
    except BaseException:
        conn.close()
        raise
    return conn


def migrate(conn: sqlite3.Connection, migrations: list[str] = MIGRATIONS, what: str = "catalogue") -> int:
    """Bring the schema up to date, one version per transaction. Returns the version."""
    version, latest = schema_version(conn), len(migrations)
    if version > latest:
        raise SchemaTooNew(f"{what} schema {version} is newer than this Tsunagu ({latest}); please upgrade")
    for number in range(version, latest):
        with transaction(conn):
            for statement in _statements(migrations[number]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number + 1}")
    return latest


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One all-or-nothing write: BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any error.

    The connection must be in autocommit mode (``isolation_level=None``) so that
    nothing else opens or commits a transaction behind our back.
    """
    if conn.in_transaction:  # inside a caller's transaction (a sync's apply): a savepoint, same all-or-nothing
        conn.execute("SAVEPOINT nested")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK TO nested")
            conn.execute("RELEASE nested")
            raise
        conn.execute("RELEASE nested")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _statements(script: str) -> list[str]:
    """The statements of a script; a trigger's BEGIN … END stays one statement."""
    out: list[str] = []
    pending = ""
    for part in script.split(";"):
        pending += part + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                out.append(pending.strip().rstrip(";"))
            pending = ""
    return out
