"""The help screen (``?``): every key of the finder, or of the screen that opened it, in the current language."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from tui.i18n import t

from ..bindings import localise
from .dialog import Dialog

# (key as shown, i18n key of what it does), in the order a new user needs them.
HELP_KEYS = [
    ("/", "tips.search"),
    ("↓ / enter / esc", "help.leave_search"),
    ("a", "tips.area"),
    ("n", "tips.needs"),
    ("w", "tips.widen"),
    ("x", "tips.drop_need"),
    ("↑ ↓", "help.move"),
    ("enter", "help.details"),
    ("esc", "help.back"),
    ("k", "tips.case"),
    ("r", "tips.refer"),
    ("R", "tips.refer_remarks"),
    ("c", "tips.copy_contact"),
    ("L", "tips.referral_log"),
    ("e", "tips.upkeep.edit"),
    ("ctrl+n", "tips.upkeep.new"),
    ("v", "tips.upkeep.verify"),
    ("h", "tips.upkeep.history"),
    ("V", "tips.upkeep.queue"),
    ("S", "tips.sync.now"),
    ("C", "tips.sync.conflicts"),
    ("m", "tips.coverage.map"),
    ("ctrl+p", "help.palette"),
    ("?", "tips.help"),
    ("q / ctrl+q", "tips.quit"),
]


def finder_keys(lang: str) -> list[tuple[str, str]]:
    return [(key, t(what, lang)) for key, what in HELP_KEYS]


def screen_keys(screen: Screen) -> list[tuple[str, str]]:
    """A screen's own keys from its bindings (one row per binding id, its keys together), each said by
    its tooltip in the screen's language (``localise``); Textual's (tab, copy) have no id and no words."""
    rows: dict[str, tuple[list[str], str]] = {}
    for bindings in screen._bindings.key_to_bindings.values():
        for binding in bindings:
            if binding.id is None:
                continue
            keys, _ = rows.setdefault(binding.id, ([], binding.tooltip or binding.description))
            keys.append(screen.app.get_key_display(binding))
    return [(" / ".join(keys), what) for keys, what in rows.values()]


def help_text(lang: str, rows: list[tuple[str, str]] | None = None) -> Group:
    """The title, one row per key and the footer; a description too long for the box wraps
    under itself, not under the keys (a grid rather than padded lines)."""
    keys = Table.grid(padding=(0, 3, 0, 0))
    keys.add_column(no_wrap=True, style="bold")
    keys.add_column(ratio=1)
    for key, what in rows or finder_keys(lang):
        keys.add_row(Text(key), Text(what))  # words, never markup
    return Group(Text(t("help.title", lang) + "\n", style="bold"), keys,
                 Text("\n" + t("help.footer", lang), style="italic"))


class HelpScreen(Dialog[None]):
    BINDINGS = [
        Binding("escape,question_mark,q", "close", "Close", id="help_screen.close", tooltip="Back to the finder"),
    ]

    def __init__(self, lang: str, rows: list[tuple[str, str]] | None = None) -> None:
        super().__init__()
        localise(self, lang)
        self.lang = lang
        self.rows = rows or finder_keys(lang)  # (keys as shown, what they do)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(help_text(self.lang, self.rows), markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
