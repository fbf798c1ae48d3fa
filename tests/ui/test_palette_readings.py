"""The command palette finds its commands by their readings too (nu31/nu32 note: ``せってい`` found 110番
through the resources' typo tolerance while ``設定`` found Settings), and lists a command the query names
above the resources it also finds."""

from __future__ import annotations

import pytest
from textual.command import CommandList, CommandPalette

from tui.core.models import Resource
from tui.ui.screens.referral_log import ReferralLogScreen
from tui.ui.screens.settings import SettingsScreen

from .conftest import RESOURCES, app_on, settle

# Resources whose names the palette's resource search finds for the same words.
NAMED_LIKE_COMMANDS = [
    *RESOURCES,
    Resource(id="t-settei", name="せっていテスト相談所", name_kana="せっていてすとそうだんじょ", needs=("consultation",),
             area="01206"),
    Resource(id="t-shokai", name="しょうかいテスト窓口", name_kana="しょうかいてすとまどぐち", needs=("consultation",),
             area="01206"),
    Resource(id="t-kiroku", name="記録テスト支援室", name_kana="きろくてすとしえんしつ", needs=("consultation",),
             area="01206"),
]


def listed(app) -> list[str]:
    options = app.screen.query_one(CommandList).options
    return [str(option.prompt.plain if hasattr(option.prompt, "plain") else option.prompt) for option in options]


@pytest.mark.parametrize(("typed", "opens", "also"), [
    ("せってい", SettingsScreen, "せっていテスト相談所"), ("セッテイ", SettingsScreen, "せっていテスト相談所"),
    ("settei", SettingsScreen, "せっていテスト相談所"), ("設定", SettingsScreen, ""),
    ("きろく", ReferralLogScreen, "記録テスト支援室"), ("しょうかいきろく", ReferralLogScreen, ""),
    ("しょうかい", ReferralLogScreen, "しょうかいテスト窓口"),  # part of a reading: still above the resource
])
async def test_a_commands_reading_finds_it_above_the_resources(tmp_path, typed, opens, also):
    async with app_on(tmp_path / "c.db", NAMED_LIKE_COMMANDS) as (app, pilot):
        await pilot.press("ctrl+p", *typed)
        await settle(app, pilot)
        assert isinstance(app.screen, CommandPalette)
        shown = listed(app)
        assert not also or any(also in line for line in shown[1:]), shown  # the resource is still listed, below
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, opens), shown


async def test_a_resource_is_still_first_when_no_command_is_named(tmp_path):
    async with app_on(tmp_path / "c.db", NAMED_LIKE_COMMANDS) as (app, pilot):
        await pilot.press("ctrl+p", *"くしろてすと")
        await settle(app, pilot)
        shown = listed(app)
        assert "くしろテストフードバンク" in shown[0], shown
