"""The area picker: type a name, reading, romaji or postal code; pick a place.

Subprefectures are first-class: with nothing typed the list is 全道 and the 14
subprefectures, and typing くしろ offers 釧路市 and 釧路総合振興局 side by side.
Dismisses with a place code, "" to clear the filter, or None when cancelled.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from tui.core.reference.areas import HOKKAIDO, Gazetteer, Place
from tui.core.text import fold, is_romaji, romaji_to_kana
from tui.i18n import t

from ..bindings import localise
from ..display import area_label
from ..widgets import steady_cursors
from ..widgets.wrapped import WrappedStatic
from .dialog import Dialog

CLEAR = "__clear__"


def area_candidates(gazetteer: Gazetteer, typed: str, limit: int = 12) -> list[Place]:
    """Places a person typing ``typed`` may mean, best first (exact, then prefix, then near)."""
    places = gazetteer.places
    if not typed.strip():
        # The reference data's order: 石狩, 渡島, 檜山, … as every list of Hokkaido's subprefectures has them.
        return [places[HOKKAIDO], *(p for p in places.values() if p.kind == "subprefecture")]
    found: list[Place] = list(gazetteer.resolve_all(typed))
    key = fold(typed)
    kana_key = romaji_to_kana(key) if is_romaji(key) else key
    for place in sorted(places.values(), key=_order):
        spellings = (fold(place.name), fold(place.kana), fold(place.full_name), place.romaji.lower())
        if any(s.startswith(key) or s.startswith(kana_key) for s in spellings if s):
            found.append(place)
    for name in gazetteer.suggest(typed, limit=5):
        found += gazetteer.resolve_all(name)
    unique = list({p.code: p for p in found}.values())
    return unique[:limit]


def _order(place: Place) -> tuple[int, str]:
    rank = {"prefecture": 0, "subprefecture": 1, "city": 2, "ward": 3, "town": 4, "village": 5}
    return rank[place.kind], place.code


def place_prompt(gazetteer: Gazetteer, place: Place, lang: str) -> Text:
    text = Text(area_label(gazetteer, place.code, lang), style="bold", no_wrap=True, overflow="ellipsis")
    if lang == "en" and place.kind == "prefecture":
        return text  # "All Hokkaido" says it all; no 全道 in English
    if lang == "en":  # the name in the romaji label; beside it, as addresses and signs write it
        text.append(f"  {place.name}", style="italic")
    else:
        text.append(f"  {place.kana}")
    if place.kind == "subprefecture":
        if lang != "en":  # "Kushiro Subprefecture" says it already
            text.append("  " + t("area.kind_subprefecture", lang))
    elif place.kind == "prefecture":
        text.append("  " + t("area.kind_all", lang))
    else:
        text.append(f"  ({area_label(gazetteer, place.subprefecture, lang)})")
    return text


class AreaPickerScreen(Dialog[str | None]):
    """Type-ahead list of places; ``enter`` picks, ``escape`` cancels."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel", tooltip="Close without changing the filter"),
        Binding("down", "to_list", show=False, id="picker.down"),
    ]

    def __init__(self, gazetteer: Gazetteer, lang: str, current: str | None) -> None:
        super().__init__()
        localise(self, lang)
        self.gazetteer = gazetteer
        self.lang = lang
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label(t("area.title", self.lang), classes="picker-title")
            yield Input(placeholder=t("area.placeholder", self.lang), id="area-input", compact=True)
            yield OptionList(id="area-options")
            yield WrappedStatic(t("area.hint", self.lang), classes="picker-hint", hint=True)

    def on_mount(self) -> None:
        steady_cursors(self)
        self._fill("")
        self.query_one("#area-input", Input).focus()

    @on(Input.Changed, "#area-input")
    def _typed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, typed: str) -> None:
        options = self.query_one("#area-options", OptionList)
        options.clear_options()
        clear = Option(Text(t("area.clear", self.lang), style="italic"), id=CLEAR)
        # Enter picks the first line: "clear" is first only while nothing is typed; after typing,
        # the best place is first and "clear" goes last.
        if self.current and not typed.strip():
            options.add_option(clear)
        for place in area_candidates(self.gazetteer, typed):
            options.add_option(Option(place_prompt(self.gazetteer, place, self.lang), id=place.code))
        if not options.option_count:
            options.add_option(Option(Text(t("area.none", self.lang, typed=typed)), id="__none__", disabled=True))
        if self.current and typed.strip():
            options.add_option(clear)
        options.highlighted = 0

    @on(Input.Submitted, "#area-input")
    def _submitted(self) -> None:
        options = self.query_one("#area-options", OptionList)
        if options.highlighted is not None:
            self._pick(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#area-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._pick(event.option.id)

    def _pick(self, option_id: str | None) -> None:
        if option_id == "__none__" or option_id is None:
            return
        self.dismiss("" if option_id == CLEAR else option_id)

    def action_to_list(self) -> None:
        self.query_one("#area-options", OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
