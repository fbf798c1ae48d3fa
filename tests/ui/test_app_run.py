"""``run()``: opens the catalogue it is told to, exits 0 on quit and non-zero on a crash."""

from __future__ import annotations

import pytest
from textual.app import App

from tui.ui import app as app_module
from tui.ui.screens.finder import FinderScreen

from .conftest import build_catalogue, settle


def headless_run(monkeypatch, press=(), first_run_done=True):
    """Make ``TsunaguApp.run`` headless, pressing keys once the finder is up."""
    from tui import config

    if first_run_done:
        config.save(config.Settings())
    seen = {}

    def run(self):
        async def drive(pilot):
            await pilot.pause()
            seen["catalogue"] = self.catalogue.path
            seen["lang"] = self.lang
            seen["screen"] = type(self.screen).__name__
            for key in press:  # one at a time, letting workers (a settings save) finish between keys
                await pilot.press(key)
                await settle(self, pilot)

        return App.run(self, headless=True, auto_pilot=drive)

    monkeypatch.setattr(app_module.TsunaguApp, "run", run)
    return seen


def test_run_opens_the_db_and_exits_zero_on_q(tmp_path, monkeypatch):
    build_catalogue(tmp_path / "c.db").close()
    seen = headless_run(monkeypatch, press=("q",))
    assert app_module.run(db=str(tmp_path / "c.db"), lang="en") == 0
    assert seen == {"catalogue": tmp_path / "c.db", "lang": "en", "screen": "FinderScreen"}


def test_run_uses_tsunagu_db_when_no_flag(tmp_path, monkeypatch):
    build_catalogue(tmp_path / "env.db").close()
    monkeypatch.setenv("TSUNAGU_DB", str(tmp_path / "env.db"))
    seen = headless_run(monkeypatch, press=("q",))
    assert app_module.run(db=None, lang="ja") == 0
    assert seen["catalogue"] == tmp_path / "env.db"


def test_a_crash_exits_non_zero(tmp_path, monkeypatch):
    build_catalogue(tmp_path / "c.db").close()

    def explode(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(FinderScreen, "on_mount", explode)
    headless_run(monkeypatch)
    assert app_module.run(db=str(tmp_path / "c.db"), lang="ja") != 0


def test_cli_bare_command_returns_run_code(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from tui.cli import cli

    monkeypatch.setattr(app_module, "run", lambda db, lang: 3 if db and lang == "en" else 0)
    monkeypatch.setattr("tui.cli.has_terminal", lambda: True)  # as in a terminal, not CliRunner's pipes
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db"), "--lang", "en"])
    assert result.exit_code == 3


def test_first_start_asks_for_worker_and_office_once(tmp_path, monkeypatch, isolated_home):
    from tui import config

    build_catalogue(tmp_path / "c.db").close()
    seen = headless_run(monkeypatch, press=("escape", "q"), first_run_done=False)
    assert app_module.run(db=str(tmp_path / "c.db"), lang="ja") == 0
    assert seen["screen"] == "SettingsScreen"
    assert config.exists()  # skipped: not asked again
    seen = headless_run(monkeypatch, press=("q",), first_run_done=False)
    assert app_module.run(db=str(tmp_path / "c.db"), lang="ja") == 0
    assert seen["screen"] == "FinderScreen"


def test_the_bare_command_without_a_terminal_says_so_instead_of_waiting(tmp_path, monkeypatch):
    """`tsunagu < /dev/null > out.txt` drew the screen into the file and waited for keys forever."""
    from click.testing import CliRunner

    from tui.cli import cli

    monkeypatch.setattr(app_module, "run", lambda db, lang: pytest.fail("the app started without a terminal"))
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db")])  # CliRunner's stdin and stdout: no terminal
    assert result.exit_code == 2
    assert result.stderr.startswith("tsunagu: 画面を開くには端末が必要です") and "tsunagu search" in result.stderr
