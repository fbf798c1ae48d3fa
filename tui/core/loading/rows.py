"""One spreadsheet row → one ``Resource``, or the problems a person must fix first.

Headers in English or Japanese map to the SPEC's columns; areas, needs and dates
are resolved (each distinct cell once: they repeat thousands of times in a big
file); widths, hyphens and control characters are folded; every problem names
the column as the file writes it and says how to fix it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

from tui.core.dates import DateProblem, parse_date
from tui.core.models import COLUMNS, MULTILINE_COLUMNS, Resource
from tui.core.reference.areas import UnknownArea
from tui.core.reference.needs import UnknownNeed
from tui.core.store.catalogue import Catalogue
from tui.core.text import clean, fold, strip_legal_forms

_LIST_SEPARATORS = re.compile(r"[;；、,，]")
# Hyphen look-alikes typed in phone numbers and codes (after NFKC).
_HYPHENS = re.compile(r"[‐‑‒–—―−ー]")
# In an id or address, ー is a hyphen only between letters or digits (センター stays).
_HYPHENS_IN_CODES = re.compile(r"(?<=[0-9A-Za-z])[‐‑‒–—―−ー](?=[0-9A-Za-z])")
# Cells holding none of these need no cleaning (the common case, checked fast).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_STATUS = {
    fold(word): status
    for status, words in {
        "active": ("active", "有効", "稼働中", "運営中", "開設中", "実施中"),
        "paused": ("paused", "休止", "休止中", "一時休止", "停止中"),
        "closed": ("closed", "終了", "廃止", "閉鎖", "閉所"),
    }.items()
    for word in words
}
_YES = {fold(w) for w in ("yes", "y", "true", "1", "はい", "非公開", "○", "◯", "〇", "●")}
_NO = {fold(w) for w in ("", "no", "n", "false", "0", "いいえ", "公開")}


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one cell, said so a person can fix it."""

    file: str
    row: int  # as the spreadsheet shows it: the header is row 1; 0 for the whole file
    column: str  # the header as written in the file
    message: str  # what is wrong, Japanese first, then English
    fix: str = ""  # what to do about it

    @property
    def reason(self) -> str:
        """The message without the place: for the ``reason`` column of a rejected file."""
        where = f"[{self.column}] " if self.column else ""
        return where + self.message + (f" → {self.fix}" if self.fix else "")

    def __str__(self) -> str:
        where = self.file + (f" {self.row}行目 (row {self.row})" if self.row else "")
        return f"{where}: {self.reason}"


def make_id(name: str, area: str) -> str:
    """A stable id from content, so re-importing a row without an id finds it again."""
    key = fold(strip_legal_forms(name)) + "|" + area
    return "r-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def _clean(value: str, multiline: bool = False) -> str:
    if not value:
        return ""
    if not _dirty(value):
        return value.strip()
    return clean(value, multiline=multiline)


def _dirty(text: str) -> bool:
    """Does ``clean`` have work to do? (Substring tests: four times faster than one regex.)"""
    return (
        _CONTROL.search(text) is not None
        or "  " in text
        or "\u3000\u3000" in text
        or " \u3000" in text
        or "\u3000 " in text
    )


def _code(value: str, hyphens: re.Pattern = _HYPHENS_IN_CODES) -> str:
    """An identifier or number as typed in any width: ＡＢ－０１ → AB-01."""
    value = _clean(value)
    if value.isascii():
        return value
    return hyphens.sub("-", unicodedata.normalize("NFKC", value))


def _items(value: str) -> list[str]:
    return [item for item in (_clean(x) for x in _LIST_SEPARATORS.split(value)) if item]


def _url_cell(text: str, problem: ProblemSink) -> str:
    """A web address: http:// or https:// and a host, no spaces (a typed e-mail or a note is not one)."""
    url = _code(text)
    if not url:
        return url
    try:
        parts = None if any(char.isspace() for char in url) else urlsplit(url)
    except ValueError:  # http://[::1 — a bracket never closed
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        if "@" in url and not (parts and parts.scheme):
            fix = "メールアドレスはメールの欄へ (an e-mail address goes in the email column)"
        elif parts is not None and not parts.scheme and "." in url.split("/")[0]:
            fix = f"https:// を付けてください (add https://): 'https://{url}'"
        else:
            fix = "http:// か https:// で始めてください (start with http:// or https://) — 例 (e.g.) https://www.example.org/"
        problem("url", f"ウェブのアドレスではありません (not a web address): {url!r}", fix)
    return url


# problem(column, message, fix=""): one problem of the row being read
ProblemSink = Callable[..., None]


def _cleaned(row: dict[str, str]) -> dict[str, str]:
    """Every cell cleaned; one check for the whole row first: most rows hold no control characters at all."""
    if not _dirty("\ue000".join(row.values())):
        return {column: value.strip() for column, value in row.items()}
    return {column: clean(value, multiline=column in MULTILINE_COLUMNS) for column, value in row.items()}


def _confidential_cell(text: str, problem: ProblemSink) -> bool:
    if not text:
        return False
    confidential = is_confidential_flag(text)
    if not confidential and fold(text) not in _NO:
        problem("confidential", f"非公開の欄がわかりません (unclear confidential flag): {text!r}",
                "非公開なら yes、公開なら no と書いてください (yes for a confidential place, no for a public one)")
    return confidential


def _email_cell(text: str, problem: ProblemSink) -> str:
    email = _code(text)
    for address in _items(email) if email else ():
        if "@" not in address:
            problem(
                "email",
                f"メールアドレスに @ がありません (not an e-mail address): {address!r}",
                "例 (e.g.) info@example.org",
            )
    return email


class RowReader:
    """Turns rows keyed by column name into Resources; remembers resolved cells (they repeat)."""

    def __init__(self, catalogue: Catalogue):
        self.gazetteer = catalogue.gazetteer
        self.taxonomy = catalogue.taxonomy
        self._areas: dict[str, str | UnknownArea] = {}
        self._serves: dict[str, tuple[list[str], list[UnknownArea]]] = {}
        self._needs: dict[str, tuple[list[str], list[UnknownNeed]]] = {}
        self._dates: dict[str, str | DateProblem] = {}
        self._postal: dict[str, str | None] = {}
        self._languages: dict[str, tuple[str, ...]] = {}
        self._statuses: dict[str, str] = {}
        self.warnings: list[Problem] = []  # things worth a look that do not stop a row

    def area(self, text: str) -> str | UnknownArea:
        if text not in self._areas:
            try:
                self._areas[text] = self.gazetteer.resolve(text).code
            except UnknownArea as e:
                self._areas[text] = e
        return self._areas[text]

    def serves(self, cell: str) -> tuple[list[str], list[UnknownArea]]:
        if cell not in self._serves:
            codes: list[str] = []
            unknown: list[UnknownArea] = []
            for item in _items(cell):
                found = self.area(item)
                if isinstance(found, UnknownArea):
                    unknown.append(found)
                else:
                    codes.append(found)
            self._serves[cell] = (list(dict.fromkeys(codes)), unknown)
        return self._serves[cell]

    def needs(self, cell: str) -> tuple[list[str], list[UnknownNeed]]:
        if cell not in self._needs:
            codes, unknown = [], []
            for item in _items(cell):
                try:
                    codes.append(self.taxonomy.resolve(item).code)
                except UnknownNeed as e:
                    unknown.append(e)
            self._needs[cell] = (list(dict.fromkeys(codes)), unknown)
        return self._needs[cell]

    def date(self, cell: str) -> str | DateProblem:
        if cell not in self._dates:
            try:
                self._dates[cell] = _not_in_the_future(parse_date(cell))
            except DateProblem as e:
                self._dates[cell] = e
        return self._dates[cell]

    def postal_code(self, cell: str) -> str | None:
        """``085-0015`` from any spelling; None when it is not 7 digits."""
        if cell not in self._postal:
            digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", cell))
            if len(digits) == 6 and cell.strip().isdigit():
                digits = "0" + digits  # Excel dropped the leading zero (all Hokkaido codes start with 0)
            self._postal[cell] = f"{digits[:3]}-{digits[3:]}" if len(digits) == 7 else None
        return self._postal[cell]

    def resource(
        self, row: dict[str, str], file: str, number: int, headers: dict[str, str] | None = None
    ) -> tuple[Resource | None, list[Problem]]:
        headers = headers or {}
        problems: list[Problem] = []

        def problem(column: str, message: str, fix: str = "") -> None:
            problems.append(Problem(file, number, headers.get(column, column), message, fix))

        get = _cleaned(row).get
        name = get("name", "")
        if not name:
            problem(
                "name",
                "名称がありません (the name is missing)",
                "名称を入れるか、この行を消してください (fill in the name or delete the row)",
            )
        area = self._area_cell(get("area", ""), problem)
        serves, unknown_areas = self.serves(get("serves", ""))
        for e in unknown_areas:
            problem(
                "serves",
                f"地域が見つかりません (unknown area): {e.query!r}",
                _did_you_mean(e.suggestions, "tsunagu areas"),
            )
        needs, unknown_needs = self.needs(get("needs", ""))
        for missing in unknown_needs:
            problem("needs", f"支援の種別が見つかりません (unknown need): {missing.query!r}",
                    _did_you_mean(missing.suggestions, "tsunagu needs"))
        verified = self._verified_cell(get("last_verified", ""), problem)
        status = self._status_cell(get("status", ""), problem)
        confidential = _confidential_cell(get("confidential", ""), problem)
        postal = self._postal_cell(get("postal_code", ""), problem)
        if postal and area:
            self._check_postal_area(postal, area, file, number, headers)
        email = _email_cell(get("email", ""), problem)
        url = _url_cell(get("url", ""), problem)
        if problems:
            return None, problems
        languages = get("languages", "")
        free_text: dict[str, Any] = {column: get(column, "") for column in _FREE_TEXT}
        return Resource(
            **free_text,
            id=_code(get("id", "")) or make_id(name, area),
            name=name, needs=tuple(needs), area=area, serves=tuple(serves),
            postal_code=postal, phone=_phones(get("phone", "")),
            fax=_phones(get("fax", "")), email=email, url=url,
            languages=self.languages(languages) if languages else (),
            last_verified=verified, status=status, confidential=confidential,
        ), []

    def _area_cell(self, text: str, problem: ProblemSink) -> str:
        if not text:
            return ""
        found = self.area(text)
        if isinstance(found, UnknownArea):
            problem(
                "area",
                f"地域が見つかりません (unknown area): {text!r}",
                _did_you_mean(found.suggestions, "tsunagu areas"),
            )
            return ""
        return found

    def _verified_cell(self, text: str, problem: ProblemSink) -> str:
        verified = self.date(text)
        if isinstance(verified, DateProblem):
            problem("last_verified", verified.message, verified.fix)
            return ""
        return verified

    def _status_cell(self, text: str, problem: ProblemSink) -> str:
        status = self.status(text) if text else "active"
        if not status:
            problem(
                "status",
                f"状態がわかりません (unknown status): {text!r}",
                "active（有効）、paused（休止）、closed（終了）のどれかにしてください (use active, paused or closed)",
            )
        return status

    def _postal_cell(self, text: str, problem: ProblemSink) -> str:
        if not text:
            return ""
        postal = self.postal_code(text) or ""
        if not postal:
            problem(
                "postal_code",
                f"郵便番号が7桁ではありません (a postal code has 7 digits): {text!r}",
                "例 (e.g.) 085-0015",
            )
        return postal

    def _check_postal_area(self, postal: str, area: str, file: str, number: int, headers: dict[str, str]) -> None:
        place = self.gazetteer.postal_codes.get(postal.replace("-", ""))
        if place and not self.gazetteer.overlaps([area], place):
            self.warnings.append(
                Problem(
                    file,
                    number,
                    headers.get("postal_code", "postal_code"),
                    f"郵便番号 {postal} は{self.gazetteer.label(place)}の番号ですが、"
                    f"地域は{self.gazetteer.label(area)}です "
                    f"(the postal code is in {self.gazetteer.label(place)}, the area says "
                    f"{self.gazetteer.label(area)})",
                    "郵便番号か地域を確かめてください (check the postal code or the area)",
                )
            )

    def status(self, cell: str) -> str:
        """active / paused / closed, or "" when the cell is none of their spellings."""
        if cell not in self._statuses:
            self._statuses[cell] = _STATUS.get(fold(cell), "")
        return self._statuses[cell]

    def languages(self, cell: str) -> tuple[str, ...]:
        if cell not in self._languages:
            self._languages[cell] = tuple(dict.fromkeys(_items(cell)))
        return self._languages[cell]


def _not_in_the_future(iso: str) -> str:
    """Nobody has checked a resource tomorrow (one day of slack for time zones)."""
    if iso and iso > (date.today() + timedelta(days=1)).isoformat():
        raise DateProblem(f"確認日が未来の日付です (a verification date in the future): {iso}",
                          "確認した日を書いてください (write the day the details were checked)")
    return iso


def _did_you_mean(suggestions: list[str], listing: str) -> str:
    if suggestions:
        return f"もしかして (did you mean): {' / '.join(suggestions)}"
    return f"`{listing}` で使える名前を確かめてください (see `{listing}` for the names that work)"


def _phones(cell: str) -> str:
    """Numbers in any width and hyphen, several separated by ``; `` (how the catalogue reads them back)."""
    if not cell:
        return ""
    numbers = []
    for item in _LIST_SEPARATORS.split(cell):
        number = _code(item, _HYPHENS)
        # Excel turns 0154-00-0001 typed as a number into 154000001: Japanese numbers start with 0.
        if number.isdigit() and 9 <= len(number) <= 10 and number[0] != "0":
            number = "0" + number
        if number:
            numbers.append(number)
    return "; ".join(numbers)


def to_resource(
    row: dict[str, str], catalogue: Catalogue, file: str, number: int, headers: dict[str, str] | None = None
) -> tuple[Resource | None, list[Problem]]:
    """One row keyed by SPEC column names → a Resource, or the problems that stop it."""
    reader = _READERS.get(catalogue)
    if reader is None:  # one per catalogue, so a loop over rows keeps the resolved cells
        reader = _READERS[catalogue] = RowReader(catalogue)
    return reader.resource(row, file, number, headers)


_READERS: weakref.WeakKeyDictionary[Catalogue, RowReader] = weakref.WeakKeyDictionary()


# Columns taken as the text they hold (cleaned): every column but those with a rule of their own
# below. A free-text column added to ``models.COLUMNS`` is imported with no edit here.
_RULED = frozenset({"id", "name", "needs", "area", "serves", "postal_code", "phone", "fax", "email", "url",
                    "languages", "last_verified", "status", "confidential"})
_FREE_TEXT = tuple(column for column in COLUMNS if column not in _RULED)


def is_confidential_flag(text: str) -> bool:
    """Does a ``confidential`` cell say yes (yes, はい, 非公開, ○ …)? A blank cell never does."""
    return bool(text.strip()) and fold(text) in _YES
