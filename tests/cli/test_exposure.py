"""Issue 19 #8: a place that was shared publicly and is then made confidential keeps its old address
in the shared history. The person making it confidential is told so at that moment — in `edit` and
in the app's form — and nobody is told so about a place that was never shared publicly."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tui import config
from tui.cli import cli
from tui.core.models import Resource
from tui.core.sharing.exposure import shared_publicly
from tui.core.sharing.sync import sync
from tui.core.store.catalogue import Catalogue

SHARED = Resource(id="t-shelter", name="テスト一時避難所", needs=("shelter",), area="01206",
                  address="釧路市テスト町1-2-3", postal_code="085-0015")
SECRET = Resource(id="t-secret", name="ひみつの避難所", needs=("shelter",), area="01206", address="釧路市秘密町1",
                  confidential=True)
LATER = Resource(id="t-later", name="あとで足した避難所", needs=("shelter",), area="01206", address="釧路市別町9-9")


@pytest.fixture
def office(tmp_path, monkeypatch):
    monkeypatch.setenv("TSUNAGU_HOME", str(tmp_path / "home"))
    config.save(config.Settings(worker="山田", share_counts_asked=True))
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(tmp_path / "shared.git")], check=True)
    db = tmp_path / "resources.db"
    with Catalogue.open(db) as catalogue:
        catalogue.write([SHARED, SECRET], how="edit")
        sync(catalogue, author="山田 <>", remote=str(tmp_path / "shared.git"))
        catalogue.write([LATER], how="edit")  # never synced
    return db


def edit(db: Path, rid: str, setting: str):
    return CliRunner().invoke(cli, ["edit", rid, "--set", setting, "--db", str(db)])


def test_edit_warns_when_a_shared_public_place_becomes_confidential(office):
    result = edit(office, "t-shelter", "confidential=yes")
    assert result.exit_code == 0 and "履歴" in result.output and "filter-repo" in result.output
    with Catalogue.open(office) as catalogue:
        assert catalogue.get("t-shelter").confidential
    again = edit(office, "t-shelter", "hours=夜間のみ")  # already confidential: nothing new to say
    assert again.exit_code == 0 and "履歴" not in again.output


def test_no_warning_for_a_place_never_shared_publicly(office):
    with Catalogue.open(office) as catalogue:
        assert shared_publicly(catalogue, "t-shelter") and not shared_publicly(catalogue, "t-later")
    result = edit(office, "t-later", "confidential=yes")
    assert result.exit_code == 0 and "履歴" not in result.output


def test_no_warning_without_sharing(tmp_path):
    db = tmp_path / "alone.db"
    with Catalogue.open(db) as catalogue:
        catalogue.write([SHARED], how="edit")
    result = edit(db, "t-shelter", "confidential=yes")
    assert result.exit_code == 0 and "履歴" not in result.output



def test_no_warning_for_a_place_that_was_confidential_when_shared(office):
    """Made public here and confidential again before any sync: the repository only ever had it confidential."""
    assert edit(office, "t-secret", "confidential=no").exit_code == 0
    result = edit(office, "t-secret", "confidential=yes")
    assert result.exit_code == 0 and "履歴" not in result.output
