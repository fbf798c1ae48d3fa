"""A Static whose text breaks at Japanese phrase boundaries with 禁則, again on every resize."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.core.linebreak import hint_spans, wrap_spans

from ..display import wrap_text


class WrappedStatic(Static):
    """Use ``show(text)`` rather than ``update``: the text is kept and broken for the width it has.

    A dialog's hint is one: a Label breaks at any space, so ``esc | でスキップ`` split a key from
    what it does; here the key and its verb stay on one line (``tui.core.linebreak``)."""

    DEFAULT_CSS = "WrappedStatic { width: 100%; height: auto; }"

    _source: Text = Text()
    _width = 0

    def __init__(self, text: Text | str = "", *, hint: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self._source = text if isinstance(text, Text) else Text(text)
        self._spans = hint_spans if hint else wrap_spans

    def on_mount(self) -> None:
        if self._source:
            self.show(self._source)

    def show(self, text: Text | str) -> None:
        self._source = text if isinstance(text, Text) else Text(text)
        self._width = self.content_region.width
        lines = wrap_text(self._source, self._width or 78, self._spans)
        self.update(Text("\n").join(lines) if self._source else "")

    def on_resize(self) -> None:
        if self._source and self.content_region.width != self._width:
            self.show(self._source)
