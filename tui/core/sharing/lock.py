"""One sync at a time per catalogue (issue 18): the app's timer, `S` and a CLI `sync` on the
same file never interleave two merges.

The lock is ``flock`` on a file of its own beside the catalogue, ``<db>.sync-lock`` — never on
the database file, whose POSIX locks belong to SQLite (a descriptor of ours there could drop
them: tui/core/db.py). ``flock`` belongs to the open file, so two threads of one process
exclude each other as two processes do, and the kernel lets go when the holder dies (kill -9
included): no stale lock to clear by hand. The holder's pid is written in the file, for a person
who wonders. Where ``fcntl`` does not exist (Windows) there is no lock; SQLite's own write lock
and the sync's check that nothing changed under it (``SyncError``) still keep the file whole.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

WAIT = 10.0  # seconds a second sync waits for the first before it says "another sync is running"


class SyncBusy(Exception):
    """Another sync of this catalogue is running (in this process or another one)."""

    def __init__(self, path: Path):
        super().__init__(f"another sync of {path} is running")
        self.path = path


def lock_path(catalogue_path: Path) -> Path:
    return catalogue_path.with_name(catalogue_path.name + ".sync-lock")


@contextmanager
def one_sync_at_a_time(catalogue_path: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the catalogue's sync lock; wait up to ``wait`` seconds for it, else ``SyncBusy``."""
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    wait = WAIT if wait is None else wait
    fd = os.open(lock_path(Path(catalogue_path)), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise SyncBusy(Path(catalogue_path)) from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(fd)  # lets go of the lock
