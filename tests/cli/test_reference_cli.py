"""`tsunagu areas`, `tsunagu needs`, `tsunagu rebuild` and the group's own behaviour."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tui.cli import cli
from tui.core.store.catalogue import Catalogue


@pytest.fixture
def run(tmp_path):
    db = str(tmp_path / "c.db")

    def invoke(*args: str):
        return CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)

    return invoke


@pytest.mark.parametrize("query", ["0850015", "085-0015", "０８５－００１５", "くしろし", "kushiro", "01206"])
def test_areas_resolves_kushiro(run, query):
    result = run("areas", query)
    assert result.exit_code == 0
    assert result.output.splitlines()[0].split()[:2] == ["01206", "釧路市（くしろし）"]


def test_areas_shows_the_subprefecture(run):
    result = run("areas", "0440001")
    assert result.exit_code == 0
    assert "倶知安町" in result.output and "後志" in result.output


def test_unknown_area_exits_2_with_a_suggestion(run):
    result = run("areas", "釧路氏")
    assert result.exit_code == 2
    assert "釧路市" in result.output  # CliRunner mixes stderr into output


def test_areas_lists_all_189_places(run):
    result = run("areas")
    assert result.exit_code == 0
    lines = [line for line in result.output.splitlines() if line[:5].isdigit()]
    assert len(lines) == 189
    assert any("札幌市中央区" in line and "石狩振興局" in line for line in lines)


def test_areas_json(run):
    rows = json.loads(run("areas", "--json", "オホーツク").output)
    assert rows[0]["kind"] == "subprefecture" and rows[0]["name"] == "オホーツク"


def test_needs_lists_every_code(run):
    result = run("needs")
    assert result.exit_code == 0
    for code in ("food", "shelter", "work_experience", "transport", "hikikomori"):
        assert code in result.output
    assert len(json.loads(run("needs", "--json").output)) == 20


def test_db_on_a_subcommand_creates_a_new_catalogue(tmp_path):
    db = tmp_path / "fresh.db"
    result = CliRunner().invoke(cli, ["needs", "--db", str(db)])
    assert result.exit_code == 0
    with Catalogue.open(db) as catalogue:
        assert catalogue.count() == 0 and len(catalogue.taxonomy) == 20


def test_bad_flag_exits_2(run):
    assert run("areas", "--no-such-flag").exit_code == 2


def test_rebuild_writes_the_catalogue(tmp_path):
    out = tmp_path / "built.db"
    result = CliRunner().invoke(cli, ["rebuild", "--out", str(out)])
    assert result.exit_code == 0, result.output
    with Catalogue.open(out) as catalogue:
        assert catalogue.count() >= 1


def test_rebuild_takes_db_like_every_subcommand(tmp_path):
    out = tmp_path / "via-db.db"
    assert CliRunner().invoke(cli, ["rebuild", "--db", str(out)]).exit_code == 0
    with Catalogue.open(out) as catalogue:
        assert catalogue.count() >= 20
