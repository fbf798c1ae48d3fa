"""Which column a spreadsheet's header names: the SPEC's column names and their Japanese
aliases (``models.COLUMNS``), folded, so name, ｎａｍｅ and 名称 are one column."""

from __future__ import annotations

import difflib

from tui.core.loading.readers import Table
from tui.core.loading.rows import Problem
from tui.core.models import COLUMNS
from tui.core.text import fold

HEADER = {fold(alias): column for column, aliases in COLUMNS.items() for alias in (column, *aliases)}
# Our own rejected files carry a reason column: reading it back is not a mistake.
IGNORED_HEADERS = {fold("reason"), fold("理由")}


def _closest(key: str) -> str:
    """A fix for an unknown header: the column it most likely means, as the SPEC names it in Japanese."""
    near = difflib.get_close_matches(key, HEADER, n=1, cutoff=0.6)
    if not near:
        return "見出しを列名（名称・電話・住所…）にすると取り込みます (name it as one of the columns to import it)"
    column = HEADER[near[0]]
    first = COLUMNS[column][0] if COLUMNS[column] else column
    return f"もしかして (did you mean): {first} ({column})"


def map_header(table: Table) -> tuple[dict[str, int], dict[str, str], list[Problem], list[Problem]]:
    """Column → cell index and column → header as written; problems and warnings about the header."""
    file = table.path.name
    index: dict[str, int] = {}
    written: dict[str, str] = {}
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for i, header in enumerate(table.header):
        key = fold(header)
        column = HEADER.get(key)
        if column is None:
            if key and key not in IGNORED_HEADERS:
                warnings.append(Problem(file, 1, header,
                                        "この列は取り込みません (column not imported: not one of the SPEC's columns)",
                                        _closest(key)))
            continue
        if column in index:
            problems.append(Problem(file, 1, header,
                                    f"列 {written[column]!r} と同じ項目です (same column twice: {column})",
                                    "どちらかの列を消してください (delete one of them)"))
            continue
        index[column] = i
        written[column] = header
    if "name" not in index:
        # Office sheets often open with a title row or two: say where the headers really are.
        found = next((n for n, cells in table.rows[:10] if any(HEADER.get(fold(c)) == "name" for c in cells)), 0)
        where = f"（見出しは {found}行目にあるようです; the headers seem to be in row {found}）" if found else ""
        problems.append(Problem(file, 1, "", "名称 (name) の列がありません (no name column)" + where,
                                "1行目に見出しを置き、その上の行を消してください "
                                "(put the headers, with 名称 or name, in row 1)"))
    return index, written, problems, warnings
