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
from pathlib import Path

import pytest
from click.testing import CliRunner

from tui.cli import cli
from tui.core.catalogue import Catalogue
from tui.core.models import Resource

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
