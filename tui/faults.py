"""One message for every fault: what failed, what was not changed, and what to do.

``describe(error, lang)`` is the only place an exception becomes words for a person;
the CLI's top-level handler (``tui/cli/__init__.py``) and the app's ``run`` both use
it, and so do the app's workers when a referral or the log fails. Exit codes follow
the SPEC: 1 when a file or the machine had the problem (nothing was written), 2 when
what was asked cannot work (a folder given as the catalogue, a bad argument).
"""

from __future__ import annotations

import errno
import shlex
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tui.core.errors import DamagedFile, ReadOnlyCatalogue
from tui.i18n import t

EXIT_INPUT = 1
EXIT_USAGE = 2


@dataclass(frozen=True, slots=True)
class Fault:
    text: str  # what failed — what was not changed — what to do
    code: int  # the exit code


Say = Callable[..., Fault]  # say(key, code=EXIT_INPUT, *, fix="", unchanged=True, **values)


def describe(error: BaseException, lang: str = "ja") -> Fault:
    """The message and exit code for ``error``, in ``lang``."""

    def say(key: str, code: int = EXIT_INPUT, *, fix: str = "", unchanged: bool = True, **values: object) -> Fault:
        parts = [t(f"faults.{key}", lang, **values), t("faults.unchanged", lang) if unchanged else "",
                 t(f"faults.{fix or key + '_fix'}", lang, **values)]
        return Fault(" — ".join(p for p in parts if p), code)

    if isinstance(error, DamagedFile):
        return _damaged(error, say, lang)
    if isinstance(error, ReadOnlyCatalogue):
        return say("read_only", path=error.path)
    if isinstance(error, UnicodeError) and "surrogate" in str(error):
        return say("not_utf8", EXIT_USAGE)
    if isinstance(error, RecursionError):
        return say("too_deep")
    if isinstance(error, OSError):
        return _os_error(error, say)
    if isinstance(error, sqlite3.OperationalError):
        return _sqlite_error(str(error), say)
    if isinstance(error, sqlite3.DatabaseError):
        return say("database", detail=str(error))
    if isinstance(error, MemoryError):
        return say("memory")
    return say("unexpected", detail=f"{type(error).__name__}: {error}")


def _damaged(error: DamagedFile, say: Say, lang: str) -> Fault:
    """Whatever damaged the file happened before we looked: we cannot say nothing changed."""
    what = t(f"faults.what_{'log' if error.what == 'referral log' else 'catalogue'}", lang)
    if error.what == "referral log":
        return say("damaged_log", path=error.path, what=what, detail=error.detail, unchanged=False)
    newest = _newest_backup(error.path)
    if newest is None:
        return say("damaged", path=error.path, what=what, detail=error.detail, unchanged=False,
                   fix="damaged_fix_none")
    return say("damaged", path=error.path, what=what, detail=error.detail, unchanged=False, backup=newest,
               command=f"tsunagu restore {shlex.quote(str(newest))} --db {shlex.quote(str(error.path))}")


def _os_error(error: OSError, say: Say) -> Fault:
    path = error.filename or ""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return say("disk_full", path=path)
    if isinstance(error, IsADirectoryError):
        return say("is_folder", EXIT_USAGE, path=path)
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return say("no_permission", path=path)
    if isinstance(error, FileNotFoundError):
        return say("not_found", EXIT_USAGE, path=path)
    return say("os_error", path=path, detail=error.strerror or error)


def _sqlite_error(detail: str, say: Say) -> Fault:
    """SQLite says what went wrong only in its message."""
    if "full" in detail:
        return say("disk_full", path="")
    if "readonly" in detail or "read-only" in detail:
        return say("read_only", path="")
    if "locked" in detail or "busy" in detail:
        return say("busy")
    if "unable to open" in detail:
        return say("cannot_open", detail=detail)
    return say("database", detail=detail)


def _newest_backup(path: Path) -> Path | None:
    """The newest backup of the catalogue at ``path`` in the backups folder, if any."""
    from tui.core.store.backup import backups
    from tui.paths import backups_dir

    try:
        found = backups(backups_dir(), Path(path))
    except OSError:
        return None
    return found[-1] if found else None
