"""The verification queue (``V``, palette 要確認の一覧): resources due, oldest first.

Due: never verified, or verified longer ago than the office's interval (settings,
default 12 months). ``v`` verifies, ``e`` edits, ``enter`` shows every field, ``a`` and
``n`` filter — as in the finder; a verified row leaves the list at once. The list is
read in a thread worker (``tui.core.upkeep.curation.due``).
"""

from __future__ import annotations

from datetime import date

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header

from tui.core.models import Hit
from tui.core.public import public_view
from tui.core.store.catalogue import Catalogue
from tui.core.upkeep.curation import due, parse_interval
from tui.i18n import t

from ..bindings import localise
from ..display import cell, place_filter_value, short_area_label, verified_age
from ..messages import SearchRequest
from ..widgets.columns import GAP, column_widths, fit
from ..widgets.detail import DetailPane, Details, describe
from ..widgets.line import StatusLine
from .dialog import Dialog
from .upkeep import UpkeepActions

# The queue's columns by the names the results' layout gives them (tui/ui/widgets/columns.py).
QUEUE_COLUMNS = ("verified", "name", "area", "phone")


class QueueLoaded(Message):
    def __init__(self, request: SearchRequest, hits: list[Hit]) -> None:
        super().__init__()
        self.request = request
        self.hits = hits


class QueueScreen(UpkeepActions, Screen[None]):
    BINDINGS = [
        Binding("v", "verify", "Verified", id="queue.verify"),
        Binding("e", "edit", "Edit", id="queue.edit"),
        Binding("enter", "details", "Details", id="queue.details", show=False),
        Binding("a", "pick_area", "Area", id="queue.area"),
        Binding("n", "pick_needs", "Needs", id="queue.needs"),
        Binding("escape,V", "close", "Close", id="queue.close"),
    ]

    def __init__(self, catalogue: Catalogue, lang: str, today: date, interval: str = "12m") -> None:
        super().__init__()
        localise(self, lang, "queue")
        self.catalogue = catalogue
        self.lang = lang
        self.today = today
        self.interval = interval
        self.request = SearchRequest()
        self.hits: list[Hit] = []

    @property
    def selected(self) -> Hit | None:
        table = self.query_one(DataTable)
        return self.hits[table.cursor_row] if self.hits and 0 <= table.cursor_row < len(self.hits) else None

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        yield StatusLine(id="queue-filters")
        yield DataTable(id="queue-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = t("queue.title", self.lang, interval=interval_label(self.interval, self.lang))
        table = self.query_one(DataTable)
        self._fill(None)  # the columns
        table.focus()
        self.catalogue_changed()

    def area_value(self) -> str | None:
        place = self.catalogue.gazetteer.places.get(self.request.area) if self.request.area else None
        return place_filter_value(place) if place else None

    def catalogue_changed(self) -> None:
        self._load(self.request, self.area_value())

    @work(thread=True, exclusive=True, group="queue")
    def _load(self, request: SearchRequest, area: str | None) -> None:
        hits = due(self.catalogue, today=self.today, interval=self.interval, area=area, needs=request.needs)
        self.post_message(QueueLoaded(request, hits))

    def on_queue_loaded(self, message: QueueLoaded) -> None:
        if message.request != self.request:
            return
        keep = self.selected.id if self.selected else None
        self.hits = message.hits
        self._fill(keep)
        self._show_filters()

    def on_resize(self) -> None:
        if self.hits:
            self._fill(self.selected.id if self.selected else None)

    def _fill(self, keep: str | None) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        # The columns go too: clear() alone keeps the widest width seen, even after a resize.
        table.clear(columns=True)
        for key in ("age", "name", "area", "phone"):
            table.add_column(t(f"queue.{key}", self.lang), key=key)
        gazetteer = self.catalogue.gazetteer
        rows = [(cell(verified_age(hit.last_verified, self.today, self.lang), "bold" if not hit.last_verified else ""),
                 cell(hit.name), cell(short_area_label(gazetteer, hit.area, self.lang)), cell(hit.phone))
                for hit in self.hits]
        # Shared out as the results' columns are (the name first; area and phone capped, cut with …):
        # sized by their longest cell, a row with four phones or a ward's name left the name 10 cells at
        # 80 columns and ran the table past the edge. Each cell has a cell of padding either side and
        # the scrollbar takes 2; column_widths counts one cell between columns.
        headers = [column.label.plain for column in table.columns.values()]
        width = self.size.width - 2 - 2 * len(QUEUE_COLUMNS) + GAP * (len(QUEUE_COLUMNS) - 1)
        widths = list(column_widths(width, headers, QUEUE_COLUMNS, [headers, *([c.plain for c in r] for r in rows)]))
        # Room the longest name does not use goes back to a cut area or phone (a ward's name at 200 columns).
        longest = [max([cell_len(headers[i]), *(r[i].cell_len for r in rows)]) for i in range(len(QUEUE_COLUMNS))]
        for i in (2, 3):
            given = max(0, min(longest[i] - widths[i], widths[1] - longest[1]))
            widths[i] += given
            widths[1] -= given
        for hit, cells in zip(self.hits, rows, strict=True):
            table.add_row(*(fit(c, w) if c.cell_len > w else c for c, w in zip(cells, widths, strict=True)), key=hit.id)
        ids = [h.id for h in self.hits]
        # Stay on the same resource, or (it was verified and left) on the row that took its place.
        table.move_cursor(row=ids.index(keep) if keep in ids else min(row, max(0, len(ids) - 1)), animate=False)

    def _show_filters(self) -> None:
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        area = self.catalogue.gazetteer.label(self.request.area) if self.request.area else t("area.all", self.lang)
        needs = self.catalogue.taxonomy.needs
        chosen = ", ".join(needs[c].label(self.lang) for c in self.request.needs if c in needs) or t(
            "needs.all", self.lang
        )
        text.append(t("finder.area_label", self.lang) + " ", style="bold")
        text.append(area)
        text.append("  " + t("finder.needs_label", self.lang) + " ", style="bold")
        text.append(chosen)
        text.append(
            "  " + (t("queue.count", self.lang, count=len(self.hits)) if self.hits else t("queue.empty", self.lang))
        )
        self.query_one("#queue-filters", StatusLine).show(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("verify", "edit", "details"):
            return True if self.hits else None
        return True

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_details()  # enter on a row: the table takes the key before the screen's binding

    def action_details(self) -> None:
        hit = self.selected
        if hit is not None:
            self._read_details(hit.id)

    @work(thread=True, group="queue-details")
    def _read_details(self, resource_id: str) -> None:
        resource = self.catalogue.get(resource_id)
        if resource is None:
            return
        gazetteer, taxonomy = self.catalogue.gazetteer, self.catalogue.taxonomy
        details = describe(public_view(resource), gazetteer, taxonomy, self.lang, self.today)
        self.app.call_from_thread(self._show_details, details)

    def _show_details(self, details: Details) -> None:
        self.app.push_screen(DetailsScreen(details))

    def action_pick_area(self) -> None:
        from .area_picker import AreaPickerScreen

        def picked(code: str | None) -> None:
            if code is not None:
                self.request = SearchRequest("", code or None, self.request.needs)
                self.catalogue_changed()

        self.app.push_screen(AreaPickerScreen(self.catalogue.gazetteer, self.lang, self.request.area), picked)

    def action_pick_needs(self) -> None:
        from .need_picker import NeedPickerScreen

        def picked(codes: tuple[str, ...] | None) -> None:
            if codes is not None:
                self.request = SearchRequest("", self.request.area, codes)
                self.catalogue_changed()

        self.app.push_screen(NeedPickerScreen(self.catalogue, self.lang, self.request, self.area_value()), picked)

    def action_close(self) -> None:
        self.dismiss(None)


def interval_label(interval: str, lang: str) -> str:
    """12m → 12か月 / 12 months (what the settings hold, as a person says it)."""
    months, days = parse_interval(interval)
    if days:
        return f"{days}日" if lang == "ja" else f"{days} days"
    if months % 12 == 0:
        return f"{months // 12}年" if lang == "ja" else f"{months // 12} year" + ("s" if months > 12 else "")
    return f"{months}か月" if lang == "ja" else f"{months} months"


class DetailsScreen(Dialog[None]):
    """Every field of one resource over the queue (``esc`` or ``enter`` goes back)."""

    BINDINGS = [Binding("escape,enter,q", "close", "Back", id="queue_details.close")]

    def __init__(self, details: Details) -> None:
        super().__init__()
        self.details = details

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield DetailPane(id="queue-details")

    def on_mount(self) -> None:
        # Laid out by the pane for its width (Japanese phrase breaks), again on every resize. A query, not
        # query_one: an enter typed right behind the one that opened this may close it before it mounts.
        for pane in self.query(DetailPane):
            pane.show(self.details)

    def action_focus_results(self) -> None:  # the pane's own escape: back to the queue
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
