"""Focus you can trust: after any dialog closes, focus is back where it was, and a key
pressed at once acts there — it never lands in the search box unless that was focused."""

from __future__ import annotations

import pytest

from tui.ui.screens.finder import FinderScreen, SearchBox
from tui.ui.widgets.results import ResultsTable

from .conftest import settle

# (what it is, keys that open the dialog, act in it and close it)
DIALOGS = [
    ("area picker, picked", ["a", *"つきがた", "enter"]),
    ("area picker, cancelled", ["a", *"くしろ", "escape"]),
    ("need picker, picked", ["n", "down", "space", "enter"]),
    ("need picker, typed then picked", ["n", *"じっしゅう", "enter", "space", "enter"]),
    ("need picker, cancelled", ["n", "escape"]),
    ("case prompt", ["k", *"C-2026-015", "enter"]),
    ("case prompt, cancelled", ["k", "escape"]),
    ("remark prompt", ["R", *"test", "enter"]),
    ("remark prompt, cancelled", ["R", "escape"]),
    ("help", ["question_mark", "escape"]),
    ("help, closed with ?", ["question_mark", "question_mark"]),
    ("referral log", ["L", "escape"]),
    ("referral log, status dialog", ["L", "s", "escape", "escape"]),
    ("referral log, follow-up dialog", ["L", "u", "escape", "escape"]),
    ("command palette", ["ctrl+p", "escape"]),
    ("details", ["enter", "escape"]),
    ("widen, twice", ["w", "w"]),
    ("editor, closed", ["e", "escape"]),
    ("new resource, closed", ["ctrl+n", "escape"]),
    ("verified today, cancelled", ["v", "escape"]),
    ("verified today, answered", ["v", *"tel", "enter"]),
    ("history", ["h", "escape"]),
    ("verification queue", ["V", "escape"]),
    ("conflicts", ["C", "escape"]),
    ("coverage map", ["m", "escape"]),
    ("coverage map, a subprefecture's towns", ["m", "enter", "escape", "escape"]),
    ("coverage map, a cell's finder", ["m", "right", "enter", "escape", "escape"]),
    ("help, scrolled", ["question_mark", "down", "escape"]),
    ("coverage map from the palette", ["ctrl+p", *"カバー", "enter", "escape"]),
]


@pytest.mark.parametrize("keys", [keys for _, keys in DIALOGS], ids=[name for name, _ in DIALOGS])
async def test_a_key_right_after_a_dialog_closes_acts_where_focus_was(make_app, keys):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert screen.query_one(ResultsTable).has_focus
        # No pause between closing and the next keys: they must not become search text.
        await pilot.press(*keys, "z", "down", "j")
        await settle(app, pilot)
        assert isinstance(app.screen, FinderScreen)
        assert screen.query_one(SearchBox).value == ""
        assert screen.query_one(ResultsTable).has_focus


async def test_settings_from_the_palette_hand_focus_back(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.screen.open_settings()
        await pilot.pause()
        await pilot.press("escape", "z", "j")
        await settle(app, pilot)
        assert app.screen.query_one(SearchBox).value == ""
        assert app.screen.query_one(ResultsTable).has_focus


async def test_typing_in_the_search_box_stays_there_after_the_palette(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", "k", "u")
        await pilot.press("ctrl+p", "escape", "s", "h")
        await settle(app, pilot)
        assert app.screen.query_one(SearchBox).value == "kush"
        assert app.screen.query_one(SearchBox).has_focus


async def test_keys_right_after_the_map_opens_a_cell_act_in_that_finder(make_app):
    from tui.ui.screens.coverage import CoverageFinderScreen, CoverageScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("m", "right", "enter", "z", "j", "down")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CoverageFinderScreen)
        assert screen.query_one(SearchBox).value == "" and screen.query_one(ResultsTable).has_focus
        await pilot.press("slash", *"abc", "escape", "escape")
        await settle(app, pilot)
        assert isinstance(app.screen, CoverageScreen) and app.focused is not None
