"""The base of every dialog: it closes once.

Textual's ``Screen.dismiss`` pops whatever screen is on top. Keys typed fast after a
dialog's ``enter`` still reach its field (they were handed to it before the ``enter``
took effect), so a second ``enter`` submitted it again and popped the screen *under*
it — the queue, then the finder, and the app ended with ScreenStackError. A dialog
that is no longer the current screen ignores a second dismiss.
"""

from __future__ import annotations

from typing import TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen

ResultT = TypeVar("ResultT")


class Dialog(ModalScreen[ResultT]):
    def dismiss(self, result: ResultT | None = None) -> AwaitComplete:
        if not self.is_current:  # already closed (or covered): never pop another screen
            return AwaitComplete()
        return super().dismiss(result)
