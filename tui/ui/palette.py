"""Textual's command palette with its own words (its prompt, "no matches") in the user's language."""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from tui.i18n import t


class LocalPalette(CommandPalette):
    def __init__(self, lang: str) -> None:
        super().__init__(id="--command-palette", placeholder=t("palette.placeholder", lang))
        self.lang = lang

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own version adds "No matches found" in English; the same, in our words.
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                words = Text(t("finder_more.palette_no_matches", self.lang), style="not bold")
                self.query_one(CommandList).add_option(Option(Align.center(words), disabled=True,
                                                              id=self._NO_MATCHES))
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
