"""ReferralLogScreen and SettingsScreen in a tiny host app at 80×24, driven by keys.

Workers are waited for, never slept on; the log lives in TSUNAGU_HOME (tmp)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from textual.app import App
from textual.geometry import Region
from textual.widgets import DataTable, Input, OptionList, Select, Static

from tui import config, paths
from tui.core.referrals.log import ReferralLog
from tui.core.referrals.record import Referral
from tui.ui.screens.log_dialogs import DatePrompt
from tui.ui.screens.referral_log import ReferralLogScreen
from tui.ui.screens.settings import SettingsScreen

TODAY = date(2026, 11, 27)


class Host(App):
    """Just enough of the real app: a case reference, settings, a 'today', a result slot."""

    def __init__(self, screen, case_ref: str = "") -> None:
        super().__init__()
        self.first_screen = screen
        self.case_ref = case_ref
        self.settings = None
        self.today = TODAY
        self.results: list = []

    def on_mount(self) -> None:
        self.push_screen(self.first_screen, self.results.append)


async def settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def log_rows():
    """Three referrals: two for C-1 (one overdue), one for C-2 with a name that looks like markup."""
    def row(n, case, name, **extra):
        return Referral(id=0, created_at=datetime(2026, 11, n, 10).astimezone().isoformat(timespec="seconds"),
                        resource_id=f"t-{n}", resource_name=name, case_ref=case, note=f"【紹介先】{name}\n電話: 0{n}", **extra)

    with ReferralLog.open(paths.referral_log()) as log:
        log.add(row(1, "C-1", "架空食料庫", follow_up="2026-11-20"))
        log.add(row(2, "C-1", "架空シェルター", status="used"))
        log.add(row(3, "C-2", "[bold]偽マークアップ[/bold]"))


def cell_texts(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_log_shows_the_current_case_then_all(log_rows):
    app = Host(ReferralLogScreen(lang="ja"), case_ref="C-1")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        table = screen.query_one(DataTable)
        rows = cell_texts(table)
        assert [r[0] for r in rows] == ["2", "1"]  # newest first, only C-1
        title = str(screen.query_one("#log-title", Static).content)
        assert "ケース C-1" in title and "2件" in title and "期限切れ 1" in title
        overdue = next(r for r in rows if r[0] == "1")
        assert overdue[-1].startswith("!11-20")  # stands out with a mark, not colour alone
        assert table.get_row_at(1)[-1].style == "bold red"

        await pilot.press("c")
        await settle(app, pilot)
        rows = cell_texts(table)
        assert [r[0] for r in rows] == ["3", "2", "1"]
        assert "[bold]偽マークアップ[…" in rows[0]  # data, not markup (cut to its column with …)
        assert "全ケース" in str(screen.query_one("#log-title", Static).content)
        # Everything fits 80×24.
        for widget in (table, screen.query_one("#log-detail"), screen.query_one("#log-title")):
            assert widget.region.right <= 80 and widget.region.bottom <= 24


async def test_status_filter_is_a_list_of_every_status(log_rows):
    """Issue 22 item 9: f cycled seven statuses one press at a time; now it lists them, any first."""
    app = Host(ReferralLogScreen(lang="en", case_ref=""))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        log = app.screen
        table = log.query_one(DataTable)
        assert table.row_count == 3
        await pilot.press("f")
        await settle(app, pilot)
        picker = app.screen.query_one(OptionList)
        assert [picker.get_option_at_index(i).id for i in range(picker.option_count)][:3] == ["__any__", "sent", "used"]
        assert picker.option_count == 7 and picker.highlighted == 0  # any status, the filter in force
        await pilot.press("down", "enter")  # sent
        await settle(app, pilot)
        assert app.screen is log
        assert sorted(r[0] for r in cell_texts(table)) == ["1", "3"]
        await pilot.press("f", "down", "enter")  # the list opens on sent: one down is used
        await settle(app, pilot)
        assert [r[0] for r in cell_texts(table)] == ["2"]
        assert "Status: Used" in str(app.screen.query_one("#log-title", Static).content)


async def test_date_filter(log_rows):
    app = Host(ReferralLogScreen(lang="ja", case_ref=""))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await pilot.press(*"2026-11-02", "enter")
        await settle(app, pilot)
        assert sorted(r[0] for r in cell_texts(app.screen.query_one(DataTable))) == ["2", "3"]


async def test_set_status_and_follow_up_from_the_keyboard(log_rows):
    app = Host(ReferralLogScreen(lang="ja"), case_ref="C-1")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("down")  # row #1, the overdue one
        assert app.screen.selected_id() == 1
        assert "架空食料庫" in str(app.screen.query_one("#log-detail", Static).content)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("down", "enter")  # from 紹介済 to 利用につながった
        await settle(app, pilot)
        with ReferralLog.open(paths.referral_log()) as log:
            assert log.get(1).status == "used"
        assert app.screen.selected_id() == 1  # the cursor stays on the row
        assert "期限切れ" not in str(app.screen.query_one("#log-title", Static).content)  # outcome known

        await pilot.press("u")
        await pilot.pause()
        input_box = app.screen.query_one(Input)
        input_box.value = ""
        await pilot.press("n", "o", "enter")  # not a date: stays open with the reason
        await pilot.pause()
        assert isinstance(app.screen, DatePrompt)
        assert "not a date" in str(app.screen.query_one("#date-hint").content)
        input_box.value = ""
        await pilot.press("plus", "7", "enter")
        await settle(app, pilot)
        with ReferralLog.open(paths.referral_log()) as log:
            assert log.get(1).follow_up == (TODAY + timedelta(days=7)).isoformat()


async def test_empty_log_says_how_to_fill_it():
    app = Host(ReferralLogScreen(lang="ja"), case_ref="C-9")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.screen.query_one("#log-empty").display
        assert not app.screen.query_one(DataTable).display
        await pilot.press("s")  # nothing selected: nothing happens
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReferralLogScreen)


async def test_settings_save_round_trip(isolated_home):
    app = Host(SettingsScreen(lang="ja"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await pilot.press(*"tanto", "enter")
        await pilot.press(*"kakuu center")
        screen.query_one("#language", Select).value = "en"
        screen.query_one("#note_folder", Input).value = str(isolated_home / "memo")
        assert screen.query_one("#settings").region.bottom <= 24
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    saved = config.Settings(worker="tanto", office="kakuu center", language="en", note_folder=str(isolated_home / "memo"))
    assert config.load() == saved
    assert app.results == [saved] and app.settings == saved


async def test_settings_refuses_a_relative_note_folder(isolated_home):
    app = Host(SettingsScreen(lang="en"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.screen.query_one("#note_folder", Input).value = "notes"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "in full" in str(app.screen.query_one("#settings-error").content)
    assert not config.exists()


async def test_settings_load_existing_and_escape_leaves_them(isolated_home):
    config.save(config.Settings(worker="既存", office="事務所"))
    app = Host(SettingsScreen(lang="ja"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.screen.query_one("#worker", Input).value == "既存"
        await pilot.press("x", "escape")
        await settle(app, pilot)
    assert config.load().worker == "既存" and app.results == [None]


async def test_the_log_opened_on_a_row_shows_its_status_and_follow_up_keys(log_rows, monkeypatch):
    # nu34 at 120×40: L opened on #2 with its details shown, yet the footer read
    # 「esc Back  c Case  f Show  d Date  p Handout」 — the footer was drawn while the log was still
    # being read (no row: s and u greyed out of it), and nothing redrew it when the rows came.
    import threading

    from textual.widgets._footer import FooterKey

    read = threading.Event()
    find = ReferralLog.find

    def slow_find(log, *args, **kwargs):
        read.wait(10)
        return find(log, *args, **kwargs)

    monkeypatch.setattr(ReferralLog, "find", slow_find)
    app = Host(ReferralLogScreen(lang="en"), case_ref="C-1")
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(3):
            await pilot.pause()
        read.set()
        await settle(app, pilot)
        assert app.screen.selected_id() is not None
        keys = {key.key for key in app.screen.query(FooterKey)}
        assert {"s", "u"} <= keys, keys


async def test_first_run_skip_is_remembered(isolated_home):
    app = Host(SettingsScreen(lang="ja", first_run=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
    assert config.exists() and config.load() == config.Settings() and app.results == [None]


@pytest.mark.parametrize("lang, unit", [("ja", "esc でスキップ。"), ("en", "esc skips.")])
async def test_first_run_hint_keeps_esc_with_what_it_does(isolated_home, lang, unit):
    # At 80×24 the Label broke it as 「…変えられます）。esc」 over 「でスキップ。」.
    app = Host(SettingsScreen(lang=lang, first_run=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        hint = app.screen.query_one(".settings-hint", Static)
        lines = [strip.text for strip in hint.render_lines(Region(0, 0, *hint.size))]  # as drawn
        assert any(unit in line for line in lines), lines


async def test_finder_r_twice_then_the_log_and_the_cli_agree(make_app, catalogue, isolated_home):
    """The issue's walk-through: a case, `r` on two places (one confidential), the log
    screen lists both, the case file holds both notes, and `tsunagu refer` gives the same note."""
    from click.testing import CliRunner

    from tui.cli import cli

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.case_ref = "C-2026-014"
        await pilot.press("slash", *"ふーどばんく", "escape", "r")
        await settle(app, pilot)
        food_note = app.clipboard
        await pilot.press("slash", "home", "ctrl+k", *"しぇるたー", "escape", "r")
        await settle(app, pilot)
        shelter_note = app.clipboard
        app.push_screen(ReferralLogScreen(catalogue, "ja"))
        await settle(app, pilot)
        names = [r[2] for r in cell_texts(app.screen.query_one(DataTable))]
        assert names == ["テスト一時シェルター", "くしろテストフードバンク"]

    case_file = (isolated_home / "notes" / "C-2026-014.txt").read_text(encoding="utf-8")
    assert food_note in case_file and shelter_note in case_file
    for text in (case_file, shelter_note):
        assert "テスト町" not in text  # the shelter's address
    # The same function from the command line gives the same note (same day, same filters).
    result = CliRunner().invoke(cli, ["--db", str(catalogue.path), "--lang", "ja", "refer", "t-shelter",
                                      "--case", "C-2026-014"])
    assert result.exit_code == 0 and result.stdout.strip() == shelter_note


async def test_a_filter_that_hides_every_row_does_not_say_none_yet(log_rows):
    app = Host(ReferralLogScreen(lang="ja", case_ref=""))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f", "end", "enter")  # the last status, which nobody has
        await settle(app, pilot)
        empty = str(app.screen.query_one("#log-empty", Static).content)
        assert app.screen.query_one("#log-empty").display
        assert "まだありません" not in empty and "絞り込み" in empty
        await pilot.press("f", "home", "enter")  # any status: rows again, and the table has the focus
        await settle(app, pilot)
        assert app.screen.query_one(DataTable).display and app.screen.query_one(DataTable).has_focus


async def test_a_follow_up_before_the_referral_is_refused_with_a_word(log_rows):
    app = Host(ReferralLogScreen(lang="ja"), case_ref="C-1")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "u")  # row #1, referred 2026-11-01
        await pilot.pause()
        app.screen.query_one(Input).value = ""
        await pilot.press(*"2026-10-31", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DatePrompt)
        assert "紹介した日" in str(app.screen.query_one("#date-hint").content)
        app.screen.query_one(Input).value = ""
        await pilot.press(*"2026-11-01", "enter")
        await settle(app, pilot)
        with ReferralLog.open(paths.referral_log()) as log:
            assert log.get(1).follow_up == "2026-11-01"


async def test_the_status_dialog_title_is_cut_with_an_ellipsis(log_rows):
    from textual.widgets import Label

    with ReferralLog.open(paths.referral_log()) as log:
        log.add(Referral(id=0, created_at=datetime(2026, 11, 5, 10).astimezone().isoformat(timespec="seconds"),
                         resource_id="t-9", resource_name="とても長い名前の架空の相談窓口" * 3, case_ref="C-1",
                         note="x"))
    app = Host(ReferralLogScreen(lang="ja"), case_ref="C-1")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        title = app.screen.query(Label).first().content
        assert str(title).endswith("…")


async def test_p_writes_the_case_handout_and_says_where(log_rows, tmp_path):
    app = Host(ReferralLogScreen(lang="ja"), case_ref="C-1")
    app.settings = config.Settings(note_folder=str(tmp_path / "notes"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        written = sorted(p.name for p in (tmp_path / "notes").iterdir())
        assert written == ["handout-C-1.html", "handout-C-1.txt"]
        said = " ".join(n.message.replace("\n", "") for n in app._notifications)
        assert "handout-C-1.txt" in said and "handout-C-1.html" in said


async def test_the_date_dialogs_suggest_dates_that_make_sense_today(log_rows):
    """The follow-up dialog's example was a fixed 2026-12-01, already past when read (seen by a
    new user); it is now a week from today, what +7 means, and the since filter's this month's start."""
    app = Host(ReferralLogScreen(lang="en"), case_ref="C-1")
    app.today = date(2027, 3, 10)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "u")
        await pilot.pause()
        assert isinstance(app.screen, DatePrompt)
        assert app.screen.query_one(Input).placeholder == "2027-03-17"
        assert "2027-03-17, 2027/3/17 or +7" in str(app.screen.query_one("#date-hint").content)
        await pilot.press("escape", "d")
        await pilot.pause()
        assert app.screen.query_one(Input).placeholder == "2027-03-01"
        assert "e.g. 2027-03-01." in str(app.screen.query_one("#date-hint").content)


@pytest.mark.parametrize(("lang", "follow_up"), [("ja", "次に確認する日を決める"), ("en", "When to check again")])
async def test_question_mark_in_the_log_lists_the_logs_own_keys(log_rows, lang, follow_up):
    """nu33 at 80×24: ? in the log (its footer says "? キー") listed the finder's keys — a, n, w… —
    and none of the log's own: s, u, p, c, f, d."""
    from tui.ui.screens.help import HelpScreen

    app = Host(ReferralLogScreen(lang=lang), case_ref="C-1")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        shown = dict(app.screen.rows)
        assert {"c", "f", "d", "s", "u", "p"} <= set(shown) and "w" not in shown, shown
        assert "tab" not in shown  # Textual's own, with no words in the user's language
        assert shown["u"] == follow_up
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ReferralLogScreen)


async def test_the_log_refits_its_columns_when_the_terminal_is_resized(log_rows):
    """nu33: the log opened at 120 columns and narrowed to 80 ran its names past the edge with no …
    (status and follow-up off screen); opened at 80 and widened, the names stayed cut at 80's width."""
    app = Host(ReferralLogScreen(lang="ja"), case_ref="")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        names = {}
        for width in (80, 120, 80, 120):
            await pilot.resize_terminal(width, 24)
            await settle(app, pilot)
            assert sum(c.get_render_width(table) for c in table.columns.values()) <= table.size.width, width
            names[width] = table.columns["name"].width
        assert names[120] > names[80]  # widened again, the names take the room
