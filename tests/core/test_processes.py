"""One catalogue, many processes (issue 18): never corrupted, never an edit lost.

SQLite's POSIX locks belong to a process and a file: any ``close()`` of any descriptor this
process has on the database file drops all of them (sqlite.org/howtocorrupt.html §2.2).
Then another process that closes believes it was the last one, checkpoints, and deletes the
``-wal`` and ``-shm`` that this process still writes to: its next edits go to a deleted file.
These tests run that story with a real second process.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tui.core.models import Resource
from tui.core.store.catalogue import Catalogue

ROOT = Path(__file__).resolve().parents[2]


def other_process(path: Path, *statements: str) -> None:
    """Process B: connect, write, commit, close (the last connection as far as it can tell)."""
    code = (
        "import sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('PRAGMA busy_timeout = 5000')\n"
        "for s in sys.argv[2:]:\n"
        "    c.execute(s)\n"
        "c.close()\n"
    )
    subprocess.run([sys.executable, "-c", code, str(path), *statements], check=True, timeout=60)


def read_in_other_process(path: Path, sql: str) -> list:
    code = "import sqlite3, sys, json\nc = sqlite3.connect(sys.argv[1])\nprint(json.dumps(c.execute(sys.argv[2]).fetchall()))\nc.close()\n"
    out = subprocess.run([sys.executable, "-c", code, str(path), sql], check=True, timeout=60, capture_output=True,
                         text=True).stdout
    import json

    return json.loads(out)


def wal(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def test_a_second_open_in_this_process_never_lets_another_process_delete_the_wal(tmp_path):
    """The issue's ten lines: the app holds the catalogue; its background sync (or the conflicts
    screen) opens it again in the same process; a CLI command in another process writes and closes."""
    path = tmp_path / "c.db"
    a = Catalogue.open(path)
    try:
        a.count()
        Catalogue.open(path).close()  # what ui/syncing.py and ui/screens/conflicts.py do while the app holds it
        other_process(path, "CREATE TABLE IF NOT EXISTS probe(x)", "INSERT INTO probe VALUES (1)")
        assert wal(path).exists(), "process B deleted the WAL that process A still uses"
        a.write([Resource(id="after-b", name="B のあとで A が書いた")], how="edit")
        assert a.get("after-b") is not None
        # Another process sees A's edit: it went to the live WAL, not to a deleted one.
        assert read_in_other_process(path, "SELECT id FROM resources WHERE id = 'after-b'") == [["after-b"]]
    finally:
        a.close()
    assert read_in_other_process(path, "PRAGMA integrity_check") == [["ok"]]
    assert read_in_other_process(path, "SELECT count(*) FROM probe") == [[1]]
    assert read_in_other_process(path, "SELECT id FROM resources WHERE id = 'after-b'") == [["after-b"]]
