"""Keeping the catalogue true: verify, the queue of resources due, and the phone-round worksheet.

A resource is *due* when nobody has verified it, or its ``last_verified`` is older
than the office's interval (setting ``verify_interval``, default ``12m``). ``due``
lists them oldest first (never verified before all), within the search's area and
need filters; closed resources are never due.

The worksheet is that list as CSV or .xlsx for a round of phone calls: the contact
and current values, and empty columns for who confirmed, when and how. Corrections
are typed over the current values. ``apply_worksheet`` applies each row whose
確認者 (verified by) is filled — the corrections (how ``import FILE``), then the
verification (how ``verify HOW``) by the worker named in the row — all in one
transaction, or nothing when any row has a problem.
"""

from __future__ import annotations

import calendar
import csv
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import IO

from tui.core.dates import DateProblem, parse_date
from tui.core.db import transaction
from tui.core.errors import ReadOnlyCatalogue
from tui.core.files import atomic_write, shared_mode
from tui.core.loading.editing import apply_fields, form_text
from tui.core.loading.readers import UnreadableFile, guard, read_table
from tui.core.loading.rows import Problem
from tui.core.models import COLUMNS, Hit, Resource
from tui.core.public import for_output, is_private, public_view
from tui.core.store.catalogue import Catalogue
from tui.core.store.changes import now
from tui.core.text import fold

DEFAULT_INTERVAL = "12m"
# Columns of the worksheet a caller may correct, as the import names them.
SHEET_FIELDS = ("name", "organization", "area", "phone", "fax", "email", "url", "hours", "address")
# The worksheet's own columns (not resource columns): key → header.
PREVIOUS, VERIFIED_ON, VERIFIED_BY, HOW = "previous", "verified_on", "verified_by", "how"
SHEET_EXTRA = {PREVIOUS: "前回確認日", VERIFIED_ON: "確認した日", VERIFIED_BY: "確認者", HOW: "確認方法"}


class BadInterval(ValueError):
    pass


class UnknownResource(LookupError):
    pass


def parse_interval(text: str) -> tuple[int, int]:
    """``12m``, ``1y``, ``90d`` or a bare number of months → (months, days)."""
    value = unicodedata.normalize("NFKC", text).strip().lower()
    match = re.fullmatch(r"(\d+)\s*(m|mo|month|months|ヶ月|か月|カ月|y|year|years|年|d|day|days|日)?", value)
    if not match:
        raise BadInterval(f"期間がわかりません (unclear interval): {text!r} — 例 (e.g.) 12m, 1y, 90d")
    number, unit = int(match.group(1)), match.group(2) or "m"
    if unit[0] in "y年":
        return number * 12, 0
    if unit[0] in "d日":
        return 0, number
    return number, 0


def cutoff(today: date, interval: str = DEFAULT_INTERVAL) -> date:
    """Verified before this day: due."""
    months, days = parse_interval(interval)
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    day = min(today.day, calendar.monthrange(year, month)[1])
    return date(year, month, day) - timedelta(days=days)


def today() -> date:
    """Today, or ``TSUNAGU_TODAY`` (ISO date) for demos and screenshots."""
    value = os.environ.get("TSUNAGU_TODAY", "")
    try:
        return date.fromisoformat(value) if value else date.today()
    except ValueError:
        return date.today()


def is_due(last_verified: str, before: date) -> bool:
    return not last_verified or last_verified[:10] < before.isoformat()


def due(
    catalogue: Catalogue, *, today: date, interval: str = DEFAULT_INTERVAL, area: str | None = None,
    needs: Sequence[str] = (),
) -> list[Hit]:
    """Resources due for verification, oldest first (never verified first), not closed.

    ``area`` and ``needs`` filter as search does (names; ``UnknownArea``/``UnknownNeed``).
    """
    before = cutoff(today, interval)
    hits = catalogue.search("", area=area, needs=needs, limit=catalogue.count() + 1)
    return sorted((h for h in hits if is_due(h.last_verified, before)),
                  key=lambda h: (bool(h.last_verified), h.last_verified, h.name, h.id))


def verify_how(how: str = "") -> str:
    """The change log's ``how`` for a verification: ``verify`` plus the worker's one line."""
    line = for_output(how, multiline=False)
    return f"verify {line}" if line else "verify"


def verify(catalogue: Catalogue, ids: Sequence[str], *, today: date, by: str = "", how: str = "") -> list[Resource]:
    """Record that these resources were checked ``today`` by ``by`` (one transaction).

    A resource verified again the same day still gets its log row: who checked, and how.
    Raises ``UnknownResource`` (nothing written) for an id not in the catalogue.
    """
    found = {r.id: r for r in catalogue.get_many(ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise UnknownResource(", ".join(missing))
    day = today.isoformat()
    verified = [r.replace(last_verified=day) for r in found.values()]
    if catalogue.read_only:  # named with its path, as Catalogue.save does (SQLite's own words name no file)
        raise ReadOnlyCatalogue(catalogue.path)
    with catalogue.lock, transaction(catalogue.conn):
        _mark_verified(catalogue, list(found.values()), verified, by, verify_how(how))
    catalogue.store_index()  # after the commit: a small delta for what changed
    return verified


def _mark_verified(catalogue: Catalogue, before: list[Resource], after: list[Resource], by: str, how: str) -> None:
    """Write verifications inside a transaction; a same-day one is logged though nothing changes."""
    changed = [r for r, was in zip(after, before) if r != was]
    if changed:
        catalogue._store(changed, {r.id: r for r in before}, by=by, how=how)
    same = [r for r, was in zip(after, before) if r == was]
    catalogue.conn.executemany(
        "INSERT INTO changes(resource_id, field, old, new, at, by, how) VALUES (?, 'last_verified', ?, ?, ?, ?, ?)",
        [(r.id, r.last_verified, r.last_verified, now(), by, how) for r in same],
    )


# -- the worksheet ---------------------------------------------------------------------


def _headers() -> dict[str, str]:
    sheet = {"id": "ID", **{c: COLUMNS[c][0] for c in SHEET_FIELDS}}
    return {**sheet, **SHEET_EXTRA}


def write_worksheet(catalogue: Catalogue, hits: Sequence[Hit], path: Path) -> int:
    """The due list as a worksheet (.csv UTF-8 with BOM, or .xlsx); returns the rows written."""
    headers = _headers()
    rows = []
    for resource in catalogue.get_many(h.id for h in hits):
        shown = form_text(public_view(resource), catalogue)
        values = {"id": resource.id, **{c: shown[c] for c in SHEET_FIELDS}, PREVIOUS: resource.last_verified}
        rows.append([guard(for_output(values.get(key, ""), multiline=False)) for key in headers])
    # Whole or not at all, as every file Tsunagu writes (files.atomic_write); public view only, so shared.
    if path.suffix.lower() == ".xlsx":
        def write_xlsx(f: IO) -> None:
            from openpyxl import Workbook

            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet("worksheet")
            sheet.append(list(headers.values()))
            for row in rows:
                sheet.append(row)
            workbook.save(f)

        atomic_write(path, write_xlsx, mode=shared_mode(), text=False)
    else:
        def write_csv(f: IO) -> None:
            writer = csv.writer(f)
            writer.writerow(list(headers.values()))
            writer.writerows(rows)

        atomic_write(path, write_csv, mode=shared_mode(), encoding="utf-8-sig", newline="")
    return len(rows)


def is_worksheet(path: Path) -> bool:
    """Is this a worksheet from ``write_worksheet`` (it has the 確認者 / verified_by column)?"""
    marks = (SHEET_EXTRA[VERIFIED_BY], VERIFIED_BY)
    try:
        if path.suffix.lower() == ".csv":  # the first line is enough: no need to read a big file twice
            with open(path, "rb") as f:
                first = f.read(8192).split(b"\n", 1)[0]
            return any(m.encode(enc) in first for m in marks for enc in ("utf-8", "cp932"))
        if path.suffix.lower() == ".xlsx" and path.stat().st_size < 5_000_000:
            return any(fold(h) in {fold(m) for m in marks} for h in read_table(path).header)
    except (OSError, ValueError, UnreadableFile):  # not readable here: the ordinary import reports why
        return False
    return False


@dataclass
class WorksheetReport:
    verified: list[str] = field(default_factory=list)  # ids marked verified
    corrected: dict[str, list[str]] = field(default_factory=dict)  # id → fields changed
    skipped: int = 0  # rows nobody has signed (not yet called)
    problems: list[Problem] = field(default_factory=list)


def _worksheet_row(catalogue: Catalogue, cell: dict[str, str], file: str, number: int, written: dict[str, str],
                   today: date, report: WorksheetReport) -> tuple[Resource, Resource, Resource, str, str] | None:
    """One signed row: (before, corrected, verified, by, how), or None with its problems in ``report``."""
    current = catalogue.get(cell["id"])
    if current is None:
        report.problems.append(
            Problem(file, number, "ID", f"この ID の資源はありません (no such resource): {cell['id']!r}")
        )
        return None
    shown = form_text(current, catalogue)
    typed = {c: cell[c] for c in SHEET_FIELDS if c in cell and cell[c] != shown[c]}
    if current.confidential:  # the sheet left the private fields blank: blank is not a correction
        typed = {c: v for c, v in typed.items() if not is_private(c) or v}
    corrected, problems = apply_fields(catalogue, current, typed, file=file, number=number, headers=written)
    day: str | DateProblem = today.isoformat()
    if cell.get(VERIFIED_ON):
        try:
            day = parse_date(cell[VERIFIED_ON])
        except DateProblem as e:
            problems.append(Problem(file, number, SHEET_EXTRA[VERIFIED_ON], e.message, e.fix))
    if problems or corrected is None:
        report.problems += problems
        return None
    report.verified.append(current.id)
    fields_changed = [c for c in SHEET_FIELDS if getattr(corrected, c) != getattr(current, c)]
    if fields_changed:
        report.corrected[current.id] = fields_changed
    return current, corrected, corrected.replace(last_verified=str(day)), cell[VERIFIED_BY], cell.get(HOW, "")


def apply_worksheet(catalogue: Catalogue, path: Path, *, today: date, dry_run: bool = False) -> WorksheetReport:
    """Apply a filled worksheet: corrections, then verification by the worker each row names."""
    table = read_table(path)
    file = path.name
    by_header = {fold(h): key for key, h in _headers().items()} | {fold(k): k for k in _headers()}
    index = {by_header[fold(h)]: i for i, h in enumerate(table.header) if fold(h) in by_header}
    written = {by_header[fold(h)]: h for h in table.header if fold(h) in by_header}
    report = WorksheetReport()
    for needed in ("id", VERIFIED_BY):
        if needed not in index:
            report.problems.append(
                Problem(
                    file,
                    1,
                    _headers()[needed],
                    f"{_headers()[needed]} の列がありません (column missing)",
                    "tsunagu stale --export で作った表を使ってください (use a sheet from stale --export)",
                )
            )
    if report.problems:
        return report
    work: list[tuple[Resource, Resource, Resource, str, str]] = []  # before, corrected, verified, by, how
    for number, cells in table.rows:
        cell = {key: (cells[i].strip() if i < len(cells) else "") for key, i in index.items()}
        if not any(cell.values()):
            continue
        if not cell.get(VERIFIED_BY):
            report.skipped += 1
            continue
        item = _worksheet_row(catalogue, cell, file, number, written, today, report)
        if item is not None:
            work.append(item)
    if report.problems or dry_run or not work:
        return report
    if catalogue.read_only:
        raise ReadOnlyCatalogue(catalogue.path)
    with catalogue.lock, transaction(catalogue.conn):
        for before, corrected, verified, by, how in work:
            if corrected != before:
                catalogue._store([corrected], {before.id: before}, by=by, how=f"import {file}")
            _mark_verified(catalogue, [corrected], [verified], by, verify_how(how))
    catalogue.store_index()  # after the commit: a small delta for what changed
    return report



def readable(catalogue, field: str, value: str, lang: str = "ja") -> str:
    """A logged value as a person reads it: place and need names (釧路市, 食料支援) rather than
    the codes the change log keeps (01206, food). Other fields are shown as logged."""
    items = [item.strip() for item in value.split(";") if item.strip()]
    if field in ("area", "serves"):
        return "; ".join(catalogue.gazetteer.label(code) for code in items)
    if field == "needs":
        needs = catalogue.taxonomy.needs
        return "; ".join(needs[code].label(lang) if code in needs else code for code in items)
    return value
