"""The finder's query box: letters are text; ↓, escape and enter go back to the results.

Keys typed fast after escape (or before the focus arrives after ``/``) are sorted here:
a screen with a ``leaving_search`` flag (the finder) gets them as commands, not text.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.widgets import Input

LEAVE_KEYS = ("escape", "enter", "down")  # keys that take the focus from the search box to the results


class SearchBox(Input):
    """The query box: letters are text; ↓, escape and enter go back to the results."""

    BINDINGS = [
        Binding("down", "screen.focus_results", show=False, id="search_box.leave_down"),
        Binding("escape", "screen.focus_results", show=False, id="search_box.leave"),
    ]

    async def _on_key(self, event: events.Key) -> None:
        # Typed fast, keys after escape are sent here before the focus has moved (Textual moves
        # it a message later, once the key has bubbled up to the bindings): they are commands for
        # the results (``r`` refers), not text.
        finder = self.screen if hasattr(self.screen, "leaving_search") else None
        if event.key in LEAVE_KEYS and self.has_focus and finder is not None:
            finder.leaving_search = True
        elif (not self.has_focus or (finder is not None and finder.leaving_search)) and (
                event.is_printable or event.key == "backspace") and self.parent is not None:
            event.prevent_default()  # Input does not insert it (and, flagged so, nobody above would see it)
            event.stop()
            # Sent on the way the escape before it went, so it reaches the finder's keys after it.
            again = events.Key(event.key, event.character)
            again._set_forwarded()
            again.set_sender(self.app)
            self.parent.post_message(again)

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        # While leaving, the letters sent on above are the finder's keys, not the box's text.
        if getattr(self.screen, "leaving_search", False):
            return False
        return super().check_consume_key(key, character)

    def type_ahead(self, text: str, fresh: bool) -> None:
        """Text typed after ``/`` that arrived before the focus did (see ``FinderScreen.type_ahead``)."""
        if fresh:  # as if the box had been focused and its text selected, then typed over
            self.value = ""
        self.select_on_focus = False  # the focus, when it lands, must not select what was typed
        self.insert_text_at_cursor(text)

    def _on_blur(self, event: events.Blur) -> None:
        self.select_on_focus = True

    def _watch_value(self, value: str) -> None:
        # Input sets ``virtual_size`` (a layout reactive) on every key: a whole-screen layout
        # pass per keystroke. The box is one line as wide as its row, so set it quietly.
        self.set_reactive(Input.virtual_size, Size(self.content_width, 1))
        super()._watch_value(value)
