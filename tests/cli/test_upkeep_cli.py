"""`tsunagu edit / verify / history / stale / letter`, and importing a filled worksheet."""

from __future__ import annotations

import csv
import json
import os

import pytest
from click.testing import CliRunner

from tui.cli import cli
from tui.core.models import Resource
from tui.core.store.catalogue import Catalogue


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("TSUNAGU_TODAY", "2026-06-01")
    path = tmp_path / "c.db"
    with Catalogue.open(path) as catalogue:
        catalogue.write([
            Resource(id="u-food", name="テストフードバンク", organization="テスト会", needs=("food",), area="01206",
                     phone="0154-00-0001"),
            Resource(id="u-old", name="テスト相談窓口", organization="テスト会", needs=("consultation",), area="01207",
                     last_verified="2024-04-01"),
            Resource(id="u-dv", name="テストシェルター", needs=("dv",), area="01206", address="釧路市テスト町9-9",
                     postal_code="085-0015", confidential=True, last_verified="2026-05-01"),
        ])
    return str(path)


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def rows(db: str) -> int:
    with Catalogue.open(db) as catalogue:
        return catalogue.conn.execute("SELECT count(*) FROM changes").fetchone()[0]


def test_edit_changes_only_the_named_fields_with_the_import_checks(db):
    result = run("edit", "u-food", "--set", "電話=０１５４－１１－２２２２", "--set", "hours=平日 9-17", "--by", "佐藤", "--db", db)
    assert result.exit_code == 0, result.output
    with Catalogue.open(db) as catalogue:
        food = catalogue.get("u-food")
    assert (food.phone, food.hours, food.area, food.needs) == ("0154-11-2222", "平日 9-17", "01206", ("food",))
    history = json.loads(run("history", "u-food", "--json", "--db", db).output)
    # one save, one row per field, newest first (written in column order)
    assert [(h["field"], h["new"], h["by"], h["how"]) for h in history[:2]] == [
        ("hours", "平日 9-17", "佐藤", "edit"), ("phone", "0154-11-2222", "佐藤", "edit")]
    assert set(history[0]) == {"field", "old", "new", "at", "by", "how"}


def test_a_bad_value_exits_1_and_writes_nothing(db):
    before = rows(db)
    result = run("edit", "u-food", "--set", "area=釧路氏", "--set", "phone=0154-99-9999", "--db", db)
    assert result.exit_code == 1
    assert "釧路市" in result.output  # did you mean
    assert rows(db) == before
    assert run("edit", "u-food", "--set", "colour=red", "--db", db).exit_code == 2
    assert run("edit", "nope", "--set", "phone=1", "--db", db).exit_code == 2


def test_verify_history_and_stale(db, tmp_path):
    stale = json.loads(run("stale", "--json", "--db", db).output)
    assert [s["id"] for s in stale] == ["u-food", "u-old"]
    assert run("stale", "--older-than", "soon", "--db", db).exit_code == 2
    result = run("verify", "u-food", "u-old", "--how", "電話で確認", "--by", "佐藤", "--db", db)
    assert result.exit_code == 0 and "2026-06-01" in result.output
    assert json.loads(run("stale", "--json", "--db", db).output) == []
    assert [s["id"] for s in json.loads(run("stale", "--json", "--older-than", "20d", "--db", db).output)] == ["u-dv"]
    latest = json.loads(run("history", "u-old", "--json", "--db", db).output)[0]
    assert (latest["field"], latest["old"], latest["new"], latest["how"]) == ("last_verified", "2024-04-01", "2026-06-01", "verify 電話で確認")
    assert run("verify", "nope", "--db", db).exit_code == 2


def test_no_readable_view_of_the_log_shows_a_confidential_address(db):
    assert run("edit", "u-dv", "--set", "住所=釧路市テスト町1-1", "--set", "postal_code=085-0016", "--db", db).exit_code == 0
    text = run("history", "u-dv", "--db", db).output
    as_json = run("history", "u-dv", "--json", "--db", db).output
    for shown in (text, as_json):
        assert "テスト町" not in shown and "085-001" not in shown
    assert "テスト町1-1" in run("history", "u-dv", "--json", "--include-confidential", "--db", db).output


def test_the_worksheet_goes_out_and_comes_back_through_import(db, tmp_path):
    sheet = tmp_path / "round.csv"
    assert run("stale", "--export", str(sheet), "--db", db).exit_code == 0
    with open(sheet, encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    col = {h: i for i, h in enumerate(table[0])}
    table[1][col["電話"]] = "0154-33-4444"
    table[1][col["確認者"]] = "鈴木"
    with open(sheet, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(table)
    result = run("import", str(sheet), "--db", db)
    assert result.exit_code == 0, result.output
    with Catalogue.open(db) as catalogue:
        food = catalogue.get("u-food")
    assert (food.phone, food.last_verified) == ("0154-33-4444", "2026-06-01")
    history = json.loads(run("history", "u-food", "--json", "--db", db).output)
    assert [(h["field"], h["by"]) for h in history[:2]] == [("last_verified", "鈴木"), ("phone", "鈴木")]


def test_letter_per_organisation_and_per_area(db, tmp_path):
    result = run("letter", "テスト会", "--out", str(tmp_path / "out"), "--db", db)
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == ["letter-テスト会.html", "letter-テスト会.txt"]
    assert "テストフードバンク" in (tmp_path / "out" / "letter-テスト会.txt").read_text(encoding="utf-8")
    assert run("letter", "--area", "釧路市", "--out", str(tmp_path / "area"), "--db", db).exit_code == 0
    assert run("letter", "--db", db).exit_code == 2
    assert run("letter", "どこにもない会", "--db", db).exit_code == 2


def test_a_reader_that_stops_early_is_not_a_fault(tmp_path):
    # `tsunagu needs | head -3`: the pipe closes mid-output; no "cannot read or write" message.
    import subprocess
    import sys

    env = {**os.environ, "TSUNAGU_HOME": str(tmp_path / "home")}
    run = subprocess.run(f"'{sys.executable}' -m tui --db '{tmp_path / 'c.db'}' needs | head -c 10",
                         shell=True, env=env, capture_output=True, text=True, timeout=60)
    assert run.stderr == ""
    assert len(run.stdout) == 10


def test_edit_makes_a_confidential_place_public_only_when_told_no(db):
    # As in an import (README, Data safety): a blank is not a decision.
    before = rows(db)
    result = run("edit", "u-dv", "--set", "confidential=", "--db", db)
    assert result.exit_code == 1 and "confidential=no" in result.output
    assert rows(db) == before
    with Catalogue.open(db) as catalogue:
        assert catalogue.get("u-dv").confidential
    result = run("edit", "u-dv", "--set", "confidential=maybe", "--db", db)
    assert result.exit_code == 1 and "no for a public one" in result.output
    result = run("edit", "u-dv", "--set", "非公開=いいえ", "--db", db)
    assert result.exit_code == 0, result.output
    with Catalogue.open(db) as catalogue:
        assert not catalogue.get("u-dv").confidential


def test_history_lines_name_places_and_needs_not_their_codes(db):
    """`edit --set area=厚岸町` was listed as `area: 01206 → 01662`: an administrator reads names."""
    assert run("edit", "u-food", "--set", "area=厚岸町", "--set", "needs=食料;子育て", "--set", "serves=釧路",
               "--db", db).exit_code == 0
    text = run("history", "u-food", "--db", db).output
    assert "area: 釧路市 → 厚岸町" in text
    assert "needs: 食料支援 → 食料支援; 子育て・子ども" in text
    assert "serves: （空 blank） → 釧路総合振興局" in text
    latest = json.loads(run("history", "u-food", "--json", "--db", db).output)  # JSON keeps the codes
    assert {h["field"]: h["new"] for h in latest}["area"] == "01662"
