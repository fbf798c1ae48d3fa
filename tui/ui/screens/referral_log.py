"""The referral log: this case's referrals or everyone's, filtered by status and date;
set how each went and when to check again. Overdue follow-ups stand out.

Every read and write of ``referrals.db`` runs in a thread worker that opens its own
connection and posts a message; the screen alone updates widgets. Results of an
out-of-date load are dropped (the message carries the filters it was made for).
Log text (resource names, notes, remarks) is shown as ``rich.text.Text``, never markup.
Its strings are the ``[referral_log]`` table of ``tui/i18n/<lang>.toml``.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tui import paths
from tui.core.public import for_output
from tui.core.referrals.log import ReferralLog
from tui.core.referrals.record import STATUSES, Referral, status_label
from tui.i18n import t

from ..bindings import localise, relabel
from ..display import parse_day
from ..widgets.wrapped import WrappedStatic
from .log_dialogs import ANY, DatePrompt, StatusPicker, fitted
from .log_messages import LogFailed, LogFilter, LogLoaded, StatusSaved

# Table columns, in order; each is labelled by ``referral_log.column.<key>``.
COLUMNS = ("id", "when", "case", "name", "status", "follow")


class ReferralLogScreen(Screen):
    """The referral log, pushed from the finder (``L``) or the palette."""

    BINDINGS = [
        Binding("escape,q", "close", "Back", id="referral_log.close", tooltip="Back to the finder"),
        Binding("c", "toggle_scope", "Case/All", id="referral_log.scope", tooltip="This case or every case"),
        Binding("f", "pick_status", "Status", id="referral_log.status_filter", tooltip="Show one status"),
        Binding("d", "filter_since", "Date", id="referral_log.since", tooltip="Only referrals since a date"),
        Binding("s", "set_status", "Set status", id="referral_log.set_status", tooltip="How did it go?"),
        Binding("u", "set_follow_up", "Follow-up", id="referral_log.follow_up", tooltip="When to check again"),
        Binding("p", "handout", "Handout", id="referral_log.handout", tooltip="Write the case's handout"),
        Binding("question_mark", "help", "Help", id="referral_log.help", tooltip="Every key"),
    ]
    DEFAULT_CSS = """
    ReferralLogScreen #log-title { height: 1; padding: 0 1; background: $boost; color: $text-accent; text-style: bold; }
    ReferralLogScreen #log-table { height: 1fr; }
    ReferralLogScreen #log-empty { height: 1fr; padding: 1 2; color: $text-muted; }
    ReferralLogScreen #log-detail { height: 7; padding: 0 1; border-top: solid $primary; background: $surface; }
    """

    wanted: reactive[LogFilter] = reactive(LogFilter, init=False, always_update=True)
    """The filters the table should show."""

    def __init__(self, catalogue=None, lang: str = "ja", *, case_ref: str | None = None,
                 log_path: Path | None = None, today: date | None = None) -> None:
        super().__init__()
        self.catalogue = catalogue  # its current privacy rule applies to the log's rows (referrals.readable)
        self.lang = "en" if lang == "en" else "ja"
        self.case_ref = case_ref
        self.log_path = log_path
        self.today = today
        self.referrals: dict[int, Referral] = {}
        self._keep_id: int | None = None
        self._shown: LogFilter | None = None  # the filters the table shows
        self._answering = False  # from s or u until the answer is in the log and read back: keys wait
        self._name_width = 12  # the name column's cells, set with the columns
        # Labels from referral_log.keys.*: keys.referral_log is already the finder's L.
        localise(self, self.lang, "referral_log")
        relabel(self, "referral_log.handout", t("referral_log_more.key_handout", self.lang),
                t("referral_log_more.tip_handout", self.lang))

    def compose(self) -> ComposeResult:
        yield Static(id="log-title")
        table: DataTable[Text] = DataTable(id="log-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(Text(t("referral_log.empty", self.lang)), id="log-empty")
        yield WrappedStatic(id="log-detail")
        yield Footer()

    def on_mount(self) -> None:
        if self.case_ref is None:
            self.case_ref = getattr(self.app, "case_ref", "") or ""
        self.query_one("#log-empty").display = False
        self.wanted = LogFilter(case_ref=self.case_ref or None)
        self.query_one(DataTable).focus()

    # -- loading -----------------------------------------------------------------

    def watch_wanted(self, wanted: LogFilter) -> None:
        self._show_title(None)
        self._load(wanted)

    def keys_wait(self) -> bool:
        """Keys wait (tui/ui/keygate.py) until a dialog's answer is written and the log read again (or the
        filters chosen are shown): the reload puts the cursor back on its row, undoing a ↓ typed meanwhile."""
        return self._answering or self._shown != self.wanted

    @work(thread=True, exclusive=True, group="referral-log-load")
    def _load(self, wanted: LogFilter) -> None:
        try:
            with ReferralLog.open(self.log_path or paths.referral_log(), catalogue=self.catalogue) as log:
                found = log.find(case_ref=wanted.case_ref, status=wanted.status, since=wanted.since)
        except Exception as error:  # noqa: BLE001 — the edge: a locked or unreadable log is shown, not a crash
            from tui.faults import describe

            self.post_message(LogFailed(describe(error, self.lang).text))
            return
        self.post_message(LogLoaded(wanted, list(reversed(found))))

    def on_log_loaded(self, message: LogLoaded) -> None:
        if message.wanted != self.wanted:
            return  # made for filters that have since changed
        self._shown = message.wanted
        self._answering = False  # its answer, if any, is in what was just read
        self.referrals = {r.id: r for r in message.referrals}
        table = self._fill(self._keep_id if self._keep_id is not None else self.selected_id())
        self._keep_id = None
        empty = not message.referrals
        table.display = not empty
        self.query_one("#log-empty").display = empty
        if empty:  # "none yet" only when there are none; a filter hiding some says so
            filtered = self.wanted.status is not None or self.wanted.since is not None
            words = t("referral_log_more.filtered_empty" if filtered else "referral_log.empty", self.lang)
            self.query_one("#log-empty", Static).update(Text(words))
        elif self.focused is None:
            table.focus()  # the table was hidden and took the focus with it
        self._show_title(message.referrals)
        self._show_detail(self.selected())

    def on_resize(self) -> None:
        if self.referrals:  # the name takes what the other columns leave, at the new width
            self._fill(self.selected_id())

    def _fill(self, keep: int | None) -> DataTable:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        self._add_columns(table)
        for referral in self.referrals.values():
            table.add_row(*self._cells(referral), key=str(referral.id))
        if keep is not None and keep in self.referrals:
            table.move_cursor(row=table.get_row_index(str(keep)))
        return table

    def on_log_failed(self, message: LogFailed) -> None:
        self._answering, self._shown = False, self.wanted  # nothing more is coming: keys go on
        self.notify(message.error, severity="error", markup=False)

    def _add_columns(self, table: DataTable) -> None:
        all_cases = self.wanted.case_ref is None
        # Fit 80 columns: the name takes what the others leave.
        widths = {
            "id": max(3, len(str(max(self.referrals, default=0)))), "when": 11, "case": 10,
            "status": max(cell_len(t("referral_log.column.status", self.lang)),
                          *(cell_len(self._short_status(code)) for code in STATUSES)),
            "follow": 12,
        }
        if not all_cases:
            del widths["case"]
        used = sum(widths.values()) + 2 * (len(widths) + 1) + 2  # cell padding and the scrollbar
        widths["name"] = max(12, (self.size.width or 80) - used)
        self._name_width = widths["name"]
        for key in COLUMNS:
            if key in widths:
                table.add_column(Text(t(f"referral_log.column.{key}", self.lang)), width=widths[key], key=key)

    def _cells(self, referral: Referral) -> list[Text]:
        overdue = referral.overdue(self._today())
        when = referral.created_at[5:16].replace("T", " ")
        follow = Text(referral.follow_up[5:] if referral.follow_up else "")
        if overdue:
            follow = Text(f"!{referral.follow_up[5:]} {t('referral_log.overdue_mark', self.lang)}", style="bold red")
        cells = [Text(str(referral.id)), Text(when)]
        if self.wanted.case_ref is None:
            cells.append(Text(referral.case_ref or "-"))
        # A name longer than its column ends in … (DataTable would cut it with no sign).
        name = fitted(Text(referral.resource_name, style="bold" if overdue else ""), self._name_width)
        cells += [name,
                  Text(self._short_status(referral.status)), follow]
        return cells

    def _short_status(self, status: str) -> str:
        """The status as the table's narrow column shows it (an unknown code as itself)."""
        return t(f"referral_log.short.{status}", self.lang) if status in STATUSES else status

    def _today(self) -> date:
        return self.today or getattr(self.app, "today", None) or date.today()

    def _show_title(self, referrals: list[Referral] | None) -> None:
        lang, wanted = self.lang, self.wanted
        parts = [t("referral_log.title", lang)]
        parts.append(t("referral_log.case", lang, case=wanted.case_ref) if wanted.case_ref
                     else t("referral_log.all", lang))
        parts.append(t("referral_log.status", lang, status=status_label(wanted.status, lang)) if wanted.status
                     else t("referral_log.any_status", lang))
        if wanted.since:
            parts.append(t("referral_log.since", lang, date=wanted.since.isoformat()))
        if referrals is not None:
            parts.append(t("referral_log.count", lang, n=len(referrals)))
            overdue = sum(r.overdue(self._today()) for r in referrals)
            if overdue:
                parts.append(t("referral_log.overdue", lang, n=overdue))
        self.query_one("#log-title", Static).update(Text(" — ".join(parts)))

    # -- the selected row --------------------------------------------------------

    def selected_id(self) -> int | None:
        table = self.query_one(DataTable)
        if not self.referrals or table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return int(row_key.value or 0)

    def selected(self) -> Referral | None:
        selected = self.selected_id()
        return self.referrals.get(selected) if selected is not None else None

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(self.referrals.get(int(event.row_key.value or 0)))

    def _show_detail(self, referral: Referral | None) -> None:
        self.refresh_bindings()  # s and u apply to a row: the footer drawn before the rows came lacked them
        detail = self.query_one("#log-detail", WrappedStatic)
        if referral is None:
            detail.show("")
            return
        head = f"#{referral.id} {referral.created_at[:16].replace('T', ' ')}"
        if referral.case_ref:
            head += "  " + t("referral_log.case", self.lang, case=referral.case_ref)
        if referral.worker:
            head += "  " + t("referral_log.by", self.lang, worker=referral.worker)
        head += "  " + status_label(referral.status, self.lang)
        text = Text(head + "\n", style="bold")
        text.append(referral.note)
        detail.show(text)

    # -- actions -----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("set_status", "set_follow_up"):
            return self.selected_id() is not None
        return True

    def action_help(self) -> None:
        from .help import HelpScreen, screen_keys

        self.app.push_screen(HelpScreen(self.lang, screen_keys(self)))  # the log's keys, not the finder's

    def action_close(self) -> None:
        self.dismiss()

    def action_toggle_scope(self) -> None:
        if not self.case_ref:
            self.notify(t("referral_log.no_case", self.lang), severity="warning", markup=False)
            return
        case = None if self.wanted.case_ref else self.case_ref
        self.wanted = LogFilter(case, self.wanted.status, self.wanted.since)

    def action_pick_status(self) -> None:
        """``f``: the statuses in a list (any status first), not a cycle of seven presses."""

        def answered(status: str | None) -> None:
            if status is not None:
                self.wanted = LogFilter(self.wanted.case_ref, None if status == ANY else status, self.wanted.since)

        picker = StatusPicker(t("referral_log_more.filter_title", self.lang), self.wanted.status, self.lang,
                              any_label=t("referral_log.any_status", self.lang))
        self.app.push_screen(picker, answered)

    def action_filter_since(self) -> None:
        current = self.wanted.since.isoformat() if self.wanted.since else ""

        def answered(value: str | None) -> None:
            if value is not None:
                since = date.fromisoformat(value) if value else None
                self.wanted = LogFilter(self.wanted.case_ref, self.wanted.status, since)

        month_start = self._today().replace(day=1)
        hint = t("referral_log.since_hint", self.lang, example=month_start.isoformat())
        prompt = DatePrompt(t("referral_log.since_title", self.lang), hint, current, self._today(), example=month_start)
        self.app.push_screen(prompt, answered)

    def action_set_status(self) -> None:
        referral = self.selected()
        if referral is None:
            return

        def answered(status: str | None) -> None:
            self._answering = status is not None  # cancelled: nothing to wait for
            if status is not None:
                self._save(referral.id, status, None)

        title = t("referral_log.pick_status", self.lang, id=referral.id, name=referral.resource_name)
        self._answering = True
        self.app.push_screen(StatusPicker(title, referral.status, self.lang), answered)

    def action_set_follow_up(self) -> None:
        referral = self.selected()
        if referral is None:
            return

        def answered(value: str | None) -> None:
            self._answering = value is not None
            if value is not None:
                self._save(referral.id, referral.status, value)

        title = t("referral_log.follow_up", self.lang, id=referral.id)
        in_a_week = self._today() + timedelta(days=7)  # what +7 in the hint means
        hint = t("referral_log.follow_hint", self.lang, example=in_a_week.isoformat(),
                 slashed=f"{in_a_week.year}/{in_a_week.month}/{in_a_week.day}")
        referred = parse_day(referral.created_at)
        prompt = DatePrompt(title, hint, referral.follow_up, self._today(), referred, self.lang, example=in_a_week)
        self._answering = True
        self.app.push_screen(prompt, answered)

    def action_handout(self) -> None:
        """Write the handout of the case shown (text + HTML) next to the case notes; say where."""
        case = self.wanted.case_ref or self.case_ref
        if not case:
            self.notify(t("referral_log_more.handout_no_case", self.lang), severity="warning", markup=False)
            return
        self._write_handout(case)

    @work(thread=True, group="referral-log-handout")
    def _write_handout(self, case: str) -> None:
        from tui import config
        from tui.core.referrals.handout import make_handout, write_handout

        settings = getattr(self.app, "settings", None) or config.load()
        catalogue = getattr(self.app, "catalogue", None)
        try:
            with ReferralLog.open(self.log_path or paths.referral_log()) as log:
                sheet = make_handout(log, case, t=t, catalogue=catalogue, lang=self.lang, today=self._today(),
                                     office=settings.back_to())
            text_file, html_file = write_handout(sheet, settings.notes_dir())
        except Exception as error:  # noqa: BLE001 — the edge: said through faults.describe, the screen stays
            from tui.faults import describe

            self.post_message(LogFailed(describe(error, self.lang).text))
            return
        said = t("referral_log_more.handout_written", self.lang, n=len(sheet.places), text=for_output(str(text_file)),
                 html=for_output(str(html_file.name)))
        self.app.call_from_thread(self.notify, said, markup=False, timeout=10)

    @work(thread=True, group="referral-log-write")
    def _save(self, referral_id: int, status: str, follow_up: str | None) -> None:
        try:
            with ReferralLog.open(self.log_path or paths.referral_log(), catalogue=self.catalogue) as log:
                changed = log.set_status(referral_id, status, follow_up=follow_up)
        except Exception as error:  # noqa: BLE001 — the edge: said through faults.describe, the screen stays
            from tui.faults import describe

            self.post_message(LogFailed(describe(error, self.lang).text))
            return
        self.post_message(StatusSaved(changed, follow_up_only=follow_up is not None))

    def on_status_saved(self, message: StatusSaved) -> None:
        referral = message.referral
        if message.follow_up_only:
            said = t("referral_log.follow_up_saved", self.lang, id=referral.id,
                     date=referral.follow_up or t("referral_log.follow_up_cleared", self.lang))
        else:
            said = t("referral_log.saved", self.lang, id=referral.id, status=status_label(referral.status, self.lang))
        self.notify(said, markup=False)
        self._keep_id = referral.id
        self._load(self.wanted)
