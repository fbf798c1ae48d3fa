"""Keys as a terminal delivers them to a fast typist: all queued before the first is handled.

Textual moves the focus a message after the key that asks for it, so keys typed right after
``/`` were on their way to the results (``/kushiro``: ``k`` opened the case prompt, ``r``
would have referred) and keys right after escape landed in the box as text. Pilot's
``press`` waits for each key, so these tests queue the keys themselves.
"""

from __future__ import annotations

import unicodedata

import pytest
from textual import events
from textual.app import _character_to_key
from textual.keys import _get_unicode_name_from_key

from tui.ui.screens.finder import FinderScreen, SearchBox
from tui.ui.screens.prompt import PromptScreen
from tui.ui.widgets.results import ResultsTable

from .conftest import settle


def at_once(app, *keys: str, queued: bool = False) -> None:
    """Keys as the driver hands them over; ``queued``: every one in the app's queue before it reads
    the first (the driver's hand-over is a task per key, so the app may read some in between)."""
    send = app.post_message if queued else app._driver.send_message
    for key in keys:
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        try:
            char = unicodedata.lookup(_get_unicode_name_from_key(key))
        except KeyError:
            char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        send(event)


CASES = [
    ("slash then a word", ["slash", *"kushiro"], "kushiro", SearchBox),
    ("slash, a word, escape, a letter", ["slash", *"ku", "escape", "j"], "ku", ResultsTable),
    ("slash, escape, a letter", ["slash", "escape", "z"], "", ResultsTable),
    ("slash, a word, backspace", ["slash", *"kus", "backspace", "h"], "kuh", SearchBox),
    ("kana", ["slash", *"くしろ"], "くしろ", SearchBox),
]


@pytest.mark.parametrize("keys,value,focused", [case[1:] for case in CASES], ids=[case[0] for case in CASES])
async def test_keys_typed_at_once_go_where_the_typist_meant(make_app, keys, value, focused):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        at_once(app, *keys)
        await pilot.pause(0.2)
        await settle(app, pilot)
        assert app.screen is screen, app.screen
        assert screen.query_one(SearchBox).value == value
        assert isinstance(app.focused, focused), app.focused


async def test_slash_replaces_the_old_query_and_keys_after_escape_are_commands(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("slash", *"food", "escape")
        await settle(app, pilot)
        at_once(app, "slash", *"kushiro", "escape", "k")
        await pilot.pause(0.2)
        await settle(app, pilot)
        assert screen.query_one(SearchBox).value == "kushiro"
        assert isinstance(app.screen, PromptScreen)  # k, typed after escape, set the case
        await pilot.press("escape")
        assert isinstance(app.screen, FinderScreen) and screen.query_one(ResultsTable).has_focus


async def test_a_click_on_the_results_after_slash_makes_letters_commands_again(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("slash")
        await pilot.click(ResultsTable, offset=(2, 1))
        await pilot.press("k")
        await settle(app, pilot)
        assert isinstance(app.screen, PromptScreen) and screen.query_one(SearchBox).value == ""


async def test_keys_after_escape_from_a_focused_box_are_commands(make_app):
    """The box had the focus already: escape and k arrive together, k sets the case."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("slash", *"ku")
        await settle(app, pilot)
        for leave in ("escape", "enter", "down"):
            at_once(app, *"sh", leave, "k")
            await pilot.pause(0.2)
            await settle(app, pilot)
            assert isinstance(app.screen, PromptScreen), leave
            await pilot.press("escape")
            await settle(app, pilot)
            assert screen.query_one(SearchBox).value.endswith("sh"), leave
            await pilot.press("slash")
            await settle(app, pilot)


@pytest.fixture
def searches(monkeypatch):
    """The texts the finder searched for, in order."""
    from tui.ui.screens import finder as finder_module

    texts: list[str] = []
    real = finder_module.search_with_fallback

    def counting(catalogue, text, **kwargs):
        texts.append(text)
        return real(catalogue, text, **kwargs)

    monkeypatch.setattr(finder_module, "search_with_fallback", counting)
    return texts


async def in_the_box(app, pilot, searches: list[str]):
    """The finder, settled, its search box focused, no search counted yet."""
    await settle(app, pilot)
    await pilot.press("slash")
    await settle(app, pilot)
    searches.clear()
    return app.screen


async def test_a_query_typed_at_once_is_searched_once_for_all_of_it(make_app, searches):
    """A paste or a fast typist's word: one search for the query it ends with, not one per
    letter (each thrown away, each holding the thread the last one needs)."""
    from tui.core.search.crisis import search_with_fallback

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await in_the_box(app, pilot, searches)
        at_once(app, *"foox", "backspace", "d", "space", *"bank", queued=True)
        await pilot.pause(0.2)
        await settle(app, pilot)
        assert searches == ["food bank"]
        assert screen.shown == screen.request and screen.request.text == "food bank"
        expected = search_with_fallback(screen.catalogue, "food bank", area=None, needs=(), limit=200)
        assert [hit.id for hit in screen.hits] == [hit.id for hit in expected] and expected


async def test_a_search_put_off_for_keys_that_never_change_the_query_still_runs(make_app, searches):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await in_the_box(app, pilot, searches)
        real = app.keys_coming
        app.keys_coming = lambda: [events.Key("x", "x")]  # a letter on its way … that never arrives
        screen.query_one(SearchBox).value = "kushiro"
        await pilot.pause()
        assert searches == []  # put off: the letter would change the query again
        app.keys_coming = real
        await pilot.pause(0.2)
        await settle(app, pilot)
        assert searches == [""]  # kushiro is a place: the area, and no text left to search
        assert screen.shown == screen.request and screen.typed_place is not None

