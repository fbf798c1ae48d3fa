"""A yes/no question before something that changes data (``u`` in the history restores).

``y`` or ``enter`` answers yes, ``n`` or ``escape`` no; dismisses with True or False.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label

from tui.i18n import t

from ..bindings import localise
from .dialog import Dialog


class ConfirmScreen(Dialog[bool]):
    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes", tooltip="Yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no", tooltip="No"),
    ]

    def __init__(self, question: str, lang: str) -> None:
        super().__init__()
        localise(self, lang)
        self.question = question
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Label(self.question, classes="picker-title", markup=False)
            yield Label(t("confirm.hint", self.lang), classes="picker-hint", markup=False)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
