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


def test_sqlite_connections_of_one_process_are_safe_among_themselves(tmp_path):
    """What makes a second *SQLite* connection in the app's process harmless (and a plain open() not):
    SQLite's unix VFS keeps a closed connection's descriptor open while another connection of the
    process holds a lock on the same inode. Kept as a test, so a change of SQLite that breaks it shows."""
    path = tmp_path / "plain.db"
    a = sqlite3.connect(path, isolation_level=None)
    a.execute("PRAGMA journal_mode = WAL")
    a.execute("CREATE TABLE t(x)")
    a.execute("INSERT INTO t VALUES ('a')")
    a.execute("SELECT count(*) FROM t").fetchone()
    second = sqlite3.connect(path)
    second.execute("SELECT count(*) FROM t").fetchone()
    second.close()
    other_process(path, "INSERT INTO t VALUES ('b')")
    assert wal(path).exists()
    a.close()


def test_the_referral_log_opened_twice_in_one_process_keeps_its_wal(tmp_path):
    from tui.core.referrals.log import ReferralLog

    path = tmp_path / "referrals.db"
    first = ReferralLog.open(path)
    try:
        ReferralLog.open(path).close()  # the referral-log screen opens its own while the app holds one
        other_process(path, "CREATE TABLE IF NOT EXISTS probe(x)", "INSERT INTO probe VALUES (1)")
        assert wal(path).exists(), "another process deleted the referral log's WAL under this one"
    finally:
        first.close()
    assert read_in_other_process(path, "PRAGMA integrity_check") == [["ok"]]


def _killed_during_a_checkpoint(path: Path) -> int:
    """A catalogue as a kill -9 during a checkpoint leaves it: the WAL holds every page, the
    checkpoint had copied the new page 1 (which counts more pages than the file has) and no more."""
    code = (
        "import os, sys\n"
        "from tui.core.models import Resource\n"
        "from tui.core.store.catalogue import Catalogue\n"
        "c = Catalogue.open(sys.argv[1])\n"
        "c.conn.execute('PRAGMA wal_autocheckpoint = 0')\n"
        "c.write([Resource(id=f'k-{i}', name='名前' * 40 + str(i), notes='メモ' * 200) for i in range(400)], how='import')\n"
        "os._exit(0)  # as kill -9: no close, no checkpoint\n"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, timeout=120, cwd=ROOT)
    data = wal(path).read_bytes()  # no connection in this process: plain reads are safe here
    page_size = int.from_bytes(data[8:12], "big")
    newest_page_one = None
    for offset in range(32, len(data) - page_size - 24 + 1, page_size + 24):
        if int.from_bytes(data[offset : offset + 4], "big") == 1:
            newest_page_one = data[offset + 24 : offset + 24 + page_size]
    assert newest_page_one is not None
    with open(path, "r+b") as f:
        f.write(newest_page_one)
    header_pages = int.from_bytes(newest_page_one[28:32], "big")
    assert path.stat().st_size < header_pages * page_size  # what the old check called "truncated"
    return 400


def test_a_catalogue_killed_during_a_checkpoint_is_not_called_damaged(tmp_path):
    path = tmp_path / "c.db"
    Catalogue.open(path).close()
    written = _killed_during_a_checkpoint(path)
    with Catalogue.open(path) as catalogue:  # SQLite replays the WAL: every row is there
        assert catalogue.count() == written
    assert read_in_other_process(path, "PRAGMA integrity_check") == [["ok"]]


def test_a_rebuild_over_an_open_catalogue_is_seen_by_the_process_that_holds_it(tmp_path):
    """`rebuild --force` writes the new catalogue into the file through SQLite: renamed over it, the
    app would go on reading and writing the old, unlinked file, and every edit it made be lost."""
    from click.testing import CliRunner

    from tui.cli import cli

    path = tmp_path / "c.db"
    held = Catalogue.open(path)
    try:
        held.write([Resource(id="before", name="置き換え前")], how="edit")
        result = CliRunner().invoke(cli, ["rebuild", "--out", str(path), "--force"])
        assert result.exit_code == 0, result.output
        assert held.get("before") is None  # the holder sees the rebuilt catalogue
        held.write([Resource(id="after", name="置き換え後")], how="edit")
        assert read_in_other_process(path, "SELECT id FROM resources WHERE id IN ('before', 'after')") == [["after"]]
    finally:
        held.close()
    assert read_in_other_process(path, "PRAGMA integrity_check") == [["ok"]]


def test_this_process_knows_which_files_it_holds_and_forgets_closed_ones(tmp_path):
    """The header is read with a plain descriptor only when no connection of ours is open on the
    file: the count must follow every open, close (twice is once) and collected connection."""
    import gc

    from tui.core.db import is_live, open_connection

    path = tmp_path / "c.db"
    first = Catalogue.open(path)
    assert is_live(path) and is_live(tmp_path / "." / "c.db")  # by real path
    second = Catalogue.open(path)
    second.close()
    second.close()
    assert is_live(path)  # the first is still open
    first.close()
    assert not is_live(path)
    dropped = open_connection(path, path)
    assert is_live(path)
    del dropped
    gc.collect()
    assert not is_live(path)
