"""Dates as offices write them: ISO, slashes, 年月日, Japanese eras, Excel serials.

``parse_date`` returns an ISO date (``2026-04-01``) or raises ``DateProblem``
whose message says what is wrong and how to write it, in Japanese then English.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, datetime, timedelta

# name, Latin initial, first day, last day (None: the current era)
ERAS: tuple[tuple[str, str, date, date | None], ...] = (
    ("令和", "r", date(2019, 5, 1), None),
    ("平成", "h", date(1989, 1, 8), date(2019, 4, 30)),
    ("昭和", "s", date(1926, 12, 25), date(1989, 1, 7)),
    ("大正", "t", date(1912, 7, 30), date(1926, 12, 24)),
)
_ERA_BY_NAME = {key: era for era in ERAS for key in (era[0], era[1])}

_EXAMPLES = "2026-04-01、2026/4/1、令和8年4月1日、R8.4.1"
_SEP = r"\s*[-/.年月]\s*"
# A weekday after the date, as in 2026年4月1日(水), is dropped.
_WEEKDAY = r"(?:\s*[(（][月火水木金土日][)）])?"
# Excel and other tools add a midnight time to a date: 2026/04/01 0:00:00.
_TIME = r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_GREGORIAN = re.compile(rf"^(\d{{4}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}})\s*日?{_WEEKDAY}{_TIME}$")
_ERA = re.compile(rf"^(令和|平成|昭和|大正|[rhst])\s*(元|\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}})\s*日?{_WEEKDAY}$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
# Excel's day numbers, for a date column formatted as a number (1990-01-01 .. 2099-12-31).
_SERIAL = re.compile(r"^(\d{5})(?:\.0+)?$")
_EXCEL_EPOCH = date(1899, 12, 30)


class DateProblem(ValueError):
    """A date a person must fix: ``message`` says what is wrong, ``fix`` what to write."""

    def __init__(self, message: str, fix: str):
        super().__init__(f"{message} — {fix}")
        self.message = message
        self.fix = fix


def parse_date(value: object) -> str:
    """The ISO date a cell means; ``""`` for a blank cell. Raises ``DateProblem``."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    shown = str(value or "").strip()  # messages quote the cell as the person wrote it
    text = unicodedata.normalize("NFKC", shown).lower()
    if not text:
        return ""
    if m := _GREGORIAN.match(text):
        return _checked(shown, int(m[1]), int(m[2]), int(m[3]))
    if m := _ERA.match(text):
        return _era_date(shown, _ERA_BY_NAME[m[1]], 1 if m[2] == "元" else int(m[2]), int(m[3]), int(m[4]))
    if m := _COMPACT.match(text):
        return _checked(shown, int(m[1]), int(m[2]), int(m[3]))
    if m := _SERIAL.match(text):
        day = _EXCEL_EPOCH + timedelta(days=int(m[1]))
        if date(1990, 1, 1) <= day <= date(2099, 12, 31):
            return day.isoformat()
    raise DateProblem(
        f"日付として読めません (not a date): {value!r}", f"{_EXAMPLES} のように書いてください (write it like these)"
    )


def _checked(text: str, year: int, month: int, day: int) -> str:
    if not 1900 <= year <= 2100:
        raise DateProblem(
            f"年がありえません (impossible year): {text!r}",
            f"西暦4桁で書いてください (a four-digit year, e.g. {_EXAMPLES})",
        )
    if not 1 <= month <= 12:
        raise DateProblem(
            f"ありえない日付です (impossible date): {text!r} — 月は1〜12 (month must be 1-12)",
            "月と日が入れ替わっていないか確かめてください (check month and day are not swapped)",
        )
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise DateProblem(
            f"ありえない日付です (impossible date): {text!r} — {year}年{month}月は{last}日まで "
            f"(that month has {last} days)",
            "正しい日を書いてください (write a day that exists)",
        )
    return date(year, month, day).isoformat()


def _era_date(text: str, era: tuple[str, str, date, date | None], year: int, month: int, day: int) -> str:
    name, _initial, first, last = era
    iso = _checked(text, first.year + year - 1, month, day)
    found = date.fromisoformat(iso)
    if year < 1 or found < first or (last and found > last):
        span = f"{first:%Y-%m-%d}〜{last:%Y-%m-%d}" if last else f"{first:%Y-%m-%d}〜"
        raise DateProblem(
            f"{text!r} は{name}の期間外です (outside the {name} era, {span})",
            f"西暦なら {iso}、和暦なら {to_era(found)} (in the Gregorian calendar: {iso})",
        )
    return iso


def to_era(day: date) -> str:
    """令和8年4月1日 for 2026-04-01 (元年 for an era's first year)."""
    for name, _initial, first, last in ERAS:
        if day >= first and (last is None or day <= last):
            year = day.year - first.year + 1
            return f"{name}{'元' if year == 1 else year}年{day.month}月{day.day}日"
    return day.isoformat()
