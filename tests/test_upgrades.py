"""Upgrades keep everything: an older catalogue is backed up then migrated on open; a newer
one is refused by an older Tsunagu with a message, and not a byte of it changes."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from tui.cli import cli
from tui.core.models import Resource
from tui.core.store.catalogue import Catalogue
from tui.core.store.schema import SCHEMA_VERSION


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_newer_catalogue_is_refused_with_a_message_and_not_written(tmp_path):
    path = tmp_path / "newer.db"
    with Catalogue.open(path) as catalogue:
        catalogue.write([Resource(id="r1", name="くしろフードバンク", needs=("food",), area="01206")])
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")  # as a newer Tsunagu might leave it: switching back is a write
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = digest(path)

    for args in (["search", "くしろ", "--db", str(path)], ["refer", "r1", "--db", str(path)],
                 ["edit", "r1", "--set", "hours=9-17", "--db", str(path)]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2, (args, result.output)
        assert str(path) in result.output
        assert f"schema {SCHEMA_VERSION + 1} is newer than this Tsunagu's {SCHEMA_VERSION}" in result.output
        assert "新しい版の つなぐ を入れてください" in result.output
        assert "Traceback" not in result.output
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["newer.db"]  # no -wal, -shm or backup made either


def test_an_older_catalogue_is_backed_up_then_migrated_keeping_its_resources(tmp_path):
    path = tmp_path / "older.db"
    with Catalogue.open(path) as catalogue:
        catalogue.write([Resource(id="r1", name="くしろフードバンク", needs=("food",), area="01206")])
    # Undo the last migration (6: the search index's pending table), as a catalogue of the version before it is.
    conn = sqlite3.connect(path)
    for trigger in ("insert", "update", "delete"):
        conn.execute(f"DROP TRIGGER search_pending_{trigger}")
    conn.execute("DROP TABLE search_pending")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    conn.commit()
    conn.close()

    with Catalogue.open(path) as catalogue:
        assert catalogue.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        tables = {row[0] for row in catalogue.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "search_pending" in tables
        assert catalogue.conn.execute("SELECT name FROM resources WHERE id = 'r1'").fetchone()[0] == "くしろフードバンク"

    backup = tmp_path / f"older.db.schema{SCHEMA_VERSION - 1}.bak"
    assert backup.is_file()
    old = sqlite3.connect(backup)
    try:
        assert old.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION - 1
        assert old.execute("SELECT name FROM resources WHERE id = 'r1'").fetchone()[0] == "くしろフードバンク"
        assert not old.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_pending'").fetchone()
    finally:
        old.close()
    # Opening again neither backs up again nor changes the copy.
    before = digest(backup)
    with Catalogue.open(path):
        pass
    assert digest(backup) == before
    assert sorted(p.name for p in tmp_path.iterdir() if ".bak" in p.name) == [backup.name]
