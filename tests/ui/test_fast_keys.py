"""Keys that arrive in one burst (a paste, an IME commit, a fast typist) act in the order typed.

A priority binding runs when the app receives its key, ahead of the keys still queued for
the focused field; ``ctrl+s`` or ``enter`` bound that way would save before the text typed
just before it had reached the field. The keys are posted as the terminal driver does,
all at once, not one ``pilot.press`` at a time (which waits between keys).
"""

from __future__ import annotations

from textual import events
from textual.widgets import DataTable, Input

from tui.core.store.catalogue import Catalogue
from tui.ui.screens.editor import ConflictScreen, EditorScreen
from tui.ui.screens.finder import FinderScreen
from tui.ui.screens.settings import SettingsScreen

from .conftest import settle
from .test_finder import search_for


async def burst(app, pilot, *keys: str) -> None:
    for key in keys:  # as Pilot.press sends them, without waiting for idle between keys
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)
    await settle(app, pilot)


async def test_text_typed_just_before_ctrl_s_is_saved(make_app, catalogue):
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await search_for(app, pilot, "くしろテストフード")
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, EditorScreen)
        cost = app.screen.query_one("#f-cost", Input)
        cost.value = ""
        cost.focus()
        await settle(app, pilot)
        await burst(app, pilot, "1", "0", "0", "円", "ctrl+s")
        assert isinstance(app.screen, FinderScreen)
        assert catalogue.get("t-food-kushiro").cost == "100円"


async def test_settings_typed_just_before_ctrl_s_are_saved(make_app, tmp_path):
    path = tmp_path / "settings.toml"
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.push_screen(SettingsScreen("ja", path=path))
        await settle(app, pilot)
        await burst(app, pilot, "佐", "藤", "ctrl+s")
        assert not isinstance(app.screen, SettingsScreen)
    text = path.read_text(encoding="utf-8")
    assert 'worker = "佐藤"' in text


async def test_m_then_enter_in_one_burst_keeps_mine(make_app, catalogue):
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await search_for(app, pilot, "くしろテストフード")
        await pilot.press("e")
        await settle(app, pilot)
        with Catalogue.open(catalogue.path) as other:
            theirs = other.get("t-food-kushiro")
            other.save(theirs.replace(phone="0154-33-3333"), base=theirs, by="鈴木")
        app.screen.query_one("#f-phone", Input).value = "0154-44-4444"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ConflictScreen)
        assert app.screen.query_one(DataTable).has_focus
        await burst(app, pilot, "m", "enter")
        assert catalogue.get("t-food-kushiro").phone == "0154-44-4444"


async def test_text_typed_just_after_tab_lands_in_the_next_field(make_app, catalogue):
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert isinstance(app.screen, EditorScreen)
        await burst(app, pilot, "名", "tab", "よ", "tab", "shift+tab", "み")
        assert app.screen.query_one("#f-name", Input).value == "名"
        assert app.screen.query_one("#f-name_kana", Input).value == "よみ"
        app.push_screen(SettingsScreen("ja", path=catalogue.path.parent / "settings.toml"))
        await settle(app, pilot)
        await burst(app, pilot, "佐", "tab", "札")
        assert app.screen.query_one("#worker", Input).value == "佐"
        assert app.screen.query_one("#office", Input).value == "札"


async def test_saving_twice_with_the_same_problem_shows_it_once(make_app, catalogue):
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        app.screen.query_one("#f-name", Input).value = "テスト"
        app.screen.query_one("#f-area", Input).value = "釧路氏"
        for _ in range(3):  # in tmux the second save ended the app: DuplicateIds 'problem-area'
            await pilot.press("ctrl+s")
            await settle(app, pilot)
        await burst(app, pilot, "ctrl+s", "ctrl+s")
        assert isinstance(app.screen, EditorScreen)
        assert len(app.screen.query("#problem-area")) == 1


async def test_after_a_save_with_problems_the_top_one_on_screen_has_the_focus(make_app, catalogue):
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        app.screen.query_one("#f-name", Input).value = "テスト"
        app.screen.query_one("#f-needs", Input).value = "なんでも屋"  # an unknown need, above the area in the form
        app.screen.query_one("#f-area", Input).value = "釧路氏"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.focused is app.screen.query_one("#f-needs")


async def test_enter_pressed_fast_in_a_dialog_closes_only_the_dialog(make_app, catalogue):
    from tui.ui.screens.prompt import PromptScreen
    from tui.ui.screens.queue import QueueScreen

    app = make_app(cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("V")
        await settle(app, pilot)
        await pilot.press("v")
        await settle(app, pilot)
        assert isinstance(app.screen, PromptScreen)
        # In tmux `v 電話で確認 enter v enter` ended the app: each queued enter popped one more screen.
        # The first enter closes the dialog; the keys typed after it act where the worker now is,
        # the queue (issue 22: held until the screen keeps up), so enter opens the details there —
        # and no enter ever pops the queue or the finder.
        await burst(app, pilot, "電", "enter", "enter", "enter")
        from tui.ui.screens.queue import DetailsScreen

        stack = app.screen_stack
        assert app.is_running
        assert not any(isinstance(screen, PromptScreen) for screen in stack)
        assert isinstance(stack[1], QueueScreen)
        assert isinstance(app.screen, QueueScreen | DetailsScreen)


def terminal_keys(data: str) -> list[events.Key]:
    """The keys Textual's parser makes of ``data`` arriving in one read, once its ESCDELAY is up."""
    from textual._xterm_parser import XTermParser

    import tui.ui.app  # noqa: F401  (the app's parser reports escape and the key: keygate.split_escape_and_key)

    parser = XTermParser()
    keys = list(parser.feed(data))
    if parser._timeout_time is not None:  # waiting to see whether more follows the escape
        parser._timeout_time = 0  # the 100 ms ESCDELAY is over: nothing more came
    return keys + list(parser.tick())


async def type_then_send(app, pilot, query: str, data: str) -> None:
    """``/`` and ``query`` typed, then ``data`` arriving from the terminal in one read."""
    await pilot.press("slash", *query)
    await settle(app, pilot)
    for key in terminal_keys(data):
        key.set_sender(app)
        app._driver.send_message(key)
    await settle(app, pilot)


async def test_escape_then_r_within_escdelay_refers_the_best_match(make_app, isolated_home):
    """`escape` and `r` typed within 100 ms reach the app as the bytes of alt+r (terminals send
    ESC r for both); Textual read them as alt+r, the `r` landed in the query as text, and nothing
    was referred."""
    from tui import paths
    from tui.core.referrals.log import ReferralLog

    assert [key.key for key in terminal_keys("\x1br")] == ["escape", "r"]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.case_ref = "C-2026-014"
        await type_then_send(app, pilot, "ふーどばんく", "\x1br")
        assert app.screen.query_one("#search", Input).value == "ふーどばんく"
        with ReferralLog.open(paths.referral_log()) as log:
            rows = log.find()
        assert [(r.resource_id, r.case_ref) for r in rows] == [("t-food-kushiro", "C-2026-014")]


async def test_escape_then_enter_within_escdelay_leaves_the_box_and_opens_the_details(make_app):
    """Textual read escape and enter typed within 100 ms as enter alone (the escape lost): the
    query was submitted and the details never opened."""
    from tui.ui.widgets.detail import DetailPane

    assert [key.key for key in terminal_keys("\x1b\r")] == ["escape", "enter"]
    assert [key.key for key in terminal_keys("\x1b ")] == ["escape", "space"]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await type_then_send(app, pilot, "work", "\x1b\r")
        assert app.screen.query_one("#search", Input).value == "work"
        assert app.screen.maximized is app.screen.query_one(DetailPane)


async def test_escape_then_tab_within_escdelay_is_both_keys_not_shift_tab(make_app, monkeypatch):
    """escape and tab typed within 100 ms arrive as ESC TAB, which Textual reads as shift+tab (the
    Linux console's shift+tab): the focus went back instead of on. Elsewhere shift+tab is ESC [ Z,
    so ESC TAB is the two keys; on the Linux console (TERM=linux) it stays shift+tab."""
    monkeypatch.setenv("TERM", "xterm-256color")
    assert [key.key for key in terminal_keys("\x1b\t")] == ["escape", "tab"]
    assert [key.key for key in terminal_keys("\x1b[Z")] == ["shift+tab"]
    monkeypatch.setenv("TERM", "linux")
    assert [key.key for key in terminal_keys("\x1b\t")] == ["shift+tab"]
    monkeypatch.setenv("TERM", "tmux-256color")
    from tui.ui.screens.need_picker import NeedPickerScreen

    shown = []
    for arrives in ("apart", "together"):
        app = make_app(cursor_blink=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            await pilot.press("n")  # the need picker: escape closes it, tab moves within it
            await settle(app, pilot)
            assert isinstance(app.screen, NeedPickerScreen)
            if arrives == "apart":
                await pilot.press("escape", "tab")
            else:
                for key in terminal_keys("\x1b\t"):
                    key.set_sender(app)
                    app._driver.send_message(key)
            await settle(app, pilot)
            shown.append((type(app.screen).__name__, app.focused.id if app.focused else None))
    assert shown[0] == shown[1] and shown[0][0] == "FinderScreen", shown
