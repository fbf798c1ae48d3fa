"""The app never writes a tracked file: with no --db and no TSUNAGU_DB every command works on
the catalogue in the data folder (copied from the shipped one on first use), so a checkout's
``resources.db`` is never written, whichever folder the command runs from."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from tui.paths import catalogue_path, copy_catalogue, shipped_catalogue

ROOT = Path(__file__).resolve().parent.parent
RESOURCE = "hk-kushiro-kurashigoto"  # a resource of the shipped catalogue (seed/resources.csv)


def digest(path: Path) -> str:
    # Hashing the bytes reads the file; it never opens it as a database (so nothing is written).
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tsunagu(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "TSUNAGU_DB"}
    env.update(TSUNAGU_HOME=str(home), TSUNAGU_TODAY="2026-05-01")
    return subprocess.run([sys.executable, "-m", "tui", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=120, check=False)


def test_refer_and_edit_from_a_checkout_leave_its_catalogue_untouched(tmp_path):
    # The command runs in a folder holding a resources.db, as a checkout does: that file must not win.
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    shutil.copyfile(ROOT / "resources.db", checkout / "resources.db")  # the tracked file is not live: no writer
    home = tmp_path / "home"
    before, shipped_before = digest(checkout / "resources.db"), digest(ROOT / "resources.db")

    edit = tsunagu("edit", RESOURCE, "--set", "hours=月–金 9:00–17:00 (テスト)", "--by", "テスト", cwd=checkout, home=home)
    assert edit.returncode == 0, edit.stderr
    refer = tsunagu("refer", RESOURCE, "--case", "C-2026-001", cwd=checkout, home=home)
    assert refer.returncode == 0, refer.stderr

    assert digest(checkout / "resources.db") == before
    assert digest(ROOT / "resources.db") == shipped_before
    assert sorted(p.name for p in checkout.iterdir()) == ["resources.db"]  # no -wal, -shm or .sync beside it
    # The edit landed in the data folder's copy.
    conn = sqlite3.connect(home / "resources.db")
    try:
        hours = conn.execute("SELECT hours FROM resources WHERE id = ?", (RESOURCE,)).fetchone()[0]
    finally:
        conn.close()
    assert hours == "月–金 9:00–17:00 (テスト)"


def test_the_data_folder_copy_is_made_once_and_then_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("TSUNAGU_HOME", str(tmp_path / "home"))
    path = catalogue_path(None)
    assert path == tmp_path / "home" / "resources.db"
    shipped = shipped_catalogue()
    assert shipped is not None
    conn = sqlite3.connect(path)
    try:
        count = conn.execute("SELECT count(*) FROM resources").fetchone()[0]
        conn.execute("DELETE FROM resources")
        conn.commit()
    finally:
        conn.close()
    assert count > 0
    assert catalogue_path(None) == path  # a second start keeps the user's catalogue, emptied or not
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT count(*) FROM resources").fetchone()[0] == 0
    finally:
        conn.close()


def test_db_and_tsunagu_db_still_win(tmp_path, monkeypatch):
    monkeypatch.setenv("TSUNAGU_DB", str(tmp_path / "env.db"))
    assert catalogue_path(None) == tmp_path / "env.db"
    assert catalogue_path(tmp_path / "flag.db") == tmp_path / "flag.db"
    assert not (Path(os.environ["TSUNAGU_HOME"]) / "resources.db").exists()  # nothing copied when not needed


def test_the_copy_is_a_consistent_catalogue_and_the_source_is_not_written(tmp_path):
    source = tmp_path / "shipped.db"
    conn = sqlite3.connect(source)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")  # the rows stay in the -wal file: a byte copy of the db misses them
    conn.execute("CREATE TABLE t (x)")
    conn.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(1000)])
    conn.commit()
    try:
        before = digest(source)
        copy_catalogue(source, tmp_path / "copy.db")
        assert digest(source) == before
    finally:
        conn.close()
    assert not (tmp_path / "copy.db.partial").exists()
    copy = sqlite3.connect(tmp_path / "copy.db")
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT count(*), sum(x) FROM t").fetchone() == (1000, sum(range(1000)))
    finally:
        copy.close()
