"""The referral log's two dialogs: pick a status (``s``, and the status filter ``f``) and ask
for a date (``d``, ``u``: a date, ``+N`` days, or blank). Each dismisses with its answer, or
None on escape; text in them is ``rich.text.Text``, never markup.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from tui.core.referrals.log import parse_date
from tui.core.referrals.record import STATUSES, status_label
from tui.i18n import t

from ..widgets.columns import fit
from ..widgets.wrapped import WrappedStatic
from .dialog import Dialog


def fitted(text: Text, width: int) -> Text:
    """``text`` cut to ``width`` cells with ``…`` when longer (never clipped without a sign)."""
    if text.cell_len <= width:
        return text
    out = fit(text, width)
    out.rstrip()
    return out


# The status filter's "any status" line.
ANY = "__any__"


class StatusPicker(Dialog[str | None]):
    """Pick one of the six statuses (or, for the filter, any); dismisses with its code, or None on escape."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="referral_log.picker_cancel")]
    DEFAULT_CSS = """
    StatusPicker { align: center middle; background: $background 60%; }
    StatusPicker > Vertical { width: 50; height: auto; border: round $accent; background: $panel; padding: 0 1; }
    StatusPicker OptionList { height: auto; }
    """

    def __init__(self, title: str, current: str | None, lang: str, any_label: str | None = None) -> None:
        super().__init__()
        self.title_text, self.current, self.lang = title, current, lang
        self.any_label = any_label  # the status filter offers "any status" first (dismissed as ANY)

    def codes(self) -> list[str]:
        return ([ANY] if self.any_label else []) + list(STATUSES)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(fitted(Text(self.title_text, style="bold"), 50 - 4))  # the box's width inside
            options = [Option(Text(self.any_label), id=ANY)] if self.any_label else []
            options += [Option(Text(f"{status_label(c, self.lang)}  ({c})"), id=c) for c in STATUSES]
            yield OptionList(*options, compact=True)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        current = self.current if self.current in STATUSES else ANY
        options.highlighted = self.codes().index(current) if current in self.codes() else 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class DatePrompt(Dialog[str | None]):
    """Ask for a date (or +N days, or blank); dismisses with the ISO date or "", None on escape."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="referral_log.date_cancel")]
    DEFAULT_CSS = """
    DatePrompt { align: center middle; background: $background 60%; }
    DatePrompt > Vertical {
        width: 64; max-width: 95%; height: auto; border: round $accent; background: $panel; padding: 0 1;
    }
    DatePrompt Input { margin: 1 0; }
    DatePrompt #date-hint { width: 100%; color: $text-muted; }
    DatePrompt #date-hint.error { color: $text-error; }
    """

    def __init__(self, title: str, hint: str, value: str = "", today: date | None = None,
                 not_before: date | None = None, lang: str = "ja", example: date | None = None) -> None:
        super().__init__()
        self.title_text, self.hint, self.value, self.today = title, hint, value, today
        self.not_before, self.lang = not_before, lang  # a follow-up cannot come before the referral
        self.example = example or today or date.today()  # the placeholder: a date that makes sense today

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text, style="bold"))
            yield Input(value=self.value, placeholder=self.example.isoformat(), max_length=20, compact=True)
            yield WrappedStatic(self.hint, id="date-hint", hint=True)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.dismiss("")
            return
        try:
            day = parse_date(event.value, self.today)
            if self.not_before is not None and day < self.not_before:
                raise ValueError(t("referral_log_more.before_referral", self.lang, date=day.isoformat(),
                                   referred=self.not_before.isoformat()))
            self.dismiss(day.isoformat())
        except ValueError as error:
            hint = self.query_one("#date-hint", WrappedStatic)
            hint.show(str(error))
            hint.add_class("error")

    def action_cancel(self) -> None:
        self.dismiss(None)
