"""Keys typed around dialogs, in one write, land where the typist meant (issue 22, items 1–4).

Each sequence is handed to the app the way a terminal hands it a fast typist's keys: all at
once, before the first is handled (``at_once``), on a freshly started app. The tests look at
what happened (a referral in the log, the area, the case in the header), never at timing.
"""

from __future__ import annotations

from textual import events
from textual.app import _character_to_key

from tui.core.referrals.log import ReferralLog
from tui.ui.screens.finder import FinderScreen
from tui.ui.widgets.detail import DetailPane
from tui.ui.widgets.results import ResultsTable

from .conftest import settle


def at_once(app, *keys: str) -> None:
    """Post every key before the app reads the first, as a terminal delivers one write."""
    for key in keys:
        if len(key) == 1:  # a character: its key name (minus, space…) and the character itself
            event = events.Key(_character_to_key(key) if not key.isalnum() else key, key)
        else:
            event = events.Key(key, " " if key == "space" else None)
        event.set_sender(app)
        app._driver.send_message(event)


def referrals(home) -> list:
    with ReferralLog.open(home / "referrals.db") as log:
        return log.find()


async def typed(app, pilot, *keys: str) -> None:
    at_once(app, *keys)
    await pilot.pause(0.2)
    await settle(app, pilot)
    await pilot.pause(0.1)
    await settle(app, pilot)


async def test_case_dialog_enter_then_r_sets_the_case_and_refers(make_app, isolated_home):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await typed(app, pilot, "k", *"C-2026-016", "enter", "r")
        assert isinstance(app.screen, FinderScreen), app.screen
        assert app.case_ref == "C-2026-016"  # not C-2026-016R: the r was a command, not text
        assert "C-2026-016" in app.sub_title and "R" not in app.sub_title.replace("C-2026-016", "")
        made = referrals(isolated_home)
        assert [r.case_ref for r in made] == ["C-2026-016"]


async def test_case_dialog_enter_r_after_the_text_was_typed_slowly(make_app, isolated_home):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("k", *"C-2026-016")
        await settle(app, pilot)
        await typed(app, pilot, "enter", "r")
        assert isinstance(app.screen, FinderScreen) and app.case_ref == "C-2026-016"
        assert len(referrals(isolated_home)) == 1


async def test_area_then_r_on_a_fresh_app_refers(make_app, isolated_home):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await typed(app, pilot, "a", *"月形", "enter", "r")
        screen = app.screen
        assert isinstance(screen, FinderScreen), screen
        assert screen.area is not None and "月形" in app.catalogue.gazetteer.label(screen.area)
        made = referrals(isolated_home)
        assert len(made) == 1 and made[0].resource_id == screen.hits[0].id


async def test_area_typed_in_romaji_with_enter_sets_it(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await typed(app, pilot, "a", *"kushiro", "enter")
        screen = app.screen
        assert isinstance(screen, FinderScreen), screen
        assert screen.area is not None and "釧路" in app.catalogue.gazetteer.label(screen.area)


async def test_need_typed_ticked_and_applied_in_one_write(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await typed(app, pilot, "n", *"食料", "down", "space", "enter")
        screen = app.screen
        assert isinstance(screen, FinderScreen), screen
        assert screen.needs == ("food",)
        assert {hit.id for hit in screen.hits} >= {"t-food-kushiro"}


async def test_need_typed_then_space_and_enter_as_the_hint_says(make_app):
    """nu33 at 80×24: n, しょくりょう, space, enter — as the picker's hint reads (space ticks, enter applies) —
    put a space in the filter box and moved to the list; nothing was ticked, the picker stayed open and
    the next search typed (/ あっけし) landed in its box. Space in the box now ticks the highlighted need."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await typed(app, pilot, "n", *"しょくりょう", "space", "enter")
        screen = app.screen
        assert isinstance(screen, FinderScreen), screen
        assert screen.needs == ("food",)


async def test_enter_escape_never_leaves_the_details_maximised(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await typed(app, pilot, "enter", "escape")
        screen = app.screen
        assert screen.maximized is None
        assert isinstance(app.focused, ResultsTable)
        await typed(app, pilot, "enter")
        assert isinstance(screen.maximized, DetailPane)  # the same key alone does maximise


async def test_a_key_after_the_status_dialogs_enter_moves_the_log_cursor_for_good(make_app, isolated_home,
                                                                                monkeypatch):
    """nu33 at 80×24: in the log, ``s`` ↓ ``enter`` ↓ ``u`` typed fast set the status of #2 and then asked
    for #2's follow-up, not #1's — the ↓ moved the cursor, then the log, read again after the save,
    put it back on the row just saved. Keys now wait until the log is read again."""
    import threading
    from datetime import datetime

    from tui.core.referrals.record import Referral
    from tui.ui.screens.referral_log import ReferralLogScreen

    with ReferralLog.open(isolated_home / "referrals.db") as log:
        for n in (1, 2):
            log.add(Referral(id=0, created_at=datetime(2026, 5, n, 10).astimezone().isoformat(timespec="seconds"),
                             resource_id=f"t-{n}", resource_name=f"架空窓口{n}", case_ref="C-1", note=""))
    written = threading.Event()  # the save is held until the keys typed after it have been handled
    set_status = ReferralLog.set_status

    def slow_disk(self, *args, **kwargs):
        written.wait(timeout=10)
        return set_status(self, *args, **kwargs)

    monkeypatch.setattr(ReferralLog, "set_status", slow_disk)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.case_ref = "C-1"
        await pilot.press("L")
        await settle(app, pilot)
        assert isinstance(app.screen, ReferralLogScreen) and app.screen.selected_id() == 2  # newest first
        await pilot.press("s")
        await settle(app, pilot)
        assert not isinstance(app.screen, ReferralLogScreen)  # the status picker
        at_once(app, "down", "enter")
        while not isinstance(app.screen, ReferralLogScreen):  # the picker closed; its answer is being written
            await pilot.pause()
        at_once(app, "down")  # typed right after the dialog closed, before the log is read again
        for _ in range(10):
            await pilot.pause()
        written.set()
        await settle(app, pilot)
        await pilot.pause(0.1)
        await settle(app, pilot)
        assert [r.status for r in sorted(referrals(isolated_home), key=lambda r: r.id)] == ["sent", "used"]
        assert isinstance(app.screen, ReferralLogScreen) and app.screen.selected_id() == 1


async def test_a_key_typed_behind_the_forms_ctrl_s_reaches_the_finder(make_app, catalogue):
    """nu33 at 80×24: e, a field typed over, ctrl+s and h in one go saved, but the h went into the form's
    field while the save ran in its worker, and was lost with the form: no history opened."""
    from tui.ui.screens.history import HistoryScreen

    from .test_finder import search_for

    app = make_app(cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await search_for(app, pilot, "くしろテストフード")
        await pilot.press("e")
        await settle(app, pilot)
        app.screen.query_one("#f-email").focus()
        await settle(app, pilot)
        await typed(app, pilot, *"x@y.jp", "ctrl+s", "h")
        assert catalogue.get("t-food-kushiro").email == "x@y.jp"
        assert isinstance(app.screen, HistoryScreen), app.screen_stack
