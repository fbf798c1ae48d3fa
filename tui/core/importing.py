"""Import resources from spreadsheets: read, validate, then write all rows or none.

FOUNDATION VERSION: UTF-8 CSV with the SPEC's column names or Japanese aliases.
Encodings, xlsx/json, era dates, backups and rejected files come with issue #6.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .areas import UnknownArea
from .catalogue import Catalogue, WriteSummary
from .models import COLUMNS, LIST_COLUMNS, MULTILINE_COLUMNS, STATUSES, Resource
from .needs import UnknownNeed
from .text import clean, fold, strip_legal_forms

_HEADER = {fold(alias): column for column, aliases in COLUMNS.items() for alias in (column, *aliases)}
_LIST_SEPARATORS = re.compile(r"[;；、,，]")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one cell, said so a person can fix it."""

    file: str
    row: int  # as the spreadsheet shows it: the header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}" + (f" [{self.column}]" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class ImportReport:
    summary: WriteSummary = field(default_factory=WriteSummary)
    problems: list[Problem] = field(default_factory=list)
    written: bool = False


def make_id(name: str, area: str) -> str:
    """A stable id from content, so re-importing a row without an id finds it again."""
    key = fold(strip_legal_forms(name)) + "|" + area
    return "r-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    """Rows keyed by SPEC column names; unknown headers are kept under their own name."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = [_HEADER.get(fold(h), h) for h in next(reader, [])]
        return [dict(zip(header, row)) for row in reader]


def to_resource(row: dict[str, str], catalogue: Catalogue, file: str, number: int) -> tuple[Resource | None, list[Problem]]:
    problems: list[Problem] = []

    def problem(column: str, message: str) -> None:
        problems.append(Problem(file, number, column, message))

    values = {
        column: clean(row.get(column, ""), multiline=column in MULTILINE_COLUMNS)
        for column in COLUMNS
        if column not in LIST_COLUMNS
    }
    lists = {column: [clean(x) for x in _LIST_SEPARATORS.split(row.get(column) or "") if clean(x)] for column in LIST_COLUMNS}
    if not values["name"]:
        problem("name", "名称がありません (name is required)")
    area = ""
    if values["area"]:
        try:
            area = catalogue.gazetteer.resolve(values["area"]).code
        except UnknownArea as e:
            problem("area", str(e))
    serves: list[str] = []
    for item in lists["serves"]:
        try:
            serves.append(catalogue.gazetteer.resolve(item).code)
        except UnknownArea as e:
            problem("serves", str(e))
    needs: list[str] = []
    for item in lists["needs"]:
        try:
            needs.append(catalogue.taxonomy.resolve(item).code)
        except UnknownNeed as e:
            problem("needs", str(e))
    verified = values["last_verified"]
    if verified:
        try:
            verified = date.fromisoformat(verified.replace("/", "-")).isoformat()
        except ValueError:
            problem("last_verified", f"日付として読めません: {verified!r} (use 2026-04-01)")
    status = values["status"].lower() or "active"
    if status not in STATUSES:
        problem("status", f"unknown status {status!r} (active, paused, closed)")
    if problems:
        return None, problems
    resource = Resource(
        id=values["id"] or make_id(values["name"], area),
        name=values["name"], name_kana=values["name_kana"], organization=values["organization"],
        description=values["description"], needs=tuple(dict.fromkeys(needs)), area=area,
        serves=tuple(dict.fromkeys(serves)), address=values["address"], postal_code=values["postal_code"],
        phone=values["phone"], fax=values["fax"], email=values["email"], url=values["url"], hours=values["hours"],
        eligibility=values["eligibility"], cost=values["cost"], how_to_refer=values["how_to_refer"],
        capacity=values["capacity"], transport=values["transport"], languages=tuple(lists["languages"]),
        notes=values["notes"], last_verified=verified, status=status,
        confidential=fold(values["confidential"]) in ("yes", "y", "true", "1", "はい", "非公開", "○"),
        source=values["source"],
    )
    return resource, []


def import_files(catalogue: Catalogue, paths: Sequence[Path], *, dry_run: bool = False) -> ImportReport:
    """Validate every row of every file, then write them all in one transaction."""
    report = ImportReport()
    resources: list[Resource] = []
    for path in paths:
        for number, row in enumerate(read_csv_rows(path), start=2):
            resource, problems = to_resource(row, catalogue, path.name, number)
            report.problems += problems
            if resource:
                resources.append(resource)
    if report.problems:
        return report
    report.summary = catalogue.write(resources, dry_run=dry_run)
    report.written = not dry_run
    return report
