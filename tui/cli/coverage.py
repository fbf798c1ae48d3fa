"""`tsunagu coverage`: the place × need matrix in the terminal or as csv, xlsx, json, html."""

from __future__ import annotations

import io
import os
import sys
from contextlib import ExitStack
from pathlib import Path

import click

from .common import UsageProblem, check_folder, db_option, echo_err, open_catalogue, today

TABLE_GAPS = 15  # gap sentences printed under the terminal table


@click.command()
@click.option("--area", help="Only this area: a subprefecture and its municipalities, or one municipality.")
@click.option("--need", "needs", multiple=True, help="Only these needs (code or label); repeatable.")
@click.option(
    "--include-paused", is_flag=True, help="Count paused resources as help too (they are always counted apart)."
)
@click.option("--verified-within", help="Count only resources verified within this period: 12m, 1y, 90d.")
@click.option("--format", "format_", type=click.Choice(["table", "csv", "xlsx", "json", "html"]), default=None,
              help="Output format (default: table, or from --out's suffix).")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file.")
@click.option(
    "--demand",
    is_flag=True,
    help="Add referrals and unmet local needs (this office's and every office's shared counts; under 3 suppressed).",
)
@click.option("--lang", type=click.Choice(["ja", "en"]), help="Language of labels (default: settings, then locale).")
@db_option
def coverage(area: str | None, needs: tuple[str, ...], include_paused: bool, verified_within: str | None,
             format_: str | None, out: Path | None, demand: bool, lang: str | None, db: str | None) -> None:
    """Which subprefectures and municipalities have help for which needs.

    \b
    tsunagu coverage
    tsunagu coverage --need shelter --need food --include-paused
    tsunagu coverage --area 宗谷 --verified-within 12m
    tsunagu coverage --format html --out coverage.html
    tsunagu coverage --demand --format json
    """
    from tui import config
    from tui.core.reference.areas import UnknownArea
    from tui.core.reference.needs import UnknownNeed
    from tui.core.reports.coverage import coverage as compute
    from tui.core.reports.coverage import parse_period
    from tui.core.reports.coverage_report import Labels, write
    from tui.i18n import t

    kind = format_ or (out.suffix.lower().lstrip(".") if out and out.suffix.lower() in (
        ".csv", ".xlsx", ".json", ".html") else "table")
    if kind == "xlsx" and out is None:
        raise UsageProblem("--format xlsx には --out FILE が必要です (needs --out FILE)")
    check_folder(out, "--out")
    try:
        days = parse_period(verified_within) if verified_within else None
    except ValueError as e:
        raise UsageProblem(f"--verified-within: {e}") from None
    from .referrals import _language

    lang = _language(lang, config.load())
    with open_catalogue(db) as catalogue:
        try:
            place = catalogue.gazetteer.resolve(area).code if area else None
            codes = list(dict.fromkeys(catalogue.taxonomy.resolve(n).code for n in needs)) or None
        except (UnknownArea, UnknownNeed) as e:
            raise UsageProblem(str(e)) from None
        matrix = compute(catalogue, area=place, needs=codes, include_paused=include_paused,
                         verified_within_days=days, today=today())
        labels = Labels(catalogue.gazetteer, catalogue.taxonomy, lang, t)
        shown = _demand(catalogue, matrix) if demand else None
    if kind == "table":
        _print_table(matrix, labels, out, shown)
    elif out is None:
        _print_text(matrix, labels, kind, shown)
    else:
        write(matrix, labels, out, kind, today=today(), demand=shown)
        echo_err(t("coverage.written", lang, path=out))


def _demand(catalogue, matrix):
    """This office's referral log and the counts other offices shared (after a sync)."""
    from tui.core.db import SchemaTooNew
    from tui.demand import for_catalogue

    try:
        return for_catalogue(catalogue, matrix)
    except SchemaTooNew as e:
        raise UsageProblem(str(e)) from None


def _print_text(matrix, labels, kind: str, demand=None) -> None:
    """json, csv or html on stdout (xlsx needs a file)."""
    import csv
    import json

    from tui.core.reports.coverage_report import _safe, table_rows, to_html, to_json

    if kind == "json":
        click.echo(json.dumps(to_json(matrix, labels, demand), ensure_ascii=False, indent=1))
    elif kind == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerows([_safe(v) for v in row] for row in table_rows(matrix, labels))
    else:
        click.echo(to_html(matrix, labels, today=today(), demand=demand), nl=False)


def _print_table(matrix, labels, out: Path | None, demand=None) -> None:
    """A rich table; colour only when writing to a terminal (or never, to a file)."""
    from rich.cells import cell_len
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from tui.core.reports.coverage_report import filter_words, gap_sentence, opportunity_lines
    from tui.i18n import t

    lang = labels.lang
    with ExitStack() as stack:
        # to a file: drawn in memory, then written whole (files.atomic_write), never half a table
        handle = stack.enter_context(io.StringIO()) if out else None
        columns = os.environ.get("COLUMNS", "")  # a pipe is as wide as COLUMNS says, else 240
        width = None if (handle is None and sys.stdout.isatty()) else int(columns) if columns.isdigit() else 240
        console = Console(file=handle, no_color=handle is not None, highlight=False, soft_wrap=False, width=width)
        colour = console.is_terminal and handle is None
        subs = matrix.subprefectures()
        rows = subs + (matrix.municipalities() if len(subs) == 1 else [])
        names = [labels.place(place) if place in subs else "  " + labels.place(place) for place in rows]
        cells = {need: _count_cells(matrix, labels, rows, need, demand, colour) for need in matrix.needs}
        heading = t("coverage.place", lang)
        place_width = max(map(cell_len, [heading, *names]))
        need_widths = [max(cell_len(labels.short_need(need)), *(cell.cell_len for cell in cells[need]))
                       for need in matrix.needs]
        for need, room in zip(matrix.needs, need_widths):  # right-aligned here: Rich's drops a ▲'s trailing room
            for cell in cells[need]:
                cell.pad_left(room - cell.cell_len)
        # Twenty needs squeezed into 80 columns read as '…': print as many parts as it takes.
        for number, part in enumerate(_parts(need_widths, console.width - place_width - 4)):
            table = Table(title=t("coverage.title", lang) if number == 0 else None, show_lines=False)
            table.add_column(heading, no_wrap=True)
            for index in part:
                table.add_column(Text(labels.short_need(matrix.needs[index]), justify="right"), no_wrap=True)
            for row, (place, name) in enumerate(zip(rows, names)):
                table.add_row(Text(name, style="bold" if place in subs else ""),
                              *(cells[matrix.needs[index]][row] for index in part))
            console.print(table)
        console.print(Text(t("coverage.legend", lang)))
        console.print(Text(t("coverage.size", lang, n=matrix.resources) + "  "
                           + t("coverage.filters", lang, filters=filter_words(matrix, labels, today()))))
        gaps = matrix.gaps()
        console.print(Text(t("coverage.gaps_title", lang), style="bold"))
        for gap in gaps[:TABLE_GAPS]:
            console.print(Text("  " + gap_sentence(gap, labels)))
        if len(gaps) > TABLE_GAPS:
            console.print(Text("  " + t("coverage.more_gaps", lang, n=len(gaps) - TABLE_GAPS)))
        if not gaps:
            console.print(Text("  " + t("coverage.no_gaps", lang)))
        if demand is not None:
            console.print(Text(t("demand.legend", lang)))
            console.print(Text(t("demand.title", lang), style="bold"))
            lines = opportunity_lines(matrix, labels, demand)
            for line in lines or [t("demand.none", lang)]:
                console.print(Text("  " + line))
        if out is not None and handle is not None:
            from tui.core.files import shared_mode, write_text

            write_text(out, handle.getvalue(), mode=shared_mode())


def _count_cells(matrix, labels, rows: list[str], need: str, demand, colour: bool) -> list:
    """One need's column: each place's count and ▲ mark (every mark padded to the widest), shaded."""
    from rich.text import Text

    from tui.core.report_html import level, terminal_style
    from tui.core.reports.coverage_report import cell_label, demand_mark, marked

    counts = [matrix.cell(place, need) for place in rows]
    shown = marked([cell_label(c, labels, include_paused=matrix.include_paused, short=True) for c in counts],
                   [demand_mark(demand, place, need) for place in rows])
    cells = []
    for label, count in zip(shown, counts):
        shade = level(count.help(matrix.include_paused))
        cells.append(Text(label, style=terminal_style(shade) if colour else ("bold" if not shade else "")))
    return cells


def _parts(widths: list[int], room: int) -> list[list[int]]:
    """Column indexes grouped so that each group's columns (3 cells of padding and border each) fit ``room``."""
    parts: list[list[int]] = [[]]
    used = 0
    for index, width in enumerate(widths):
        if parts[-1] and used + width + 3 > room:
            parts.append([])
            used = 0
        parts[-1].append(index)
        used += width + 3
    return parts
