"""Import resources from spreadsheets: read, validate, then write all rows or none.

``import_files`` reads .csv (any of the encodings Japanese offices use), .xlsx and
our JSON export, maps English or Japanese headers to the SPEC's columns, turns
each row into a ``Resource`` (areas, needs and dates resolved; widths, hyphens and
control characters folded) and reports every problem so a person can fix it:
file, row as the spreadsheet shows it, column as the file names it, what is
wrong, and the fix. Any problem means nothing is written, unless
``skip_invalid``: then the valid rows land and the others go to
``NAME.rejected.csv`` beside the input, with a ``reason`` column.

Files are read by ``readers``, rows become Resources in ``rows``, the copy kept
before writing is ``backup``'s.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from operator import itemgetter
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from tui.core.loading.headers import map_header
from tui.core.loading.readers import Table, UnreadableFile, read_table
from tui.core.loading.rejected import prepare_rejected
from tui.core.loading.rows import Problem, RowReader, make_id, to_resource
from tui.core.models import COLUMNS, Resource
from tui.core.public import keep_private
from tui.core.store.backup import KEEP, backup_catalogue
from tui.core.store.catalogue import Catalogue, WriteSummary
from tui.core.text import fold, strip_legal_forms

__all__ = [
    "FileReport",
    "ImportReport",
    "Problem",
    "import_files",
    "likely_duplicates",
    "make_id",
    "map_header",
    "to_resource",
]

_PROGRESS_EVERY = 2000
# The most a spreadsheet cell holds (Excel: 32,767 characters); a longer one is a mistake, refused by row.
MAX_CELL = 32767
_FIELDS = tuple(f.name for f in fields(Resource))


@dataclass
class FileReport:
    """What was read from one file."""

    path: Path
    encoding: str = ""
    sheet: str = ""
    rows: int = 0  # data rows read (blank rows are not counted)
    rejected: int = 0
    rejected_path: Path | None = None


@dataclass
class ImportReport:
    summary: WriteSummary = field(default_factory=WriteSummary)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # likely duplicates, columns not imported
    files: list[FileReport] = field(default_factory=list)
    rejected: int = 0  # rows left out with --skip-invalid
    written: bool = False
    blocked: bool = False  # problems meant nothing was (or, on a dry run, would be) written
    backup: Path | None = None


def import_files(
    catalogue: Catalogue,
    paths: Sequence[Path],
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    sheet: str | None = None,
    backup_dir: Path | None = None,
    keep_backups: int = KEEP,
    progress: Callable[[str, int, int], None] | None = None,
    by: str = "",
) -> ImportReport:
    """Validate every row of every file, then write them all in one transaction.

    ``backup_dir``: copy the catalogue there before writing (the CLI always does).
    ``progress(stage, done, total)`` is called now and then (stages: check, write).
    ``by``: the worker, for the change log (how: ``import FILE``).
    Raises ``UnsupportedFile`` / ``UnknownSheet`` for usage mistakes.
    """
    # An import makes about ten long-lived objects per row and frees none: the cyclic
    # collector rescanning them all, again and again, would double the time.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _import(
            catalogue, [Path(p) for p in paths], dry_run, skip_invalid, sheet, backup_dir, keep_backups, progress, by
        )
    finally:
        if collecting:
            gc.enable()


def _import(catalogue, paths, dry_run, skip_invalid, sheet, backup_dir, keep_backups, progress, by) -> ImportReport:
    report = ImportReport()
    tables = _read_tables(paths, sheet, report)
    file_problem = bool(report.problems)  # a file that cannot be read blocks even --skip-invalid
    check = _RowCheck(RowReader(catalogue), report, progress, total=sum(len(t.rows) for t, _ in tables))
    for table, file_report in tables:
        report.files.append(file_report)
        file_problem = not check.table(table, file_report) or file_problem
    check.finish()
    report.warnings += placeless(check.accepted)
    if file_problem or (report.problems and not skip_invalid):
        report.blocked = True
        if dry_run and not file_problem:  # a dry run still says what the valid rows would do
            resources = _keep_what_the_file_leaves_out(catalogue, [r for r, *_ in check.accepted], check.present)
            report.summary = catalogue.write(resources, dry_run=True)
            report.rejected = len(check.rejected)
        return report
    resources = _keep_what_the_file_leaves_out(catalogue, [r for r, *_ in check.accepted], check.present)
    report.rejected = len(check.rejected)
    for file_report, *_ in check.rejected:
        file_report.rejected += 1
    # The rejected rows are written (beside their final name) before anything is committed:
    # a folder we cannot write stops the import with nothing changed.
    pending = prepare_rejected(check.rejected, report) if check.rejected and not dry_run else []
    if report.blocked:
        return report
    _write(
        catalogue,
        resources,
        pending,
        report,
        dry_run=dry_run,
        by=by,
        how="import " + ", ".join(p.name for p in paths),
        backup=(backup_dir, keep_backups),
        progress=progress,
    )
    lines = {r.id: (fr.path.name, number) for r, fr, number, _ in check.accepted}
    added = set(report.summary.added)
    report.warnings += likely_duplicates(catalogue, [r for r in resources if r.id in added], lines)
    return report


def _read_tables(paths: Sequence[Path], sheet: str | None, report: ImportReport) -> list[tuple[Table, FileReport]]:
    """Every file read whole; one that cannot be read is a problem named once (usage mistakes raise)."""
    tables: list[tuple[Table, FileReport]] = []
    for path in paths:
        try:
            table = read_table(path, sheet if path.suffix.lower() == ".xlsx" else None)
        except UnreadableFile as e:
            if type(e) is not UnreadableFile:
                raise  # a usage mistake: the CLI exits 2
            message = str(e)
            for prefix in (f"{path.name}: ", f"{path.name} "):  # the problem names the file once
                message = message.removeprefix(prefix)
            report.problems.append(Problem(path.name, 0, "", message))
            continue
        tables.append((table, FileReport(path, table.encoding, table.sheet)))
    return tables


class _RowCheck:
    """Every row through the row rules, remembering what was accepted and what was not."""

    def __init__(self, reader: RowReader, report: ImportReport, progress, total: int) -> None:
        self.reader, self.report, self.progress, self.total, self.done = reader, report, progress, total, 0
        # (id → where it was first seen) to catch the same resource twice in one import
        self.first_seen: dict[str, tuple[str, int, str]] = {}
        self.accepted: list[tuple[Resource, FileReport, int, list[str]]] = []
        # id → (the columns its file has, its confidential cell was blank): what an update may change
        self.present: dict[str, tuple[frozenset[str], bool]] = {}
        self.rejected: list[tuple[FileReport, Table, int, list[str], list[Problem]]] = []
        if progress:
            progress("check", 0, total)

    def table(self, table: Table, file_report: FileReport) -> bool:
        """Check one file's rows; False when its header alone blocks the import."""
        index, headers, header_problems, warnings = map_header(table)
        self.report.warnings += warnings
        if header_problems:
            self.report.problems += header_problems
            return False
        file = table.path.name
        id_column = headers.get("id") or headers.get("name", "name")
        columns = list(index)
        pick = itemgetter(*index.values())
        width = max(index.values()) + 1
        has = frozenset(index)
        for number, cells in table.rows:
            self._tick()
            if not any(cells):
                continue
            if len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            row = dict(zip(columns, pick(cells))) if len(columns) > 1 else {columns[0]: pick(cells)}
            if not any(v.strip() for v in row.values()):
                continue  # a row that only has something in columns we do not import
            file_report.rows += 1
            unreadable = _unreadable_cells(table, number, cells, file)
            resource, problems = (None, unreadable) if unreadable else self.reader.resource(row, file, number, headers)
            if resource is not None:
                seen = self.first_seen.get(resource.id)
                if seen is None:
                    self.first_seen[resource.id] = (file, number, id_column)
                    self.accepted.append((resource, file_report, number, cells))
                    self.present[resource.id] = (has, not row.get("confidential", "").strip())
                    continue
                problems = [_twice(resource.id, bool(row.get("id", "").strip()), seen, file, number, id_column)]
            self.report.problems += problems
            self.rejected.append((file_report, table, number, cells, problems))
        return True

    def _tick(self) -> None:
        self.done += 1
        if self.progress and self.done % _PROGRESS_EVERY == 0:
            self.progress("check", self.done, self.total)

    def finish(self) -> None:
        if self.progress:
            self.progress("check", self.total, self.total)
        self.report.warnings += self.reader.warnings
        self.report.problems.sort(key=lambda p: (p.file, p.row))


def _write(catalogue: Catalogue, resources: list[Resource], pending, report: ImportReport, *, dry_run: bool,
           by: str, how: str, backup: tuple[Path | None, int], progress) -> None:
    """One transaction (a backup first); the rejected files take their names only after it commits."""
    if progress:
        progress("write", 0, len(resources))
    backup_dir, keep_backups = backup

    def before_write() -> None:
        if backup_dir is not None:
            report.backup = backup_catalogue(catalogue.conn, catalogue.path, backup_dir, keep=keep_backups)

    try:
        report.summary = catalogue.write(resources, dry_run=dry_run, before_write=before_write, by=by, how=how)
    except BaseException:
        for partial, _target, _fr in pending:
            partial.unlink(missing_ok=True)
        raise
    report.written = not dry_run
    for partial, target, file_report in pending:
        os.replace(partial, target)
        file_report.rejected_path = target
    if progress:
        progress("write", len(resources), len(resources))


def _twice(resource_id: str, had_id: bool, seen: tuple[str, int, str], file: str, number: int, column: str) -> Problem:
    """The same resource on two rows: the same id, or (without ids) the same name and area."""
    where = f"{seen[1]}行目" if seen[0] == file else f"{seen[0]} {seen[1]}行目"
    also = f"also in row {seen[1]}" + ("" if seen[0] == file else f" of {seen[0]}")
    if had_id:
        return Problem(
            file,
            number,
            column,
            f"同じ ID が2回あります (the same id twice): {resource_id!r} は {where} にもあります ({also})",
            "ID を変えるか、どちらかの行を消してください (give each row its own id, or delete one)",
        )
    return Problem(
        file,
        number,
        column,
        f"同じ名称・地域の行が2回あります (the same name and area twice): {where} と同じです ({also})",
        "どちらかの行を消すか、ID 列で別の資源だと示してください (delete one, or give each its own id)",
    )


def _unreadable_cells(table: Table, number: int, cells: list[str], file: str) -> list[Problem]:
    """Cells no resource can hold: not text (JSON objects, lone surrogates) or past ``MAX_CELL``."""
    if number not in table.cell_problems and max(map(len, cells), default=0) <= MAX_CELL:
        return []  # the common case, checked fast
    problems = [Problem(file, number, column, message, "その値を文字にしてください (make it text)")
                for column, message in table.cell_problems.get(number, ())]
    for i, cell in enumerate(cells):
        if len(cell) > MAX_CELL:
            column = table.header[i] if i < len(table.header) else str(i + 1)
            problems.append(Problem(
                file, number, column, f"セルが長すぎます (a cell of {len(cell):,} characters; at most {MAX_CELL:,})",
                "内容を確かめ、短くしてください (check the cell: it may hold a whole file pasted by mistake)",
            ))
    return problems


def _keep_what_the_file_leaves_out(catalogue: Catalogue, resources: list[Resource],
                                   present: dict[str, tuple[frozenset[str], bool]]) -> list[Resource]:
    """An update changes only the columns its file has: a two-column file never blanks the rest.

    A place stays confidential unless its file says ``no`` in the confidential column (a
    blank cell or a missing column is not a decision), and a confidential place keeps its
    private fields when the file leaves them blank (exports leave them out).
    """
    every = frozenset(COLUMNS)
    with catalogue.lock:  # few rows: read them all, so a full file's other rows are not read twice
        confidential = {row[0] for row in catalogue.conn.execute("SELECT id FROM resources WHERE confidential = 1")}
    touched = [r.id for r in resources if present[r.id][0] != every or r.confidential or r.id in confidential]
    if not touched:
        return resources
    stored = {r.id: r for r in catalogue.get_many(touched)}
    out = []
    for resource in resources:
        old = stored.get(resource.id)
        if old is None:
            out.append(resource)
            continue
        columns, confidential_blank = present[resource.id]
        keep = {name: getattr(old, name) for name in _FIELDS if name in COLUMNS and name not in columns}
        if "name_kana" not in columns:
            keep["name_kana_generated"] = old.name_kana_generated
        if old.confidential and confidential_blank:
            keep["confidential"] = True
        merged = resource.replace(**keep) if keep else resource
        if merged.confidential:
            merged = keep_private(merged, old)
        out.append(merged)
    return out


def placeless(accepted: list[tuple[Resource, FileReport, int, list[str]]]) -> list[Problem]:
    """Rows with neither an area nor places served, said once per file: an area filter never shows them."""
    rows: dict[str, list[int]] = {}
    for resource, file_report, number, _ in accepted:
        if not resource.area and not resource.serves:
            rows.setdefault(file_report.path.name, []).append(number)
    out = []
    for name, numbers in rows.items():
        n, shown = len(numbers), ", ".join(map(str, numbers[:5])) + (" …" if len(numbers) > 5 else "")
        out.append(Problem(
            name, numbers[0], "",
            f"{n} 行に地域（市町村）も対象地域もありません — 地域で絞ると表示されません ({n} row{'s' * (n > 1)} "
            f"with no area and no places served: an area filter never shows them): {shown}",
            "市町村か対象地域の列を足すか、全道に向けたものなら「全道」と書いてください "
            "(add a 市町村 or 対象地域 column, or write 全道 for one serving all Hokkaido)"))
    return out


def likely_duplicates(catalogue: Catalogue, added: list[Resource], lines: dict[str, tuple[str, int]]) -> list[Problem]:
    """New resources that look like one already in the catalogue: same area, same or nearly the same name."""
    if not added:
        return []
    new_ids = {r.id for r in added}
    keys: dict[str, list[str]] = {}  # area → folded names, for rapidfuzz
    entries: dict[str, list[tuple[str, str]]] = {}  # area → (id, name), same order
    areas = {r.area for r in added}
    with catalogue.lock:
        for rid, name, area in catalogue.conn.execute("SELECT id, name, area FROM resources"):
            if rid not in new_ids and area in areas:
                keys.setdefault(area, []).append(fold(strip_legal_forms(name)))
                entries.setdefault(area, []).append((rid, name))
    warnings: list[Problem] = []
    for resource in added:
        if resource.area not in keys:
            continue
        key = fold(strip_legal_forms(resource.name))
        # In a short name one character is as often another place (北見の家 / 北見の森): under five
        # characters only the same name counts, then one difference, two from ten characters.
        allowed = 0 if len(key) < 5 else 1 if len(key) < 10 else 2
        match = process.extractOne(key, keys[resource.area], scorer=Levenshtein.distance, score_cutoff=allowed)
        if match is None:
            continue
        other_id, other_name = entries[resource.area][match[2]]
        file, number = lines.get(resource.id, ("", 0))
        warnings.append(
            Problem(
                file,
                number,
                "",
                f"すでにある資源と同じかもしれません (likely duplicate): {resource.name!r} "
                f"({resource.id}) ≈ {other_name!r} ({other_id})",
                f"同じなら、この行の ID を {other_id!r} にしてください (if they are the same, use that id in this row)",
            )
        )
    return warnings
