"""Issue 13, part 3: catalogue text is cleaned where it is shown or written.

Import strips escape sequences, but a catalogue edited with plain ``sqlite3`` (or
written by another tool) may hold them. Here one does — OSC 52 (which sets the
terminal's clipboard), clear-screen, BEL and an 8-bit CSI in names, contacts,
notes, organisations and need labels — and every command and screen runs on it:
no output, file or clipboard may carry a control character.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tui.cli import cli
from tui.core.models import Resource
from tui.core.store.catalogue import Catalogue

from .conftest import TODAY, settle

OSC52 = "\x1b]52;c;YXR0YWNrZXI=\x07"
CLEAR = "\x1b[2J\x1b[H"
PAYLOAD = OSC52 + CLEAR + "\x07\x9b31m"
# Anything a terminal would act on (tab and newline are layout, not commands).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture
def planted(tmp_path) -> Path:
    path = tmp_path / "planted.db"
    with Catalogue.open(path) as catalogue:
        catalogue.write([
            Resource(id="p-1", name="テスト食料庫", organization="テスト法人", needs=("food",), area="01206",
                     phone="0154-00-0001", hours="平日", how_to_refer="電話", address="釧路市1-1", notes="メモ",
                     last_verified="2026-04-01"),
            Resource(id="p-2", name="テストシェルター", needs=("shelter",), area="01206", phone="0120-000-002",
                     address="秘密町", confidential=True),
        ])
    conn = sqlite3.connect(path)
    with conn:  # what another tool (or a person with sqlite3) could write
        for column in ("name", "hours", "how_to_refer", "address", "notes", "description", "cost"):
            conn.execute(f"UPDATE resources SET {column} = {column} || ?", (PAYLOAD,))
        conn.execute("UPDATE organizations SET name = name || ?", (PAYLOAD,))
        conn.execute("UPDATE phones SET number = number || ?", (PAYLOAD,))
        conn.execute("UPDATE needs SET label_ja = label_ja || ? WHERE code = 'food'", (PAYLOAD,))
    conn.close()
    return path


def assert_clean(where: str, text: str) -> None:
    found = CONTROL.findall(text)
    assert not found, f"{where}: {found[:5]!r} in {text[:300]!r}"


def test_every_command_output_and_file_is_clean(planted, tmp_path, isolated_home):
    runner = CliRunner()
    db = ["--db", str(planted)]
    commands = [
        ["search", "テスト"], ["search", "テスト", "--json"], ["search", "", "--need", "food"],
        ["refer", "p-1", "--case", "C-1", "--note", "同行" + PAYLOAD], ["refer", "p-2", "--case", "C-1"],
        ["referrals"], ["referrals", "--case", "C-1"], ["referrals", "--export", str(tmp_path / "log.csv")],
        ["referral-status", "1", "used"], ["handout", "--case", "C-1", "--out", str(tmp_path / "h")],
        ["export", str(tmp_path / "out.csv")], ["export", str(tmp_path / "out.json")], ["areas", "釧路"],
        ["needs"], ["import", str(tmp_path / "out.csv"), "--dry-run"],
    ]
    for args in commands:
        result = runner.invoke(cli, [*args, *db] if args[0] != "referral-status" else args)
        assert result.exit_code == 0, (args, result.output)
        assert_clean(" ".join(args), result.output)
    files = [tmp_path / "log.csv", tmp_path / "out.csv", tmp_path / "out.json",
             *(tmp_path / "h").iterdir(), *(isolated_home / "notes").iterdir()]
    for file in files:
        assert_clean(file.name, file.read_text(encoding="utf-8-sig"))


async def test_every_screen_clipboard_and_toast_is_clean(planted, isolated_home):
    from tui.ui.app import TsunaguApp

    with Catalogue.open(planted) as catalogue:
        app = TsunaguApp(catalogue, "ja", today=TODAY, cursor_blink=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            shots = {"finder": app.export_screenshot()}
            await pilot.press("enter")
            await settle(app, pilot)
            shots["details"] = app.export_screenshot()
            await pilot.press("escape", "c")
            await settle(app, pilot)
            assert "テスト" in app.clipboard
            assert_clean("c clipboard", app.clipboard)
            await pilot.press("r")
            await settle(app, pilot)
            assert_clean("r clipboard", app.clipboard)
            shots["toast"] = app.export_screenshot()
            for notification in app._notifications:
                assert_clean("toast", notification.message)
            await pilot.press("L")
            await settle(app, pilot)
            shots["log"] = app.export_screenshot()
            await pilot.press("s")
            await settle(app, pilot)
            shots["status picker"] = app.export_screenshot()
    for name, svg in shots.items():
        assert_clean(name, svg)


def _plant_upkeep(path: Path) -> None:
    """The upkeep and sharing tables as another tool could leave them: payload in history and conflicts."""
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO changes(resource_id, field, old, new, at, by, how) VALUES (?,?,?,?,?,?,?)",
                     ("p-1", "hours", "朝" + PAYLOAD, "夜" + PAYLOAD, "2026-05-01T10:00:00+09:00", "担当" + PAYLOAD,
                      "edit" + PAYLOAD))
        conn.execute("INSERT INTO sync_conflicts(resource_id, field, mine, theirs, base, by, at) VALUES (?,?,?,?,?,?,?)",
                     ("p-1", "hours", "朝" + PAYLOAD, "夜" + PAYLOAD, "昼" + PAYLOAD, "別の事務所" + PAYLOAD,
                      "2026-05-01T10:00:00+09:00"))
    conn.close()


def test_upkeep_coverage_and_sharing_outputs_are_clean(planted, tmp_path, isolated_home, monkeypatch, git_command):
    """Issues 9, 10, 11 and 14's commands and files on the planted catalogue."""
    from python_calamine import CalamineWorkbook

    _plant_upkeep(planted)
    monkeypatch.setenv("TSUNAGU_TODAY", "2026-06-01")
    runner = CliRunner()
    db = ["--db", str(planted)]
    runner.invoke(cli, ["refer", "p-1", "--case", "C-1", *db])
    out = tmp_path / "out"
    out.mkdir()
    commands = [
        ["history", "p-1"], ["history", "p-1", "--json"], ["history", "p-2"],
        ["stale"], ["stale", "--json"], ["stale", "--export", str(out / "due.csv")],
        ["stale", "--export", str(out / "due.xlsx")],
        ["letter", "--area", "釧路市", "--out", str(out / "letters")],
        ["coverage"], ["coverage", "--format", "json"], ["coverage", "--format", "csv"], ["coverage", "--format", "html"],
        ["coverage", "--out", str(out / "cov.html")], ["coverage", "--out", str(out / "cov.csv")],
        ["coverage", "--out", str(out / "cov.json")], ["coverage", "--out", str(out / "cov.xlsx")],
        ["coverage", "--out", str(out / "cov.txt"), "--format", "table"],
        ["referrals", "--chart"], ["referrals", "--chart", "--format", "html"],
        ["referrals", "--chart", "--format", "html", "--out", str(out / "chart.html")],
        ["search", "存在しない言葉", "--json"], ["search", "", "--need", "dv", "--json"],
        ["export", str(out / "hsds"), "--format", "hsds"], ["export", str(out / "hsds-json"), "--format", "hsds-json"],
        ["conflicts"], ["conflicts", "--json"],
        ["edit", "p-1", "--set", "hours=平日 9-17"], ["verify", "p-1", "--how", "電話"],
        ["sync", "--remote", str(tmp_path / "shared.git")], ["sync", "--json"],
    ]
    for args in commands:
        result = runner.invoke(cli, [*args, *db])
        assert result.exit_code == 0, (args, result.output)
        assert_clean(" ".join(args), result.output)
    for file in sorted(p for p in out.rglob("*") if p.is_file()):
        if file.suffix == ".xlsx":
            book = CalamineWorkbook.from_path(str(file))
            text = repr([book.get_sheet_by_name(name).to_python() for name in book.sheet_names])
        else:
            text = file.read_text(encoding="utf-8-sig")
        assert_clean(str(file.relative_to(out)), text)
        assert_clean(f"{file.relative_to(out)} (name)", file.name)
    shared = tmp_path / "shared.git"  # what the other offices receive
    objects = subprocess.run(["git", "-C", str(shared), "rev-list", "--all", "--objects"], capture_output=True,
                             text=True, check=True).stdout.split()
    for blob in (o for o in objects if len(o) == 40):
        text = subprocess.run(["git", "-C", str(shared), "cat-file", "-p", blob], capture_output=True,
                              check=True).stdout.decode("utf-8", "replace")
        assert_clean(f"shared repository object {blob}", text)
    # another office's id as it arrives: a catalogue that joins later prints what it received
    conn = sqlite3.connect(planted)
    with conn:
        conn.execute("UPDATE resources SET id = id || ? WHERE id = 'p-1'", (PAYLOAD,))
    conn.close()
    assert runner.invoke(cli, ["sync", *db]).exit_code == 0
    with Catalogue.open(tmp_path / "joining.db"):
        pass
    result = runner.invoke(cli, ["sync", "--remote", str(shared), "--json", "--db", str(tmp_path / "joining.db")])
    assert result.exit_code == 0 and "p-1" in result.output, result.output
    assert_clean("sync --json on joining", result.output)
    for args in (["stale"], ["stale", "--json"], ["verify", "p-1" + PAYLOAD], ["letter", "--area", "釧路市", "--out", str(out / "l3")]):
        result = runner.invoke(cli, [*args, *db])
        assert result.exit_code == 0, (args, result.output)
        assert_clean(" ".join(args) + " (planted id)", result.output)
    for file in (out / "l3").iterdir():
        assert_clean(f"{file.name} (planted id)", file.read_text(encoding="utf-8"))


async def test_upkeep_sharing_and_coverage_screens_are_clean(planted, isolated_home):
    """The editor, history, queue, conflicts and coverage screens (issues 9, 10, 11) on the planted catalogue."""
    from tui.ui.app import TsunaguApp

    _plant_upkeep(planted)
    shots: dict[str, str] = {}
    with Catalogue.open(planted) as catalogue:
        app = TsunaguApp(catalogue, "ja", today=TODAY, cursor_blink=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            for key, name in (("h", "history"), ("e", "editor"), ("V", "queue"), ("C", "conflicts"), ("m", "coverage")):
                await pilot.press(key)
                await settle(app, pilot)
                shots[name] = app.export_screenshot()
                assert type(app.screen).__name__ != "FinderScreen", name  # the key opened its screen
                if name == "coverage":
                    await pilot.press("enter")
                    await settle(app, pilot)
                    shots["coverage cell"] = app.export_screenshot()
                    await pilot.press("escape")
                    await settle(app, pilot)
                await pilot.press("escape")
                await settle(app, pilot)
                for notification in app._notifications:
                    assert_clean(f"{name} toast", notification.message)
            assert type(app.screen).__name__ == "FinderScreen", app.screen
    for name, svg in shots.items():
        assert_clean(name, svg)


def test_a_fault_message_quoting_a_path_is_clean(planted, tmp_path, isolated_home):
    """The one fault handler quotes file names and values: cleaned too (a name can carry an escape)."""
    (tmp_path / "afile").write_text("")
    result = CliRunner().invoke(cli, ["letter", "--area", "釧路市", "--out", str(tmp_path / "afile" / ("x" + CLEAR)),
                                      "--db", str(planted)])
    assert result.exit_code == 1 and "tsunagu:" in result.output, result.output
    assert_clean("fault message", result.output)
