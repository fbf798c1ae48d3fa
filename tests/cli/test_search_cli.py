"""`tsunagu search`: output, JSON shape, filters, and exit codes for bad areas and needs."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tui.cli import cli
from tui.core.catalogue import Catalogue
from tui.core.models import Resource


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
