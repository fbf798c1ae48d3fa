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
from collections.abc import Callable, Iterable, Mapping
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
    tmp = _stage(path, write, mode=mode, text=text, encoding=encoding, newline=newline)
    _rename([(tmp, path)])
    return path


def write_all(files: Mapping[Path, str | bytes], *, mode: int = PRIVATE) -> list[Path]:
    """Files that belong together (an HSDS package, a set of letters): all written, or none changed.

    Every file is written beside its target first; only when all are whole are they renamed
    into place, so a full disk at the third file leaves the first two as they were."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, content in files.items():
            tmp = _stage(Path(path), _writing(content), mode=mode, text=isinstance(content, str))
            staged.append((tmp, Path(path)))
    except BaseException:
        _discard(tmp for tmp, _ in staged)
        raise
    _rename(staged)
    return [path for _, path in staged]


def _writing(content: str | bytes) -> Callable[[IO], object]:
    return lambda f: f.write(content)


def _stage(path: Path, write: Callable[[IO], object], *, mode: int, text: bool, encoding: str = "utf-8",
           newline: str | None = None) -> str:
    """A new file beside ``path`` holding what ``write`` wrote, synced to disk; its name."""
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
    except BaseException as error:
        _discard([tmp])
        if isinstance(error, OSError) and error.filename in (None, tmp):
            error.filename = str(path)  # the file the person asked for, not our temporary name
        raise
    return tmp


def _rename(staged: list[tuple[str, Path]]) -> None:
    try:
        for tmp, path in staged:
            os.replace(tmp, path)
    except BaseException as error:
        _discard(tmp for tmp, _ in staged)
        if isinstance(error, OSError) and error.filename in {tmp for tmp, _ in staged}:
            error.filename = str(next(path for tmp, path in staged if tmp == error.filename))
        raise


def _discard(temporaries: Iterable[str]) -> None:
    for tmp in temporaries:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def ensure_private_dir(path: Path) -> Path:
    """Create a folder only the user can read (0700 where the OS allows)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        path.chmod(0o700)
    except OSError:
        pass
    return path


def write_text(path: Path, content: str, *, mode: int = PRIVATE, encoding: str = "utf-8") -> Path:
    return atomic_write(path, lambda f: f.write(content), mode=mode, encoding=encoding)


def shared_mode() -> int:
    """The mode a file meant for sharing gets: 0666 less the user's umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def link_into_place(new: str | os.PathLike, path: str | os.PathLike) -> None:
    """Give the finished file ``new`` the name ``path`` — only if nothing is there yet.

    A new SQLite file (a catalogue, the referral log) is made under another name and then
    linked, not renamed: renaming over a file another process made meanwhile, and may have
    open, would swap the file under its locks. Without hard links (a FAT USB stick) it is
    renamed, still only when nobody made one. ``new`` itself is left for the caller to remove.
    """
    try:
        os.link(new, path)
    except FileExistsError:
        pass
    except OSError:
        if not os.path.exists(path):
            os.replace(new, path)


def remove_sqlite_files(path: str | os.PathLike) -> None:
    """Remove a scratch SQLite file and its -wal and -shm, whichever exist."""
    for leftover in (str(path), f"{path}-wal", f"{path}-shm"):
        if os.path.exists(leftover):
            os.unlink(leftover)
