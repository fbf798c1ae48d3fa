"""A one-line status text that repaints without asking for a new layout.

``Static.update`` requests a full layout pass; on the finder that pass costs more
than the search, and this line's size never changes, so a repaint is enough.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class StatusLine(Widget):
    DEFAULT_CSS = "StatusLine { height: 1; }"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._text = Text()

    @property
    def text(self) -> Text:
        return self._text

    def show(self, text: Text) -> None:
        if text.plain != self._text.plain or text.spans != self._text.spans:
            self._text = text
            self.refresh()

    def render(self) -> Text:
        return self._text
