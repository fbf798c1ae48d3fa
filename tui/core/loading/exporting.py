"""Export the catalogue (or a filtered part) as CSV, .xlsx or JSON, ready to import again.

Every SPEC column, in order, keyed by its English name. Areas are written as
place names a person reads and the importer resolves (釧路市, 釧路総合振興局,
全道); needs as their stable codes (food, work_experience), which never change
when a label is reworded. In CSV and .xlsx, lists are joined with ``; `` and
a text cell a spreadsheet would run as a formula (= + - @ tab CR first) gets a
leading ``'`` that the importer removes again. A confidential resource's
private fields (``public.PRIVATE_FIELDS``: address, postal code, access notes,
notes) are left out unless ``include_confidential``; such a file is then
written readable by its owner only (0600). Text goes through ``for_output``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tui.core.files import PRIVATE, atomic_write, shared_mode
from tui.core.loading.readers import guard
from tui.core.models import COLUMNS, LIST_COLUMNS, MULTILINE_COLUMNS, Resource, field_text
from tui.core.public import for_output, needs_cleaning, public_view, withheld_fields
from tui.core.store.catalogue import Catalogue

FORMATS = ("csv", "xlsx", "json")


@dataclass(frozen=True, slots=True)
class ExportSummary:
    path: Path
    format: str
    count: int
    withheld: int  # confidential resources whose address was left out


def format_for(path: Path, explicit: str | None = None) -> str:
    """The format asked for, else the one the file name says; ValueError when neither."""
    if explicit:
        return explicit
    suffix = path.suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    raise ValueError(
        f"{path.name}: 形式がわかりません "
        "(cannot tell the format) — .csv/.xlsx/.json の名前にするか --format を付けてください"
    )


def select(catalogue: Catalogue, *, area: str | None = None, needs: Sequence[str] = ()) -> list[Resource]:
    """Resources serving ``area`` (the search's area rule) with any of ``needs``, in id order.

    ``area`` and ``needs`` are names the gazetteer and taxonomy resolve (they raise
    ``UnknownArea`` / ``UnknownNeed``). Closed resources are included: an export shares
    the catalogue, status and all.
    """
    place = catalogue.gazetteer.resolve(area).code if area else None
    codes = {catalogue.taxonomy.resolve(n).code for n in needs}
    return [
        r for r in catalogue.resources()
        if (place is None or catalogue.gazetteer.overlaps(r.served_areas, place))
        and (not codes or codes & set(r.needs))
    ]


def record(resource: Resource, catalogue: Catalogue, include_confidential: bool = False) -> dict[str, object]:
    """One resource as the JSON export writes it: lists as arrays, areas as place names."""
    label = catalogue.gazetteer.label
    shown = resource if include_confidential else public_view(resource)
    out: dict[str, object] = {}
    for column in COLUMNS:
        value = getattr(shown, column)
        if column == "area":
            value = label(value) if value else ""
        elif column == "serves":
            value = [label(code) for code in value]
        elif column in LIST_COLUMNS:
            value = list(value)
        out[column] = value
    # One search for the whole record: most hold nothing to clean (a file edited with sqlite3 may).
    if needs_cleaning("\n".join(v if isinstance(v, str) else "\n".join(v) for v in out.values()
                                if isinstance(v, str | list))):
        for column, value in out.items():
            if isinstance(value, list):
                out[column] = [for_output(item, multiline=False) for item in value]
            elif isinstance(value, str):
                out[column] = for_output(value, multiline=column in MULTILINE_COLUMNS)
    return out


def cells(item: dict[str, object]) -> list[str]:
    """A JSON record as spreadsheet cells: lists joined, yes/blank, formulas guarded."""
    row = []
    for column in COLUMNS:
        row.append(guard(field_text(item[column])))
    return row


def export(
    catalogue: Catalogue,
    path: Path,
    *,
    format: str | None = None,
    include_confidential: bool = False,
    resources: Iterable[Resource] | None = None,
) -> ExportSummary:
    """Write ``resources`` (default: the whole catalogue) to ``path``, replacing it whole."""
    path = Path(path)
    kind = format_for(path, format)
    chosen = list(catalogue.resources() if resources is None else resources)
    items = [record(r, catalogue, include_confidential) for r in chosen]
    # Confidential addresses in it: only the owner may read it.
    mode = PRIVATE if include_confidential and any(r.confidential for r in chosen) else shared_mode()
    # Written beside the target and renamed: a half-written export never replaces a good file.
    if kind == "json":
        def write_json(f) -> None:
            json.dump(items, f, ensure_ascii=False, indent=1)
            f.write("\n")

        atomic_write(path, write_json, mode=mode)
    elif kind == "csv":
        def write_csv(f) -> None:
            writer = csv.writer(f)
            writer.writerow(COLUMNS)
            writer.writerows(cells(item) for item in items)

        # UTF-8 with BOM: Excel opens it as UTF-8 instead of guessing Shift_JIS.
        atomic_write(path, write_csv, mode=mode, encoding="utf-8-sig", newline="")
    elif kind == "xlsx":
        _check_cell_lengths(items)  # before the file is touched: nothing written
        atomic_write(path, lambda f: _write_xlsx(f, items), mode=mode, text=False)
    else:
        raise ValueError(f"unknown format {kind!r} (csv, xlsx, json)")
    withheld = 0 if include_confidential else sum(1 for r in chosen if withheld_fields(r))
    return ExportSummary(path, kind, len(chosen), withheld)


class TooLongForSpreadsheet(ValueError):
    """A cell longer than a spreadsheet cell holds: refused, never cut (Excel would cut it silently)."""


def _check_cell_lengths(items: list[dict[str, object]]) -> None:
    from tui.core.loading.importing import MAX_CELL

    for item in items:
        for column, text in zip(COLUMNS, cells(item), strict=True):
            if len(text) > MAX_CELL:
                raise TooLongForSpreadsheet(
                    f"{item['id']} の {column} が {len(text):,} 文字あり、"
                    f".xlsx のセル（{MAX_CELL:,} 文字まで）に入りません "
                    f"({item['id']}: {column} has {len(text):,} characters; an .xlsx cell holds {MAX_CELL:,}) — "
                    ".csv か .json で書き出すか、その項目を短くしてください (export as .csv or .json, or shorten it)")


def _write_xlsx(file, items: list[dict[str, object]]) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("resources")
    sheet.append(list(COLUMNS))
    for item in items:
        # Every cell is a string: a phone or postal code never turns into a number.
        sheet.append(cells(item))
    workbook.save(file)
