"""Issue 13, part 1: nothing is lost without being asked — partial files, rebuilds,
backups, broken CSV, and search on a catalogue it must not write."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from tui.core.loading.importing import import_files
from tui.core.models import Resource
from tui.core.store.backup import backup_catalogue, backups
from tui.core.store.catalogue import Catalogue

SHELTER = Resource(
    id="dv-1", name="テストシェルター", organization="テスト法人", area="01206", address="秘密町1-2-3",
    postal_code="085-0015", phone="0154-00-0001", hours="24時間", transport="バス停すぐ", notes="裏口から",
    last_verified="2026-04-01", confidential=True, needs=("shelter",),
)


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def catalogue(tmp_path):
    with Catalogue.open(tmp_path / "c.db") as cat:
        cat.write([SHELTER])
        yield cat


def test_a_file_without_a_column_leaves_that_field_alone(catalogue, tmp_path):
    report = import_files(catalogue, [write_csv(tmp_path / "two.csv", "id,name\ndv-1,テストシェルター（新）\n")])
    assert not report.problems
    stored = catalogue.get("dv-1")
    assert stored.name == "テストシェルター（新）"
    assert stored.replace(name=SHELTER.name) == SHELTER  # area, address, hours, phones, needs, last_verified kept


def test_a_missing_or_blank_confidential_column_never_makes_a_place_public(catalogue, tmp_path):
    import_files(catalogue, [write_csv(tmp_path / "a.csv", "id,name,hours\ndv-1,テストシェルター,平日\n")])
    assert catalogue.get("dv-1").confidential
    import_files(catalogue, [write_csv(tmp_path / "b.csv", "id,name,confidential\ndv-1,テストシェルター,\n")])
    assert catalogue.get("dv-1").confidential
    import_files(catalogue, [write_csv(tmp_path / "c.csv", "id,name,confidential\ndv-1,テストシェルター,no\n")])
    assert not catalogue.get("dv-1").confidential  # said in the column: that is a decision


def test_a_new_row_takes_the_defaults_for_missing_columns(catalogue, tmp_path):
    import_files(catalogue, [write_csv(tmp_path / "n.csv", "id,name\nn-1,新しい窓口\n")])
    assert catalogue.get("n-1") == Resource(id="n-1", name="新しい窓口")


def test_backups_are_kept_per_catalogue_path(tmp_path):
    folder = tmp_path / "backups"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with Catalogue.open(tmp_path / "a" / "resources.db") as a, Catalogue.open(tmp_path / "b" / "resources.db") as b:
        backup_catalogue(a.conn, a.path, folder, keep=2)
        for _ in range(5):
            backup_catalogue(b.conn, b.path, folder, keep=2)
        assert len(backups(folder, a.path)) == 1  # b's ten imports never prune a's only copy
        assert len(backups(folder, b.path)) == 2


def test_a_catalogue_name_with_brackets_is_pruned_too(tmp_path):
    folder = tmp_path / "backups"
    with Catalogue.open(tmp_path / "cat[1].db") as cat:
        for _ in range(4):
            backup_catalogue(cat.conn, cat.path, folder, keep=2)
        assert len(backups(folder, cat.path)) == 2
        assert len(list(folder.iterdir())) == 2


def test_an_unterminated_quote_is_an_error_with_its_line(catalogue, tmp_path):
    text = 'id,name,hours\nq-1,一つ目,平日\nq-2,"二つ目,平日\nq-3,三つ目,平日\nq-4,四つ目,平日\n'
    report = import_files(catalogue, [write_csv(tmp_path / "q.csv", text)])
    assert report.blocked and not report.written
    assert any("3" in str(p) and "引用符" in str(p) for p in report.problems), report.problems
    assert catalogue.get("q-1") is None


def test_utf8_with_one_stray_byte_is_reported_not_read_as_another_code_page(catalogue, tmp_path):
    rows = "".join(f"s-{i},釧路の窓口{i},平日\n" for i in range(40))
    data = ("id,name,hours\n" + rows).encode("utf-8")
    data = data.replace("窓口7,".encode(), "窓口7".encode() + b"\xff,")
    path = tmp_path / "stray.csv"
    path.write_bytes(data)
    report = import_files(catalogue, [path])
    assert report.blocked
    message = " ".join(str(p) for p in report.problems)
    assert "UTF-8" in message and "9" in message, message  # header is line 1: s-7 is on line 9
    assert catalogue.get("s-1") is None


def test_a_cell_over_the_limit_is_a_row_problem(catalogue, tmp_path):
    big = "あ" * (130 * 1024)
    path = write_csv(tmp_path / "big.csv", f"id,name,description\nb-1,大きい,{big}\nb-2,普通,短い\n")
    report = import_files(catalogue, [path], skip_invalid=True)
    assert [p.row for p in report.problems] == [2]
    assert catalogue.get("b-2") is not None and catalogue.get("b-1") is None


def test_json_with_a_lone_surrogate_or_an_object_name_is_a_row_problem(catalogue, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('[{"id": "j-1", "name": "\\ud800"}, {"id": "j-2", "name": {"a": 1}}, {"id": "j-3", "name": "ok"}]')
    report = import_files(catalogue, [path], skip_invalid=True)
    assert sorted(p.row for p in report.problems) == [2, 3]
    assert catalogue.get("j-3") is not None and catalogue.get("j-2") is None


def test_deeply_nested_json_is_an_unreadable_file_not_a_crash(catalogue, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    report = import_files(catalogue, [path])
    assert report.blocked and report.problems


def test_an_empty_json_export_imports_back_as_empty(tmp_path):
    from tui.core.loading.exporting import export

    with Catalogue.open(tmp_path / "empty.db") as cat:
        export(cat, tmp_path / "empty.json")
        assert json.loads((tmp_path / "empty.json").read_text()) == []
        report = import_files(cat, [tmp_path / "empty.json"])
        assert not report.problems and not report.blocked


def test_a_verification_date_in_the_future_is_refused(catalogue, tmp_path):
    report = import_files(catalogue, [write_csv(tmp_path / "f.csv", "id,name,last_verified\nf-1,未来,2062-04-01\n")])
    assert report.blocked and report.problems[0].column == "last_verified"


def test_an_unreadable_file_is_named_once(catalogue, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json")
    report = import_files(catalogue, [path])
    assert str(report.problems[0]).count("bad.json") == 1


def test_search_never_writes_the_catalogue(tmp_path):
    path = tmp_path / "c.db"
    with Catalogue.open(path) as cat:
        cat.write([SHELTER])
    # Written by the command that changed it: nothing left for search to store.
    with Catalogue.open(path) as cat:
        version = cat.conn.execute("PRAGMA data_version").fetchone()[0]
        changes = cat.conn.total_changes
        assert cat.search("シェルター")
        assert cat.conn.total_changes == changes
        assert cat.conn.execute("PRAGMA data_version").fetchone()[0] == version


def test_a_read_only_catalogue_still_searches(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "c.db"
    with Catalogue.open(path) as cat:
        cat.write([SHELTER])
        cat.conn.execute("DELETE FROM search_index")  # an index older than the data: must be built in memory
    path.chmod(0o444)
    folder.chmod(0o555)
    try:
        with Catalogue.open(path) as cat:
            assert [hit.id for hit in cat.search("シェルター")] == ["dv-1"]
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)


def test_rebuild_refuses_to_overwrite_a_catalogue_that_is_not_its_own_build(tmp_path, isolated_home):
    from click.testing import CliRunner

    from tui.cli import cli

    target = tmp_path / "resources.db"
    with Catalogue.open(target) as cat:
        cat.write([SHELTER])
    result = CliRunner().invoke(cli, ["rebuild", "--out", str(target)])
    assert result.exit_code == 1, result.output
    assert "--force" in result.output
    with Catalogue.open(target) as cat:
        assert cat.get("dv-1") is not None
    forced = CliRunner().invoke(cli, ["rebuild", "--out", str(target), "--force"])
    assert forced.exit_code == 0, forced.output
    kept = backups(isolated_home / "backups", target)
    assert len(kept) == 1
    with Catalogue.open(kept[0]) as copy:
        assert copy.get("dv-1") is not None
    again = CliRunner().invoke(cli, ["rebuild", "--out", str(target)])  # its own build: no question
    assert again.exit_code == 0, again.output


def test_case_data_files_are_private_however_they_came_to_exist(tmp_path, isolated_home):
    from tui import config
    from tui.core.referrals.notes import append_note

    note = tmp_path / "notes" / "C-1.txt"
    note.parent.mkdir()
    note.write_text("old\n")
    note.chmod(0o666)
    append_note(note, "---- heading ----", "text")
    assert stat.S_IMODE(note.stat().st_mode) == 0o600
    assert note.read_text().startswith("old\n")
    assert config  # imported for the side effect-free settings module only


def test_case_references_map_to_distinct_files(tmp_path):
    from datetime import date

    from tui.config import Settings
    from tui.core.referrals.notes import note_file_path

    settings = Settings(note_folder=str(tmp_path))
    names = {note_file_path(settings.notes_dir(), ref, date(2026, 1, 1)).name for ref in ("C-7/2", "C-7_2", "C-7.2", "C-7%2F2")}
    assert len(names) == 4
    assert all("/" not in n for n in names)


@pytest.mark.parametrize("name", ["yamada", "TaroYamada", "YAMADA-TARO", "Taro.Yamada", "SATO"])
def test_a_name_is_not_a_case_reference(name):
    from tui.core.referrals.log import is_case_ref

    assert not is_case_ref(name)


@pytest.mark.parametrize("code", ["C-2026-014", "K12-3", "2026/014", "A1", "R8-KU-12"])
def test_real_case_codes_are_accepted(code):
    from tui.core.referrals.log import is_case_ref

    assert is_case_ref(code)


def test_a_zero_byte_catalogue_is_not_taken_for_a_new_one(tmp_path):
    from tui.core.errors import DamagedFile

    path = tmp_path / "zero.db"
    path.touch()
    with pytest.raises(DamagedFile):
        Catalogue.open(path)
    assert path.stat().st_size == 0


def test_a_zero_byte_referral_log_is_not_taken_for_a_new_one(tmp_path):
    from tui.core.errors import DamagedFile
    from tui.core.referrals.log import ReferralLog

    path = tmp_path / "referrals.db"
    path.touch()
    with pytest.raises(DamagedFile):
        ReferralLog.open(path)


def test_a_new_catalogue_never_leaves_a_zero_byte_file(tmp_path, monkeypatch):
    from tui.core.store import schema
    def fail(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(schema, "load_reference", fail)  # a new catalogue's reference data (schema.create)
    with pytest.raises(sqlite3.OperationalError):
        Catalogue.open(tmp_path / "new.db")
    assert not any(p.name.startswith("new.db") for p in tmp_path.iterdir()), os.listdir(tmp_path)
