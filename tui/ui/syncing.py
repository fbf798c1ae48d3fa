"""Syncing from the app: `S` (or the palette's 同期) now, and every few minutes in the background
when a shared repository is set. The sync runs in a thread worker with its own catalogue
connection and only posts messages; typing never waits for it. An unreachable repository
is shown quietly as オフライン on the finder's status line, never as an error box.
"""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import App
from textual.message import Message
from textual.reactive import reactive

from tui import config
from tui.core.store.catalogue import Catalogue
from tui.i18n import t

from .sync_status import SyncStatus


class SyncFinished(Message):
    """A sync (or a status read) is over; ``received`` says whether the catalogue changed."""

    def __init__(self, status: SyncStatus, *, manual: bool, received: int = 0, error: str = "") -> None:
        super().__init__()
        self.status = status
        self.manual = manual
        self.received = received
        self.error = error


def read_status(path: Path, offline: bool = False) -> SyncStatus:
    """The sharing state of the catalogue at ``path`` (worker threads only)."""
    from tui.core.sharing.state import sharing_status

    saved, waiting, open_conflicts = sharing_status(path)
    return SyncStatus(saved.get("remote", ""), saved.get("synced_at", ""), waiting, open_conflicts, offline)


class SyncingApp(App[int]):
    """The App's part in sharing: the sync status, the background timer and the sync worker."""

    catalogue: Catalogue
    lang: str
    settings: config.Settings | None

    sync_status: reactive[SyncStatus] = reactive(SyncStatus, init=False)
    """The sharing state shown on the finder's status line."""

    def start_background_sync(self) -> None:
        """Read the status, and sync every ``sync_minutes`` when a repository is set (on mount)."""
        self._read_sync_status()
        interval = (self.settings or config.load()).sync_interval()
        if interval > 0:
            self.set_interval(interval, lambda: self.start_sync(manual=False))

    def join_shared(self, remote: str) -> None:
        """Join a shared repository (``tsunagu sync --remote URL`` from the settings): the first
        sync runs in the worker; joining, then the outcome, are said as messages."""
        if self.sync_status.running:
            self.notify(t("sync.busy", self.lang), severity="warning", markup=False)
            return
        self.notify(t("sync.joining", self.lang, remote=remote), markup=False)
        self.start_sync(manual=True, remote=remote)

    def start_sync(self, manual: bool = True, remote: str | None = None) -> None:
        status = self.sync_status
        if not (status.remote or remote):
            if manual:
                self.notify(t("sync.no_remote", self.lang), severity="warning", markup=False)
            return
        if status.running:
            return
        if self.catalogue.read_only:  # a shared or write-protected file can receive nothing: said when asked
            if manual:
                from .updates import read_only_text

                self.notify(read_only_text(self.catalogue, self.lang), severity="warning", markup=False)
            return
        if manual and self._ask_share_counts_first(remote):
            return
        self.sync_status = SyncStatus(status.remote, status.synced_at, status.pending, status.conflicts,
                                      status.offline, running=True)
        settings = self.settings or config.load()
        self._sync_worker(self.catalogue.path, settings.worker, settings.office, manual, remote,
                          settings.sync_timeouts())

    def _ask_share_counts_first(self, remote: str | None) -> bool:
        """Issue 24: at the office's first sync it starts itself, ask once whether to share its counts
        (enter means no); the sync runs after the answer. A background sync never asks: it shares
        nothing until the office has said yes."""
        from tui.demand import answer_share_question, share_question_due

        from .screens.confirm import ConfirmScreen

        if not share_question_due(self.settings):
            return False

        def answered(yes: bool | None) -> None:
            self.settings = answer_share_question(bool(yes))
            self.notify(t("demand.share_yes" if yes else "demand.share_no", self.lang), markup=False)
            self.start_sync(manual=True, remote=remote)

        self.push_screen(ConfirmScreen(t("demand.share_question", self.lang), self.lang, default_yes=False), answered)
        return True

    @work(thread=True, exclusive=True, group="sync-status")
    def _read_sync_status(self, changed: bool = False) -> None:
        """Read the status again; ``changed``: the catalogue changed too (a conflict resolved)."""
        status = read_status(self.catalogue.path)
        self.post_message(SyncFinished(status, manual=False, received=int(changed)))

    @work(thread=True, exclusive=True, group="sync")
    def _sync_worker(self, path: Path, worker: str, office: str, manual: bool, remote: str | None = None,
                     waits: tuple[float, float, float] = (5.0, 60.0, 600.0)) -> None:
        from tui.core.sharing import exchange
        from tui.core.sharing.conformance import NotConforming
        from tui.core.sharing.lock import SyncBusy
        from tui.core.sharing.sync import SyncError, author_line, sync
        from tui.core.store.catalogue import Catalogue
        from tui.demand import share_counts_in_sync
        from tui.paths import backups_dir

        share_counts_in_sync()  # issue 24: the office's counts, published only with share_counts = true
        received, error, offline = 0, "", False
        try:
            # A second connection of this process: safe, tui/core/db.py never opens a descriptor of its own
            # on a file this process holds; the sync lock keeps it from running beside a CLI sync.
            with Catalogue.open(path) as catalogue:
                received = len(sync(catalogue, author=author_line(worker, office), remote=remote,
                                    backup_dir=backups_dir(), timeouts=exchange.Timeouts(*waits)).received)
        except SyncBusy:
            error = t("sync.busy", self.lang)
        except exchange.Unreachable as e:
            if remote:  # joining: say why, the status line has no repository to call offline
                error = t("sync.unreachable", self.lang, error=e)
            else:
                offline = True
        except (SyncError, exchange.BadRemote, NotConforming) as e:  # NotConforming: what was received, named
            error = str(e)
        except Exception as e:  # noqa: BLE001 — the edge: read-only, damaged, disk full: a message, never the end of the app
            from tui.faults import describe

            error = describe(e, self.lang).text
        status = read_status(path, offline)
        self.post_message(SyncFinished(status, manual=manual, received=received, error=error))

    def on_sync_finished(self, message: SyncFinished) -> None:
        self.sync_status = message.status
        lang = self.lang
        if message.manual:
            if message.error:
                self.notify(t("sync.failed", lang, error=message.error), severity="error", markup=False)
            elif message.status.offline:
                self.notify(t("sync.offline_note", lang), severity="warning", markup=False)
            else:
                self.notify(t("sync.done", lang, received=message.received, conflicts=message.status.conflicts),
                            markup=False)
        finder = self.get_default_screen_instance()
        if finder is not None:
            finder.sync_changed(message.received > 0)

    def get_default_screen_instance(self):
        """The finder (the first screen on the stack that shows the sharing status), if any.

        Found by what it does (``sync_changed``), not by importing the finder: screens and
        the app's sharing part stay free of each other."""
        for screen in self.screen_stack:
            if callable(getattr(screen, "sync_changed", None)):
                return screen
        return None
