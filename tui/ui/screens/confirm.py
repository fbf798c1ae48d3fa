"""A yes/no question before something that changes data (``u`` in the history restores).

``y`` answers yes, ``n`` or ``escape`` no, and ``enter`` the default: yes, or no for a question
whose safe answer is no (``default_yes=False``, e.g. sharing counts). Dismisses with True or False.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label

from tui.i18n import t

from ..bindings import localise
from ..widgets.wrapped import WrappedStatic
from .dialog import Dialog


class ConfirmScreen(Dialog[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes", tooltip="Yes"),
        Binding("enter", "default", show=False),
        Binding("n,escape", "answer(False)", "No", id="confirm.no", tooltip="No"),
    ]

    def __init__(self, question: str, lang: str, *, default_yes: bool = True) -> None:
        super().__init__()
        self.default_yes = default_yes
        localise(self, lang)
        self.question = question
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Label(self._wrapped(), classes="picker-title", markup=False)
            hint = "confirm.hint" if self.default_yes else "confirm.hint_default_no"
            yield WrappedStatic(t(hint, self.lang), classes="picker-hint", hint=True)

    def _wrapped(self) -> str:
        """The question broken to the dialog's width with 禁則 (a Label cuts, it does not wrap)."""
        from tui.core.linebreak import wrap

        width = max(20, min(66, int(self.app.size.width * 0.95) - 4))  # #prompt: 70 wide, 95% at most
        return "\n".join(line for paragraph in self.question.split("\n") for line in (wrap(paragraph, width) or [""]))

    def action_default(self) -> None:
        self.dismiss(self.default_yes)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
