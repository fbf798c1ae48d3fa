"""The finder: search box, area and need filters, results, details — the first screen.

State lives in three reactives (search_text, area, needs) that together make a
``SearchRequest``; every change starts an exclusive thread worker that posts
``SearchCompleted`` carrying its request, and results for any other request are
dropped. Nothing here touches the database on the event loop.

Its mixins each do one job: ``finder_keys`` (the search box's keys and keys that wait),
``finder_detail`` (the details pane), ``filtering`` (a, n, w, x), ``referring`` (r, c, L)
and ``upkeep`` (e, v, h, V).
"""

from __future__ import annotations

import gc
from datetime import date

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Static

from tui.core.models import Hit
from tui.core.reference.areas import HOKKAIDO, Place
from tui.core.referrals.log import normalise_case_ref
from tui.core.search.crisis import search_with_fallback
from tui.core.search.places import split_place
from tui.core.store.catalogue import Catalogue
from tui.i18n import t

from ..bindings import localise, show_keys
from ..commands import FinderCommands
from ..display import area_label, cell, place_filter_value, short_area_label, short_need_label, verified_age
from ..host import host
from ..messages import PreparedDetail, SearchCompleted, SearchRequest
from ..sync_status import SyncStatus, status_text
from ..widgets import steady_cursors
from ..widgets.detail import DetailPane
from ..widgets.line import StatusLine
from ..widgets.results import COLUMN_KEYS, ResultsTable
from ..widgets.search_box import SearchBox
from .filtering import FilterActions
from .finder_detail import DetailLoading
from .finder_keys import SearchKeys
from .help import HelpScreen
from .prompt import PromptScreen, case_ref_problem
from .referring import ReferActions
from .upkeep import UpkeepActions

# Enough for any screen; the table draws only the rows that fit.
SEARCH_LIMIT = 200
# Keys the footer shows too when the terminal is at least WIDE_FOOTER columns wide, and
# more again from WIDEST_FOOTER (measured in Japanese, the wider labels, with room to spare).
MORE_KEYS = ("case", "refer_remarks", "details", "referral_log")
WIDE_FOOTER = 120
UPKEEP_KEYS = ("upkeep.edit", "upkeep.verify", "upkeep.history", "upkeep.queue", "coverage.map")
WIDEST_FOOTER = 180


class FinderScreen(SearchKeys, DetailLoading, ReferActions, UpkeepActions, FilterActions, Screen):
    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="search", tooltip="Type to search"),
        Binding("a", "pick_area", "Area", id="area", tooltip="Filter by area"),
        Binding("n", "pick_needs", "Needs", id="needs", tooltip="Filter by need"),
        Binding("k", "set_case", "Case", id="case", tooltip="Set the case reference", show=False),
        Binding("r", "refer", "Refer", id="refer", tooltip="Refer the selected resource"),
        Binding("R", "refer_remarks", "Refer+", id="refer_remarks", tooltip="Refer with a remark", show=False),
        Binding("c", "copy_contact", "Copy", id="copy_contact", tooltip="Copy the contact"),
        # Offered in the no-results message itself, so the footer keeps ? and q at 80 columns.
        Binding("w", "widen", "Widen", id="widen", tooltip="Widen the area", show=False),
        Binding("x", "drop_need", "Drop need", id="drop_need", tooltip="Drop the last need", show=False),
        Binding("enter", "details", "Details", id="details", tooltip="Show every field", show=False),
        Binding("L", "referral_log", "Log", id="referral_log", tooltip="Referral log", show=False),
        # Upkeep (screens/upkeep.py): edit, new, verified today, history, the verification queue.
        Binding("e", "edit", "Edit", id="upkeep.edit", tooltip="Edit", show=False),
        Binding("ctrl+n", "new_resource", "New", id="upkeep.new", tooltip="New resource", show=False),
        Binding("v", "verify", "Verified", id="upkeep.verify", tooltip="Verified today", show=False),
        Binding("h", "history", "History", id="upkeep.history", tooltip="History", show=False),
        Binding("V", "queue", "Due", id="upkeep.queue", tooltip="Verification queue", show=False),
        Binding("S", "sync", "Sync", id="sync.now", tooltip="Share changes with the other offices now", show=False),
        Binding("C", "conflicts", "Conflicts", id="sync.conflicts", tooltip="Conflicts with other offices", show=False),
        Binding("m", "coverage_map", "Map", id="coverage.map", tooltip="Coverage map", show=False),
        Binding("question_mark", "help", "Help", id="help", tooltip="Every key"),
        Binding("q", "app.quit", "Quit", id="quit", tooltip="Quit Tsunagu"),
    ]
    COMMANDS = {FinderCommands}
    ESCAPE_TO_MINIMIZE = False  # escape in the details goes back to the results (see DetailPane)

    # repaint=False: a reactive on the screen repaints the whole screen when set; the widgets
    # that show these repaint themselves.
    search_text: reactive[str] = reactive("", init=False, repaint=False)
    """What is typed in the search box."""
    area: reactive[str | None] = reactive(None, init=False, repaint=False)
    """Place code of the area filter; None lists all of Hokkaido."""
    needs: reactive[tuple[str, ...]] = reactive((), init=False, repaint=False)
    """Need codes ticked in the need filter (a resource with any of them is kept)."""
    selected: reactive[Hit | None] = reactive(None, init=False, repaint=False)
    """The hit under the cursor: what ``r``, ``c`` and ``enter`` act on."""

    def __init__(self, catalogue: Catalogue, lang: str, today: date | None = None) -> None:
        super().__init__()
        localise(self, lang)
        self.catalogue = catalogue
        self.lang = lang
        self.today = today or date.today()
        self.request = SearchRequest()
        self.typed_place: Place | None = None  # a place word in the query, when no area is picked
        self.shown: SearchRequest | None = None  # the request whose results are on screen
        self.started: SearchRequest | None = None  # the request of the newest search started
        self.hits: list[Hit] = []
        self.local_hits = 0  # hits found in the area; the rest are lines serving all Hokkaido (crisis fallback)
        self.searched = False  # the first results have arrived
        self.pending_select: str | None = None  # a resource chosen in the palette
        self.records: dict[str, PreparedDetail] = {}  # resources already read and laid out, by id
        self.widened_from: str | None = None  # the area first asked for, once ``w`` widened it
        # Focus moves a message after the key that asks for it, and a fast typist's next keys are
        # already on their way to the old widget: these say where they were meant to go.
        self.search_pending = False  # ``/`` was pressed: letters are search text until focus leaves the box
        self.search_fresh = False  # nothing typed since ``/``: the first letter replaces the query
        self.leaving_search = False  # escape/enter/↓ left the box: letters are commands again
        self.outside: frozenset[str] = frozenset()  # hits that do not serve ``widened_from``

    # -- layout --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        with Horizontal(id="search-row"):
            yield Label(t("finder.search_label", self.lang), id="search-label")
            yield SearchBox(placeholder=t("finder.search_placeholder", self.lang), id="search", compact=True)
        yield StatusLine(id="filters")
        with Horizontal(id="body"):
            with Vertical(id="results-pane"):
                headers = {key: t(f"column.{key}", self.lang) for key in COLUMN_KEYS}
                yield Static(id="empty", markup=False)
                yield ResultsTable(headers, self._row_cells, id="results")
            yield DetailPane(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        steady_cursors(self)
        self.query_one(ResultsTable).focus()
        self._update_filters()
        self._search()

    def _row_cells(self, hit: Hit) -> tuple[Text, ...]:
        taxonomy = self.catalogue.taxonomy
        name = cell(hit.name)
        if hit.fallback:
            name = Text.assemble((t("crisis.mark", self.lang), "bold"), " ", name, no_wrap=True,
                                 overflow="ellipsis", end="")
        if hit.status == "paused":
            name = Text.assemble((t("status.paused_short", self.lang), "bold"), " ", name, no_wrap=True,
                                 overflow="ellipsis", end="")
        if hit.id in self.outside:
            name = Text.assemble((t("finder_more.outside_short", self.lang), "italic"), " ", name, no_wrap=True, end="")
        # The need filtered on comes first, so the column shows why the row is there.
        codes = sorted(hit.needs, key=lambda code: code not in self.needs)
        needs = t("common.sep", self.lang).join(short_need_label(taxonomy, code, self.lang) for code in codes)
        age = verified_age(hit.last_verified, self.today, self.lang)
        area = short_area_label(self.catalogue.gazetteer, hit.area, self.lang)
        return (name, cell(hit.organization), cell(area), cell(needs), cell(hit.phone),
                cell(age, "dim" if not hit.last_verified else ""))

    # -- searching -----------------------------------------------------------------

    def watch_search_text(self) -> None:
        self._search()

    def watch_area(self) -> None:
        self.records.clear()  # a place in another town pairs its transport with the area: lay it out again
        self._update_filters()
        self._search()

    def watch_needs(self) -> None:
        self._update_filters()
        self._search()

    def area_value(self) -> str | None:
        """The area in force: the filter set with ``a``, else a place typed in the query."""
        place = self.catalogue.gazetteer.places.get(self.area) if self.area else self.typed_place
        return place_filter_value(place) if place else None

    def _search(self) -> None:
        self.request = SearchRequest(self.search_text, self.area, self.needs)
        # A place word in the query (網走 シェルター) filters as ``a`` does; the rest is searched as text.
        before = self.typed_place
        if self.area:
            self.typed_place, text = None, self.search_text
        else:
            self.typed_place, text = split_place(self.catalogue.gazetteer, self.search_text)
        if self.typed_place != before:
            self.records.clear()
            self._update_filters()
        if self.query_coming():  # the key after this one searches; a look later in case it does not
            self.look_later()
            return
        origin = self.catalogue.gazetteer.places.get(self.widened_from or "")
        self.started = self.request
        self._run_search(self.request, text, self.area_value(), self.query_one(DetailPane).text_width,
                         place_filter_value(origin) if origin else None)

    @work(thread=True, exclusive=True, group="search")
    def _run_search(self, request: SearchRequest, text: str, area_value: str | None, detail_width: int,
                    origin_value: str | None = None) -> None:
        # Keys typed in a burst (a paste, a fast typist) each start a search; only the newest is shown,
        # so one that starts, or ends, behind a newer key gives way rather than hold the thread.
        if request != self.request:
            return
        try:
            hits = search_with_fallback(self.catalogue, text, area=area_value, needs=request.needs,
                                        limit=SEARCH_LIMIT)
            outside: frozenset[str] = frozenset()
            if origin_value and hits:  # after ``w``: which of these serve the place first asked for?
                inside = self.catalogue.search(text, area=origin_value, needs=request.needs,
                                               limit=SEARCH_LIMIT)
                outside = frozenset(hit.id for hit in hits if not hit.fallback) - {hit.id for hit in inside}
        except Exception as error:  # noqa: BLE001 — the edge: a bad query must not take the finder down
            self.post_message(SearchCompleted(request, [], error=str(error)))
            return
        if request != self.request:
            return
        # The best hit's record comes along, so results and details land in the same frame;
        # typing on often keeps the same best hit, laid out already.
        best = self.records.get(hits[0].id) if hits else None
        if hits and (best is None or best.width != detail_width):
            best = self._prepare(hits[0].id, detail_width)
        self.post_message(SearchCompleted(request, list(hits), best=best, outside=outside))

    def on_search_completed(self, message: SearchCompleted) -> None:
        if message.request != self.request:
            return  # typed on since: a newer search is on its way
        if not self.searched:
            # Start-up objects (Textual's caches, the index) live for good: freezing them keeps
            # a full collection (~100 ms at 100k) from landing on a keystroke.
            gc.freeze()
        self.searched = True
        self.shown = message.request
        self.hits = message.hits
        self.local_hits = sum(not hit.fallback for hit in message.hits)
        if message.best is not None:
            self._remember(message.best)
        self.outside = message.outside
        table = self.query_one(ResultsTable)
        # No hits: the table itself says why and what to try, so it keeps the focus.
        # What ``_row_cells`` reads besides the hit: rows drawn for other marks or needs are redrawn.
        table.show(message.hits, None if message.hits else self._empty_text(message.error),
                   context=(message.outside, tuple(self.needs)))
        if self.pending_select:
            table.select_id(self.pending_select)
            self.pending_select = None  # found or not, later results must not jump to it
        # Only lines serving all Hokkaido (a crisis need, nothing local): say so above them.
        fallback_only = not self.local_hits and bool(message.hits)
        notice = self.query_one("#empty", Static)
        notice.display = fallback_only
        if fallback_only:
            notice.update(self._empty_text(message.error, fallback=True))
        self._update_filters()
        self.selected = table.selected

    def _empty_text(self, error: str, fallback: bool = False) -> Text:
        # "In this area" only when an area is in force (picked with a, or typed in the query).
        key = ("crisis.nothing_local" if self.area_value() else "crisis.nothing_found") if fallback else "finder.empty"
        out = Text(t(key, self.lang), style="bold", end="")
        if error:
            out.append("\n" + error, style="italic")
        steps = []
        wider = self.wider_area()
        in_force = self.area or (self.typed_place.code if self.typed_place else None)
        if in_force and in_force != HOKKAIDO:  # at 全道 there is nowhere wider to go
            label = area_label(self.catalogue.gazetteer, wider, self.lang) if wider else t("area.all", self.lang)
            steps.append(t("finder.next_widen", self.lang, area=label))
        if self.needs:
            steps.append(t("finder.next_drop_need", self.lang, need=self._need_label(self.needs[-1])))
        if self.search_text:
            steps.append(t("finder.next_query", self.lang))
        for step in steps:
            out.append("\n  " + step)
        return out

    def _update_filters(self) -> None:
        gazetteer = self.catalogue.gazetteer
        if self.area:
            area = area_label(gazetteer, self.area, self.lang)
        elif self.typed_place is not None:
            area = t("finder.area_typed", self.lang, area=area_label(gazetteer, self.typed_place.code, self.lang))
        else:
            area = t("area.all", self.lang)
        needs = ", ".join(self._need_label(c) for c in self.needs) or t("needs.all", self.lang)
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append(t("finder.area_label", self.lang) + " ", style="bold")
        text.append(area)
        text.append("  " + t("finder.needs_label", self.lang) + " ", style="bold")
        text.append(needs)
        if self.searched:
            count = f"{self.local_hits}+" if self.local_hits >= SEARCH_LIMIT else str(self.local_hits)
            text.append("  " + t("finder.count", self.lang, count=count))
            if len(self.hits) > self.local_hits:
                text.append("  " + t("crisis.count", self.lang, count=len(self.hits) - self.local_hits))
        if self.widened_from:  # after the need and the count: at 80 columns it is what gets cut
            origin = area_label(gazetteer, self.widened_from, self.lang)
            text.append("  " + t("finder_more.widened", self.lang, area=origin), style="italic")
        sharing = status_text(getattr(self.app, "sync_status", SyncStatus()), self.lang)
        if sharing is not None:
            text.append("  ")
            text.append_text(sharing)
        building = getattr(self.app, "index_progress", None)
        if building is not None:
            text.append("  " + t("index.building", self.lang, percent=building), style="italic")
        self.query_one("#filters", StatusLine).show(text)

    def index_changed(self) -> None:
        """A full build of the search index started, moved on or ended (``IndexingApp``)."""
        self._update_filters()

    def sync_changed(self, received: bool) -> None:
        """A sync ended: show its status; search again if other offices' changes arrived."""
        self._update_filters()
        if received:
            self.records.clear()
            self._search()

    def action_sync(self) -> None:
        host(self).start_sync(manual=True)

    def action_conflicts(self) -> None:
        from .conflicts import ConflictsScreen

        self.app.push_screen(ConflictsScreen(self.catalogue.path, self.lang))

    def _need_label(self, code: str) -> str:
        need = self.catalogue.taxonomy.needs.get(code)
        return need.label(self.lang) if need else code

    def on_results_table_highlighted(self, event: ResultsTable.Highlighted) -> None:
        self.selected = event.hit

    def on_results_table_selected(self, event: ResultsTable.Selected) -> None:
        self.action_details()

    def action_details(self) -> None:
        if not self.explain("enter"):
            return
        detail = self.query_one(DetailPane)
        self.maximize(detail, container=False)
        detail.focus()

    def on_resize(self) -> None:
        # A wide footer has room for the keys a narrow one leaves to the help screen.
        show_keys(self, MORE_KEYS, self.size.width >= WIDE_FOOTER)
        show_keys(self, UPKEEP_KEYS, self.size.width >= WIDEST_FOOTER)

    def clear_filters(self) -> None:
        self.widened_from = None
        self.area = None
        self.needs = ()
        self.query_one(SearchBox).value = ""

    def catalogue_changed(self) -> None:
        """The catalogue was written (here or by another program): read results and details again."""
        if not self.query(DetailPane):
            return  # taken down (the app is closing) or not composed yet: nothing on screen to read again
        self.records.clear()
        if self.selected is not None:
            self.pending_select = self.selected.id
            self._load_detail(self.selected.id, self.query_one(DetailPane).text_width)
        self._search()

    def go_to_resource(self, resource_id: str, name: str) -> None:
        """Show one resource (from the palette): search its name and select it."""
        self.pending_select = resource_id
        self.widened_from = None
        self.area = None
        self.needs = ()
        self.query_one(SearchBox).value = name
        self.query_one(ResultsTable).focus()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.lang))

    def action_coverage_map(self) -> None:
        host(self).open_coverage_map(self.catalogue, self.lang, self.today)  # the app opens it: no import circle

    def action_set_case(self) -> None:
        def chosen(value: str | None) -> None:
            if value is None:
                return
            host(self).case_ref = normalise_case_ref(value)

        self.app.push_screen(
            PromptScreen(t("case.title", self.lang), self.lang, value=host(self).case_ref, placeholder="C-2026-014",
                         hint=t("case.hint", self.lang), validate=lambda v: case_ref_problem(v, self.lang)),
            chosen,
        )
