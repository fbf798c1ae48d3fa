"""The Textual app: one finder screen over a catalogue, plus the keys every screen shares.

``run(db, lang)`` is what bare ``tsunagu`` calls; it returns the exit code, so a
crash exits non-zero rather than silently 0.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date

from textual import events
from textual.app import SystemCommand
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.command import CommandPalette
from textual.driver import Driver
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen

from tui import config
from tui.config import choose_language
from tui.core.linebreak import wrap
from tui.core.store.catalogue import Catalogue
from tui.i18n import t

from . import compositing, textwrap_ja
from .bindings import localise
from .collecting import LOOK_EVERY, QuietCollector
from .indexing import IndexingApp
from .keygate import KeyGate, split_escape_and_key
from .palette import LocalPalette
from .screens.finder import FinderScreen
from .syncing import SyncingApp

split_escape_and_key()  # escape and a key typed within ESCDELAY: both keys, never alt+key (keygate.py)


class TsunaguApp(KeyGate, SyncingApp, IndexingApp):
    CSS_PATH = "app.tcss"
    SUSPENDED_SCREEN_CLASS = "-suspended"  # a screen under a dialog: its toasts hide (app.tcss)
    # Narrow terminals stack the details under the results; wide ones put them beside.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]

    BINDINGS = [
        # Declared here (Textual adds it otherwise) so it has an id and a label in the user's language.
        Binding("ctrl+p", "command_palette", "palette", show=False, priority=True, id="palette",
                tooltip="Open the command palette"),
    ]

    case_ref: reactive[str] = reactive("")
    """The anonymous case code referrals are filed under (``k``); shown in the header."""

    def __init__(self, catalogue: Catalogue, lang: str = "ja", *, today: date | None = None, settings=None,
                 cursor_blink: bool = True, first_run: bool = False) -> None:
        super().__init__()
        compositing.install()  # wide characters are not torn at another widget's edge
        textwrap_ja.install()  # text areas wrap with 禁則, as the detail pane does
        self._gate_init()
        self.first_run = first_run  # no settings saved yet: ask for worker and office once
        localise(self, lang)
        self.cursor_blink = cursor_blink  # off in tests and snapshots
        self.catalogue = catalogue
        self.lang = lang
        self.today = today
        self.settings = settings  # passed on to referrals; None means their defaults
        self.title = t("app.title", lang)
        self.collector = QuietCollector()

    def get_default_screen(self) -> FinderScreen:
        return FinderScreen(self.catalogue, self.lang, self.today)

    def on_mount(self) -> None:
        # Another desk or a script may write the catalogue while the app is open: look once a second.
        self.seen_data_version: int | None = None
        self.check_external_changes()  # the version now, so a change in the first second is not taken as the start
        self.set_interval(1.0, self.check_external_changes, name="data_version")
        self.collector.start()  # cycles are collected between keystrokes, not inside their frames (collecting.py)
        self.set_interval(LOOK_EVERY, self.collector.look, name="collect_when_quiet")
        self.start_background_sync()
        self.keep_index_off_the_keystroke_path()
        if self.first_run:
            from .screens.settings import SettingsScreen

            self.push_screen(SettingsScreen(self.lang, first_run=True))

    def on_unmount(self) -> None:
        self.collector.stop()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.collector.key()
        # A key typed while the screen is still busy with the one before waits its turn (keygate.py).
        if isinstance(event, events.Key) and not event.is_forwarded and not self._gate_admits(event):
            return
        await super().on_event(event)

    def pop_screen(self) -> AwaitComplete:
        pop = super().pop_screen()
        self.note_closing(pop)
        return pop

    async def _on_key(self, event: events.Key) -> None:
        # Runs before App._on_key (the bindings): text typed after ``/`` that arrived before the
        # focus did goes into the search box instead of running the finder's letter keys.
        type_ahead = getattr(self.screen, "type_ahead", None)
        if callable(type_ahead) and type_ahead(event):
            event.prevent_default()
            event.stop()

    def action_command_palette(self) -> None:
        """Textual's palette, with its search prompt in the user's language."""
        # App is invariant in its return type: App[int] is an App, as Textual's own apps are.
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(LocalPalette(self.lang))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own commands (theme, keys, quit…), titled in the user's language."""
        for command in super().get_system_commands(screen):
            key = "palette.system." + command.title.lower()
            title, help_text = t(key, self.lang), t(key + "_help", self.lang)
            if title == key:  # a command Textual added that we have no words for yet
                yield command
            else:
                yield command._replace(title=title, help=help_text)

    # -- screens that screens open: through the app, so no screen imports another ---------------

    def open_coverage_map(self, catalogue: Catalogue, lang: str, today: date) -> None:
        from .screens.coverage import CoverageScreen

        self.push_screen(CoverageScreen(catalogue, lang, today))

    def open_queue(self, catalogue: Catalogue, lang: str, today: date, interval) -> None:
        from .screens.queue import QueueScreen

        self.push_screen(QueueScreen(catalogue, lang, today, interval))

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver, clearing the screen before it leaves (no fragments after a resize)."""
        from .driver import clearing

        return clearing(super().get_driver_class())

    def check_external_changes(self) -> bool:
        """Did another connection commit to the catalogue? Then every screen reads it again.

        ``PRAGMA data_version`` costs microseconds; when a worker holds the connection the
        look waits for the next tick rather than block the event loop.
        """
        lock = self.catalogue.lock
        if not lock.acquire(blocking=False):
            return False
        try:
            version = self.catalogue.conn.execute("PRAGMA data_version").fetchone()[0]
        finally:
            lock.release()
        changed = self.seen_data_version is not None and version != self.seen_data_version
        self.seen_data_version = version
        if changed:
            from .updates import catalogue_updated

            catalogue_updated(self)
        return changed

    def _fatal_error(self) -> None:
        """A fault the screens did not handle ends the app with a message, not a traceback
        (the CLI's handler does the same: ``tui.faults.describe``)."""
        from rich.text import Text

        from tui.faults import describe

        fault = describe(self._exception or RuntimeError("unknown"), self.lang)
        self._return_code = fault.code
        self.bell()
        self._exit_renderables.append(Text(f"tsunagu: {fault.text}"))
        self._close_messages_no_wait()

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Notifications break lines at Japanese phrase boundaries (禁則), for the toast's width."""
        if not markup:  # markup would be cut mid-tag; our plain messages are the ones to wrap
            # Textual's Toast: width 60, at most half its rack (which keeps a 2-cell scrollbar), less
            # its padding and left edge.
            width = min(60, (self.size.width - 2) // 2) - 3
            message = "\n".join(wrap(message, max(10, width)))
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def watch_case_ref(self, case_ref: str) -> None:
        self.sub_title = t("app.case", self.lang, case=case_ref) if case_ref else t("app.no_case", self.lang)


def today_override() -> date | None:
    """``TSUNAGU_TODAY`` (ISO date) freezes "today" for screenshots and demos."""
    value = os.environ.get("TSUNAGU_TODAY")
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def run(db: str | None, lang: str | None) -> int:
    """Open the catalogue (``--db``, ``TSUNAGU_DB``, else the one in the data folder) and run."""
    import sys

    from tui.faults import describe
    from tui.paths import catalogue_path

    language = choose_language(lang)
    try:
        path = catalogue_path(db)
        if path.is_dir():
            raise IsADirectoryError(21, "Is a directory", str(path))
        catalogue = Catalogue.open(path)
    except Exception as error:  # noqa: BLE001 — the edge: a damaged, missing or unreadable catalogue: a message before any screen
        fault = describe(error, language)
        print(f"tsunagu: {fault.text}", file=sys.stderr)
        return fault.code
    try:
        app = TsunaguApp(catalogue, language, today=today_override(), first_run=not config.exists(),
                         cursor_blink=os.environ.get("TSUNAGU_CURSOR_BLINK", "1") != "0")  # 0: a steady cursor
        app.run()
    finally:
        catalogue.close()
    return app.return_code or 0
