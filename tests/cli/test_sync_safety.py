"""Issue 18 at the command line: one sync at a time per catalogue, a backup before every change
other offices caused, a damaged catalogue's message that names the newest backup, and
`tsunagu restore` that puts it back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner

from tests.cli.test_sync_cli import conflicts, edit, offices, public, run  # noqa: F401  (offices: a fixture, asked for by name)
from tui.cli import cli
from tui.core.models import Resource
from tui.core.sharing import lock
from tui.core.store.backup import backup_catalogue, backups
from tui.core.store.catalogue import Catalogue


def names(path: Path) -> set[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {row[0] for row in conn.execute("SELECT name FROM resources")}
    finally:
        conn.close()


def test_a_second_sync_of_the_same_catalogue_says_another_is_running(request, tmp_path, monkeypatch):
    made = request.getfixturevalue("offices")
    kushiro = made["kushiro"]
    shared = str(tmp_path / "shared.git")
    assert run(kushiro, "sync", "--remote", shared)[0] == 0
    monkeypatch.setattr(lock, "WAIT", 0.3)
    with lock.one_sync_at_a_time(kushiro / "resources.db"):  # the app's sync, say, holds it (flock: per open file)
        code, out = run(kushiro, "sync")
    assert code == 1 and "別の同期が実行中です" in out and "another sync" in out
    assert run(kushiro, "sync")[0] == 0  # released: the next one runs


def test_a_backup_is_kept_before_a_sync_applies_received_changes_and_before_a_conflict_is_taken(request, tmp_path):
    made = request.getfixturevalue("offices")
    shared = str(tmp_path / "shared.git")
    kushiro, asahikawa = made["kushiro"], made["asahikawa"]
    for office in (kushiro, asahikawa):
        assert run(office, "sync", "--remote", shared)[0] == 0
    folder = asahikawa / "home" / "backups"
    db = asahikawa / "resources.db"
    before_sync = len(backups(folder, db, "sync"))
    rid = sorted(public(kushiro))[0]
    edit(kushiro, rid, cost="A")
    edit(asahikawa, rid, cost="B")
    assert run(kushiro, "sync")[0] == 0 and run(asahikawa, "sync")[0] == 0
    made = backups(folder, db, "sync")
    assert len(made) == before_sync + 1  # the sync that brought kushiro's conflicting change
    with Catalogue.open(made[-1]) as copy:  # what asahikawa had just before: its own value, no conflict yet
        assert copy.get(rid).cost == "B"
        assert copy.conn.execute("SELECT count(*) FROM sync_conflicts").fetchone()[0] == 0
    assert [c["theirs"] for c in conflicts(asahikawa)] == ["A"]
    assert run(asahikawa, "conflicts", "--take", "theirs", rid, "cost")[0] == 0
    taken = backups(folder, db, "conflict")
    assert len(taken) == 1
    with Catalogue.open(taken[0]) as copy:
        assert copy.get(rid).cost == "B"
        assert copy.conn.execute("SELECT count(*) FROM sync_conflicts").fetchone()[0] == 1
    assert run(asahikawa, "sync")[0] == 0  # nothing received: no new sync backup
    assert len(backups(folder, db, "sync")) == len(made)


def _catalogue_with(path: Path, *ids: str) -> None:
    with Catalogue.open(path) as catalogue:
        catalogue.write([Resource(id=i, name=f"名前 {i}") for i in ids], how="import")


def test_a_damaged_catalogue_names_its_newest_backup_and_the_command_that_restores_it(tmp_path, isolated_home):
    db = tmp_path / "c.db"
    _catalogue_with(db, "a-1")
    with Catalogue.open(db) as catalogue:
        backup_catalogue(catalogue.conn, db, isolated_home / "backups")
        catalogue.write([Resource(id="a-2", name="二つ目")], how="edit")
        newest = backup_catalogue(catalogue.conn, db, isolated_home / "backups", kind="sync")
    data = db.read_bytes()
    db.write_bytes(b"NOT A DATABASE!!" + data[16:])
    result = CliRunner().invoke(cli, ["search", "名前", "--db", str(db)])
    assert result.exit_code == 1
    assert "壊れています" in result.output and str(newest) in result.output
    assert "何も変えていません" not in result.output  # we cannot know what damaged it
    command = result.output.split("tsunagu restore ", 1)[1].split("（", 1)[0].split()
    restored = CliRunner().invoke(cli, ["restore", *command])
    assert restored.exit_code == 0, restored.output
    assert names(db) == {"名前 a-1", "二つ目"}
    kept = backups(isolated_home / "backups", db, "damaged")
    assert len(kept) == 1 and kept[0].read_bytes()[:16] == b"NOT A DATABASE!!"  # the damaged file, kept whole


def test_restore_keeps_the_current_catalogue_first_and_an_open_catalogue_sees_the_restored_one(tmp_path, isolated_home):
    db = tmp_path / "c.db"
    _catalogue_with(db, "a-1")
    with Catalogue.open(db) as catalogue:
        saved = backup_catalogue(catalogue.conn, db, isolated_home / "backups")
    _catalogue_with(db, "a-2")
    held = Catalogue.open(db)  # the app has it open meanwhile
    try:
        result = CliRunner().invoke(cli, ["restore", str(saved), "--db", str(db)])
        assert result.exit_code == 0, result.output
        assert held.ids() == ["a-1"]
    finally:
        held.close()
    before = backups(isolated_home / "backups", db, "restore")
    assert len(before) == 1 and names(before[0]) == {"名前 a-1", "名前 a-2"}
    assert names(db) == {"名前 a-1"}


def test_restore_refuses_a_file_that_is_not_a_sound_catalogue_and_changes_nothing(tmp_path):
    db = tmp_path / "c.db"
    _catalogue_with(db, "a-1")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"junk" * 4096)
    result = CliRunner().invoke(cli, ["restore", str(junk), "--db", str(db)])
    assert result.exit_code == 1 and "使えません" in result.output
    assert names(db) == {"名前 a-1"}
    missing = CliRunner().invoke(cli, ["restore", str(tmp_path / "none.db"), "--db", str(db)])
    assert missing.exit_code == 2
