"""Writing files so that a failure leaves nothing half-done, and case data stays private.

``atomic_write`` writes a new file beside the target and renames it into place: a full
disk or a crash leaves the old file (or none), never a 0-byte or half-written one, and
the new file has the mode asked for whatever the old one had (0600 for case data).
``fault`` is the one place the fault-injection variable ``TSUNAGU_FAULT`` is read (tests
use it to stop at a known point: a full disk, a kill inside a write).
"""

from __future__ import annotations

import errno
import os
import signal
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

PRIVATE = 0o600


def fault(point: str) -> None:
    """Fail at ``point`` when ``TSUNAGU_FAULT`` names it (tests only; unset in real use)."""
    wanted = os.environ.get("TSUNAGU_FAULT", "")
    if not wanted or wanted != point:
        return
    if point == "disk-full":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    os.kill(os.getpid(), signal.SIGKILL)  # e.g. after-insert: die inside the write transaction


def atomic_write(path: Path, write: Callable[[IO], object], *, mode: int = PRIVATE, text: bool = True,
                 encoding: str = "utf-8", newline: str | None = None) -> Path:
    """Write ``path`` through ``write(file)`` into a temporary file, then rename it into place."""
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    except OSError as error:
        error.filename = str(path)
        raise
    try:
        os.fchmod(fd, mode)
        f: IO = os.fdopen(fd, "w", encoding=encoding, newline=newline) if text else os.fdopen(fd, "wb")
        with f:
            write(f)
            fault("disk-full")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as error:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(error, OSError) and error.filename in (None, tmp):
            error.filename = str(path)  # the file the person asked for, not our temporary name
        raise
    return path


def write_text(path: Path, content: str, *, mode: int = PRIVATE, encoding: str = "utf-8") -> Path:
    return atomic_write(path, lambda f: f.write(content), mode=mode, encoding=encoding)


def shared_mode() -> int:
    """The mode a file meant for sharing gets: 0666 less the user's umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
