"""The conflicts screen (`C`, palette 競合): fields another office changed to something else.

Each row shows the resource, the field, this office's value, theirs, the value both had
before, and who changed it and when (in this computer's time zone). The list is read again
whenever the catalogue changes, here or in another program (a conflict the CLI resolved goes).
`m` keeps ours, `t` takes theirs, `e` edits a new value; each is a traced change (the change
log's "edit") that the next sync sends.
Reads and writes run in thread workers with their own connection; catalogue text is
shown as ``rich.text.Text`` and a confidential place's private fields are withheld.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label

from tui import config
from tui.core.sharing.state import StoredConflict
from tui.faults import describe
from tui.i18n import t

from ..bindings import localise
from ..display import cell
from ..host import host
from .prompt import PromptScreen

COLUMNS = ("name", "field", "mine", "theirs", "base", "by")


# The commit author a sync writes when the office set no worker name (``sharing.sync.author_line``).
NO_NAME = "tsunagu"


def who_changed(by: str, lang: str) -> str:
    """The person (and office) who made the other office's change; never the program's own name."""
    name, _, office = by.partition(" (")
    if name.strip() in ("", NO_NAME):
        unnamed = t("conflicts.unnamed", lang)
        return f"{unnamed} ({office}" if office else unnamed
    return by


def local_time(stamp: str) -> str:
    """``MM-DD HH:MM`` in this computer's time zone, as the rest of the app shows times."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%m-%d %H:%M")
    except (TypeError, ValueError):
        return stamp[5:16].replace("T", " ")


class ConflictsLoaded(Message):
    def __init__(self, rows: list[tuple[StoredConflict, str, bool]]) -> None:
        super().__init__()
        self.rows = rows  # (conflict, resource name, values withheld)


class ConflictsScreen(Screen):
    BINDINGS = [
        Binding("m", "take('mine')", "Mine", id="conflicts.mine", tooltip="Keep this office's value"),
        Binding("t", "take('theirs')", "Theirs", id="conflicts.theirs", tooltip="Take the other office's value"),
        Binding("e", "edit", "Edit", id="conflicts.edit", tooltip="Type the right value"),
        Binding("escape", "app.pop_screen", "Back", id="conflicts.back", tooltip="Back to the finder"),
    ]

    def __init__(self, path: Path, lang: str) -> None:
        super().__init__()
        localise(self, lang, "conflicts")
        self.path = path
        self.lang = lang
        self.rows: list[tuple[StoredConflict, str, bool]] = []

    def compose(self) -> ComposeResult:
        yield Label(t("conflicts.title", self.lang), id="conflicts-title")
        table: DataTable = DataTable(id="conflicts-table", cursor_type="row", zebra_stripes=True)
        for key in COLUMNS:
            table.add_column(t(f"conflicts.column.{key}", self.lang), key=key)
        yield table
        yield Label(t("conflicts.none", self.lang), id="conflicts-empty")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#conflicts-empty").display = False
        self.query_one(DataTable).focus()
        self._load()

    def catalogue_changed(self) -> None:
        """Another program (``tsunagu conflicts --take``, a sync) wrote the catalogue: read the list again."""
        self._load()

    def on_screen_resume(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="conflicts")
    def _load(self) -> None:
        from tui.core.public import is_withheld
        from tui.core.sharing.state import conflicts
        from tui.core.store.catalogue import Catalogue

        with Catalogue.open(self.path) as catalogue:
            found = conflicts(catalogue)
            resources = {r.id: r for r in catalogue.get_many(c.id for c in found)}
        rows = []
        for c in found:
            resource = resources.get(c.id)
            withheld = is_withheld(resource, c.field)
            rows.append((c, resource.name if resource else c.id, withheld))
        self.post_message(ConflictsLoaded(rows))

    def on_conflicts_loaded(self, message: ConflictsLoaded) -> None:
        self.rows = message.rows
        table = self.query_one(DataTable)
        table.clear()
        hidden = t("conflicts.withheld", self.lang)
        for c, name, withheld in message.rows:
            shown = [hidden if withheld else v for v in (c.mine, c.theirs, c.base)]
            table.add_row(cell(name), Text(t(f"conflicts.field.{c.field}", self.lang)),
                          *(cell(v) for v in shown), cell(f"{who_changed(c.by, self.lang)} {local_time(c.at)}"))
        self.query_one("#conflicts-empty").display = not message.rows
        table.display = bool(message.rows)

    def _current(self) -> StoredConflict | None:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row is None or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row][0]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("take", "edit"):
            return True if self.rows else None
        return True

    def action_take(self, side: str) -> None:
        conflict = self._current()
        if conflict is not None:
            self._resolve(conflict, side, None)

    def action_edit(self) -> None:
        conflict = self._current()
        if conflict is None:
            return

        def typed(value: str | None) -> None:
            if value is not None:
                self._resolve(conflict, "edit", value)

        self.app.push_screen(PromptScreen(t("conflicts.edit_title", self.lang), self.lang, value=conflict.mine), typed)

    @work(thread=True, group="conflicts-write")
    def _resolve(self, conflict: StoredConflict, side: str, value: str | None) -> None:
        from tui.core.sharing.conflicts import UnclearValue, take
        from tui.core.store.catalogue import Catalogue
        from tui.paths import backups_dir

        worker = (getattr(self.app, "settings", None) or config.load()).worker
        try:
            with Catalogue.open(self.path) as catalogue:
                take(catalogue, conflict.id, conflict.field, side, by=worker, value=value, backup_dir=backups_dir())
        except sqlite3.IntegrityError:  # e.g. a status or need the catalogue doesn't know
            self.app.call_from_thread(self.notify, t("conflicts.bad_value", self.lang), severity="error")
        except UnclearValue as problem:  # the import's rules refuse what was typed: say why, keep the conflict
            self.app.call_from_thread(self.notify, str(problem), severity="error", markup=False)
        except Exception as error:  # noqa: BLE001 — the edge: read-only, damaged, disk full: said (faults.describe), the screen stays
            self.app.call_from_thread(self.notify, t("upkeep.failed", self.lang, error=describe(error, self.lang).text),
                                      severity="error", markup=False)
        self.app.call_from_thread(self._load)
        self.app.call_from_thread(host(self)._read_sync_status, True)
