"""The search index's full builds, off the keystroke path (issue 20).

When many rows changed at once (a compaction, an import or a sync by another program), the
catalogue does not build the whole index inside the search that noticed it: it asks the app
(``Catalogue.build_elsewhere``), and the index in hand keeps answering. A thread worker builds on a
connection of its own (``Catalogue.build_whole``), its progress on the finder's status line, and hands
the index over when it is at the data's version; if the data moved on meanwhile, it builds again.
"""

from __future__ import annotations

from textual import work
from textual.app import App
from textual.message import Message
from textual.reactive import reactive

from tui.core.store.catalogue import Catalogue
from tui.i18n import t


class IndexWanted(Message):
    """The catalogue needs a full build (posted from any thread, never waited for)."""


class IndexProgress(Message):
    def __init__(self, percent: int) -> None:
        super().__init__()
        self.percent = percent


class IndexBuilt(Message):
    """The worker is done: the new index is in use (``error`` empty), or it could not be built."""

    def __init__(self, error: str = "") -> None:
        super().__init__()
        self.error = error


class IndexingApp(App[int]):
    """The App's part in keeping the search index: the build worker and its progress."""

    catalogue: Catalogue
    lang: str

    index_progress: reactive[int | None] = reactive(None, init=False)
    """Percent done of a full build running in the worker; None when none runs."""

    def keep_index_off_the_keystroke_path(self) -> None:
        """From now on a full build is asked of the app's worker (on mount)."""
        self.catalogue.build_elsewhere = self._build_index_soon

    def _build_index_soon(self) -> None:
        # Asked by whichever thread noticed (a search worker, a save), holding the catalogue's lock:
        # a message, never a wait for the app's thread (which may be waiting for that lock).
        self.post_message(IndexWanted())

    def on_index_wanted(self) -> None:
        self.index_progress = 0
        self._index_worker()

    @work(thread=True, exclusive=True, group="index")
    def _index_worker(self) -> None:
        from tui.faults import describe

        def progress(done: int, total: int) -> None:
            self.post_message(IndexProgress(min(99, done * 100 // max(total, 1))))

        try:
            while not self.catalogue.adopt_index(self.catalogue.build_whole(progress)):
                pass  # the data moved on during the build: build again at its new version
        except Exception as error:  # noqa: BLE001 — the edge: damaged, disk full: said; the index in hand serves
            self.catalogue.index_behind = False  # the next search that needs a build asks again
            self.post_message(IndexBuilt(describe(error, self.lang).text))
            return
        self.post_message(IndexBuilt())

    def on_index_progress(self, message: IndexProgress) -> None:
        if self.index_progress is not None:  # a late one after the end is dropped
            self.index_progress = message.percent

    def on_index_built(self, message: IndexBuilt) -> None:
        self.index_progress = None
        if message.error:
            self.notify(t("index.failed", self.lang, error=message.error), severity="error", markup=False)
            return
        from .updates import catalogue_updated

        catalogue_updated(self)  # every screen searches again, now with the changes it could not see

    def watch_index_progress(self) -> None:
        for screen in self.screen_stack:
            show = getattr(screen, "index_changed", None)
            if callable(show):
                show()
