"""Words and flow of the finder's dialogs and screens (issue 22, item 9)."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from tui import paths
from tui.i18n import t

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


def hint_text(app) -> str:
    """What the screen shows inside the case dialog's box, under the input, joined without spaces."""
    box = app.screen.query_one("#prompt").region
    below = app.screen.query_one("#prompt-input").region.bottom
    strips = app.screen._compositor.render_strips()[below:box.bottom - 1]
    return "".join("".join(strip.crop(box.x + 1, box.right - 1).text.split()) for strip in strips)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_case_dialogs_hint_and_reason_are_shown_whole(make_app, size):
    """Issue 22 item 6: the hint and the error (…32文字までのケース番号にしてくだ) were cut at 80 and 120."""
    from tui.ui.screens.prompt import PromptScreen, case_ref_problem

    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("k")
        await settle(app, pilot)
        assert isinstance(app.screen, PromptScreen)
        assert "".join(t("case.hint", "ja").split()) == hint_text(app)
        for typed in ("Yamada-2026", "山田-2026-0001-とても長いケース番号です"):
            await pilot.press("ctrl+u", *typed, "enter")
            await settle(app, pilot)
            reason = case_ref_problem(typed, "ja")
            assert reason and "".join(reason.split()) == hint_text(app)


async def test_after_w_at_80_columns_the_filter_line_keeps_the_need_and_the_count(make_app):
    """Issue 22 item 6: the widened note pushed 種別 and the count off the 80-column line."""
    from tui.ui.widgets.line import StatusLine

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        finder = app.screen
        finder.area = "01206"  # 釧路市
        finder.needs = ("work_experience",)  # nothing in 釧路市: w goes on to 釧路 (the subprefecture)
        await settle(app, pilot)
        await pilot.press("w")
        await settle(app, pilot)
        assert finder.widened_from == "01206"
        line = finder.query_one("#filters", StatusLine)
        visible = "".join(strip.text for strip in finder._compositor.render_strips()[line.region.y:line.region.bottom])
        assert "種別: " + finder._need_label("work_experience") in visible
        assert f"{finder.local_hits}件" in visible, visible


async def test_the_referral_log_ends_a_cut_name_with_an_ellipsis(make_app):
    """Issue 22 item 6: names longer than the column were cut with no sign."""
    from datetime import datetime

    from textual.widgets import DataTable

    from tui.core.referrals.log import ReferralLog
    from tui.core.referrals.record import Referral

    long_name = "とても長い名前のテスト用生活相談支援センター釧路地区サテライト事務所（架空）"
    with ReferralLog.open(paths.referral_log()) as log:
        log.add(Referral(id=0, created_at=datetime(2026, 5, 1, 10).astimezone().isoformat(timespec="seconds"),
                         resource_id="t-long", resource_name=long_name, case_ref="C-1", note="x"))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("L")
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        name = table.get_row_at(0)[list(table.columns).index("name")]
        assert name.plain.endswith("…") and long_name.startswith(name.plain[:-1])
        assert name.cell_len <= table.columns["name"].content_width
        row = app.screen._compositor.render_strips()[table.region.y + 1].text
        assert name.plain in row


async def test_ticked_and_unticked_needs_differ_without_colour(make_app):
    """Issue 22 item 6: ticked and unticked needs both showed ▐X▌ (colour only)."""
    from tui.ui.screens.need_picker import NeedList

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("n", "down", "space")  # into the list, tick the first need
        await settle(app, pilot)
        needs = app.screen.query_one(NeedList)
        ticked = needs.highlighted
        assert list(needs.selected) == [needs.get_option_at_index(ticked).value]
        lines = [needs.render_line(y).text for y in range(4)]
        assert [line[:3] for line in lines] == ["▐✓▌" if y == ticked else "▐ ▌" for y in range(4)], lines
        await pilot.press("space")  # untick it
        await settle(app, pilot)
        assert needs.render_line(ticked).text.startswith("▐ ▌")



@pytest.mark.parametrize("lang", ["ja", "en"])
async def test_the_sync_and_history_warnings_break_at_phrases_not_inside_a_word(make_app, catalogue, isolated_home,
                                                                              lang):
    """`S` with no shared repository at 80×24 showed ``…参加するか、tsun`` / ``agu sync --remote URL``:
    messages went to Textual's own wrapping, which cuts a word at the toast's edge."""
    from tui.core.linebreak import cell_width
    from tui.core.models import Resource
    from tui.ui.screens.history import HistoryScreen

    catalogue.save(Resource(id="t-new", name="あたらしいテスト窓口", needs=("food",), area="01206"), base=None, by="佐藤")
    app = make_app(lang)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("S")  # no shared repository set
        await pilot.press("slash", *"あたらしいてすと", "escape", "h")
        await settle(app, pilot)
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("u")  # on the row that created it: cannot be undone
        await settle(app, pilot)
        said = [n.message for n in app._notifications]
        flat = "".join(said).replace("\n", "").replace(" ", "")
        for key in ("sync.no_remote", "history.cannot_restore"):
            assert t(key, lang).replace(" ", "") in flat
        toast = min(60, (80 - 2) // 2) - 3  # the toast as drawn (see the next test)
        for message in said:  # wrapped here, at phrase boundaries, to the toast's width
            assert all(cell_width(line) <= toast for line in message.split("\n")), message


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_each_line_of_a_toast_fits_the_toast_as_drawn(make_app, size):
    """`S` in English at 80×24 showed "…: join one" / "in" / "the settings …": lines were made one
    cell wider than the toast (its rack keeps a 2-cell scrollbar), so Textual broke them again."""
    from textual.widgets._toast import Toast

    from tui.core.linebreak import cell_width

    app = make_app("en")
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("S")  # no shared repository set: a long message
        await settle(app, pilot)
        toasts = list(app.screen.query(Toast))
        assert toasts
        for toast in toasts:
            lines = toast._notification.message.split("\n")
            assert max(map(cell_width, lines)) <= toast.content_region.width, (lines, toast.content_region)
