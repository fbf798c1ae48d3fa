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
import re
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
# Text that is UTF-8 but for a few bad bytes: at least this many good multi-byte characters per bad byte.
_MOSTLY_UTF8 = 10
_SURROGATE = re.compile("[\ud800-\udfff]")


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
    # row number → (column as written, what is wrong): cells that could not be read as text (JSON)
    cell_problems: dict[int, list[tuple[str, str]]] = field(default_factory=dict)


def read_table(path: Path, sheet: str | None = None) -> Table:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(path)
    if suffix == ".xlsx":
        return read_xlsx(path, sheet)
    if suffix == ".json":
        return read_json(path)
    raise UnsupportedFile(
        f"{path.name}: この形式は読めません "
        f"(unsupported file type {suffix or '(none)'}) — .csv、.xlsx、.json が使えます"
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
    except UnicodeDecodeError as e:
        first_bad = e.start
    _refuse_broken_utf8(data, first_bad, name)
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


def _refuse_broken_utf8(data: bytes, first_bad: int, name: str) -> None:
    """UTF-8 with a few bad bytes is said to be so, never read as some other code page."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ch > "\x7f") - bad
    if good >= _MOSTLY_UTF8 * bad:
        line = data[:first_bad].count(b"\n") + 1
        raise UnreadableFile(
            f"{name}: UTF-8 ですが、UTF-8 として読めないバイトが {bad} 個あります（最初は {line}行目）"
            f"(UTF-8 with {bad} bad byte(s), the first near line {line}) — "
            "その行を確かめ、Excel で「CSV UTF-8」として保存し直してください "
            "(check that line and save it again as CSV UTF-8)"
        )


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
    # Long cells are read whole and rejected by row (importing.MAX_CELL), not by the csv module.
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
    # strict: an unterminated quote is an error, not the rest of the file swallowed into one cell.
    records = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    line = 1  # where the record being read starts
    try:
        header = next(records, None)
        line = records.line_num + 1
        # A spreadsheet row is one record, even when a quoted cell spans several lines.
        for number, record in enumerate(records, start=2):
            rows.append((number, record))
            line = records.line_num + 1
    except csv.Error as e:
        row = len(rows) + 2
        if "end of data" in str(e):
            raise UnreadableFile(
                f"{path.name}: {line}行目 ({row}行目のデータ) の引用符 \" が閉じていません "
                f"(an unterminated quote in row {row}, line {line}: the rest of the file would become one cell) — "
                "その行の \" を閉じるか消してください (close or remove that quote)"
            ) from None
        raise UnreadableFile(
            f"{path.name}: {line}行目 ({row}行目のデータ) が CSV として読めません "
            f"(row {row}, line {line} is not valid CSV: {e}) — "
            "引用符 \" の使い方を確かめてください (check the quotes in that row)"
        ) from None
    if not header or not any(h.strip() for h in header):
        raise UnreadableFile(f"{path.name}: 1行目に見出しがありません (row 1 must hold the column headers)")
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
        raise UnknownSheet(
            f"{path.name}: シート {sheet!r} がありません (no such sheet) — あるのは (sheets): {', '.join(names)}"
        )
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
    except RecursionError:
        raise UnreadableFile(
            f"{path.name}: JSON の入れ子が深すぎます (JSON nested too deeply to be an export)"
        ) from None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise UnreadableFile(
            f"{path.name}: オブジェクトの配列ではありません (expected an array of objects, as `tsunagu export` writes)"
        )
    from tui.core.models import COLUMNS

    # An empty export is an empty array: it imports back as nothing, not as "no name column".
    header = list(dict.fromkeys(key for item in items for key in item)) or list(COLUMNS)
    table = Table(path, header, encoding="UTF-8")
    for number, item in enumerate(items, start=2):
        cells = []
        for key in header:
            value = item.get(key)
            text, problem = _json_text(value)
            if problem:
                table.cell_problems.setdefault(number, []).append((key, problem))
            cells.append(text)
        table.rows.append((number, cells))
    return table


def _json_text(value: object) -> tuple[str, str]:
    """A JSON value as cell text, and what is wrong with it ("" when nothing)."""
    if isinstance(value, list):
        parts = [_json_text(v) for v in value]
        return ";".join(text for text, _ in parts), next((p for _, p in parts if p), "")
    if isinstance(value, dict):
        return "\ufffd", "文字ではなくオブジェクトです (an object where text was expected)"
    if value is False:
        return "no", ""  # said, not left out: a confidential flag set to false
    text = cell_text(value)
    if _SURROGATE.search(text):
        return _SURROGATE.sub(
            "\ufffd", text
        ), "文字として読めない値です（対になっていないサロゲート）(a lone surrogate, not a character)"
    return text, ""
