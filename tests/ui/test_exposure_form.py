"""Issue 19 #8 in the app: making a once publicly shared place confidential in the form says that its
old details stay in the shared history (tests/cli/test_exposure.py has the rule and the CLI)."""

from __future__ import annotations

from textual.widgets import Checkbox

from tests.cli.test_exposure import office  # noqa: F401 — the fixture: a place shared publicly, then one never shared
from tui.core.store.catalogue import Catalogue


async def test_the_form_warns_too(office):  # noqa: F811 — the fixture
    from tui.ui.app import TsunaguApp
    from tui.ui.screens.editor import EditorScreen

    from .conftest import settle
    from .test_finder import search_for

    with Catalogue.open(office) as catalogue:
        app = TsunaguApp(catalogue, "ja", cursor_blink=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await search_for(app, pilot, "テスト一時避難所")
            await pilot.press("e")
            await settle(app, pilot)
            assert isinstance(app.screen, EditorScreen)
            app.screen.query_one("#f-confidential", Checkbox).value = True
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert not isinstance(app.screen, EditorScreen)
            said = [n.message for n in app._notifications]
            assert any("履歴" in text and "filter-repo" in text for text in said), said
        assert catalogue.get("t-shelter").confidential
