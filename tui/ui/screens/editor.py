"""The resource form (``e`` edits the selected one, ``ctrl+n`` opens an empty one).

Every SPEC column, labelled in the user's language. Saving runs in a thread worker
through ``tui.core.loading.editing.save_form``: the import's own row rules (one code path),
only the fields that were typed over, one transaction. Each problem is shown under
its field, in the app's language (``problem_text``). A save that meets someone else's
newer change to the same field opens ``ConflictScreen``: both values, the worker chooses
per field. ``esc`` leaves, asking first only when something was typed.

A confidential resource's private fields (address, notes...) are never shown here:
they stay blank with a placeholder, and only what is typed there replaces them.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Checkbox, DataTable, Footer, Input, Label, Select, TextArea

from tui.core.loading.editing import EDITABLE, SaveOutcome, after_conflict, form_text, save_form
from tui.core.models import LIST_COLUMNS, MULTILINE_COLUMNS, STATUSES, Resource
from tui.core.public import for_output, is_private
from tui.core.sharing.exposure import made_confidential
from tui.core.store.catalogue import Catalogue
from tui.core.store.changes import EditConflict
from tui.faults import describe
from tui.i18n import t

from ..bindings import localise
from ..display import cell
from ..problem_text import form_problem
from ..widgets import steady_cursors
from ..widgets.wrapped import WrappedStatic
from .dialog import Dialog


class EditorSaved(Message):
    """The save worker finished: ``outcome`` holds the record, the problems or the conflict."""

    def __init__(self, outcome: SaveOutcome, exposed: bool = False) -> None:
        super().__init__()
        self.outcome = outcome
        self.exposed = exposed  # a place once shared publicly was made confidential (issue 19 #8)


class EditorScreen(Screen[Resource | None]):
    """Dismisses with the saved resource, or None when left without saving."""

    BINDINGS = [
        # Not a priority binding: that would run ahead of keys still queued for the field, and
        # save without the last characters typed (a paste or an IME commit then ctrl+s).
        Binding("ctrl+s", "save", "Save", id="editor.save", tooltip="Check and save"),
        # tab and shift+tab do act at once, so that what is typed right after them lands in the next field.
        Binding("tab", "app.focus_next", show=False, priority=True, id="editor.next"),
        Binding("shift+tab", "app.focus_previous", show=False, priority=True, id="editor.previous"),
        Binding("escape", "cancel", "Close", id="editor.cancel", tooltip="Close"),
    ]

    def __init__(self, catalogue: Catalogue, lang: str, resource: Resource | None, worker: str = "") -> None:
        super().__init__()
        localise(self, lang, "editor")
        self.catalogue = catalogue
        self.lang = lang
        self.worker = worker
        self.base = resource  # None: a new resource
        self.opened = form_text(resource, catalogue, lang) if resource else dict.fromkeys(EDITABLE, "")
        if resource is None:
            self.opened["status"] = "active"
        self.masked = bool(resource and resource.confidential)
        self.shown = self._shown(self.opened)
        self.saving = False

    # -- layout --------------------------------------------------------------------

    def _shown(self, values: dict[str, str]) -> dict[str, str]:
        """What the widgets show: a confidential resource's private fields blank."""
        return {c: ("" if self.masked and is_private(c) and values[c] == self.opened[c] else values[c])
                for c in EDITABLE}

    def compose(self) -> ComposeResult:
        name = for_output(self.base.name, multiline=False) if self.base else ""
        title = t("editor.title_edit", self.lang, name=name) if self.base else t("editor.title_new", self.lang)
        yield Label(title, id="editor-title", classes="picker-title", markup=False)
        yield WrappedStatic(t("editor.hint", self.lang), id="editor-hint", classes="picker-hint", hint=True)
        # One grid, label and value side by side: a container per field would double the widgets.
        with VerticalScroll(id="editor-form"):
            for column in EDITABLE:
                label = t(f"editor.label.{column}", self.lang) + (" ;" if column in LIST_COLUMNS else "")
                yield Label(label, classes="editor-label")
                yield self._widget(column)
        yield Label("", id="editor-status", markup=False)
        yield Footer()

    def _widget(self, column: str) -> Widget:
        value = self.shown[column]
        if column == "status":
            options = [(t(f"editor.status_{s}", self.lang), s) for s in STATUSES]
            return Select(options, value=value or "active", allow_blank=False, id=f"f-{column}", compact=True)
        if column == "confidential":
            return Checkbox(t("editor.confidential_label", self.lang), value=value == "yes", id=f"f-{column}",
                            compact=True)
        if column in MULTILINE_COLUMNS:
            return TextArea(value, id=f"f-{column}", soft_wrap=True, compact=True, classes="editor-multiline")
        placeholder = t("editor.confidential_kept", self.lang) if self.masked and is_private(column) else ""
        return Input(value=value, id=f"f-{column}", compact=True, placeholder=placeholder, select_on_focus=False)

    def on_mount(self) -> None:
        steady_cursors(self)
        self.query_one("#f-name").focus()

    # -- values --------------------------------------------------------------------

    def typed(self) -> dict[str, str]:
        """The form as text per column; a blank private field of a confidential one keeps its value."""
        out: dict[str, str] = {}
        for column in EDITABLE:
            widget = self.query_one(f"#f-{column}")
            if isinstance(widget, Select):
                out[column] = str(widget.value)
            elif isinstance(widget, Checkbox):
                out[column] = "yes" if widget.value else ""
            elif isinstance(widget, TextArea):
                out[column] = widget.text
            else:
                out[column] = widget.value if isinstance(widget, Input) else ""
            if self.masked and is_private(column) and not out[column].strip():
                out[column] = self.opened[column]
        return out

    def dirty(self) -> bool:
        shown = self.typed()
        return any(shown[c].strip() != self.opened[c].strip() for c in EDITABLE)

    def fill(self, values: dict[str, str]) -> None:
        for column, value in self._shown(values).items():
            widget = self.query_one(f"#f-{column}")
            if isinstance(widget, Select):
                widget.value = value or "active"
            elif isinstance(widget, Checkbox):
                widget.value = value == "yes"
            elif isinstance(widget, TextArea):
                widget.text = value
            elif isinstance(widget, Input):
                widget.value = value

    # -- saving --------------------------------------------------------------------

    def keys_wait(self) -> bool:
        """Keys typed behind ctrl+s wait for the save (tui/ui/keygate.py): they went into the field
        while the worker ran, and were lost with the form (ctrl+s h opened no history)."""
        return self.saving

    def action_save(self) -> None:
        if not self.saving:
            self.saving = True
            self._save(self.base, dict(self.opened), self.typed())

    @work(thread=True, exclusive=True, group="editor-save")
    def _save(self, base: Resource | None, opened: dict[str, str], typed: dict[str, str]) -> None:
        exposed = False
        try:
            outcome = save_form(self.catalogue, base, opened, typed, by=self.worker)
            exposed = made_confidential(self.catalogue, base, outcome.resource)
        except Exception as error:  # noqa: BLE001 — the edge: a locked, read-only or broken file: said (faults.describe), not a traceback
            outcome = SaveOutcome()
            text = describe(error, self.lang).text
            self.app.call_from_thread(self.notify, t("upkeep.failed", self.lang, error=text), severity="error",
                                      markup=False)
        self.post_message(EditorSaved(outcome, exposed))

    async def on_editor_saved(self, message: EditorSaved) -> None:
        outcome = message.outcome
        # Awaited: the last save's problems must be gone before this one's, with the same ids, go in.
        await self.query(".editor-problem, .editor-problem-gap").remove()
        self.saving = False
        if outcome.conflict is not None:
            self._resolve(outcome.conflict)
            return
        if outcome.problems:
            for problem in outcome.problems:  # each under its field, in the value's column
                # Not one label across both columns: the grid sizes such a row by the first column's width.
                text = form_problem(problem, self.lang)
                self.query_one("#editor-form").mount(
                    Label(classes="editor-problem-gap"),
                    Label(text, id=f"problem-{problem.column}", classes="editor-problem", markup=False),
                    after=self.query_one(f"#f-{problem.column}"))
            self.query_one("#editor-status", Label).update(t("editor.problems", self.lang, count=len(outcome.problems)))
            first = min((p.column for p in outcome.problems), key=EDITABLE.index)  # the top one on screen
            self.query_one(f"#f-{first}").focus()
            return
        if outcome.resource is None:
            return
        if message.exposed:
            self.app.notify(t("sharing.exposed", self.lang), severity="warning", timeout=30, markup=False)
        key = "upkeep.saved" if self.base is not None else "upkeep.added"
        self.notify(t(key, self.lang, name=for_output(outcome.resource.name, multiline=False)), markup=False)
        self.dismiss(outcome.resource)

    def _resolve(self, conflict: EditConflict) -> None:
        typed, opened = self.typed(), dict(self.opened)

        def chosen(keep_mine: set[str] | None) -> None:
            # esc: back to the form, still showing what this worker typed, now over the newer record.
            keep = keep_mine if keep_mine is not None else {c.field for c in conflict.conflicts}
            base, self.opened, now_typed = after_conflict(self.catalogue, conflict, opened, typed, keep, self.lang)
            self.base = base
            self.fill(now_typed)
            if keep_mine is not None:
                self.action_save()

        rows = [(c.field, self._value(c.field, c.theirs), self._value(c.field, c.mine)) for c in conflict.conflicts]
        self.app.push_screen(ConflictScreen(rows, self.lang), chosen)

    def _value(self, column: str, value: object) -> str:
        if self.masked and is_private(column):
            return t("common.confidential", self.lang)
        return form_text(Resource(id="-", name="-").replace(**{column: value}), self.catalogue, self.lang)[column]

    def action_cancel(self) -> None:
        if not self.dirty():
            self.dismiss(None)
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.dismiss(None)

        self.app.push_screen(DiscardScreen(self.lang), answered)


class DiscardScreen(Dialog[bool]):
    """Leave the form without saving what was typed? y / n."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="discard.yes", show=False),
        Binding("n,escape", "answer(False)", "No", id="discard.no", show=False),
    ]

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Label(t("editor.discard_title", self.lang), classes="picker-title")
            yield WrappedStatic(t("editor.discard_hint", self.lang), classes="picker-hint", hint=True)

    def action_answer(self, leave: bool) -> None:
        self.dismiss(leave)


class ConflictScreen(Dialog[set[str] | None]):
    """Both values of each field changed on two desks; dismisses with the fields to keep as typed."""

    BINDINGS = [
        Binding("m", "choose(True)", "Mine", id="conflict.mine"),
        Binding("t", "choose(False)", "Theirs", id="conflict.theirs"),
        # enter on the table arrives as RowSelected, in order after m and t (a priority binding would not).
        Binding("enter", "apply", "Save", id="conflict.apply"),
        Binding("escape", "back", "Back", id="conflict.back"),
    ]

    def __init__(self, rows: list[tuple[str, str, str]], lang: str) -> None:
        super().__init__()
        self.rows = rows  # (field, theirs, mine)
        self.lang = lang
        self.mine: set[str] = set()  # by default the other person's newer value stays

    def compose(self) -> ComposeResult:
        with Vertical(id="conflict"):
            yield Label(t("editor.conflict_title", self.lang), classes="picker-title")
            yield DataTable(id="conflict-table", cursor_type="row", zebra_stripes=True)
            yield WrappedStatic(t("editor.conflict_hint", self.lang), classes="picker-hint", hint=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(t("editor.conflict_field", self.lang), key="field")
        table.add_column(t("editor.conflict_theirs", self.lang), key="theirs")
        table.add_column(t("editor.conflict_mine", self.lang), key="mine")
        table.add_column(t("editor.conflict_choice", self.lang), key="choice")
        for field, theirs, mine in self.rows:
            table.add_row(t(f"editor.label.{field}", self.lang), cell(theirs), cell(mine),
                          t("editor.choice_theirs", self.lang), key=field)
        table.focus()

    def action_choose(self, mine: bool) -> None:
        table = self.query_one(DataTable)
        if not self.rows:
            return
        field = self.rows[table.cursor_row][0]
        (self.mine.add if mine else self.mine.discard)(field)
        table.update_cell(field, "choice", t("editor.choice_mine" if mine else "editor.choice_theirs", self.lang))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_apply()

    def action_apply(self) -> None:
        self.dismiss(set(self.mine))

    def action_back(self) -> None:
        self.dismiss(None)
