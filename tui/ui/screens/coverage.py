"""The coverage map (``m``, palette カバー状況): subprefectures × needs as a heat map.

A cell is the number of active resources serving the place with the need ("3 未2":
two of them unverified), shaded from 空白 (none, grey, and the word itself) to many.
``enter`` on a subprefecture's name opens its municipalities; ``enter`` on a cell
opens a finder with that area and need as filters (``esc`` comes back). The counts
are made in a worker thread; the screen only fills the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.coordinate import Coordinate
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from tui.core.report_html import level, terminal_style
from tui.core.reports.coverage import Coverage, coverage
from tui.core.reports.coverage_report import (
    Labels,
    cell_label,
    demand_mark,
    filter_words,
    gap_sentence,
    marked,
    opportunity_lines,
)
from tui.core.store.catalogue import Catalogue
from tui.i18n import t

from ..bindings import localise, show_keys
from .finder import FinderScreen

VERIFIED_DAYS = 365  # "verified within 12 months"
FIXED_LINES = 7  # header, filters, cursor line, footer, at least three lines of gaps


@dataclass(frozen=True)
class CoverageRequest:
    """What the map counts: the filters in force (a newer request makes older results stale)."""

    include_paused: bool = False
    verified_only: bool = False


class CoverageScreen(Screen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="coverage.open", tooltip="Open", priority=False),
        Binding("p", "toggle_paused", "Paused", id="coverage.paused", tooltip="Include paused"),
        Binding("v", "toggle_verified", "12 months", id="coverage.verified", tooltip="Verified within 12 months"),
        Binding("escape", "back", "Back", id="coverage.back", tooltip="Back"),
    ]

    request: reactive[CoverageRequest] = reactive(CoverageRequest, init=False)
    """The filters the map is counted with (p and v change them)."""

    class Counted(Message):
        """A worker finished counting for ``request``."""

        def __init__(self, request: CoverageRequest, matrix: Coverage, demand=None) -> None:
            super().__init__()
            self.request = request
            self.matrix = matrix
            self.demand = demand

    def __init__(self, catalogue: Catalogue, lang: str, today: date | None = None, *,
                 subprefecture: str | None = None, request: CoverageRequest | None = None) -> None:
        super().__init__()
        localise(self, lang, "coverage")
        self.catalogue = catalogue
        self.lang = lang
        self.today = today or date.today()
        self.subprefecture = subprefecture  # None: the 14 subprefectures; else this one's municipalities
        self.labels = Labels(catalogue.gazetteer, catalogue.taxonomy, lang, t)
        self.matrix: Coverage | None = None
        self.demand = None  # referrals and unmet local needs (issue 24): shown when there are any
        self.rows: list[str] = []
        if request is not None:
            self.set_reactive(CoverageScreen.request, request)

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        yield Static(id="coverage-filters", markup=False)
        table: DataTable = DataTable(id="coverage-table", cursor_type="cell", fixed_columns=1, zebra_stripes=False)
        yield table
        yield Static(id="coverage-cursor", markup=False)
        with VerticalScroll(id="coverage-gaps-box"):
            yield Static(id="coverage-gaps", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        title = t("coverage.title", self.lang)
        if self.subprefecture:
            title += " — " + t("coverage.title_sub", self.lang, sub=self.labels.place(self.subprefecture))
        self.title = title
        self.query_one("#coverage-cursor", Static).update(t("coverage.loading", self.lang))
        self.query_one(DataTable).focus()
        self._fit()
        self._count()

    # -- counting ------------------------------------------------------------------

    def watch_request(self) -> None:
        self._count()

    def _count(self) -> None:
        self._run_count(self.request)

    @work(thread=True, exclusive=True, group="coverage")
    def _run_count(self, request: CoverageRequest) -> None:
        matrix = coverage(self.catalogue, area=self.subprefecture, include_paused=request.include_paused,
                          verified_within_days=VERIFIED_DAYS if request.verified_only else None, today=self.today)
        self.post_message(self.Counted(request, matrix, _demand(self.catalogue, matrix)))

    def on_coverage_screen_counted(self, message: Counted) -> None:
        if message.request != self.request:
            return  # the filters changed since: a newer count is on its way
        self.matrix = message.matrix
        self.demand = message.demand
        self._fill()

    # -- drawing -------------------------------------------------------------------

    def _fill(self) -> None:
        matrix = self.matrix
        if matrix is None:
            return
        table = self.query_one(DataTable)
        cursor = table.cursor_coordinate
        table.clear(columns=True)
        self.rows = matrix.municipalities(self.subprefecture) if self.subprefecture else matrix.subprefectures()
        names = [self.labels.place(p) for p in self.rows]
        heading = t("coverage.municipality" if self.subprefecture else "coverage.subprefecture", self.lang)
        table.add_column(heading, width=max([cell_len(heading), *map(cell_len, names)]), key="place")
        labels = {need: marked([cell_label(matrix.cell(p, need), self.labels, include_paused=matrix.include_paused,
                                           short=True) for p in self.rows],
                               [demand_mark(self.demand, p, need) for p in self.rows]) for need in matrix.needs}
        least = {need: max([6, *map(cell_len, labels[need])]) for need in matrix.needs}
        wanted = {need: max(least[need], cell_len(self.labels.short_need(need))) for need in matrix.needs}
        widths = share_width(least, wanted, self._column_room(max(map(cell_len, [heading, *names]))))
        for need in matrix.needs:
            # As wide as its widest count, and as its label as far as the width goes; the cursor line names it whole.
            table.add_column(_clip(self.labels.short_need(need), widths[need]), width=widths[need], key=need)
        for row, (place, name) in enumerate(zip(self.rows, names)):
            cells = [Text(name, style="bold")]
            for need in matrix.needs:
                shade = level(matrix.cell(place, need).help(matrix.include_paused))
                # Centred here, not by Rich: its centring drops the trailing room a ▲ mark keeps.
                label, room = labels[need][row], widths[need] - cell_len(labels[need][row])
                cells.append(Text(" " * (room // 2) + label + " " * (room - room // 2), style=terminal_style(shade)))
            table.add_row(*cells, key=place)
        if table.row_count:
            table.cursor_coordinate = Coordinate(min(cursor.row, table.row_count - 1),
                                                 min(cursor.column, len(matrix.needs)))
        self._show_filters()
        self._show_gaps()
        self._show_cursor()

    def _column_room(self, names: int) -> int:
        """Cells the need columns share beside the names: the screen less the place column, each
        column's padding (one cell either side) and the scrollbar."""
        needs = len(self.matrix.needs) if self.matrix is not None else 0
        return self.size.width - names - 2 * (needs + 1) - 2

    def _fit(self) -> None:
        table = self.query_one(DataTable)
        table.styles.max_height = max(5, self.size.height - FIXED_LINES)

    def on_resize(self) -> None:
        self._fit()
        if self.matrix is not None:
            self._fill()

    def _show_filters(self) -> None:
        assert self.matrix is not None
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append(t("coverage.filters", self.lang, filters=filter_words(self.matrix, self.labels, self.today)))
        text.append("  " + t("coverage.size", self.lang, n=self.matrix.resources))
        self.query_one("#coverage-filters", Static).update(text)

    def _show_gaps(self) -> None:
        assert self.matrix is not None
        gaps = self.matrix.gaps()
        out = Text(t("coverage.gaps_title", self.lang), style="bold", end="")
        for gap in gaps:
            out.append("\n" + gap_sentence(gap, self.labels))
        if not gaps:
            out.append("\n" + t("coverage.no_gaps", self.lang))
        if self.demand is not None:
            out.append("\n\n" + t("demand.title", self.lang), style="bold")
            for line in opportunity_lines(self.matrix, self.labels, self.demand) or [t("demand.none", self.lang)]:
                out.append("\n" + line)
            out.append("\n" + t("demand.legend", self.lang), style="dim")
        self.query_one("#coverage-gaps", Static).update(out)

    def _show_cursor(self) -> None:
        """The full names and the full count under the cursor (labels in the table are cut)."""
        place, need = self.cursor_cell()
        if self.matrix is None or place is None:
            return
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        name = self.labels.place(place)
        if need is None:
            line.append(name, style="bold")
            hint = t("coverage.enter_town", self.lang, place=name) if self.subprefecture else t(
                "coverage.enter_row", self.lang, sub=name)
        else:
            counts = self.matrix.cell(place, need)
            line.append(t("coverage.cursor", self.lang, place=name, need=self.labels.need(need),
                          cell=cell_label(counts, self.labels, include_paused=self.matrix.include_paused)))
            hint = t("coverage.enter_cell", self.lang)
        line.append("  " + hint, style="dim")
        self.query_one("#coverage-cursor", Static).update(line)

    def cursor_cell(self) -> tuple[str | None, str | None]:
        """(place, need) under the cursor; need is None on the name column."""
        if self.matrix is None or not self.rows:
            return None, None
        coordinate = self.query_one(DataTable).cursor_coordinate
        place = self.rows[min(coordinate.row, len(self.rows) - 1)]
        need = self.matrix.needs[coordinate.column - 1] if coordinate.column >= 1 else None
        return place, need

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self._show_cursor()

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_open()

    # -- keys ----------------------------------------------------------------------

    def action_open(self) -> None:
        place, need = self.cursor_cell()
        if place is None:
            return
        if need is None and not self.subprefecture:
            self.app.push_screen(CoverageScreen(self.catalogue, self.lang, self.today, subprefecture=place,
                                                request=self.request))
        else:
            self.app.push_screen(CoverageFinderScreen(self.catalogue, self.lang, self.today, area=place,
                                                      needs=(need,) if need else ()))

    def action_toggle_paused(self) -> None:
        self.request = CoverageRequest(not self.request.include_paused, self.request.verified_only)

    def action_toggle_verified(self) -> None:
        self.request = CoverageRequest(self.request.include_paused, not self.request.verified_only)

    def action_back(self) -> None:
        self.app.pop_screen()


class CoverageFinderScreen(FinderScreen):
    """The finder opened from a cell of the map, with its area and need set; ``esc`` goes back to the map."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back", id="coverage.back", tooltip="Back")]

    def __init__(self, catalogue: Catalogue, lang: str, today: date | None = None, *, area: str,
                 needs: tuple[str, ...]) -> None:
        super().__init__(catalogue, lang, today)
        localise(self, lang, "coverage")
        # ``esc`` back to the map takes the footer room of ``q`` (which still quits, as does ctrl+q).
        show_keys(self, ("quit",), False)
        # Set before mount, so the first search already has them (no watcher runs twice).
        self.set_reactive(FinderScreen.area, area)
        self.set_reactive(FinderScreen.needs, needs)

    def action_back(self) -> None:
        self.app.pop_screen()


def _demand(catalogue: Catalogue, matrix: Coverage):
    """The demand beside the counts, or None when this office has no referral and nothing is shared."""
    import sqlite3

    from tui.core.db import SchemaTooNew
    from tui.core.errors import DamagedFile
    from tui.demand import for_catalogue

    try:
        found = for_catalogue(catalogue, matrix)
    except (OSError, sqlite3.Error, SchemaTooNew, DamagedFile):
        return None  # the log cannot be read here: the map still shows supply (`tsunagu referrals` says why)
    return found if found.values else None


def share_width(least: dict[str, int], wanted: dict[str, int], room: int) -> dict[str, int]:
    """Each column's width: at least ``least`` (its counts), up to ``wanted`` (its whole label),
    the ``room`` shared evenly (water-filling), so no label is cut while another column has spare."""
    widths = dict(least)
    spare = room - sum(widths.values())
    while spare > 0:
        short = [key for key in widths if widths[key] < wanted[key]]
        if not short:
            break
        narrowest = min(widths[key] for key in short)
        for key in short:
            if widths[key] == narrowest and spare > 0:
                widths[key] += 1
                spare -= 1
    return widths


def _clip(label: str, width: int) -> str:
    """A label in ``width`` cells, ending in ``…`` when cut (the cursor line shows it whole)."""
    if cell_len(label) <= width:
        return label
    out = ""
    for ch in label:
        if cell_len(out + ch) > width - 1:
            break
        out += ch
    return out + "…"
