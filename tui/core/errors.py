"""Faults the core names for a person: which file, what is wrong with it, what to do.

The fronts (the CLI's handler in ``tui/cli/faults.py``, the app's ``run``) turn these,
and the operating system's and SQLite's own errors, into one message each.
"""

from __future__ import annotations

from pathlib import Path


class DamagedFile(Exception):
    """A Tsunagu SQLite file that cannot be read as one (truncated, junk, zero bytes)."""

    def __init__(self, path: Path, what: str, detail: str):
        self.path = Path(path)
        self.what = what  # "catalogue" or "referral log"
        self.detail = detail
        super().__init__(f"{path}: {detail}")


class ReadOnlyCatalogue(Exception):
    """A catalogue opened read-only (a shared or write-protected file) was asked to change."""

    def __init__(self, path: Path):
        self.path = Path(path)
        super().__init__(f"{path}: read-only")
