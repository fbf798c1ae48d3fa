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

from tui.core.files import ensure_private_dir  # the core's, so config and the fronts make folders one way

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


def settings_file() -> Path:
    return home() / "settings.toml"


def referral_log() -> Path:
    """The referral log (``Desk.referral_log`` of the desk ``config.desk`` builds)."""
    return home() / "referrals.db"


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
    """Copy an SQLite file through SQLite's backup API into a new file renamed into place: a plain
    copy opens a descriptor on the source, whose close() would drop the SQLite locks this process
    holds on it (issue 18; tui/core/db.py)."""
    from tui.core.db import open_connection
    from tui.core.files import link_into_place

    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    uri = "file:" + urllib.parse.quote(str(source.resolve()))
    try:
        src = open_connection(uri + "?mode=ro", source, uri=True)
        try:
            src.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:  # a read-only install folder and a WAL file: as a fixed file
            src.close()
            src = open_connection(uri + "?immutable=1", source, uri=True)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        link_into_place(partial, target)  # never over a catalogue another process made meanwhile
    finally:
        partial.unlink(missing_ok=True)
