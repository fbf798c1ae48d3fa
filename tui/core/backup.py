"""Copies of the catalogue kept before every import, so nothing is ever lost.

Uses SQLite's online backup API, which copies a consistent snapshot (WAL
included) even while the app has the catalogue open. The last ``keep`` copies
of each catalogue name are kept; older ones are deleted.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

KEEP = 10


def backup_catalogue(conn: sqlite3.Connection, source: Path, folder: Path, *, keep: int = KEEP) -> Path:
    """Copy the catalogue open on ``conn`` into ``folder``; returns the copy's path."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{source.stem}-{stamp}.db"
    partial = target.with_suffix(".db.partial")
    # Only the user may read a copy: it holds confidential addresses too.
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    copy = sqlite3.connect(partial)
    try:
        conn.backup(copy)
    finally:
        copy.close()
    os.replace(partial, target)  # a half-written copy never looks like a backup
    prune(folder, source.stem, keep)
    return target


def backups(folder: Path, stem: str) -> list[Path]:
    """The backups of catalogue ``stem`` in ``folder``, oldest first."""
    if not folder.is_dir():
        return []
    # The timestamp in the name sorts in time order.
    return sorted(p for p in folder.glob(f"{stem}-????????-??????-??????.db") if p.is_file())


def prune(folder: Path, stem: str, keep: int = KEEP) -> None:
    for old in backups(folder, stem)[:-keep] if keep > 0 else backups(folder, stem):
        old.unlink(missing_ok=True)
