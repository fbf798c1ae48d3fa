"""The finder's area and need filters as keys: pick (a, n), widen (w), drop a need (x).

A mixin for the finder (it uses ``area``, ``needs``, ``widened_from``, ``hits``,
``local_hits``, ``request``, ``catalogue`` and ``lang``); a key that can't act says why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen
from textual.widgets import Input

from tui.core.models import Hit
from tui.core.reference.areas import HOKKAIDO, Place
from tui.core.search.places import split_place
from tui.core.store.catalogue import Catalogue
from tui.i18n import t

from ..messages import SearchRequest
from .area_picker import AreaPickerScreen
from .need_picker import NeedPickerScreen


class FilterActions(Screen):
    widened_from: str | None = None  # the area first asked for, once ``w`` widened it
    catalogue: Catalogue
    lang: str
    area: str | None
    needs: tuple[str, ...]
    hits: list[Hit]
    local_hits: int
    request: SearchRequest
    typed_place: Place | None
    search_text: str

    if TYPE_CHECKING:  # the finder's own, named here for the type checker
        def area_value(self) -> str | None: ...

    def wider_area(self) -> str | None:
        """The next area out: ward → 札幌市 → subprefecture → 全道 → no filter (None); from the
        ``a`` filter, else from a place typed in the query (``w`` widens either)."""
        place = self.catalogue.gazetteer.places.get(self.area or "") or (None if self.area else self.typed_place)
        if place is None or place.kind == "prefecture":
            return None
        return self.catalogue.gazetteer.parent_of(place) or None

    # -- selection and details -----------------------------------------------------

    def action_pick_area(self) -> None:
        def picked(code: str | None) -> None:
            if code is not None:
                self.widened_from = None
                self.area = code or None

        self.app.push_screen(AreaPickerScreen(self.catalogue.gazetteer, self.lang, self.area), picked)

    def action_pick_needs(self) -> None:
        def picked(codes: tuple[str, ...] | None) -> None:
            if codes is not None:
                self.needs = codes

        self.app.push_screen(NeedPickerScreen(self.catalogue, self.lang, self.request, self.area_value()), picked)

    def action_widen(self) -> None:
        # Lines serving all Hokkaido (crisis fallback) come when nobody local can be called: no reason to stay.
        if self.local_hits and len(self.hits) == self.local_hits:
            why = "widen_has_results"
        elif self.area is None and self.typed_place is not None:
            self._widen_typed_place(self.typed_place)
            return
        elif self.area is None:
            why = "widen_no_area"
        elif self.area == HOKKAIDO:
            why = "widen_at_all"
        else:
            self.widened_from = self.widened_from or self.area
            self.area = self.wider_area()
            return
        self.notify(t(f"finder_more.{why}", self.lang), severity="warning", markup=False)

    def _widen_typed_place(self, place: Place) -> None:
        """A place typed in the query (仕事 月形) leaves the words and, widened, becomes the area:
        a place word left in the query would have to match a name, so nothing wider could."""
        _, words = split_place(self.catalogue.gazetteer, self.search_text)
        self.widened_from = place.code
        self.area = self.catalogue.gazetteer.parent_of(place) or None
        self.query_one("#search", Input).value = words

    def action_drop_need(self) -> None:
        if self.needs and not self.local_hits:
            self.needs = self.needs[:-1]
            return
        why = "drop_has_results" if self.needs else "drop_no_need"
        self.notify(t(f"finder_more.{why}", self.lang), severity="warning", markup=False)
