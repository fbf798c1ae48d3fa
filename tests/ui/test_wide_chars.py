"""A notification over the list/detail divider keeps every character (issue 22, item 5).

At 120 columns the toast lies across the divider; Textual cut each of its lines at the
divider's column and a double-width character standing across it became two spaces
(``紹介しまし  : …``). The screen is read back from the compositor, as the terminal gets it.
"""

from __future__ import annotations

import pytest

from tui.ui.widgets.detail import DetailPane

from .conftest import settle

MESSAGES = [
    "紹介しました: フードバンクくしろ（ケース C-2026-016）。メモをクリップボードにコピーしました",
    "x紹介しました: フードバンクくしろ（ケース C-2026-016）。メモをクリップボードにコピーしました",
    "設定を保存しました。次に開いたときから使われます。連絡先をコピーしました",
    "x設定を保存しました。次に開いたときから使われます。連絡先をコピーしました",
]


def screen_lines(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


@pytest.mark.parametrize("message", MESSAGES)
async def test_a_notification_over_the_divider_keeps_every_character(make_app, message):
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(app, pilot)
        app.notify(message, markup=False, timeout=30)
        await pilot.pause(0.3)
        await settle(app, pilot)
        divider = app.screen.query_one(DetailPane).region.x
        toast = app.screen.query_one("Toast")
        assert toast.region.x < divider < toast.region.right  # it does lie across the divider
        shown = "".join(line[toast.region.x:toast.region.right].strip()
                        for line in screen_lines(app)[toast.region.y:toast.region.bottom])
        assert message.replace(" ", "") in shown.replace(" ", "").replace("▌", "")  # the toast's edge
