"""A read-only catalogue (a shared or write-protected file) in the app: every key that
would change it says why, and nothing a worker tries ends the app.

Before, ctrl+n … ctrl+s and a sync on such a file ended the app (WorkerFailed:
ReadOnlyCatalogue); e opened a form that could never be saved.
"""

from __future__ import annotations

import os

from textual.widgets import Input

from tui.core.sharing.sync import sync
from tui.core.store.catalogue import Catalogue
from tui.ui.screens.finder import FinderScreen
from tui.ui.screens.history import HistoryScreen

from .conftest import TODAY, build_catalogue, settle
from .test_finder import search_for


def open_read_only(path, monkeypatch) -> Catalogue:
    real = os.access
    folder = str(path.parent)
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if mode & os.W_OK and str(p).startswith(folder)
                        else real(p, mode, **kw))
    catalogue = Catalogue.open(path)
    assert catalogue.read_only
    return catalogue


async def test_a_read_only_catalogue_says_why_nothing_can_change(tmp_path, monkeypatch):
    from tui.ui.app import TsunaguApp

    path = tmp_path / "office" / "shared.db"
    path.parent.mkdir()
    with build_catalogue(path) as writable:
        current = writable.get("t-food-kushiro")
        writable.save(current.replace(phone="0154-99-9999"), base=current, by="佐藤")
        sync(writable, author="me <>", remote=str(tmp_path / "shared.git"))
    catalogue = open_read_only(path, monkeypatch)
    app = TsunaguApp(catalogue, "en", today=TODAY, cursor_blink=False)
    notes: list[str] = []
    notify = app.notify
    app.notify = lambda message, *a, **k: (notes.append(str(message)), notify(message, *a, **k))[1]  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await search_for(app, pilot, "くしろテストフード")
        for key in ("e", "ctrl+n", "v"):
            notes.clear()
            await pilot.press(key)
            await settle(app, pilot)
            assert isinstance(app.screen, FinderScreen), key
            assert any("read-only" in n for n in notes), (key, notes)
        await pilot.press("h")
        await settle(app, pilot)
        assert isinstance(app.screen, HistoryScreen)
        notes.clear()
        await pilot.press("u")
        await settle(app, pilot)
        assert any("read-only" in n for n in notes), notes
        await pilot.press("escape")
        await settle(app, pilot)
        notes.clear()
        await pilot.press("S")
        await settle(app, pilot)
        assert app.is_running and any("read-only" in n for n in notes), notes
    assert catalogue.get("t-food-kushiro").phone == "0154-99-9999"


async def test_a_form_saved_on_a_catalogue_that_became_read_only_says_why(make_app, catalogue, monkeypatch):
    from tui.ui.screens.editor import EditorScreen

    app = make_app(cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        app.screen.query_one("#f-name", Input).value = "テスト"
        catalogue.read_only = True  # as if the file's permissions changed while the form was open
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.is_running and isinstance(app.screen, EditorScreen)
