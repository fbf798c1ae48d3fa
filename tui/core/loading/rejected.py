"""The rows ``--skip-invalid`` leaves out, in ``NAME.rejected.csv`` beside each input: its columns
plus ``reason``, UTF-8 with BOM for Excel, 0600, and a confidential row's private cells withheld
(the one privacy rule, ``public.is_private``). Written under temporary names, renamed after the
import's transaction commits."""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.files import PRIVATE
from tui.core.loading.headers import map_header
from tui.core.loading.readers import guard
from tui.core.loading.rows import Problem, is_confidential_flag
from tui.core.public import is_private

if TYPE_CHECKING:
    from tui.core.loading.importing import FileReport, ImportReport


def prepare_rejected(rejected, report: ImportReport) -> list[tuple[Path, Path, FileReport]]:
    """The rejected-rows files, written under temporary names; a folder we cannot write blocks the import."""
    try:
        return _write_rejected(rejected)
    except OSError as e:
        where = rejected[0][0].path.with_name(rejected[0][0].path.stem + ".rejected.csv")
        report.problems.append(Problem(
            where.name, 0, "",
            f"除外した行を書き出せません (cannot write the rejected rows): {e.strerror or e} — "
            "何も書き込んでいません (nothing was written)",
            f"{where.parent} に書き込めるか確かめてください (check that folder can be written)",
        ))
        report.blocked = True
        return []


def _write_rejected(rows) -> list[tuple[Path, Path, FileReport]]:
    """``NAME.rejected.csv`` beside each input, written to a temporary name: its columns plus
    ``reason``, UTF-8 with BOM for Excel. Returns (temporary, final, report) to rename after commit."""
    by_file: dict[Path, list] = {}
    for file_report, table, number, cells, problems in rows:
        by_file.setdefault(file_report.path, []).append((file_report, table, number, cells, problems))
    pending: list[tuple[Path, Path, FileReport]] = []
    try:
        for path, entries in by_file.items():
            file_report, table = entries[0][0], entries[0][1]
            target = path.with_name(path.stem + ".rejected.csv")
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
            pending.append((Path(tmp), target, file_report))
            os.fchmod(fd, PRIVATE)  # it may hold a confidential row: readable by this user only
            header = list(table.header)
            columns = map_header(table)[0]
            with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as f:
                writer = csv.writer(f)
                writer.writerow([guard(h) for h in header] + ["reason"])
                for _fr, _table, _number, cells, problems in sorted(entries, key=lambda e: e[2]):
                    padded = list(cells) + [""] * (len(header) - len(cells))
                    reasons = [p.reason for p in problems]
                    if _confidential_row(columns, padded):  # the one privacy rule: private cells stay in the input
                        padded = [("" if is_private(column) else cell)
                                  for column, cell in zip(_names(columns, len(padded)), padded)]
                        reasons.append(WITHHELD_NOTE)
                    writer.writerow([guard(c) for c in padded] + [guard(" / ".join(reasons))])
    except BaseException:
        for partial, _target, _fr in pending:
            partial.unlink(missing_ok=True)
        raise
    return pending


WITHHELD_NOTE = ("非公開の住所などは書き出していません。元のファイルから写してください "
                 "(a confidential row's private cells are not copied here: take them from the input file)")


def _names(columns: dict[str, int], width: int) -> list[str]:
    """The column each cell of a row is, by position ("" for a column not imported)."""
    names = [""] * width
    for column, index in columns.items():
        if index < width:
            names[index] = column
    return names


def _confidential_row(columns: dict[str, int], cells: list[str]) -> bool:
    index = columns.get("confidential")
    return index is not None and index < len(cells) and is_confidential_flag(cells[index])
