"""Read a spreadsheet file into a header and rows of text: CSV, .xlsx, or our JSON.

CSV encodings are detected, never assumed: UTF-8 (with or without BOM) when the
bytes decode as UTF-8, otherwise whatever charset-normalizer finds (Shift_JIS is
read as cp932, its Windows superset with ①, ㈱ and NEC kanji). ``Table.encoding``
says which, so the import can tell the person. Excel cells typed as dates or
numbers become the text a person would read (2026-04-01, 154001001 — never
154001001.0).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

SUPPORTED = (".csv", ".xlsx", ".json")
# A text cell that a spreadsheet would run gets this guard on export; import removes it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# charset-normalizer looks at the start of the file; decoding then checks all of it.
_SNIFF_BYTES = 256 * 1024
_JAPANESE = ["cp932", "euc_jp"]
_SHIFT_JIS_FAMILY = {"shift_jis", "cp932", "shift_jis_2004", "shift_jisx0213", "ms932", "sjis"}


class UnreadableFile(Exception):
    """The file cannot be read as a table; the message says why, for a person."""


class UnsupportedFile(UnreadableFile):
    """Not a .csv, .xlsx or .json file (a usage mistake, not bad data)."""


class UnknownSheet(UnreadableFile):
    """``--sheet`` names a sheet the workbook does not have."""


@dataclass
class Table:
    """A file's header (as written) and its rows as text, numbered as a spreadsheet shows them."""

    path: Path
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (row number, cells)
    encoding: str = ""  # CSV only: the encoding the bytes were read as
    sheet: str = ""  # xlsx only: the sheet read


def read_table(path: Path, sheet: str | None = None) -> Table:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(path)
    if suffix == ".xlsx":
        return read_xlsx(path, sheet)
    if suffix == ".json":
        return read_json(path)
    raise UnsupportedFile(
        f"{path.name}: この形式は読めません (unsupported file type {suffix or '(none)'}) — .csv、.xlsx、.json が使えます"
    )


def unguard(cell: str) -> str:
    """Remove the ``'`` that export puts before a cell starting with = + - @."""
    if cell[:1] == "'" and cell[1:2] and cell[1] in FORMULA_STARTS:
        return cell[1:]
    return cell


def guard(cell: str) -> str:
    """A text cell a spreadsheet will show as text, never run as a formula."""
    return "'" + cell if cell[:1] in FORMULA_STARTS and cell else cell


# -- CSV -------------------------------------------------------------------------


def decode(data: bytes, name: str) -> tuple[str, str]:
    """The text of a CSV file and the name of the encoding it was read as."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8):], "utf-8", name), "UTF-8 (BOM)"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    sample = data[:_SNIFF_BYTES]
    if len(data) > _SNIFF_BYTES and b"\n" in sample:
        sample = sample[: sample.rindex(b"\n") + 1]  # never cut a character in half
    # Offices here write UTF-8, Shift_JIS or EUC-JP: asked about those first, the detector
    # is right even on a two-line file, where an open guess says Big5 or UTF-16.
    best = from_bytes(sample, cp_isolation=_JAPANESE).best()
    if best is None:
        # Too little text for the detector (a few names with ①, 髙): a clean decode decides.
        for encoding in _JAPANESE:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            return text, "Shift_JIS (cp932)" if encoding == "cp932" else "EUC-JP"
        best = from_bytes(sample).best()
    if best is None:
        raise UnreadableFile(
            f"{name}: 文字コードがわかりません (cannot tell the file's encoding) — "
            "Excel で「CSV UTF-8」として保存し直してください (save it again as CSV UTF-8)"
        )
    encoding = best.encoding.lower().replace("-", "_")
    if encoding in _SHIFT_JIS_FAMILY:
        return _strict(data, "cp932", name), "Shift_JIS (cp932)"
    return _strict(data, encoding, name), {"euc_jp": "EUC-JP"}.get(encoding, best.encoding)


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise UnreadableFile(
            f"{name}: {line}行目あたりに {encoding} として読めない文字があります "
            f"(bytes that are not {encoding} near line {line}) — "
            "Excel で「CSV UTF-8」として保存し直してください (save it again as CSV UTF-8)"
        ) from None


def read_csv(path: Path) -> Table:
    text, encoding = decode(path.read_bytes(), path.name)
    records = csv.reader(io.StringIO(text, newline=""))
    header = next(records, None)
    if not header or not any(h.strip() for h in header):
        raise UnreadableFile(f"{path.name}: 1行目に見出しがありません (row 1 must hold the column headers)")
    # A spreadsheet row is one record, even when a quoted cell spans several lines.
    rows = list(enumerate(records, start=2))
    if "'" in text:  # only then can a cell carry export's formula guard
        rows = [(number, [unguard(cell) for cell in record]) for number, record in rows]
    return Table(path, header, rows, encoding=encoding)


# -- xlsx ------------------------------------------------------------------------


def cell_text(value: object) -> str:
    """What a person sees in an Excel cell, as text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, timedelta):
        minutes = int(value.total_seconds() // 60)
        return f"{minutes // 60}:{minutes % 60:02d}"
    return str(value)


def read_xlsx(path: Path, sheet: str | None = None) -> Table:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as e:
        raise UnreadableFile(f"{path.name}: Excel ファイルとして開けません (cannot open as .xlsx): {e}") from None
    names = workbook.sheet_names
    if sheet is not None and sheet not in names:
        raise UnknownSheet(f"{path.name}: シート {sheet!r} がありません (no such sheet) — あるのは (sheets): {', '.join(names)}")
    if not names:
        raise UnreadableFile(f"{path.name}: シートがありません (the workbook has no sheets)")
    name = sheet if sheet is not None else names[0]
    # Keep leading blank rows so row numbers are the ones Excel shows.
    cells = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    if not cells or not any(cell_text(v).strip() for v in cells[0]):
        raise UnreadableFile(f"{path.name} [{name}]: 1行目に見出しがありません (row 1 must hold the column headers)")
    header = [cell_text(v) for v in cells[0]]
    rows = [(number, [unguard(cell_text(v)) for v in row]) for number, row in enumerate(cells[1:], start=2)]
    return Table(path, header, rows, sheet=name)


# -- JSON (the export format) -----------------------------------------------------


def read_json(path: Path) -> Table:
    """An array of objects keyed by column names; row N is the (N-1)th object, as if under a header."""
    try:
        items = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise UnreadableFile(f"{path.name}: JSON として読めません (not valid JSON): {e}") from None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise UnreadableFile(f"{path.name}: オブジェクトの配列ではありません (expected an array of objects, as `tsunagu export` writes)")
    header = list(dict.fromkeys(key for item in items for key in item))
    rows = [(number, [_json_text(item.get(key)) for key in header]) for number, item in enumerate(items, start=2)]
    return Table(path, header, rows, encoding="UTF-8")


def _json_text(value: object) -> str:
    if isinstance(value, list):
        return ";".join(_json_text(v) for v in value)
    return cell_text(value)
