"""SQLite plumbing shared by every Tsunagu file (the catalogue, the referral log).

How a file is opened (autocommit, WAL, foreign keys, a busy timeout, migrated one
version per transaction), checked before the first connection, and written: one
``transaction`` per change, all or nothing. Which migrations a file has is its owner's
business (``store.schema`` for the catalogue, ``referrals.log`` for the log).
"""

from __future__ import annotations

import sqlite3
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tui.core.errors import DamagedFile, ReadOnlyCatalogue


class SchemaTooNew(RuntimeError):
    """The file was written by a newer Tsunagu; opening it could lose data."""


def _too_new(what: str, version: int, latest: int) -> SchemaTooNew:
    named = {"catalogue": "目録", "referral log": "紹介記録"}.get(what, what)
    return SchemaTooNew(f"この{named}は新しい版の つなぐ で作られています (this {what}'s schema {version} is newer "
                        f"than this Tsunagu's {latest}) — 何も変えていません (nothing was changed); "
                        "新しい版の つなぐ を入れてください (install the newer Tsunagu, e.g. its offline kit)")


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def connect(path, migrations: list[str], what: str = "catalogue") -> sqlite3.Connection:
    """Open a Tsunagu SQLite file: autocommit (we write through ``transaction``), WAL,
    foreign keys on, usable from worker threads (callers guard it with a lock), migrated."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    try:
        # A newer Tsunagu's file is refused before anything is written (switching to WAL would be a write).
        if schema_version(conn) > len(migrations):
            raise _too_new(what, schema_version(conn), len(migrations))
        if 0 < schema_version(conn) < len(migrations):  # an older Tsunagu's file: kept as it was, then upgraded
            backup_before_upgrade(conn, Path(path))
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        migrate(conn, migrations, what)
    except BaseException:
        conn.close()
        raise
    return conn


_HEADER = b"SQLite format 3\x00"


def backup_before_upgrade(conn: sqlite3.Connection, path: Path) -> Path:
    """Copy the file as it is, before its schema is upgraded, to ``NAME.schemaV.bak`` beside it.

    SQLite's backup API (a consistent copy of a possibly live file), written beside the target
    and renamed into place; an earlier copy of the same version is kept, never overwritten.
    """
    target = path.with_name(f"{path.name}.schema{schema_version(conn)}.bak")
    if target.exists():
        return target
    partial = target.with_name(target.name + ".partial")
    copy = sqlite3.connect(partial)
    try:
        conn.backup(copy)
    except BaseException:
        copy.close()
        partial.unlink(missing_ok=True)
        raise
    copy.close()
    partial.replace(target)
    return target


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


def connect_read_only(path: str | Path, latest: int, what: str = "catalogue") -> sqlite3.Connection:
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
        if version > latest:
            raise _too_new(what, version, latest)
        if version < latest:
            raise ReadOnlyCatalogue(Path(path))  # it needs upgrading, and we may not write it
    except BaseException:
        conn.close()
        raise
    return conn


def migrate(conn: sqlite3.Connection, migrations: list[str], what: str = "catalogue") -> int:
    """Bring the schema up to date, one version per transaction. Returns the version."""
    version, latest = schema_version(conn), len(migrations)
    if version > latest:
        raise _too_new(what, version, latest)
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
