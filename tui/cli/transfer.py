"""`tsunagu import` and `tsunagu export`: bulk loading and sharing the catalogue.

Exit codes (SPEC): 0 done; 1 the files had problems (nothing written); 2 usage
mistakes (missing file, unsupported type, unknown sheet, area or need).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import EXIT_INPUT, UsageProblem, db_option, echo_err, is_tty_stderr, open_catalogue

# Below this many rows an import is over before a progress bar is worth drawing.
PROGRESS_FROM_ROWS = 5000
# A wrong file can have a problem on every row: past this many, the rest are counted.
SHOWN_PROBLEMS = 200
# Warnings (columns not imported, likely duplicates) do not stop an import: the first few and a count.
SHOWN_WARNINGS = 20


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--dry-run", is_flag=True, help="Report what would change (added/updated/unchanged/rejected); write nothing."
)
@click.option(
    "--skip-invalid", is_flag=True, help="Write the valid rows; put the others in NAME.rejected.csv with a reason."
)
@click.option("--sheet", metavar="NAME", help="Sheet to read from .xlsx files (default: the first).")
@db_option
def import_command(
    files: tuple[Path, ...], dry_run: bool, skip_invalid: bool, sheet: str | None, db: str | None
) -> None:
    """Import resources from FILE... (.csv in UTF-8 or Shift_JIS, .xlsx, .json),
    or an Open Referral HSDS package (a folder, or its datapackage.json).

    Columns may have English or Japanese headers (名称, 市町村, 種別, 確認日 …).
    The whole import is one transaction: if any row has a problem, nothing is
    written (exit 1) and every problem is listed with its row, column and fix.
    A backup of the catalogue is kept in the data folder before anything is written.
    """
    from tui import config
    from tui.core.loading.importing import import_files
    from tui.core.loading.readers import UnreadableFile
    from tui.paths import backups_dir

    if any(path.is_dir() or path.name == "datapackage.json" for path in files):
        from .sync import import_package  # an HSDS package (DIR or DIR/datapackage.json)

        return import_package(files, dry_run=dry_run, db=db)
    _check_files(files)
    from tui.core.upkeep.curation import is_worksheet

    if len(files) == 1 and is_worksheet(files[0]):  # a filled `stale --export` sheet
        from .upkeep import import_worksheet

        return import_worksheet(files[0], db, dry_run)
    with open_catalogue(db) as catalogue, _Progress() as progress:
        try:
            report = import_files(
                catalogue, files, dry_run=dry_run, skip_invalid=skip_invalid, sheet=sheet,
                backup_dir=backups_dir(), progress=progress.update, by=config.load().worker,
            )
        except UnreadableFile as e:  # an unknown sheet: a usage mistake
            raise UsageProblem(str(e)) from None
        # Anything else (a busy or read-only catalogue, a full disk) is named by the CLI's fault handler.
    _print_report(report, dry_run)


def _check_files(files: tuple[Path, ...]) -> None:
    from tui.core.loading.readers import SUPPORTED

    for path in files:
        if not path.is_file():
            raise UsageProblem(f"ファイルがありません (file not found): {path}")
        if path.suffix.lower() not in SUPPORTED:
            raise UsageProblem(
                f"{path.name}: この形式は読めません (unsupported file type) — .csv、.xlsx、.json が使えます"
                + (_SAVE_AS if path.suffix.lower() in (".xls", ".xlsm", ".xlsb", ".ods") else "")
            )
        if path.suffix.lower() == ".csv":
            with path.open("rb") as file:
                start = file.read(8)
            for magic, what in _BOOKS:
                if start.startswith(magic):
                    raise UsageProblem(f"{path.name}: 中身は{what}です (an Excel workbook, not CSV text)" + _SAVE_AS)


# A workbook named .csv is read as text and its encoding cannot be told: say what it is instead.
_BOOKS = ((b"PK\x03\x04", " Excel のブック (.xlsx) "), (b"\xd0\xcf\x11\xe0", "古い Excel のブック (.xls) "))
_SAVE_AS = (" → Excel で開き「名前を付けて保存」で「.xlsx」か「CSV UTF-8」で保存し直してください "
            "(save it as .xlsx or CSV UTF-8 from Excel)")


def _print_report(report, dry_run: bool) -> None:
    """What was read, the warnings and problems, then the summary (a dry run shows it even when blocked)."""
    for file in report.files:
        how = f"文字コード (encoding) {file.encoding}" if file.encoding and file.path.suffix.lower() == ".csv" else ""
        how = how or (f"シート (sheet) {file.sheet}" if file.sheet else "")
        click.echo(f"{file.path.name}: {file.rows} 行 (rows)" + (f", {how}" if how else ""))
    for warning in report.warnings[:SHOWN_WARNINGS]:
        echo_err(f"注意 (warning) {warning}")
    if len(report.warnings) > SHOWN_WARNINGS:
        more = len(report.warnings) - SHOWN_WARNINGS
        echo_err(f"注意 (warning) … 他 {more} 件 (and {more} more warnings; {len(report.warnings)} in all)")
    for problem in report.problems[:SHOWN_PROBLEMS]:
        echo_err(str(problem))
    if len(report.problems) > SHOWN_PROBLEMS:
        echo_err(
            f"… 他 {len(report.problems) - SHOWN_PROBLEMS} 件 (and {len(report.problems) - SHOWN_PROBLEMS} more) — "
            "--skip-invalid で全部を NAME.rejected.csv に書き出せます "
            "(--skip-invalid lists every one in NAME.rejected.csv)"
        )
    if report.blocked:
        if dry_run and report.rejected:  # what the valid rows would do, beside the rows that would be rejected
            _summary_table(report, dry_run)
        echo_err(
            f"{len(report.problems)} 件の問題があります。何も書き込んでいません (problems found: nothing was written)"
        )
        sys.exit(EXIT_INPUT)
    _summary_table(report, dry_run)
    if dry_run:
        click.echo("試行のみ: 何も書き込んでいません (dry run: nothing was written)")
    if report.backup:
        click.echo(f"バックアップ (backup): {report.backup}")
    for file in report.files:
        if file.rejected_path:
            click.echo(f"除外した行 (rejected rows): {file.rejected} → {file.rejected_path}")


def _summary_table(report, dry_run: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    summary = report.summary
    table = Table(
        title="取り込み結果 (import summary)" + (" — 試行 (dry run)" if dry_run else ""), title_justify="left"
    )
    for header in ("追加 added", "更新 updated", "変更なし unchanged", "除外 rejected"):
        table.add_column(header, justify="right")
    table.add_row(
        *(str(n) for n in (len(summary.added), len(summary.updated), len(summary.unchanged), report.rejected))
    )
    Console(highlight=False, soft_wrap=False).print(table)


class _Progress:
    """A rich progress bar on stderr, only on a terminal and only for large files."""

    def __init__(self):
        self.bar = None
        self.task = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()

    def update(self, stage: str, done: int, total: int) -> None:
        if self.bar is None:
            if total < PROGRESS_FROM_ROWS or not is_tty_stderr():
                return
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("確認中 (checking)", total=total)
        label = "確認中 (checking)" if stage == "check" else "書き込み中 (writing)"
        assert self.task is not None  # added with the bar, just above
        self.bar.update(self.task, description=label, completed=done, total=max(total, 1))


@click.command("export")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json", "hsds", "hsds-json"]),
              help="Default: from the file name. hsds / hsds-json: FILE is a folder for an Open Referral HSDS package.")
@click.option(
    "--include-confidential", is_flag=True, help="Also write the address of confidential places (e.g. DV shelters)."
)
@click.option("--area", metavar="A", help="Only resources serving this area (name, kana, romaji, code or postal code).")
@click.option(
    "--need", "needs", metavar="N", multiple=True, help="Only resources with this need (repeatable; any of them)."
)
@db_option
def export_command(
    file: Path, fmt: str | None, include_confidential: bool, area: str | None, needs: tuple[str, ...], db: str | None
) -> None:
    """Export the catalogue to FILE (.csv UTF-8 with BOM, .xlsx or .json), ready to import elsewhere,
    or to a folder as an Open Referral HSDS 3.0 package (--format hsds, or hsds-json for services.json).

    Confidential addresses are left out unless --include-confidential is given (never in HSDS).
    """
    from tui.core.loading.exporting import TooLongForSpreadsheet, export, format_for, select
    from tui.core.reference.areas import UnknownArea
    from tui.core.reference.needs import UnknownNeed

    if fmt in ("hsds", "hsds-json"):
        from .sync import export_package

        return export_package(file, fmt, db=db, filtered=bool(area or needs or include_confidential))
    try:
        format_for(file, fmt)
    except ValueError as e:
        raise UsageProblem(str(e)) from None
    if file.parent and not file.parent.is_dir():
        raise UsageProblem(f"フォルダがありません (folder does not exist): {file.parent}")
    with open_catalogue(db) as catalogue:
        try:
            chosen = select(catalogue, area=area, needs=needs) if area or needs else None
        except (UnknownArea, UnknownNeed) as e:
            raise UsageProblem(str(e)) from None
        try:
            summary = export(catalogue, file, format=fmt, include_confidential=include_confidential, resources=chosen)
        except TooLongForSpreadsheet as e:
            echo_err(str(e))
            sys.exit(EXIT_INPUT)
    click.echo(f"{summary.path}: {summary.count} 件 (resources), {summary.format}")
    if summary.withheld:
        click.echo(
            f"非公開の住所 {summary.withheld} 件は書き出していません (confidential addresses left out; "
            "--include-confidential to include)"
        )
