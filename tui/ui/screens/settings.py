"""Settings: worker name, office, language, note folder, the verification interval, the
minutes between background syncs — saved as TOML — and the shared repository to join
(``tsunagu sync --remote URL`` from the app: the first sync runs in the app's sync worker).

Also the first-run prompt (``first_run=True``): ``escape`` skips it, and skipping
saves the defaults so the worker is not asked again at every start (they can open
settings from the palette later). Dismisses with the saved ``Settings``, or None.
File reads and writes run in thread workers. Its strings are the ``[settings]`` table
of ``tui/i18n/<lang>.toml``.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, Label, Select

from tui import config
from tui.core.text import clean
from tui.i18n import t

from ..bindings import localise
from ..host import host
from ..widgets.wrapped import WrappedStatic
from .dialog import Dialog

# What a shared repository's address may start with (as ``tsunagu sync --remote``); else a folder path.
REMOTE_SCHEMES = ("ssh", "git+ssh", "https", "http", "git", "file")


def remote_problem(remote: str, lang: str) -> str:
    """Why ``remote`` cannot be joined, or "" when it can be tried."""
    if not remote:
        return t("settings.no_remote_typed", lang)
    if "://" in remote and remote.split("://", 1)[0].lower() not in REMOTE_SCHEMES:
        return t("settings.bad_remote", lang, remote=remote)
    return ""


class SettingsLoaded(Message):
    def __init__(self, settings: config.Settings) -> None:
        super().__init__()
        self.settings = settings


class SettingsSaved(Message):
    def __init__(self, settings: config.Settings, announce: bool) -> None:
        super().__init__()
        self.settings = settings
        self.announce = announce


class SettingsFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class SettingsScreen(Dialog[config.Settings | None]):
    BINDINGS = [
        # Not priority: keys typed just before it must reach their field first.
        Binding("ctrl+s", "save", "Save", id="settings.save", tooltip="Save the settings"),
        # tab acts at once, so that what is typed right after it lands in the next field.
        Binding("tab", "app.focus_next", show=False, priority=True, id="settings.next"),
        Binding("shift+tab", "app.focus_previous", show=False, priority=True, id="settings.previous"),
        Binding("escape", "skip", "Close", id="settings.skip", tooltip="Close without saving"),
    ]
    DEFAULT_CSS = """
    SettingsScreen { align: center middle; background: $background 60%; }
    SettingsScreen #settings { width: 76; max-width: 100%; height: auto; max-height: 100%;
                               border: round $accent; background: $panel; padding: 0 1; scrollbar-size-vertical: 1; }
    SettingsScreen #remote-row { height: auto; }
    SettingsScreen #remote { width: 1fr; }
    SettingsScreen .settings-title { text-style: bold; color: $text-accent; }
    SettingsScreen .settings-hint { width: 100%; color: $text-muted; }
    SettingsScreen .settings-label { width: 100%; color: $text-accent; }
    SettingsScreen #settings-error { width: 100%; color: $text-error; }
    SettingsScreen #settings-buttons { height: auto; align-horizontal: right; }
    SettingsScreen Button { margin-left: 1; }
    """

    def __init__(self, lang: str = "ja", *, first_run: bool = False, path: Path | None = None) -> None:
        super().__init__()
        self.lang = "en" if lang == "en" else "ja"
        self.first_run = first_run
        self.path = path  # None: tui.paths.settings_file()
        self.loaded = config.Settings()
        localise(self, self.lang, "settings")

    def compose(self) -> ComposeResult:
        lang = self.lang
        default_notes = str(config.Settings().notes_dir())
        languages = [(t("settings.language_auto", lang), ""), (t("settings.language_ja", lang), "ja"),
                     (t("settings.language_en", lang), "en")]
        with VerticalScroll(id="settings"):
            yield Label(Text(t("settings.title", lang)), classes="settings-title")
            if self.first_run:
                yield WrappedStatic(t("settings.first_run", lang), classes="settings-hint")
            yield Label(Text(t("settings.worker", lang)), classes="settings-label")
            yield Input(id="worker", placeholder=t("settings.worker_example", lang), max_length=60, compact=True)
            yield Label(Text(t("settings.office", lang)), classes="settings-label")
            yield Input(id="office", placeholder=t("settings.office_example", lang), max_length=100, compact=True)
            yield Label(Text(t("settings.office_phone", lang)), classes="settings-label")
            yield Input(id="office_phone", placeholder="0154-00-0000", max_length=40, compact=True)
            yield Label(Text(t("settings.language", lang)), classes="settings-label")
            yield Select(languages, id="language", allow_blank=False, value="", compact=True)
            yield Label(Text(t("settings.note_folder", lang, default=default_notes)), classes="settings-label")
            yield Input(id="note_folder", placeholder=default_notes, compact=True)
            yield Label(Text(t("settings.verify_interval", lang)), classes="settings-label")
            yield Input(id="verify_interval", placeholder="12m", max_length=12, compact=True)
            yield Label(Text(t("settings.sync_minutes", lang)), classes="settings-label")
            yield Input(id="sync_minutes", placeholder="15", max_length=6, compact=True)
            yield Label(Text(t("settings.remote", lang)), classes="settings-label")
            with Horizontal(id="remote-row"):
                remote = getattr(getattr(self.app, "sync_status", None), "remote", "")
                yield Input(value=remote, id="remote", placeholder=t("settings.remote_none", lang), compact=True)
                yield Button(t("settings.join", lang), id="join", compact=True)
            yield Label("", id="settings-error")
            with Horizontal(id="settings-buttons"):
                yield Button(t("settings.save", lang), id="save", variant="primary", compact=True)
                # Opened later (the palette), escape closes: "skip" is the first-run prompt's word.
                yield Button(t("settings.skip" if self.first_run else "settings.close", lang), id="skip",
                             compact=True)

    def on_mount(self) -> None:
        self.query_one("#worker", Input).focus()
        self._load()

    @work(thread=True, group="settings-io")
    def _load(self) -> None:
        self.post_message(SettingsLoaded(config.load(self.path)))

    def on_settings_loaded(self, message: SettingsLoaded) -> None:
        self.loaded = settings = message.settings
        self.query_one("#worker", Input).value = settings.worker
        self.query_one("#office", Input).value = settings.office
        self.query_one("#office_phone", Input).value = settings.office_phone
        self.query_one("#language", Select).value = settings.language
        self.query_one("#note_folder", Input).value = settings.note_folder
        self.query_one("#verify_interval", Input).value = settings.verify_interval
        self.query_one("#sync_minutes", Input).value = settings.sync_minutes

    def entered(self) -> config.Settings:
        """The settings as typed (cleaned: text from the keyboard is data too)."""
        language = self.query_one("#language", Select).value
        # Fields this screen does not show (share_counts, office_id) keep their saved value.
        return self.loaded.replace(
            worker=clean(self.query_one("#worker", Input).value),
            office=clean(self.query_one("#office", Input).value),
            office_phone=clean(self.query_one("#office_phone", Input).value),
            language=language if language in ("ja", "en") else "",
            note_folder=clean(self.query_one("#note_folder", Input).value),
            verify_interval=clean(self.query_one("#verify_interval", Input).value) or "12m",
            sync_minutes=clean(self.query_one("#sync_minutes", Input).value) or "15",
        )

    def problem(self, settings: config.Settings) -> str:
        """Why ``settings`` cannot be saved as typed, or ""."""
        from tui.core.upkeep.curation import BadInterval, parse_interval

        folder = settings.note_folder
        if folder and not Path(folder).expanduser().is_absolute():
            return t("settings.relative", self.lang)
        try:
            parse_interval(settings.verify_interval)
        except BadInterval:
            return t("settings.bad_interval", self.lang, value=settings.verify_interval)
        minutes = settings.sync_minutes
        if not minutes.isdigit():  # a whole number of minutes, 0 or more
            return t("settings.bad_minutes", self.lang, value=minutes)
        return ""

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        # enter moves down the form; on the last field it saves.
        if event.input.id == "remote":
            self._join()
        elif event.input.id == "sync_minutes":
            self.action_save()
        else:
            self.focus_next()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        settings = self.entered()
        problem = self.problem(settings)
        if problem:
            self._error(problem)
            return
        self._save(settings, announce=True)

    @on(Button.Pressed, "#join")
    def _join(self) -> None:
        remote = clean(self.query_one("#remote", Input).value).strip()
        problem = remote_problem(remote, self.lang)
        if problem:
            self._error(problem)
            return
        self._error("")
        host(self).join_shared(remote)

    @on(Button.Pressed, "#skip")
    def action_skip(self) -> None:
        if self.first_run and not config.exists(self.path):
            self._save(self.loaded, announce=False)  # asked once: remember that it was skipped
            return
        self.dismiss(None)

    @work(thread=True, group="settings-io")
    def _save(self, settings: config.Settings, announce: bool) -> None:
        try:
            config.save(settings, self.path)
        except (OSError, config.SettingsError) as error:
            self.post_message(SettingsFailed(str(error)))
            return
        self.post_message(SettingsSaved(settings, announce))

    def on_settings_saved(self, message: SettingsSaved) -> None:
        if not message.announce:
            self.dismiss(None)
            return
        if hasattr(self.app, "settings"):
            self.app.settings = message.settings  # the next `r` uses them
        self.notify(t("settings.saved", self.lang), markup=False)
        self.dismiss(message.settings)

    def on_settings_failed(self, message: SettingsFailed) -> None:
        self._error(message.error)

    def _error(self, text: str) -> None:
        self.query_one("#settings-error", Label).update(Text(text))
