"""A one-line question: the case reference (``k``) or referral remarks (``R``).

``validate`` returns an error message for a bad answer (shown under the box), or "".
Dismisses with the answer (stripped), or None when cancelled with ``escape``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input

from tui.core.referrals.log import is_case_ref, normalise_case_ref
from tui.core.text import clean
from tui.i18n import t

from ..bindings import localise
from ..widgets import steady_cursors
from ..widgets.wrapped import WrappedStatic
from .dialog import Dialog


def case_ref_problem(value: str, lang: str) -> str:
    """Why ``value`` is not an anonymous case code ("" when it is one, or blank): the one reason
    that applies (``Yamada-2026``: four letters in a row look like a name), else the rule."""
    if is_case_ref(value):
        return ""
    code = normalise_case_ref(value)
    if len(code) > 32:
        return t("case.too_long", lang, n=len(code))
    bad = "".join(dict.fromkeys(c for c in code if not (c.isascii() and (c.isalnum() or c in "-_/.")))).replace(
        " ", "␣"
    )
    if bad:
        return t("case.bad_chars", lang, chars=bad)
    if not any(c.isdigit() for c in code):
        return t("case.no_digit", lang)
    letters = re.search(r"[A-Z]{4,}", code)
    if letters:
        return t("case.name_like", lang, letters=letters.group())
    return t("case.invalid", lang)


class PromptScreen(Dialog[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel", tooltip="Close without saving")]

    def __init__(self, title: str, lang: str, *, value: str = "", placeholder: str = "", hint: str = "",
                 validate: Callable[[str], str] | None = None) -> None:
        super().__init__()
        localise(self, lang)
        self.title_text = title
        self.value = value
        self.placeholder = placeholder
        self.hint = hint
        self.validate = validate

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            # Wrapped too: a long name (v on a resource) pushed the question itself past the box's edge.
            yield WrappedStatic(id="prompt-title", classes="picker-title")
            yield Input(value=self.value, placeholder=self.placeholder, id="prompt-input", max_length=200, compact=True)
            # Broken at phrase boundaries for the box's width: a long hint or reason is never cut.
            yield WrappedStatic(id="prompt-hint", classes="picker-hint", hint=True)

    def on_mount(self) -> None:
        steady_cursors(self)
        self.query_one("#prompt-title", WrappedStatic).show(self.title_text)
        self.query_one("#prompt-hint", WrappedStatic).show(self.hint)
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        answer = clean(event.value)
        problem = self.validate(answer) if self.validate else ""
        if problem:
            hint = self.query_one("#prompt-hint", WrappedStatic)
            hint.show(problem)
            hint.add_class("error")
            return
        self.dismiss(answer)

    def action_cancel(self) -> None:
        self.dismiss(None)
