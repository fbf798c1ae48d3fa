"""The finder's details pane: read and lay out the resource under the cursor in a thread
worker, keep the last few laid out, and show the one still selected when it arrives.

A mixin of ``FinderScreen`` (it uses ``selected``, ``catalogue``, ``lang``, ``today``, ``area``,
``typed_place`` and ``widened_from``); the search worker calls ``_prepare`` for the best hit so
results and details land in the same frame.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import work
from textual.screen import Screen

from tui.core.models import Hit
from tui.core.reference.areas import Place
from tui.core.referrals.notes import paired_transport
from tui.core.store.catalogue import Catalogue
from tui.i18n import t

from ..messages import PreparedDetail, ResourceLoaded
from ..widgets.detail import DetailPane, describe


class DetailLoading(Screen):
    catalogue: Catalogue
    lang: str
    today: date
    selected: Hit | None
    area: str | None
    typed_place: Place | None
    widened_from: str | None
    records: dict[str, PreparedDetail]

    def watch_selected(self, hit: Hit | None) -> None:
        if hit is None:
            self.query_one(DetailPane).show(Text(t("finder.no_selection", self.lang)))
        elif hit.id in self.records:
            self._show_detail(self.records[hit.id])
        else:
            self._load_detail(hit.id, self.query_one(DetailPane).text_width)

    def _remember(self, prepared: PreparedDetail) -> None:
        if len(self.records) > 256:
            self.records.clear()
        self.records[prepared.resource_id] = prepared

    def _prepare(self, resource_id: str, width: int) -> PreparedDetail:
        """Read and lay out one resource (worker threads only)."""
        resource = self.catalogue.get(resource_id)
        if resource is None:
            return PreparedDetail(resource_id, None)
        client_area = self.client_area()
        getting_there = paired_transport(self.catalogue, resource, client_area, self.lang, t=t) if client_area else ""
        details = describe(resource, self.catalogue.gazetteer, self.catalogue.taxonomy, self.lang, self.today,
                           getting_there)
        return PreparedDetail(resource_id, resource, details, details.lines(width), width)

    def client_area(self) -> str:
        """The client's area: the place first asked for (before ``w``), the ``a`` filter, or a typed place."""
        return self.widened_from or self.area or (self.typed_place.code if self.typed_place else "")

    @work(thread=True, exclusive=True, group="detail")
    def _load_detail(self, resource_id: str, width: int) -> None:
        self.post_message(ResourceLoaded(self._prepare(resource_id, width)))

    def on_resource_loaded(self, message: ResourceLoaded) -> None:
        prepared = message.prepared
        if prepared.resource is not None:
            self._remember(prepared)
        if self.selected is None or prepared.resource_id != self.selected.id:
            return
        self._show_detail(prepared)

    def _show_detail(self, prepared: PreparedDetail) -> None:
        pane = self.query_one(DetailPane)
        if prepared.details is None:
            pane.show(Text(t("finder.gone", self.lang)))
        else:
            pane.show(prepared.details, prepared.laid_out, prepared.width)
