"""The history of one resource (``h``): every change, newest first, and ``u`` to restore.

Read through ``tui.core.store.changes.history``, so a confidential resource's address and
notes show as 非公開 here too. Restoring puts back the value a field had before the
chosen change, itself recorded (how: restore). Database work runs in thread workers.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Footer, Label, Static

from tui.core.public import for_output
from tui.core.store.catalogue import Catalogue
from tui.core.store.changes import CREATED, WITHHELD, CannotRestore, Change, history, restore
from tui.core.upkeep.curation import readable
from tui.faults import describe
from tui.i18n import t

from ..bindings import localise
from ..display import cell
from ..updates import catalogue_updated, read_only_text
from ..widgets.columns import fit
from ..widgets.wrapped import WrappedStatic
from .confirm import ConfirmScreen
from .dialog import Dialog


class HistoryLoaded(Message):
    def __init__(self, changes: list[Change], note: str = "") -> None:
        super().__init__()
        self.changes = changes
        self.note = note  # a notification to show (restored / could not)


class HistoryScreen(Dialog[None]):
    BINDINGS = [
        Binding("u", "restore", "Restore", id="history.restore", tooltip="Restore"),
        Binding("escape,h,q", "close", "Close", id="history.close", tooltip="Back"),
    ]

    def __init__(self, catalogue: Catalogue, lang: str, resource_id: str, name: str, worker: str = "") -> None:
        super().__init__()
        localise(self, lang, "history")
        self.catalogue = catalogue
        self.lang = lang
        self.resource_id = resource_id
        self.resource_name = name
        self.worker = worker
        self.changes: list[Change] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="history"):
            yield Label(t("history.title", self.lang, name=for_output(self.resource_name, multiline=False)),
                        classes="picker-title", markup=False)
            yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="history-change", markup=False)  # the chosen row in full, wrapped
            yield WrappedStatic(t("history.hint", self.lang), classes="picker-hint", hint=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self._load()

    @work(thread=True, exclusive=True, group="history")
    def _load(self, note: str = "") -> None:
        self.post_message(HistoryLoaded(history(self.catalogue, self.resource_id), note))

    def on_history_loaded(self, message: HistoryLoaded) -> None:
        self.changes = message.changes
        self._fill()
        if message.note:
            self.notify(message.note, markup=False)

    def on_resize(self) -> None:
        # Also the first layout: rows loaded before it (a fast worker, a resize under way) were fitted to no width.
        self._fill()

    def _fill(self) -> None:
        """The rows, the change column cut with "…" to the room the other four leave, so nothing
        runs past the dialog's edge (the chosen change is shown whole under the table)."""
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear(columns=True)  # clear() alone keeps the widest width seen, even after a resize
        for key in ("at", "by", "how", "field", "change"):
            table.add_column(t(f"history.{key}", self.lang), key=key)
        rows = [(cell(change.at[2:16].replace("T", " ")), cell(change.by or "—"), cell(self._how(change.how)),
                 cell(self._field(change.field)), self._change_text(change)) for change in self.changes]
        headers = [column.label.cell_len for column in table.columns.values()]
        pad = 2 * table.cell_padding
        short = sum(max([headers[i], *(r[i].cell_len for r in rows)]) + pad for i in range(4))
        room = max(8, table.size.width - table.styles.scrollbar_size_vertical - short - pad)
        for change, (*first, text) in zip(self.changes, rows, strict=True):
            table.add_row(*first, fit(text, room) if text.cell_len > room else text, key=str(change.id))
        if not self.changes:
            table.add_row(cell(t("history.empty", self.lang)), "", "", "", "")
        table.move_cursor(row=min(row, max(0, len(self.changes) - 1)), animate=False)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = event.cursor_row
        if 0 <= row < len(self.changes):
            change = self.changes[row]
            text = Text(f"{self._field(change.field)}: ", style="bold")
            text.append_text(self._change_text(change))
            when = change.at.replace("T", " ")[:19]
            text.append(for_output(f"  ({when} {change.by} {self._how(change.how)})", multiline=False), style="dim")
            self.query_one("#history-change", Static).update(text)

    def _how(self, how: str) -> str:
        """The log's how in the user's language: its first word (edit, verify, import, sync,
        restore) is a code; what follows (the verify line, the file name) is kept as written."""
        word, _, rest = how.partition(" ")
        key = f"history.how_words.{word}"
        label = t(key, self.lang)
        return (word if label == key else label) + (f" {rest}" if rest else "")

    def _field(self, field: str) -> str:
        return t("history.created", self.lang) if field == CREATED else t(f"editor.label.{field}", self.lang)

    def readable(self, field: str, value: str) -> str:
        """A logged value as a person reads it: place and need names rather than codes."""
        if not value:
            return t("history.blank", self.lang)
        if value == WITHHELD:
            return t("common.confidential", self.lang)
        if field == "status":
            return t(f"editor.status_{value}", self.lang)
        return readable(self.catalogue, field, value, self.lang)

    def _change_text(self, change: Change) -> Text:
        if change.field == CREATED:
            return cell(change.new)
        text = cell(self.readable(change.field, change.old), "dim")
        text.append(" → ")
        text.append(for_output(self.readable(change.field, change.new), multiline=False))
        return text

    def action_restore(self) -> None:
        table = self.query_one(DataTable)
        if not self.changes or not 0 <= table.cursor_row < len(self.changes):
            return
        change = self.changes[table.cursor_row]
        read_only = read_only_text(self.catalogue, self.lang)
        if read_only:
            self.notify(read_only, severity="warning", markup=False)
            return
        if change.field == CREATED:
            self.notify(t("history.cannot_restore", self.lang), severity="warning", markup=False)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._restore(change)

        question = t(
            "history.confirm_restore",
            self.lang,
            field=self._field(change.field),
            value=for_output(self.readable(change.field, change.old), multiline=False) or t("history.blank", self.lang),
        )
        self.app.push_screen(ConfirmScreen(question, self.lang), answered)

    @work(thread=True, exclusive=True, group="history")
    def _restore(self, change: Change) -> None:
        try:
            restore(self.catalogue, change.id, by=self.worker)
            note = t("upkeep.restored", self.lang, field=self._field(change.field))
        except CannotRestore as error:
            note = t("upkeep.failed", self.lang, error=str(error))
        except Exception as error:  # noqa: BLE001 — the edge: said to the worker in their language (faults.describe), not a traceback
            note = t("upkeep.failed", self.lang, error=describe(error, self.lang).text)
        self.post_message(HistoryLoaded(history(self.catalogue, self.resource_id), note))
        self.app.call_from_thread(catalogue_updated, self.app)

    def action_close(self) -> None:
        self.dismiss(None)
