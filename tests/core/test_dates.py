"""Dates as offices write them, and messages for the impossible ones."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tui.core.dates import DateProblem, parse_date, to_era


@pytest.mark.parametrize(
    "text, iso",
    [
        ("2026-04-01", "2026-04-01"),
        ("2026/4/1", "2026-04-01"),
        ("2026/04/01 0:00:00", "2026-04-01"),  # Excel's CSV of a date cell
        ("2026.4.1", "2026-04-01"),
        ("2026年4月1日", "2026-04-01"),
        ("2026年4月1日(水)", "2026-04-01"),
        ("２０２６／４／１", "2026-04-01"),
        ("20260401", "2026-04-01"),
        ("令和8年4月1日", "2026-04-01"),
        ("令和８年４月１日", "2026-04-01"),
        ("R8.4.1", "2026-04-01"),
        ("r8/4/1", "2026-04-01"),
        ("㋿8年4月1日", "2026-04-01"),
        ("令和元年5月1日", "2019-05-01"),
        ("平成31年4月1日", "2019-04-01"),
        ("H31.4.30", "2019-04-30"),
        ("昭和64年1月7日", "1989-01-07"),
        ("46113", "2026-04-01"),  # an Excel day number
        ("", ""),
        ("  ", ""),
    ],
)
def test_every_form_offices_use(text, iso):
    assert parse_date(text) == iso


def test_excel_date_cells():
    assert parse_date(date(2026, 4, 1)) == "2026-04-01"
    assert parse_date(datetime(2026, 4, 1, 0, 0)) == "2026-04-01"


@pytest.mark.parametrize(
    "text, says",
    [
        ("2026-02-30", "28日まで"),
        ("R8.2.29", "28日まで"),
        ("2024-13-01", "1〜12"),
        ("平成31年5月1日", "令和元年5月1日"),  # Heisei had ended: the fix gives the Reiwa date
        ("令和元年4月30日", "平成31年4月30日"),
        ("1026-04-01", "impossible year"),
        ("来週", "2026-04-01"),  # not a date: the fix shows the forms that work
        ("4/1", "2026-04-01"),
    ],
)
def test_impossible_dates_say_what_to_write(text, says):
    with pytest.raises(DateProblem) as caught:
        parse_date(text)
    assert says in str(caught.value)
    assert caught.value.fix


def test_message_quotes_the_cell_as_written():
    with pytest.raises(DateProblem) as caught:
        parse_date("R8.2.29")
    assert "'R8.2.29'" in caught.value.message


def test_to_era():
    assert to_era(date(2026, 4, 1)) == "令和8年4月1日"
    assert to_era(date(2019, 5, 1)) == "令和元年5月1日"
    assert to_era(date(2019, 4, 30)) == "平成31年4月30日"
