"""SQLite plumbing shared by every Tsunagu file (the catalogue, the referral log).

How a file is opened (autocommit, WAL, foreign keys, a busy timeout, migrated one
version per transaction), checked before the first connection, and written: one
``transaction`` per change, all or nothing. Which migrations a file has is its owner's
business (``store.schema`` for the catalogue, ``referrals.log`` for the log).
"""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
import urllib.parse
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.errors import DamagedFile, ReadOnlyCatalogue

# One schema version: SQL (tables, triggers, indexes, data), or a function given the connection inside
# the version's transaction (a column change through sqlite-utils: ``Table.add_column``).
Migration = str | Callable[[sqlite3.Connection], None]

if TYPE_CHECKING:
    import sqlite_utils.db


class SchemaTooNew(RuntimeError):
    """The file was written by a newer Tsunagu; opening it could lose data."""


def _too_new(what: str, version: int, latest: int) -> SchemaTooNew:
    named = {"catalogue": "目録", "referral log": "紹介記録"}.get(what, what)
    return SchemaTooNew(f"この{named}は新しい版の つなぐ で作られています (this {what}'s schema {version} is newer "
                        f"than this Tsunagu's {latest}) — 何も変えていません (nothing was changed); "
                        "新しい版の つなぐ を入れてください (install the newer Tsunagu, e.g. its offline kit)")


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


# -- one process, many connections -----------------------------------------------------
#
# POSIX advisory locks belong to a process and a file, and ANY close() of ANY descriptor this
# process has on the database file drops all of them (sqlite.org/howtocorrupt.html §2.2). Another
# process that closes then believes it is the last connection, checkpoints and deletes the -wal
# and -shm we still use: our next writes go to a deleted file. So this process never opens a
# descriptor of its own (open(), a copy, a hash) on a file SQLite holds here. SQLite's own
# connections are safe among themselves: its unix VFS tracks each file by inode and keeps a
# closed connection's descriptor open until the last lock on that inode is released
# (tests/core/test_processes.py shows it). ``_live`` counts the connections this process has on
# each file (by real path); ``_guard`` makes "look at the header, then connect" one step, so no
# thread connects while another holds a plain descriptor.

_guard = threading.RLock()
_live: dict[str, int] = {}


def _key(path: str | Path) -> str:
    return os.path.realpath(path)


def is_live(path: str | Path) -> bool:
    """Whether this process has an SQLite connection open on the file at ``path``."""
    with _guard:
        return _live.get(_key(path), 0) > 0


class _Tracked(sqlite3.Connection):
    """A connection that counts itself in ``_live`` until it is closed (or collected)."""

    _counted: str | None = None
    _finalizer: weakref.finalize | None = None

    def track(self, key: str) -> None:
        with _guard:
            _live[key] = _live.get(key, 0) + 1
        self._counted = key
        self._finalizer = weakref.finalize(self, _release, key)

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self._finalizer is not None:
                self._finalizer()  # once: close() twice counts once


def _release(key: str) -> None:
    with _guard:
        left = _live.get(key, 0) - 1
        if left > 0:
            _live[key] = left
        else:
            _live.pop(key, None)


def open_connection(target: str | Path, path: str | Path, **kwargs) -> sqlite3.Connection:
    """``sqlite3.connect(target)`` counted as a live connection on the file at ``path``."""
    with _guard:
        conn = sqlite3.connect(target, factory=_Tracked, check_same_thread=False, **kwargs)
        conn.track(_key(path))
    return conn


def connect(path, migrations: Sequence[Migration], what: str = "catalogue") -> sqlite3.Connection:
    """Open a Tsunagu SQLite file: autocommit (we write through ``transaction``), WAL,
    foreign keys on, usable from worker threads (callers guard it with a lock), migrated."""
    conn = open_connection(path, path, isolation_level=None)
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


@contextmanager
def opening(path: str | Path) -> Iterator[None]:
    """Hold while checking a file and connecting to it: no other thread of this process
    connects (or closes) meanwhile, so a plain read of the header can drop nobody's lock."""
    with _guard:
        yield


def check_file(path: str | Path, what: str) -> None:
    """Refuse a file that cannot be a Tsunagu SQLite file, before SQLite takes it for a new one.

    A folder, zero bytes, or not SQLite at all (the 16-byte magic) are refused from the file
    itself — read only when this process has no connection on it (see ``_live``; call inside
    ``opening(path)``). A file whose header records more pages than it has is NOT called
    damaged from that alone: after a kill or a full disk during a checkpoint that is normal,
    and SQLite rebuilds the pages from the WAL. SQLite is asked (``PRAGMA quick_check``), and
    only its "not ok" makes the file damaged.
    """
    path = Path(path)
    st = path.stat()  # no descriptor
    if stat.S_ISDIR(st.st_mode):
        raise DamagedFile(path, what, "フォルダです (a folder, not a file)")
    if st.st_size == 0:
        raise DamagedFile(path, what, "0 バイトの空ファイルです (the file is empty: 0 bytes)")
    with _guard:
        if is_live(path):  # this process holds it, checked when first opened: never a descriptor of ours
            return
        with open(path, "rb") as f:  # safe: no lock of this process on this file that a close() could drop
            header = f.read(100)
    if not header.startswith(_HEADER) or len(header) < 100:
        raise DamagedFile(path, what, "SQLite のファイルではありません (not an SQLite file)")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The page count in the header is valid when its change counter matches (SQLite 3.7+ writes both).
    if header[24:28] == header[92:96] and pages and st.st_size < page_size * pages:
        problem = sqlite_check(path)
        if problem:
            raise DamagedFile(path, what, f"途中で切れています (truncated: {st.st_size} of {page_size * pages} bytes; "
                                          f"SQLite: {problem})")


def sqlite_check(path: str | Path) -> str:
    """What SQLite says is wrong with the file (its WAL replayed first), or "" when it is sound."""
    try:
        conn = open_connection(path, path, isolation_level=None)
    except sqlite3.DatabaseError as e:
        return str(e)
    try:
        conn.execute("PRAGMA busy_timeout = 5000")
        found = [row[0] for row in conn.execute("PRAGMA quick_check")]
    except sqlite3.OperationalError:
        raise  # busy, locked, no disk: not a verdict on the file
    except sqlite3.DatabaseError as e:
        return str(e)
    finally:
        conn.close()
    return "" if found == ["ok"] else "; ".join(found[:3])


def write_over(source: str | Path, target: str | Path) -> None:
    """Make the SQLite file at ``target`` a copy of ``source`` through SQLite's backup API: a
    process that has ``target`` open sees the new content (a rename over it would leave that
    process writing to the old, unlinked file, and its edits lost). ``source`` is only read."""
    src = open_connection("file:" + urllib.parse.quote(str(Path(source).resolve())) + "?mode=ro", source, uri=True)
    try:
        with opening(target):
            into = open_connection(target, target, isolation_level=None)
            try:
                into.execute("PRAGMA busy_timeout = 5000")
                src.backup(into)
            finally:
                into.close()
    finally:
        src.close()


def connect_read_only(path: str | Path, latest: int, what: str = "catalogue") -> sqlite3.Connection:
    """Open a file we may not write (a shared or write-protected catalogue): read-only, never migrated."""
    base = "file:" + urllib.parse.quote(str(Path(path).resolve()))
    conn = open_connection(base + "?mode=ro", path, uri=True)
    try:  # read-only, still seeing another process's writes...
        schema_version(conn)
    except sqlite3.OperationalError:  # ...unless its WAL index cannot be opened: then as a fixed file
        conn.close()
        conn = open_connection(base + "?immutable=1", path, uri=True)
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


def migrate(conn: sqlite3.Connection, migrations: Sequence[Migration], what: str = "catalogue") -> int:
    """Bring the schema up to date, one version per transaction. Returns the version."""
    version, latest = schema_version(conn), len(migrations)
    if version > latest:
        raise _too_new(what, version, latest)
    for number in range(version, latest):
        step = migrations[number]
        with transaction(conn):
            if callable(step):
                step(conn)
            else:
                for statement in _statements(step):
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


def table(conn: sqlite3.Connection, name: str) -> sqlite_utils.db.Table:
    """``name`` as sqlite-utils sees it, on our connection and inside our transaction: column changes
    are ``add_column``. Not ``transform``: it keeps indexes but drops the table's triggers, and inside
    a transaction it refuses a table that others reference with ON DELETE CASCADE (``resources``), so
    a table rebuild stays SQL here."""
    import sqlite_utils  # only when a file is migrated: not on every start

    return sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False).table(name)
