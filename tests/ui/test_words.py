"""Words the finder shows: why a case code is refused, and "today" (issue 22, items 6 and 7)."""

from __future__ import annotations

from datetime import date

import pytest

from tui.ui.display import verified_age
from tui.ui.screens.prompt import case_ref_problem


@pytest.mark.parametrize("value,ja,en", [
    ("Yamada-2026", "YAMADA", "YAMADA"),  # the name-like letters are named
    ("c-x", "数字が入っていません", "No digit"),
    ("C 2026", "使えない文字があります（␣）", "cannot have (␣)"),
    ("山田1", "（山田）", "(山田)"),
    ("X1" * 20, "40文字", "40 characters"),
])
def test_the_case_dialog_says_why_a_code_is_refused(value, ja, en):
    assert ja in case_ref_problem(value, "ja")
    assert en in case_ref_problem(value, "en")


@pytest.mark.parametrize("value", ["C-2026-016", "ｃ－２０２６－０１６", "", "A1/B2_C.3"])
def test_a_good_code_has_no_problem(value):
    assert case_ref_problem(value, "ja") == ""


def test_verified_today_reads_today():
    today = date(2026, 6, 1)
    assert verified_age("2026-06-01", today, "ja") == "今日"
    assert verified_age("2026-06-01", today, "en") == "today"
    assert verified_age("2026-05-31", today, "ja") == "1日前"


def test_english_counts_say_one_row_not_one_rows():
    from tui.i18n import t

    assert t("referral_log.count", "en", n=1) == "1 row"
    assert t("referral_log.count", "en", n=2) == "2 rows"
    assert "(1 place)" in t("referral_log_more.handout_written", "en", n=1, text="a", html="b")
    assert t("referral_log.count", "ja", n=1) == "1件"
    assert t("editor.problems", "en", count=1) == "1 problem: see under its field"  # was "1 problem(s)"
    assert t("editor.problems", "en", count=2) == "2 problems: see under each field"


async def test_question_mark_and_q_work_in_the_referral_log(make_app):
    from tui.ui.screens.finder import FinderScreen
    from tui.ui.screens.help import HelpScreen
    from tui.ui.screens.referral_log import ReferralLogScreen

    from .conftest import settle

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("L")
        await settle(app, pilot)
        assert isinstance(app.screen, ReferralLogScreen)
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ReferralLogScreen)
        await pilot.press("q")  # back to the finder, not out of the app
        await settle(app, pilot)
        assert isinstance(app.screen, FinderScreen) and app.is_running


def test_no_contact_says_unverified_only_when_nobody_has_checked(catalogue):
    """Issue 22 item 7: a resource verified today still said 連絡先 登録なし（未確認）."""
    from tui.core.models import Resource
    from tui.ui.widgets.detail import describe

    bare = Resource(id="t-bare", name="連絡先のないテスト窓口", needs=("consultation",), area="01206")
    today = date(2026, 6, 1)
    args = (catalogue.gazetteer, catalogue.taxonomy)
    unchecked = describe(bare, *args, "ja", today).plain
    checked = describe(bare.replace(last_verified="2026-06-01"), *args, "ja", today).plain
    assert "登録なし（未確認）" in unchecked
    assert "登録なし" in checked and "未確認" not in checked
    english = describe(bare.replace(last_verified="2026-06-01"), *args, "en", today).plain
    assert "none recorded — check" in english and "unverified" not in english


def test_every_english_help_line_starts_as_a_sentence():
    """The help list mixed 'Filter by need' with 'move through the results' (seen at 120 columns)."""
    from tui.i18n import t
    from tui.ui.screens.help import HELP_KEYS

    assert [what for _, what in HELP_KEYS if not t(what, "en")[0].isupper()] == []


def test_every_english_palette_line_starts_as_a_sentence():
    """The palette mixed 'pick a town, …' with 'Open an empty form' (seen at 120 columns)."""
    from tui.i18n import t
    from tui.ui.commands import FINDER_COMMANDS

    assert [key for key, _ in FINDER_COMMANDS if not t(f"{key}_help", "en")[0].isupper()] == []
