"""The results table draws only the rows that fit and updates them in place."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text

from tui.core.models import Resource
from tui.ui.widgets.results import ResultsTable

from .conftest import app_on, settle

MANY = [
    Resource(id=f"m-{n:03d}", name=f"テスト資源{n:03d}", name_kana=f"てすとしげん{n:03d}", needs=("food",), area="01206",
             phone=f"0154-00-{n:04d}")
    for n in range(60)
]


async def test_renders_only_the_rows_on_screen_and_every_hit_is_reachable(tmp_path):
    async with app_on(tmp_path / "many.db", MANY) as (app, pilot):
        await settle(app, pilot)
        table = app.screen.query_one(ResultsTable)
        assert len(table.hits) == 60
        fit = table.size.height - 1
        drawn = [i for i, hit in enumerate(table.hits) if hit in table._cells]
        assert drawn and max(drawn) < 24  # rows below the screen (of 60) were never rendered
        await pilot.press(*["down"] * fit)
        assert table.cursor_row == fit and table.top == 1  # scrolled by one line
        assert app.screen.selected.id == f"m-{fit:03d}"
        await pilot.press("end")
        assert table.selected.id == "m-059"
        assert table.select_id("m-010") and table.selected.id == "m-010"


async def test_same_top_results_leave_the_table_alone(tmp_path):
    async with app_on(tmp_path / "many.db", MANY) as (app, pilot):
        await settle(app, pilot)
        table = app.screen.query_one(ResultsTable)
        assert table.show(list(table.hits)) is False  # nothing visible changed
        fewer = table.hits[:3]
        assert table.show(fewer) is True
        assert table.row_count == 3 and [table.get_row_at(i)[0].plain for i in range(3)] == [
            h.name for h in fewer]


LONG = [
    Resource(id="l-1", name="フードバンク釧路テスト支援センター", name_kana="ふーどばんく", needs=("food",),
             area="01206",
             organization="NPO法人テスト釧路フードバンク連絡協議会"),
    Resource(id="l-2", name="フードバンク帯広テスト", name_kana="ふーどばんく", needs=("food",), area="01207"),
]


async def test_at_120_columns_names_show_ten_characters_and_cut_cells_end_in_an_ellipsis(tmp_path):
    async with app_on(tmp_path / "long.db", LONG, size=(120, 40)) as (app, pilot):
        await settle(app, pilot)
        table = app.screen.query_one(ResultsTable)
        lines = [strip.text for strip in (table.render_line(y) for y in range(3))]
        shown = "\n".join(lines)
        assert "フードバンク釧路テスト" in shown and "フードバンク帯広テスト" in shown
        names = dict(zip(("name", "organization", "area", "needs", "phone", "verified"), table.widths))
        assert names["phone"] == 0  # nobody on screen has a phone: the column shrinks away
        for line in lines:
            assert "▋" not in line
        detail = app.screen.query_one("#detail")
        assert detail.outer_size.width <= 120 * 0.42


async def test_rows_kept_from_an_earlier_list_are_redrawn_when_what_they_say_changes(tmp_path):
    # Drawn rows are kept by hit across result lists (typing on and deleting back); whatever else
    # the renderer reads is the ``context``: a new one must redraw them, an equal one need not.
    async with app_on(tmp_path / "many.db", MANY) as (app, pilot):
        await settle(app, pilot)
        table = app.screen.query_one(ResultsTable)
        hits = list(table.hits)
        mark = {"text": "A"}
        table._render_row = lambda hit: (Text(mark["text"] + hit.name),) + (Text(""),) * 5
        table.show(hits, context="first")
        assert table.get_row_at(0)[0].plain == "A" + hits[0].name
        assert table.render_line(1).text.lstrip().startswith("A")
        mark["text"] = "B"
        table.show(hits[1:], context="first")  # another list, same context: kept rows are reused
        table.show(hits, context="first")
        assert table.get_row_at(0)[0].plain == "A" + hits[0].name
        table.show(hits, context="second")
        assert table.get_row_at(0)[0].plain == "B" + hits[0].name
        assert table.render_line(1).text.lstrip().startswith("B")


def _cells_of(strip) -> list[tuple[str, str]]:
    """Each character of a drawn line with its style, however the line is split into segments."""
    return [(char, str(segment.style)) for segment in strip for char in segment.text]


def _drawn_whole(table: ResultsTable, cells, style) -> list[tuple[str, str]]:
    """The line drawn the plain way, as one Rich Text: what the table's cached cells must add up to."""
    from textual.strip import Strip

    from tui.ui.widgets.columns import GAP, fit

    line = Text(" ", end="")
    shown = [(cell, width) for cell, width in zip(cells, table.widths) if width]
    for number, (cell, width) in enumerate(shown):
        if number:
            line.append(" " * GAP)
        line.append_text(fit(cell, width))
    width = table.size.width
    strip = Strip(list(line.render(table.app.console))).apply_style(style).extend_cell_length(width, style)
    return _cells_of(strip.crop(0, width))


PAIR = [
    Resource(id="p-1", name="短い名前", name_kana="みじかいなまえ", needs=("food",), area="01206",
             organization="とても長いテスト団体の正式な名前がここに続きます", phone="0154-00-0101"),
    Resource(id="p-2", name="とても長い名前のテスト資源で二十文字を超える名前", name_kana="ながいなまえ", needs=("food",),
             area="01206", organization="短団体", phone="0154-00-0102"),
]


async def test_a_row_drawn_for_one_list_is_drawn_at_the_next_lists_widths_with_its_own_styles(tmp_path):
    # Cells are fitted and drawn once per (row, column, width), and lines once per (row, widths), and
    # reused: a new list that changes the widths must draw the row at its widths, and a cell's own
    # style (the dim 未確認 age) must stay.
    async with app_on(tmp_path / "pair.db", PAIR, size=(120, 40)) as (app, pilot):
        await settle(app, pilot)
        table = app.screen.query_one(ResultsTable)
        short, long = sorted(table.hits, key=lambda hit: hit.id)
        table.show([long, short])
        base, _ = table._base_styles()
        first = _cells_of(table.render_line(2))
        assert first == _drawn_whole(table, table.get_row_at(1), base)
        widths_with_long = table.widths
        table.show([replace(long, id="p-3"), short])  # another first row, same widths
        assert table.widths == widths_with_long and _cells_of(table.render_line(2)) == first
        table.show([short, long])  # the long name no longer on the cursor row: it is drawn again
        table.show([long, short])
        assert _cells_of(table.render_line(2)) == first
        table.show([replace(short, id="p-4"), short])  # the long name gone: other widths, same row second
        assert table.widths != widths_with_long
        again = _cells_of(table.render_line(2))
        assert again != first  # the same row, at other widths …
        assert again == _drawn_whole(table, table.get_row_at(1), base)  # … drawn at them
        assert any("dim" in style for _, style in first)  # never verified: its age is dim
