"""A toast never hides a dialog's hint or error line (nu34 at 80×24: c, then n at once)."""

from __future__ import annotations

from textual.widgets._toast import Toast, ToastRack

from tui.ui.screens.need_picker import NeedPickerScreen

from .conftest import settle


async def test_a_toast_shown_before_a_dialog_opens_leaves_its_hint_in_sight(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        finder = app.screen
        app.notify("連絡先をコピーしました: テスト窓口 0154-00-0002（平日 9:00-17:00）", markup=False)
        await pilot.press("n")
        await settle(app, pilot)
        picker = app.screen
        assert isinstance(picker, NeedPickerScreen)
        toasts = list(picker.query(Toast))
        assert toasts, "the toast is shown in the dialog too"
        hint = picker.query_one(".picker-hint").region
        for toast in toasts:
            assert not toast.region.overlaps(hint), (toast.region, hint)
        # The finder under the dialog keeps its own toasts: they are not drawn twice.
        holders = list(finder.query_one(ToastRack).children)
        assert holders and all(not holder.display for holder in holders)
