"""The coverage map (`m`): counts, the 空白 cells, filters, drill-down, jump to the finder and back."""

from __future__ import annotations

from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from tests.conftest import refer_to_a_hokkaido_line
from tests.ui.conftest import settle
from tui.ui.screens.coverage import CoverageFinderScreen, CoverageScreen
from tui.ui.screens.finder import FinderScreen
from tui.ui.widgets.results import ResultsTable


def cell_text(screen: CoverageScreen, place: str, need: str) -> str:
    table = screen.query_one(DataTable)
    return str(table.get_cell(place, need)).strip()  # cells carry their own centring


def move_to(screen: CoverageScreen, place: str, need: str | None) -> None:
    table = screen.query_one(DataTable)
    column = 0 if need is None else 1 + list(screen.matrix.needs).index(need)
    table.cursor_coordinate = Coordinate(screen.rows.index(place), column)


async def open_map(app, pilot) -> CoverageScreen:
    await settle(app, pilot)
    await pilot.press("m")
    await settle(app, pilot)
    assert isinstance(app.screen, CoverageScreen)
    return app.screen


async def test_map_counts_and_blank_cells(make_app):
    app = make_app("ja", cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_map(app, pilot)
        assert screen.query_one(DataTable).row_count == 14
        assert cell_text(screen, "kushiro", "shelter") == "1"  # verified: no 未
        assert cell_text(screen, "kushiro", "consultation") == "1 未1"
        assert cell_text(screen, "soya", "food") == "空白"
        assert cell_text(screen, "ishikari", "food") == "空白"  # the Sapporo one is paused
        assert cell_text(screen, "soya", "transport") == "1 未1"  # serves 全道
        move_to(screen, "kushiro", "consultation")
        await pilot.pause()
        cursor = str(screen.query_one("#coverage-cursor", Static).content)
        assert "釧路 × 総合相談・自立相談: 1 (未確認1)" in cursor  # the full label on the cursor
        gaps = str(screen.query_one("#coverage-gaps", Static).content)
        assert "宗谷: 食料支援に対応する資源がない市町村 10/10" in gaps


async def test_filters_paused_and_verified(make_app):
    app = make_app("ja", cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_map(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        assert cell_text(screen, "ishikari", "food") == "1 休1"
        assert "休止中も含む" in str(screen.query_one("#coverage-filters", Static).content)
        await pilot.press("p", "v")
        await settle(app, pilot)
        assert cell_text(screen, "kushiro", "consultation") == "空白"  # never verified
        assert cell_text(screen, "kushiro", "shelter") == "1"  # verified 2025-12-01, within 12 months of 2026-06-01


async def test_drill_down_jump_to_finder_and_back(make_app):
    app = make_app("ja", cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_map(app, pilot)
        move_to(screen, "kushiro", None)
        await pilot.press("enter")
        await settle(app, pilot)
        towns = app.screen
        assert isinstance(towns, CoverageScreen) and towns.subprefecture == "kushiro"
        assert towns.rows[0] == "01206" and len(towns.rows) == 8
        assert cell_text(towns, "01206", "shelter") == "1"
        assert cell_text(towns, "01661", "shelter") == "空白"  # 釧路町
        move_to(towns, "01206", "shelter")
        await pilot.press("enter")
        await settle(app, pilot)
        finder = app.screen
        assert isinstance(finder, CoverageFinderScreen)
        assert finder.area == "01206" and finder.needs == ("shelter",)
        assert [hit.id for hit in finder.hits] == ["t-shelter"]
        assert finder.query_one(ResultsTable).has_focus
        await pilot.press("escape")
        assert app.screen is towns
        await pilot.press("escape")
        assert app.screen is screen
        await pilot.press("escape")
        assert isinstance(app.screen, FinderScreen) and not isinstance(app.screen, CoverageFinderScreen)


async def test_palette_opens_the_map_and_english_labels(make_app):
    app = make_app("en", cursor_blink=False)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(app, pilot)
        app.screen.action_coverage_map()
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CoverageScreen)
        assert cell_text(screen, "soya", "food") == "none"
        assert cell_text(screen, "kushiro", "consultation") == "1 1?"
        table = screen.query_one(DataTable)
        # At 200 columns every need fits beside the names: nothing to scroll sideways.
        assert table.virtual_size.width <= table.size.width


async def test_palette_lists_the_map(make_app):
    from tui.ui.commands import FINDER_COMMANDS

    assert ("coverage.palette", "action_coverage_map") in FINDER_COMMANDS


async def test_a_need_label_cut_to_its_column_ends_in_an_ellipsis(make_app):
    """"Shelte" reads like a typo; "Shelt…" says the rest is on the cursor line."""
    from rich.cells import cell_len

    for lang, size in (("en", (80, 24)), ("en", (200, 50)), ("ja", (80, 24))):
        app = make_app(lang, cursor_blink=False)
        async with app.run_test(size=size) as pilot:
            screen = await open_map(app, pilot)
            table = screen.query_one(DataTable)
            for need in screen.matrix.needs:
                shown = table.columns[need].label.plain
                whole = screen.labels.short_need(need)
                assert cell_len(shown) <= table.columns[need].width
                assert shown == whole or (shown.endswith("…") and whole.startswith(shown[:-1])), (shown, whole)


async def test_map_shows_unmet_local_needs_beside_the_counts(make_app):
    refer_to_a_hokkaido_line("food")
    app = make_app("ja", cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_map(app, pilot)
        assert cell_text(screen, "kushiro", "food").endswith("▲3")
        assert not cell_text(screen, "soya", "food").count("▲")
        gaps = str(screen.query_one("#coverage-gaps", Static).content)
        assert "新しい資源が最も役立つところ" in gaps and "釧路 × 食料支援: 満たされなかった相談 3" in gaps


def test_share_width_fills_the_room_evenly_and_never_past_a_whole_label():
    from tui.ui.screens.coverage import share_width

    least = {"a": 6, "b": 6, "c": 7}
    wanted = {"a": 8, "b": 14, "c": 7}
    assert share_width(least, wanted, 100) == wanted  # room for every label whole
    widths = share_width(least, wanted, 24)
    assert sum(widths.values()) == 24 and widths == {"a": 8, "b": 9, "c": 7}  # a whole, b takes the rest
    assert share_width(least, wanted, 10) == least  # never below the counts


async def test_at_200_columns_the_need_labels_use_the_room_there_is(make_app):
    """Issue 22 item 6: labels were cut (食料支…) at 200 columns while the table left room unused."""
    from rich.cells import cell_len

    app = make_app("ja", cursor_blink=False)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await open_map(app, pilot)
        table = screen.query_one(DataTable)
        columns = list(table.columns.values())
        used = sum(column.get_render_width(table) for column in columns)
        cut = [column for column in columns[1:] if str(column.label).endswith("…")]
        assert used >= 200 - 3 or not cut  # either every label is whole or the width is used up
        whole = [column for column in columns[1:] if not str(column.label).endswith("…")]
        food = table.columns["food"]
        assert str(food.label) == screen.labels.short_need("food")  # 食料支援, whole
        for column in cut:  # a cut label is never narrower than a whole one that had room to give
            assert all(column.content_width >= other.content_width or cell_len(str(other.label)) >= other.content_width
                       for other in whole)


async def test_a_mark_leaves_its_count_in_line_with_the_rows_around_it(make_app):
    """Cells are centred: "1 未1 ▲3" stood its count a column left of the "1 未1" above and below
    (nu31's note, seen in tmux at 80×24); every cell of a column with a mark keeps the mark's room."""
    from rich.cells import cell_len

    # 衛生 (hygiene): no test resource has it, so every cell of the column reads 空白 (one width).
    refer_to_a_hokkaido_line("hygiene")
    app = make_app("ja", cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_map(app, pilot)
        table = screen.query_one(DataTable)
        need = list(table.columns).index("hygiene")
        x0 = sum(column.get_render_width(table) for column in table.ordered_columns[:need])
        x1 = x0 + table.ordered_columns[need].get_render_width(table)
        drawn = [table.render_line(1 + row).crop(x0, x1).text for row in range(len(screen.rows))]
        assert any("▲3" in cell for cell in drawn), drawn
        # Where each count starts, by the count's own width: one place for counts of one width.
        starts: dict[int, set[int]] = {}
        for cell in drawn:
            count = cell.split("▲")[0].strip()
            starts.setdefault(cell_len(count), set()).add(cell_len(cell) - cell_len(cell.lstrip()))
        assert all(len(at) == 1 for at in starts.values()), drawn


async def test_where_help_is_needed_counts_resources_in_english_plurals(make_app):
    """"Kushiro × Food: 3 unmet, 1 resource(s)" — one resource now reads "1 resource"."""
    refer_to_a_hokkaido_line("food")
    app = make_app("en", cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_map(app, pilot)
        gaps = str(screen.query_one("#coverage-gaps", Static).content)
        assert "3 unmet, 1 resource" in gaps and "(s)" not in gaps, gaps
