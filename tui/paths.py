"""Where Tsunagu keeps things. Nothing is created at import time.

* The catalogue: ``--db PATH``, else ``TSUNAGU_DB``, else ``resources.db`` in the data
  folder, copied from the shipped one on first use. The shipped ``resources.db`` (the
  repository's, or the copy inside an installed wheel) is a build product: nothing here
  ever opens it for writing, so a checkout stays clean after any command.
* The data folder (settings, case notes, backups, the referral log): the user's data
  folder from platformdirs, or ``TSUNAGU_HOME`` when set (tests, a USB stick).
"""

from __future__ import annotations

import os
import sqlite3
import urllib.parse
from pathlib import Path

import platformdirs

_PACKAGE = Path(__file__).resolve().parent
# An installed wheel (the offline kit) carries the catalogue inside the package; a checkout has it at the top.
SHIPPED_CANDIDATES = (_PACKAGE / "resources.db", _PACKAGE.parent / "resources.db")


def shipped_catalogue() -> Path | None:
    """The shipped catalogue, or None when this install has none."""
    return next((path for path in SHIPPED_CANDIDATES if path.is_file()), None)


def home() -> Path:
    """The data folder (not created here)."""
    override = os.environ.get("TSUNAGU_HOME")
    if override:
        return Path(override).expanduser()
    return platformdirs.user_data_path("tsunagu", appauthor=False)


def ensure_private_dir(path: Path) -> Path:
    """Create a folder only the user can read (0700 where the OS allows)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        path.chmod(0o700)
    except OSError:
        pass
    return path


def settings_file() -> Path:
    return home() / "settings.toml"


def backups_dir() -> Path:
    return home() / "backups"


def catalogue_path(explicit: str | os.PathLike | None = None) -> Path:
    """The catalogue to open, by the SPEC's order of precedence."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("TSUNAGU_DB")
    if env:
        return Path(env).expanduser()
    own = home() / "resources.db"
    shipped = shipped_catalogue()
    if not own.exists() and shipped is not None:
        ensure_private_dir(own.parent)
        copy_catalogue(shipped, own)
    return own


def copy_catalogue(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` with SQLite's backup API, opening ``source`` read-only.

    Never a file copy (a live file copied byte by byte can be torn: sqlite.org howtocorrupt
    §2) and never a write to ``source``. The copy is made beside ``target`` and renamed into
    place, so a failure leaves no half-made catalogue that a later start would take as real.
    """
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    uri = "file:" + urllib.parse.quote(str(source.resolve()))
    src = sqlite3.connect(uri + "?mode=ro", uri=True)
    try:
        src.execute("PRAGMA user_version").fetchone()
    except sqlite3.OperationalError:  # a WAL file in a folder we may not write (an installed wheel): never live
        src.close()
        src = sqlite3.connect(uri + "?immutable=1", uri=True)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
        finally:
            dst.close()
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        src.close()
