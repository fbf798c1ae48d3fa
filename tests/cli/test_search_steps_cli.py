"""`tsunagu search` says which step of the widening answered an urgent search (synthetic data)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tui.cli import cli
from tui.core.models import Resource
from tui.core.store.catalogue import Catalogue


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "steps.db"
    with Catalogue.open(path) as catalogue:
        catalogue.write([
            Resource(id="okhotsk-office", name="オホーツクテスト社会福祉課", needs=("consultation",), area="01208",
                     serves=("okhotsk",), phone="0157-00-0001"),
            Resource(id="line-110", name="テスト緊急通報", needs=("dv", "shelter"), area="hokkaido",
                     serves=("hokkaido",), phone="110"),
        ])
    return str(path)


def test_json_marks_each_hit_with_its_step(db):
    result = CliRunner().invoke(cli, ["search", "--need", "shelter", "--area", "網走市", "--json", "--db", db])
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [(r["id"], r["step"], r["fallback"]) for r in rows] == [
        ("okhotsk-office", "subprefecture", False), ("line-110", "hokkaido", False)]


def test_text_output_heads_each_step_and_says_which_answered(db):
    result = CliRunner().invoke(cli, ["search", "--need", "shelter", "--area", "網走市", "--db", db])
    assert result.exit_code == 0
    out = result.stdout
    assert out.index("── 振興局の窓口") < out.index("オホーツクテスト社会福祉課") < out.index("── 全道の窓口") < out.index("テスト緊急通報")
    assert "電話できる窓口: 振興局の窓口" in result.stderr


def test_plain_searches_carry_no_step(db):
    rows = json.loads(CliRunner().invoke(cli, ["search", "", "--json", "--db", db]).stdout)
    assert {r["step"] for r in rows} == {""}
