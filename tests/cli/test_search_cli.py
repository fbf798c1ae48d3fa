"""`tsunagu search`: output, JSON shape, filters, and exit codes for bad areas and needs."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tui.cli import cli
from tui.core.models import Resource
from tui.core.store.catalogue import Catalogue


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "c.db"
    with Catalogue.open(path) as catalogue:
        g = catalogue.gazetteer
        catalogue.write([
            Resource(id="kfood", name="釧路フードバンク", name_kana="くしろふーどばんく", needs=("food",),
                     area=g.resolve("釧路市").code, serves=(g.resolve("釧路").code,), phone="0154-555-0100",
                     organization="NPO法人くしろ架空の会", last_verified="2026-03-01"),
            Resource(id="kpause", name="釧路ふーどパントリー", name_kana="くしろふーどぱんとりー", needs=("food",),
                     area=g.resolve("釧路市").code, status="paused"),
            Resource(id="sapo", name="さっぽろ若者サポートステーション", name_kana="さっぽろわかものさぽーとすてーしょん",
                     needs=("employment",), area=g.resolve("札幌市北区").code),
        ])
    return str(path)


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_json_is_an_array_with_the_spec_keys(db):
    result = run("search", "くしろ ふーど", "--json", "--db", db)
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert [r["id"] for r in rows] == ["kfood", "kpause"]
    first = rows[0]
    assert {"id", "name", "score", "area", "needs"} <= set(first)
    assert first["area"] == "釧路市" and first["area_code"] == "01206"
    assert first["needs"] == ["food"] and first["phone"] == "0154-555-0100"
    assert rows[1]["status"] == "paused"


def test_text_output_names_the_resource_and_marks_paused_and_unverified(db):
    result = run("search", "くしろ", "--db", db)
    assert result.exit_code == 0
    assert "釧路フードバンク" in result.output and "0154-555-0100" in result.output
    assert "休止中" in result.output and "未確認" in result.output


def test_filters_and_limit(db):
    rows = json.loads(run("search", "", "--area", "085-0015", "--need", "食べ物", "--json", "--db", db).output)
    assert [r["id"] for r in rows] == ["kfood", "kpause"]
    rows = json.loads(run("search", "", "--need", "employment", "--need", "food", "--limit", "1", "--json", "--db", db).output)
    assert len(rows) == 1
    assert json.loads(run("search", "サポステ", "--area", "釧路", "--json", "--db", db).output) == []


def test_the_group_db_option_works_too(db):
    result = run("--db", db, "search", "サポステ", "--json")
    assert [r["id"] for r in json.loads(result.output)] == ["sapo"]


def test_no_match_exits_0_and_says_so(db):
    result = run("search", "存在しない名前", "--db", db)
    assert result.exit_code == 0
    assert "見つかりませんでした" in result.output


def test_unknown_area_exits_2_with_a_suggestion(db):
    result = run("search", "くしろ", "--area", "釧路氏", "--db", db)
    assert result.exit_code == 2
    assert "unknown area" in result.output and "釧路市" in result.output


def test_unknown_need_exits_2_with_a_suggestion(db):
    result = run("search", "くしろ", "--need", "食料支緩", "--db", db)
    assert result.exit_code == 2
    assert "unknown need" in result.output and "食料支援" in result.output


def test_a_bad_limit_is_a_usage_error(db):
    assert run("search", "くしろ", "--limit", "0", "--db", db).exit_code == 2


def test_search_reads_the_catalogue_it_was_given_and_never_writes_resources(db):
    before = Catalogue.open(db)
    version = before.data_version
    before.close()
    run("search", "くしろ", "--db", db)
    with Catalogue.open(db) as after:
        assert after.data_version == version
        assert after.count() == 3


@pytest.fixture
def crisis_db(tmp_path):
    path = tmp_path / "crisis.db"
    with Catalogue.open(path) as catalogue:
        catalogue.write([
            Resource(id="kfood", name="釧路テストフードバンク", needs=("food",), area="01206"),
            Resource(id="line-24", name="全道テスト24時間ライン", needs=("consultation",), area="hokkaido",
                     serves=("hokkaido",), phone="0120-000-002", hours="24時間"),
            Resource(id="line-110", name="テスト緊急通報", needs=("dv", "shelter"), area="hokkaido",
                     serves=("hokkaido",), phone="110"),
        ])
    return str(path)


def test_crisis_need_with_nothing_local_lists_fallback_lines_marked_in_json(crisis_db):
    result = run("search", "--need", "food", "--area", "小樽市", "--json", "--db", crisis_db)
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert [(r["id"], r["fallback"]) for r in rows] == [("line-24", True)]


def test_local_hits_are_not_fallback_and_shelter_still_lists_110(crisis_db):
    rows = json.loads(run("search", "--need", "food", "--area", "085-0015", "--json", "--db", crisis_db).output)
    assert [(r["id"], r["fallback"]) for r in rows] == [("kfood", False), ("line-24", True)]  # no phone locally
    rows = json.loads(run("search", "--need", "shelter", "--area", "網走市", "--json", "--db", crisis_db).output)
    # 110 serves all Hokkaido with a shelter need: an ordinary hit, found in the area
    assert [(r["id"], r["fallback"]) for r in rows] == [("line-110", False)]


def test_text_output_says_nothing_local_and_offers_to_widen(crisis_db):
    result = CliRunner().invoke(cli, ["search", "--need", "food", "--area", "小樽市", "--db", crisis_db])
    assert result.exit_code == 0
    assert "登録がありません" in result.stderr and "--area" in result.stderr
    assert "全道テスト24時間ライン  [全道 fallback]" in result.stdout


def test_non_crisis_need_with_nothing_found_stays_empty(crisis_db):
    result = run("search", "--need", "transport", "--area", "小樽市", "--json", "--db", crisis_db)
    assert json.loads(result.output) == []


def test_needs_says_which_are_crisis_needs():
    rows = json.loads(run("needs", "--json").output)
    assert {r["code"] for r in rows if r["crisis"]} == {"shelter", "dv", "consultation", "food", "health"}
    assert "never empty" in next(line for line in run("needs").output.splitlines() if line.startswith("food"))
