"""A Static whose text breaks at Japanese phrase boundaries with 禁則, again on every resize."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ..display import wrap_text


class WrappedStatic(Static):
    """Use ``show(text)`` rather than ``update``: the text is kept and broken for the width it has."""

    _source: Text = Text()
    _width = 0

    def show(self, text: Text | str) -> None:
        self._source = text if isinstance(text, Text) else Text(text)
        self._width = self.content_region.width
        self.update(Text("\n").join(wrap_text(self._source, self._width or 78)) if self._source else "")

    def on_resize(self) -> None:
        if self._source and self.content_region.width != self._width:
            self.show(self._source)
