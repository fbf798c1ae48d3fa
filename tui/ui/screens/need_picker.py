"""The need picker: a multi-select of the taxonomy with how many resources each would list.

Counts arrive from a worker (they need a search); typing narrows the list by label,
reading or synonym (食べ物 finds 食料支援). ``space`` ticks (in the filter box too: the
highlighted need, and the focus goes to the list), ``enter`` applies.
Dismisses with the ticked need codes, or None when cancelled.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.strip import Strip
from textual.widgets import Input, Label, OptionList, SelectionList
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist
from textual.widgets.selection_list import Selection

from tui.core.reference.needs import Need
from tui.core.search.crisis import TONIGHT_NEEDS, search_with_fallback
from tui.core.search.places import split_place
from tui.core.store.catalogue import Catalogue
from tui.core.text import fold
from tui.i18n import t

from ..bindings import localise
from ..messages import NeedCountsReady, SearchRequest
from ..widgets import steady_cursors
from ..widgets.wrapped import WrappedStatic
from .dialog import Dialog

# What the tick box holds, the same width as Textual's X.
TICKED, UNTICKED = "✓", " "


def need_matches(need: Need, typed: str) -> bool:
    key = fold(typed)
    return not key or any(key in fold(term) for term in need.terms)


class NeedList(SelectionList[str]):
    """A selection list where ``enter`` applies the choice instead of ticking, and typing
    a letter goes to the filter box (type-ahead), while ``space`` still ticks."""

    BINDINGS = [Binding("enter", "screen.apply", "Apply", show=False, id="needs_picker.apply")]

    def on_key(self, event: events.Key) -> None:
        if event.is_printable and event.character and event.character != " ":
            event.stop()
            event.prevent_default()
            box = self.screen.query_one("#need-input", Input)
            box.insert_text_at_cursor(event.character)
            box.focus()

    def render_line(self, y: int) -> Strip:
        """Textual draws ▐X▌ for ticked and unticked alike (colour only): here a ticked need
        shows ▐✓▌ and an unticked one ▐ ▌, readable without colour."""
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 3 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip
        try:
            ticked = self.get_option_at_index(self.scroll_offset.y + y).value in self._selected
        except OptionDoesNotExist:
            return strip
        segments[1] = Segment(TICKED if ticked else UNTICKED, segments[1].style, segments[1].control)
        return Strip(segments, strip.cell_length)

    def _on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # Typing refills the list; a highlight queued before the refill may point past its end.
        if event.option_index >= self.option_count:
            event.stop()
            event.prevent_default()


class NeedFilter(Input):
    """The filter box, where ``space`` ticks the highlighted need as in the list: the hint says space
    ticks, and a space typed here only joined two words (terms match with spaces folded away)."""

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "space":
            event.stop()
            event.prevent_default()
            options = self.screen.query_one(NeedList)
            if options.highlighted is not None:
                value = options.get_option_at_index(options.highlighted).value
                options.toggle(value)
            options.focus()
            return
        await super()._on_key(event)


class NeedPickerScreen(Dialog[tuple[str, ...] | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel", tooltip="Close without changing the filter"),
        Binding("ctrl+x", "clear", "Clear", id="needs_picker.clear", tooltip="Untick every need"),
        Binding("down", "to_list", show=False, id="needs_picker.down"),
    ]

    def __init__(self, catalogue: Catalogue, lang: str, request: SearchRequest, area_value: str | None) -> None:
        super().__init__()
        localise(self, lang)
        self.catalogue = catalogue
        self.lang = lang
        self.request = request
        self.area_value = area_value
        self.ticked: set[str] = set(request.needs)
        self.counts: dict[str, int] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label(t("needs.title", self.lang), classes="picker-title")
            yield NeedFilter(placeholder=t("needs.placeholder", self.lang), id="need-input", compact=True,
                             select_on_focus=False)  # type-ahead from the list must not be selected away
            yield NeedList(id="need-options")
            yield WrappedStatic(t("needs.hint", self.lang), classes="picker-hint", hint=True)

    def on_mount(self) -> None:
        steady_cursors(self)
        self._fill("")
        self.query_one(NeedList).focus()
        self._count_needs()

    @work(thread=True, exclusive=True, group="need-counts")
    def _count_needs(self) -> None:
        total = self.catalogue.count()
        text = self.request.text
        if not self.request.area:  # as the finder searches: a place typed in the query is the area, not a word
            text = split_place(self.catalogue.gazetteer, text)[1]
        hits = self.catalogue.search(text, area=self.area_value, limit=max(total, 1))
        counts: dict[str, int] = {}
        for hit in hits:
            for code in hit.needs:
                counts[code] = counts.get(code, 0) + 1
        # Ticking an urgent need lists more than the resources holding it: the offices close to home,
        # and the lines serving all Hokkaido when nobody here answers — the finder's search_with_fallback.
        for need in self.catalogue.taxonomy:
            if need.crisis or need.code in TONIGHT_NEEDS:
                listed = search_with_fallback(self.catalogue, text, area=self.area_value, needs=[need.code],
                                              limit=max(total, 1))
                counts[need.code] = len(listed)
        self.post_message(NeedCountsReady(self.request, {code: n for code, n in counts.items() if n}))

    def on_need_counts_ready(self, message: NeedCountsReady) -> None:
        self.counts = message.counts
        self._fill(self.query_one("#need-input", Input).value)

    @on(Input.Changed, "#need-input")
    def _typed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#need-input")
    def _typed_enter(self) -> None:
        self.query_one(NeedList).focus()

    def _fill(self, typed: str) -> None:
        options = self.query_one(NeedList)
        highlighted = options.highlighted
        options.clear_options()
        for need in self.catalogue.taxonomy:
            if not need_matches(need, typed) and need.code not in self.ticked:
                continue
            prompt = Text(need.label(self.lang), no_wrap=True, overflow="ellipsis")
            count = "…" if self.counts is None else str(self.counts.get(need.code, 0))
            prompt.append(f"  ({count})", style="dim" if count in ("0", "…") else "")
            options.add_option(Selection(prompt, need.code, need.code in self.ticked))
        if options.option_count:
            options.highlighted = min(highlighted or 0, options.option_count - 1)

    @on(SelectionList.SelectedChanged)
    def _ticked(self, event: SelectionList.SelectedChanged) -> None:
        shown = {options.value for options in self._shown()}
        self.ticked = (self.ticked - shown) | set(event.selection_list.selected)

    def _shown(self):
        options = self.query_one(NeedList)
        return [options.get_option_at_index(i) for i in range(options.option_count)]

    def action_to_list(self) -> None:
        """↓ in the filter box goes to the list (the list handles ↓ itself once focused)."""
        self.query_one(NeedList).focus()

    def action_apply(self) -> None:
        order = [need.code for need in self.catalogue.taxonomy]
        self.dismiss(tuple(code for code in order if code in self.ticked))

    def action_clear(self) -> None:
        self.ticked.clear()
        self.query_one(NeedList).deselect_all()

    def action_cancel(self) -> None:
        self.dismiss(None)
