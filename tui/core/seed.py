"""Build the shipped catalogue from ``seed/``: reference data plus ``seed/resources.csv``.

The result depends only on the seed files, so the committed ``resources.db`` can be
checked against a fresh build (``tests/core/test_seed.py``).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .catalogue import SEED_DIR, Catalogue
from .importing import import_files


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
            catalogue.search("")  # store the search index, so the shipped file opens ready and stays unchanged
            catalogue.conn.execute("VACUUM")
        os.replace(tmp, out)
    finally:
        for leftover in (tmp, tmp + "-wal", tmp + "-shm"):
            if os.path.exists(leftover):
                os.unlink(leftover)
    return count
