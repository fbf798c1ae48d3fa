"""The finder's keys around the search box: ``/`` and the keys that leave it, letters typed
while the focus is still moving, and when a key must wait for results (``keys_wait``).

A mixin of ``FinderScreen`` (it uses ``selected``, ``shown``, ``request``, ``lang`` and the
``search_*`` flags); focus moves a message after the key that asks for it, so a fast typist's
next keys are steered here to where they were meant to go.
"""

from __future__ import annotations

from textual import events, on
from textual.screen import Screen
from textual.widgets import Input

from tui.core.models import Hit
from tui.i18n import t

from ..messages import SearchRequest
from ..widgets.results import ResultsTable
from ..widgets.search_box import LEAVE_KEYS, SearchBox

CATCH_UP = 0.05  # s: how soon a search put off for keys on their way is looked at again
CATCH_UP_LOOKS = 20  # then it runs whatever is in flight (a screen that never settles must not stop search)


class SearchKeys(Screen):
    lang: str
    selected: Hit | None
    shown: SearchRequest | None
    request: SearchRequest
    started: SearchRequest | None
    search_text: str
    search_pending: bool
    search_fresh: bool
    leaving_search: bool


    # Keys never grey out while typing: the footer rebuilds itself (several frames) whenever a
    # key's state changes, so a key that cannot act now says why instead (see ``explain``).

    def explain(self, key: str) -> bool:
        """True when a resource is selected; otherwise say, in one line, why ``key`` does nothing."""
        if self.selected is not None:
            return True
        self.notify(t("finder_more.nothing_selected", self.lang, letter=key), severity="warning", markup=False)
        return False

    def action_focus_search(self) -> None:
        box = self.query_one(SearchBox)
        self.search_pending, self.search_fresh, self.leaving_search = True, True, False
        box.focus()

    def action_focus_results(self) -> None:
        self.search_pending = False
        self.leaving_search = self.query_one(SearchBox).has_focus
        self.screen.minimize()
        self.query_one(ResultsTable).focus()

    def query_coming(self) -> bool:
        """True when the next key typed (a paste, a fast typist) will change the query again:
        searching for what the box holds now would only be thrown away."""
        coming = getattr(self.app, "keys_coming", None)
        if not callable(coming) or not isinstance(self.app.focused, SearchBox) or self.leaving_search:
            return False
        keys = coming()
        return bool(keys) and (keys[0].is_printable or keys[0].key == "backspace")

    def look_later(self, looks: int = 0) -> None:
        """A search put off by ``query_coming``: look again soon, in case no key after it searches."""
        self.set_timer(CATCH_UP, lambda: self._search_if_behind(looks + 1))

    def _search_if_behind(self, looks: int) -> None:
        if self.started == self.request:
            return  # a key after it searched
        in_flight = getattr(self.app, "typing_in_flight", None)
        # Still typing (a slow machine, a long paste): its keys, or the box's change not yet told, may yet search.
        typing = self.query_one(SearchBox).value != self.search_text or (callable(in_flight) and in_flight())
        if looks < CATCH_UP_LOOKS and typing:
            self.look_later(looks)
        else:
            self._search()

    def _search(self) -> None:  # the finder's
        raise NotImplementedError

    def keys_wait(self) -> bool:
        """True while a key should wait (see ``tui/ui/keygate.py``): a filter, a query left with
        escape or a result from a dialog is still being searched, so ``r`` would refer a stale row.
        Letters typed into the box do not wait for each other's results."""
        if self.shown == self.request:
            return False
        return not isinstance(self.app.focused, SearchBox)  # no query_one: this runs for every key

    def type_ahead(self, event: events.Key) -> bool:
        """A key that reached the app's bindings while ``/`` was moving the focus: True when it was text.

        The box handles every letter itself once focused, so a letter that gets here after
        ``/`` was on its way to the results when the focus moved.
        """
        if not self.search_pending or self.leaving_search:
            return False
        box = self.query_one(SearchBox)
        if event.is_printable and event.character:
            box.type_ahead(event.character, self.search_fresh)
            self.search_fresh = False
            return True
        if box.has_focus:
            return False  # the box's own keys (←, →, backspace…) work as usual
        if event.key in LEAVE_KEYS:
            self.action_focus_results()
            return True
        if event.key == "backspace":
            box.action_delete_left()
            return True
        return False

    @on(events.DescendantFocus)
    def _focus_moved(self, event: events.DescendantFocus) -> None:
        if event.widget is self.query_one(SearchBox):
            self.search_fresh = False  # the box selected its text on focus; typing replaces it from here
        else:
            self.search_pending = False  # a click or a dialog took the focus elsewhere
        if event.widget is self.query_one(ResultsTable):
            self.leaving_search = False

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        self.search_text = event.value

    @on(Input.Submitted, "#search")
    def _query_submitted(self) -> None:
        self.action_focus_results()
