"""Words and flow of the finder's dialogs and screens (issue 22, item 9)."""

from __future__ import annotations

from textual.widgets import OptionList

from .conftest import settle


async def test_the_area_dialogs_first_line_is_what_enter_picks(make_app):
    """With an area set and a place typed, 地域の指定を外す stood first but enter took the second line."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        finder = app.screen
        finder.area = "01206"
        await settle(app, pilot)
        await pilot.press("a", *"obihiro")
        await settle(app, pilot)
        options = app.screen.query_one(OptionList)
        assert options.highlighted == 0  # the highlight is on the first line
        assert options.get_option_at_index(0).id == "01207"  # 帯広市, the best place
        assert options.get_option_at_index(options.option_count - 1).id == "__clear__"  # still offered, last
        await pilot.press("enter")
        await settle(app, pilot)
        assert finder.area == "01207"
