"""The text areas (the edit form's 説明, notes) wrap as the rest of the app: at Japanese phrase
boundaries with 禁則 (``tui.core.linebreak``), so no line starts with ``）。``.

Textual's ``TextArea`` soft-wraps through ``compute_wrap_offsets`` (imported by name into
``textual.document._wrapped_document``), which breaks at spaces or anywhere in a run of
Japanese. ``install`` puts ``kinsoku_offsets`` in its place there; a line with a tab keeps
Textual's own wrapping (tab stops are Textual's to measure).
"""

from __future__ import annotations

from textual import _wrap
from textual.document import _wrapped_document

from tui.core.linebreak import wrap_spans

_textual_offsets = _wrap.compute_wrap_offsets


def kinsoku_offsets(text: str, width: int, tab_size: int, fold: bool = True,
                    precomputed_tab_sections: list[tuple[str, int]] | None = None) -> list[int]:
    """Code point indices where ``text`` breaks to fit ``width`` cells (Textual's signature)."""
    if "\t" in text or width <= 0:
        return _textual_offsets(text, width, tab_size, fold, precomputed_tab_sections)
    # Each line after the first starts where wrap_spans starts it; spaces at a break stay at the
    # end of the line before, as Textual leaves them.
    return [start for start, _ in wrap_spans(text, width)[1:]]


def install() -> None:
    """Idempotent: every app start calls it."""
    _wrapped_document.compute_wrap_offsets = kinsoku_offsets
