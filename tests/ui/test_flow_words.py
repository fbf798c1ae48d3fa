"""Words and flow of the finder's dialogs and screens (issue 22, item 9)."""

from __future__ import annotations

import pytest
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


@pytest.mark.parametrize("lang", ["ja", "en"])
async def test_every_key_of_the_referral_log_fits_the_footer_at_80_columns(make_app, lang):
    """Issue 22 item 9: p (and ?) fell off the 80-column footer once s and u showed."""
    from textual.widgets._footer import FooterKey

    from tui.ui.screens.referral_log import ReferralLogScreen

    from .test_referral_screens import log_rows

    log_rows.__wrapped__()  # the three referrals of the log screen's tests
    app = make_app(lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("L")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ReferralLogScreen) and screen.selected_id() is not None  # s and u active
        keys = {key.key: key for key in screen.query(FooterKey)}
        palette = keys.pop("ctrl+p")
        for binding in ReferralLogScreen.BINDINGS:
            shown = keys[binding.key.split(",")[0]]
            assert shown.region.width and shown.region.right <= palette.region.x, (binding.key, shown.region)
