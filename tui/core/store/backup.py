"""Copies of the catalogue kept before every import or rebuild, so nothing is ever lost.

Uses SQLite's online backup API, which copies a consistent snapshot (WAL
included) even while the app has the catalogue open. Copies are kept per
catalogue — by its full path, so ``/a/resources.db`` and ``/b/resources.db``
never prune each other's — and the last ``keep`` of each kind are kept: ``STEM-HASH-STAMP.db``
before an import or rebuild, ``STEM-HASH-KIND-STAMP.db`` before a sync applies what other
offices changed (``sync``), before a conflict is resolved (``conflict``) and before a restore
(``restore``), so a sync every few minutes never prunes away the copy taken before an import.

``restore`` puts a backup back — through the same API, into the live file, after a copy of
what is there now (or, when SQLite cannot read it, the file itself moved aside).
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import sqlite3
import urllib.parse
from datetime import datetime
from pathlib import Path

from tui.core.db import open_connection, opening, sqlite_check, write_over
from tui.core.files import PRIVATE, fault

KEEP = 10
_STAMP = r"\d{8}-\d{6}-\d{6}"


def _prefix(source: Path) -> str:
    """``STEM-HASH`` where HASH names the catalogue's full path."""
    full = str(Path(source).expanduser().resolve())
    return f"{Path(source).stem}-{hashlib.sha1(full.encode('utf-8', 'surrogateescape')).hexdigest()[:8]}"


def _name(source: Path, kind: str, stamp: str) -> str:
    return f"{_prefix(source)}-{kind + '-' if kind else ''}{stamp}.db"


def backup_catalogue(
    conn: sqlite3.Connection, source: Path, folder: Path, *, keep: int = KEEP, kind: str = ""
) -> Path:
    """Copy the catalogue open on ``conn`` into ``folder``; returns the copy's path."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / _name(source, kind, stamp)
    partial = target.with_suffix(".db.partial")
    # Only the user may read a copy: it holds confidential addresses too.
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE))
    try:
        copy = sqlite3.connect(partial)
        try:
            conn.backup(copy)
            fault("disk-full")
        except sqlite3.OperationalError as e:
            if "full" not in str(e):
                raise
            # Say which disk: the backups folder's, not the catalogue's.
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(folder)) from None
        except OSError as e:
            e.filename = e.filename or str(folder)
            raise
        finally:
            copy.close()
        os.replace(partial, target)  # a half-written copy never looks like a backup
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    prune(folder, source, keep, kind)
    return target


def backups(folder: Path, source: Path, kind: str | None = None) -> list[Path]:
    """The backups of the catalogue at ``source`` in ``folder`` (of one ``kind``, or all), oldest first."""
    if not folder.is_dir():
        return []
    kinds = r"(?:[a-z]+-)?" if kind is None else (re.escape(kind) + "-" if kind else "")
    name = re.compile(re.escape(_prefix(source)) + "-" + kinds + "(" + _STAMP + r")\.db")
    found = [(m.group(1), p) for p in folder.iterdir() if (m := name.fullmatch(p.name)) and p.is_file()]
    # The timestamp in the name sorts in time order.
    return [p for _, p in sorted(found)]


def prune(folder: Path, source: Path, keep: int = KEEP, kind: str = "") -> None:
    found = backups(folder, source, kind)
    for old in found[:-keep] if keep > 0 else found:
        old.unlink(missing_ok=True)


class UnusableBackup(Exception):
    """The file named to restore from is not a sound catalogue copy (SQLite says why)."""

    def __init__(self, path: Path, detail: str):
        super().__init__(f"{path}: {detail}")
        self.path = path
        self.detail = detail


def restore(backup: Path, target: Path, folder: Path) -> Path | None:
    """Put ``backup`` back as the catalogue at ``target``; returns where what was there went.

    The backup is checked first (``PRAGMA quick_check``); the current file is copied into
    ``folder`` (kind ``restore``) — or, when SQLite cannot read it, moved there as it is —
    and the backup is written into ``target`` through SQLite's backup API, so a process
    that has the catalogue open sees the restored one, never a file swapped under it.
    """
    problem = sqlite_check_readonly(backup)
    if problem:
        raise UnusableBackup(backup, problem)
    saved: Path | None = None
    with opening(target):
        if target.exists():
            if sqlite_check(target):  # damaged: keep it whole, as it is, for whoever wants to look
                folder.mkdir(parents=True, exist_ok=True, mode=0o700)
                stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
                saved = folder / _name(target, "damaged", stamp)
                os.replace(target, saved)
                for suffix in ("-wal", "-shm"):
                    side = target.with_name(target.name + suffix)
                    if side.exists():
                        os.replace(side, saved.with_name(saved.name + suffix))
            else:
                current = open_connection(target, target)
                try:
                    saved = backup_catalogue(current, target, folder, kind="restore")
                finally:
                    current.close()
        write_over(backup, target)
    return saved


def _read_only_uri(path: Path) -> str:
    return "file:" + urllib.parse.quote(str(Path(path).resolve())) + "?mode=ro"


def sqlite_check_readonly(path: Path) -> str:
    """What SQLite says is wrong with a backup file, read only; "" when sound."""
    if not path.is_file():
        return "ファイルがありません (no such file)"
    try:
        conn = open_connection(_read_only_uri(path), path, uri=True)
    except sqlite3.DatabaseError as e:
        return str(e)
    try:
        found = [row[0] for row in conn.execute("PRAGMA quick_check")]
        if found == ["ok"] and conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE name = 'resources'").fetchone()[0] == 0:
            return "カタログではありません (not a Tsunagu catalogue: no resources table)"
    except sqlite3.DatabaseError as e:
        return str(e)
    finally:
        conn.close()
    return "" if found == ["ok"] else "; ".join(found[:3])
