"""Catalogue text is data: markup, click actions, bracketed words, ESC sequences and
newlines in names show literally, and the finder survives them."""

from __future__ import annotations

from tui.core.models import Resource
from tui.ui.widgets.detail import DetailPane
from tui.ui.widgets.results import ResultsTable

from .conftest import app_on, settle

HOSTILE = [
    Resource(id="h-bold", name="[bold]太字[/bold]フードバンク", organization="[NPO]法人テスト", needs=("food",),
             area="01206", phone="[red]0154[/red]"),
    Resource(id="h-close", name="閉じタグ[/]窓口", organization="[/]", needs=("consultation",), area="01206",
             notes="備考[/]"),
    Resource(id="h-click", name="[@click=app.quit]押すと終了[/]", organization="[b]x", needs=("food",), area="01206",
             how_to_refer="[@click=app.quit]ここ[/]"),
    Resource(id="h-npo", name="[NPO] ひまわり食堂", organization="[NPO]", needs=("food",), area="01206"),
    Resource(id="h-esc", name="\x1b[2J\x1b[31mESC赤\x1b[0m\x07窓口", organization="\x1b]0;title\x07団体",
             needs=("food",), area="01206", phone="\x1b[1m011\x1b[0m"),
    Resource(id="h-newline", name="改行\nのある\r\n名前", organization="一行目\n二行目", needs=("food",), area="01206",
             description="説明1\n説明2\x1b[31m"),
]


async def test_hostile_names_show_literally_and_the_app_survives(tmp_path):
    async with app_on(tmp_path / "hostile.db", HOSTILE) as (app, pilot):
        await settle(app, pilot)
        table = app.screen.query_one(ResultsTable)
        assert table.row_count == len(HOSTILE)
        names = {}
        for row in range(table.row_count):
            cells = table.get_row_at(row)
            names[table.hits[row].id] = cells[0].plain
            for cell in cells:
                assert "\x1b" not in cell.plain and "\n" not in cell.plain and "\x07" not in cell.plain
        assert names["h-bold"] == "[bold]太字[/bold]フードバンク"
        assert names["h-close"] == "閉じタグ[/]窓口"
        assert names["h-click"] == "[@click=app.quit]押すと終了[/]"
        assert names["h-npo"] == "[NPO] ひまわり食堂"
        assert names["h-esc"] == "ESC赤 窓口" or names["h-esc"] == "ESC赤窓口"
        assert names["h-newline"] == "改行 のある 名前"
        # Walk every row so each detail pane is drawn; clicking the name must not quit.
        for row in range(table.row_count):
            table.move_cursor(row=row)
            await settle(app, pilot)
            text = app.screen.query_one(DetailPane).plain
            assert "\x1b" not in text and "\x07" not in text
            if table.hits[row].id == "h-click":
                assert "[@click=app.quit]ここ[/]" in text
            if table.hits[row].id == "h-npo":
                assert "[NPO]" in text
        await pilot.click(ResultsTable, offset=(3, 3))
        await settle(app, pilot)
        assert app.is_running
        # Searching for the bracketed text itself works and shows it.
        await pilot.press("slash", *"[npo]", "escape")
        await settle(app, pilot)
        assert app.is_running
        screenshot = app.export_screenshot()
        assert "[NPO]" in screenshot
    assert app.return_code in (None, 0)


async def test_palette_shows_hostile_names_literally(tmp_path):
    from textual.command import CommandPalette

    async with app_on(tmp_path / "hostile.db", HOSTILE, "en") as (app, pilot):
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"npo")
        await settle(app, pilot)
        assert isinstance(app.screen, CommandPalette)
        assert "[NPO] ひまわり食堂 — [NPO]" in app.export_screenshot().replace("&#160;", " ")
        await pilot.press("escape")
        assert app.is_running
