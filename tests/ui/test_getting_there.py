"""Issue 24 item 4 in the app: a place in another town than the client's area says, in the
detail pane, which transport schemes serve the client's area (that none is known is the same
sentence as in the note: tests/cli/test_demand_cli.py)."""

from __future__ import annotations

from tui.core.models import Resource

from .conftest import settle

FARM = Resource(id="t-farm", name="岩見沢テスト農園", needs=("work_experience",), area="01210", serves=("01430",))
BUS = Resource(id="t-bus", name="月形テスト送迎", needs=("transport",), area="01430", phone="0126-00-0000")


def getting_there(screen, resource_id: str) -> str:
    details = screen._prepare(resource_id, 60).details
    return dict((label, value) for label, value, _style in details.rows).get("交通の支援", "")


async def test_a_place_in_another_town_pairs_the_transport_of_the_clients_area(make_app, catalogue):
    catalogue.write([FARM])
    app = make_app("ja")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert getting_there(screen, "t-farm") == ""  # no area asked for: nothing to pair
        screen.area = "01430"  # 月形町
        await settle(app, pilot)
        paired = getting_there(screen, "t-farm")
        assert paired.startswith("月形町から使える交通・移動の支援") and "全道テスト移送サービス" in paired
        assert "月形テスト送迎" not in paired
        catalogue.write([BUS])
        assert "月形テスト送迎" in getting_there(screen, "t-farm")
        screen.area = "01210"  # in the place's own town: nothing to pair
        await settle(app, pilot)
        assert getting_there(screen, "t-farm") == ""
