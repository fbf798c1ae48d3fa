"""The finder never leaves a crisis search with nobody to call; unverified details show their source."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from tui.core.models import Resource
from tui.ui.widgets.detail import DetailPane
from tui.ui.widgets.results import ResultsTable

from .conftest import RESOURCES, TODAY, build_catalogue, settle

LINES = [
    Resource(id="t-line-24", name="全道テスト24時間相談ライン", needs=("consultation",), area="hokkaido",
             serves=("hokkaido",), phone="0120-000-024", hours="24時間",
             source="https://example.invalid/line（2026年1月）"),
    Resource(id="t-line-110", name="テスト緊急通報", needs=("dv", "shelter"), area="hokkaido", serves=("hokkaido",),
             phone="110"),
]


@pytest.fixture
def crisis_app(tmp_path):
    from tui.ui.app import TsunaguApp

    with build_catalogue(tmp_path / "crisis.db", RESOURCES + LINES) as catalogue:
        yield TsunaguApp(catalogue, "ja", today=TODAY)


async def test_food_with_nothing_local_shows_the_lines_for_everyone_marked(crisis_app):
    app = crisis_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        screen.area = "01207"  # 帯広市: no food there
        screen.needs = ("food",)
        await settle(app, pilot)
        table = screen.query_one(ResultsTable)
        assert [hit.id for hit in table.hits] == ["t-line-24"] and table.hits[0].fallback
        assert table.display and screen.selected.id == "t-line-24"  # someone to call, selected
        notice = str(screen.query_one("#empty", Static).content)
        assert "この地域には登録がありません" in notice and "十勝" in notice  # and w widens
        assert "★全道" in app.screen.query_one(ResultsTable).get_row_at(0)[0].plain
        assert screen.check_action("widen", ()) is True
        assert "0120-000-024" in screen.query_one(DetailPane).plain


async def test_a_typed_shelter_query_puts_the_emergency_line_first(crisis_app):
    app = crisis_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.screen.area = "01211"  # 網走市
        await pilot.press("slash", *"シェルター", "escape")
        await settle(app, pilot)
        hits = app.screen.query_one(ResultsTable).hits
        assert hits[0].id == "t-line-110"


async def test_unverified_details_show_the_source_beside_the_contact(crisis_app):
    app = crisis_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"24時間相談", "escape")
        await settle(app, pilot)
        plain = app.screen.query_one(DetailPane).plain.splitlines()
        source = next(i for i, line in enumerate(plain) if line.startswith("出典"))
        phone = next(i for i, line in enumerate(plain) if line.startswith("電話"))
        assert source == phone + 1 and "2026年1月" in plain[source]


async def test_lines_added_after_local_results_without_a_phone_are_counted_in_the_status_line(tmp_path):
    """Local food without a phone: the lines for everyone follow it, and the status line says how many."""
    from tui.ui.app import TsunaguApp

    pantry = Resource(id="t-pantry-obihiro", name="帯広テストパントリー", needs=("food",), area="01207")
    with build_catalogue(tmp_path / "crisis.db", RESOURCES + LINES + [pantry]) as catalogue:
        app = TsunaguApp(catalogue, "ja", today=TODAY)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            screen = app.screen
            screen.area = "01207"
            screen.needs = ("food",)
            await settle(app, pilot)
            hits = screen.query_one(ResultsTable).hits
            assert [hit.fallback for hit in hits] == [False, True]
            status = screen.query_one("#filters").text.plain
            assert "1件" in status and "★全道の窓口 1件" in status
            await pilot.press("w")  # nobody local to call: w widens to 十勝 rather than saying there are results
            await settle(app, pilot)
            assert screen.area == "tokachi"


async def test_a_typed_query_with_no_area_does_not_speak_of_this_area(crisis_app):
    """Issue 22 item 9: with no area in force the notice said この地域には登録がありません."""
    app = crisis_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"ぞうきんしぼり シェルター", "escape")
        await settle(app, pilot)
        screen = app.screen
        assert screen.area_value() is None
        hits = screen.query_one(ResultsTable).hits
        assert hits and all(hit.fallback for hit in hits)  # only lines serving all Hokkaido
        notice = str(screen.query_one("#empty", Static).content)
        assert "この地域" not in notice and "条件に合う登録がありません" in notice
