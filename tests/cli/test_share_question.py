"""Issue 24: sharing counts is off until the office says yes, and it is asked once — at its
first sync in a terminal, with a plain explanation — never in a script, never again."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from dulwich.repo import Repo

from tui import config
from tui.cli import cli
from tui.cli import sync as sync_cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def office(tmp_path, monkeypatch):
    (tmp_path / "home").mkdir()
    shutil.copyfile(ROOT / "resources.db", tmp_path / "resources.db")
    monkeypatch.setenv("TSUNAGU_HOME", str(tmp_path / "home"))
    config.save(config.Settings(worker="山田", office="厚岸相談室", language="ja"))
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(tmp_path / "shared.git")], check=True)
    return tmp_path


def sync(office: Path, *args: str, answer: str | None = None, terminal: bool = True, monkeypatch=None):
    monkeypatch.setattr(sync_cli, "interactive", lambda: terminal)
    runner = CliRunner(env={"TSUNAGU_HOME": str(office / "home")})
    result = runner.invoke(cli, ["sync", *args, "--db", str(office / "resources.db")], input=answer)
    assert result.exit_code == 0, result.output
    return result.output


def stats_files(office: Path) -> list[str]:
    repo = Repo(str(office / "shared.git"))
    try:
        tree = repo[repo[repo.head()].tree]
        return [path.decode() for path in (entry.path for entry in repo.object_store.iter_tree_contents(tree.id))
                if path.startswith(b"stats/")]
    finally:
        repo.close()


def refer_once(office: Path) -> None:
    runner = CliRunner(env={"TSUNAGU_HOME": str(office / "home")})
    result = runner.invoke(cli, ["refer", "jp-yorisoi-hotline", "--case", "C-2026-001", "--area", "厚岸町",
                                 "--need", "food", "--db", str(office / "resources.db")])
    assert result.exit_code == 0, result.output


def test_yes_at_the_first_sync_shares_and_is_never_asked_again(office, monkeypatch):
    refer_once(office)
    out = sync(office, "--remote", str(office / "shared.git"), answer="y\n", monkeypatch=monkeypatch)
    assert "件数だけを共有しますか" in out and "ケース番号・メモ・担当者名" in out  # the plain explanation
    saved = config.load()
    assert saved.share_counts and saved.share_counts_asked and saved.office_id.startswith("office-")
    assert any(path.startswith(f"stats/{saved.office_id}/") for path in stats_files(office))
    again = sync(office, answer="n\n", monkeypatch=monkeypatch)  # an answer typed anyway is not read
    assert "共有しますか" not in again and config.load().share_counts


def test_enter_means_no_and_is_remembered(office, monkeypatch):
    refer_once(office)
    out = sync(office, "--remote", str(office / "shared.git"), answer="\n", monkeypatch=monkeypatch)
    assert "件数は共有しません" in out
    saved = config.load()
    assert saved.share_counts is False and saved.share_counts_asked is True
    assert stats_files(office) == []
    assert "共有しますか" not in sync(office, monkeypatch=monkeypatch)


@pytest.mark.parametrize("args,terminal", [((), False), (("--json",), True)])
def test_a_script_is_never_asked_and_shares_nothing(office, monkeypatch, args, terminal):
    refer_once(office)
    out = sync(office, "--remote", str(office / "shared.git"), *args, answer="y\n", terminal=terminal,
               monkeypatch=monkeypatch)
    assert "共有しますか" not in out
    saved = config.load()
    assert saved.share_counts is False and saved.share_counts_asked is False  # still to be asked, by a person
    assert stats_files(office) == []


def test_counts_turned_on_in_the_file_are_not_asked_about(office, monkeypatch):
    config.save(config.load().replace(share_counts=True))
    out = sync(office, "--remote", str(office / "shared.git"), monkeypatch=monkeypatch)
    assert "共有しますか" not in out and config.load().share_counts
