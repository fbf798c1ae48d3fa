"""Issue 24 in the app: a 圏外 result referred after `w` counts as an unmet need of the place first asked for."""

from __future__ import annotations

from tui import paths
from tui.core.referrals.log import ReferralLog
from tui.core.referrals.unmet import is_unmet
from tui.ui.widgets.results import ResultsTable

from .conftest import settle


async def test_r_on_an_outside_result_after_widening_logs_the_area_first_asked_for(make_app):
    app = make_app("en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        screen.area = "01207"  # 帯広市: no consultation window there
        screen.needs = ("consultation",)
        await settle(app, pilot)
        await pilot.press("w", "w")  # → 十勝 → All Hokkaido
        await settle(app, pilot)
        hits = screen.query_one(ResultsTable).hits
        assert hits and hits[0].id in screen.outside
        await pilot.press("r")
        await settle(app, pilot)
        for _ in range(20):
            with ReferralLog.open(paths.referral_log()) as log:
                rows = log.find()
            if rows:
                break
            await pilot.pause(0.1)
        [row] = rows
        assert (row.area, row.asked_area, row.resource_id) == ("hokkaido", "01207", hits[0].id)  # in force, asked
        assert is_unmet(row, screen.catalogue.gazetteer)
