"""Copies of the catalogue kept before every import or rebuild, so nothing is ever lost.

Uses SQLite's online backup API, which copies a consistent snapshot (WAL
included) even while the app has the catalogue open. Copies are kept per
catalogue — by its full path, so ``/a/resources.db`` and ``/b/resources.db``
never prune each other's — and the last ``keep`` of each are kept.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import sqlite3
from datetime import datetime
from pathlib import Path

from tui.core.files import PRIVATE, fault

KEEP = 10
_STAMP = r"\d{8}-\d{6}-\d{6}"


def _prefix(source: Path) -> str:
    """``STEM-HASH`` where HASH names the catalogue's full path."""
    full = str(Path(source).expanduser().resolve())
    return f"{Path(source).stem}-{hashlib.sha1(full.encode('utf-8', 'surrogateescape')).hexdigest()[:8]}"


def backup_catalogue(conn: sqlite3.Connection, source: Path, folder: Path, *, keep: int = KEEP) -> Path:
    """Copy the catalogue open on ``conn`` into ``folder``; returns the copy's path."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{_prefix(source)}-{stamp}.db"
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
    prune(folder, source, keep)
    return target


def backups(folder: Path, source: Path) -> list[Path]:
    """The backups of the catalogue at ``source`` in ``folder``, oldest first."""
    if not folder.is_dir():
        return []
    name = re.compile(re.escape(_prefix(source)) + "-" + _STAMP + r"\.db")
    # The timestamp in the name sorts in time order.
    return sorted(p for p in folder.iterdir() if name.fullmatch(p.name) and p.is_file())


def prune(folder: Path, source: Path, keep: int = KEEP) -> None:
    found = backups(folder, source)
    for old in found[:-keep] if keep > 0 else found:
        old.unlink(missing_ok=True)
