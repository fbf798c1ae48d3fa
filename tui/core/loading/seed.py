"""Build the shipped catalogue from ``seed/``: reference data plus ``seed/resources.csv``.

The result depends only on the seed files, so the committed ``resources.db`` can be
checked against a fresh build (``tests/core/test_seed.py``).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import urllib.parse
from pathlib import Path

from tui.core.db import open_connection, write_over
from tui.core.loading.importing import import_files
from tui.core.store.catalogue import SEED_DIR, Catalogue


class SeedError(RuntimeError):
    pass


def build(out: Path, seed_dir: Path | None = None) -> int:
    """Write a new catalogue at ``out`` (replaced atomically); returns its resource count."""
    seed_dir = seed_dir or SEED_DIR
    out = Path(out)
    fd, tmp = tempfile.mkstemp(prefix=".rebuild-", suffix=".db", dir=out.parent or ".")
    os.close(fd)
    os.unlink(tmp)
    try:
        with Catalogue.open(tmp, seed_dir=seed_dir) as catalogue:
            report = import_files(catalogue, sorted(seed_dir.glob("resources*.csv")))
            if report.problems:
                raise SeedError("\n".join(str(p) for p in report.problems))
            count = catalogue.count()
            # The shipped catalogue's history starts empty: a log of the build would differ run to run.
            catalogue.conn.execute("DELETE FROM changes")
            catalogue.store_index(rebuild=True)  # compact, so the shipped file opens ready and stays unchanged
            # Marks the file as this build, unchanged since: `rebuild` may replace it without asking.
            catalogue.conn.execute(
                "INSERT INTO meta(key, value) SELECT 'seed_build', coalesce("
                "(SELECT value FROM meta WHERE key = 'data_version'), '0')"
            )
            catalogue.conn.execute("VACUUM")
        if out.exists():  # an app may have it open: written through SQLite, never renamed over it (issue 18)
            write_over(Path(tmp), out)
        else:
            os.replace(tmp, out)
    finally:
        for leftover in (tmp, tmp + "-wal", tmp + "-shm"):
            if os.path.exists(leftover):
                os.unlink(leftover)
    return count


def is_own_build(path: Path) -> bool:
    """Is ``path`` a catalogue that ``build`` wrote and nothing has changed since?"""
    uri = "file:" + urllib.parse.quote(str(Path(path).resolve())) + "?mode=ro"
    try:
        conn = open_connection(uri, path, uri=True)  # counted: no header read of ours while it is open
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('seed_build', 'data_version')"))
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return "seed_build" in meta and meta["seed_build"] == meta.get("data_version", "0")
