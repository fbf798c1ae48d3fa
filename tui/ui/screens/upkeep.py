"""Keeping the catalogue true from the finder and the queue: ``e`` edit, ``ctrl+n`` new,
``v`` verified today, ``h`` history, ``V`` the verification queue.

A mixin (it uses ``selected``, ``catalogue``, ``lang`` and ``today``); database work runs
in thread workers. After any write, ``catalogue_updated`` asks every open screen that
shows catalogue data to read it again (the app calls it too when another program
changed the file: see ``TsunaguApp.check_external_changes``).
"""

from __future__ import annotations

from datetime import date

from textual import work
from textual.screen import Screen

from tui.core.models import Hit, Resource
from tui.core.public import for_output
from tui.core.store.catalogue import Catalogue
from tui.core.upkeep.curation import DEFAULT_INTERVAL, verify
from tui.faults import describe
from tui.i18n import t

from ..host import host
from ..updates import catalogue_updated, read_only_text, settings_of
from .prompt import PromptScreen


class UpkeepActions(Screen):
    """Mixed into FinderScreen and QueueScreen."""

    catalogue: Catalogue
    lang: str
    today: date

    def _worker_name(self) -> str:
        return settings_of(self.app).worker

    def _read_only(self) -> bool:
        """A read-only catalogue (a shared or write-protected file) says so before a form is typed."""
        text = read_only_text(self.catalogue, self.lang)
        if text:
            self.notify(text, severity="warning", markup=False)
        return bool(text)

    def _selected_hit(self, key: str = "") -> Hit | None:
        """The selected resource; with none, a screen that can ``explain`` says why ``key`` does nothing."""
        hit = getattr(self, "selected", None)
        explain = getattr(self, "explain", None)
        if hit is None and key and callable(explain):
            explain(key)
        return hit

    # -- edit and add --------------------------------------------------------------

    def action_edit(self) -> None:
        hit = self._selected_hit("e")
        if hit is not None and not self._read_only():
            self._read_for_editor(hit.id)

    @work(thread=True, group="editor-open")
    def _read_for_editor(self, resource_id: str) -> None:
        resource = self.catalogue.get(resource_id)
        if resource is not None:
            self.app.call_from_thread(self._open_editor, resource)

    def action_new_resource(self) -> None:
        if not self._read_only():
            self._open_editor(None)

    def _open_editor(self, resource: Resource | None) -> None:
        from .editor import EditorScreen

        def saved(stored: Resource | None) -> None:
            if stored is None:
                return
            catalogue_updated(self.app)
            go_to = getattr(self, "go_to_resource", None)
            if resource is None and callable(go_to):
                go_to(stored.id, stored.name)  # show the new one in the finder

        screen = EditorScreen(self.catalogue, self.lang, resource, self._worker_name())
        self.app.push_screen(screen, saved)

    # -- verify --------------------------------------------------------------------

    def action_verify(self) -> None:
        hit = self._selected_hit("v")
        if hit is None or self._read_only():
            return
        lang = self.lang

        def answered(how: str | None) -> None:
            if how is not None:
                self._verify(hit, how)

        title = t("upkeep.verify_title", lang, name=for_output(hit.name, multiline=False))
        self.app.push_screen(PromptScreen(title, lang, hint=t("upkeep.verify_hint", lang)), answered)

    @work(thread=True, group="verify")
    def _verify(self, hit: Hit, how: str) -> None:
        lang = self.lang
        try:
            verify(self.catalogue, [hit.id], today=self.today, by=self._worker_name(), how=how)
        except Exception as error:  # noqa: BLE001 — the edge: said to the worker in their language (faults.describe), not a traceback
            self.app.call_from_thread(self.notify, t("upkeep.failed", lang, error=describe(error, lang).text),
                                      severity="error", markup=False)
            return
        self.app.call_from_thread(self.notify, t("upkeep.verified", lang, name=for_output(hit.name, multiline=False)),
                                  markup=False)
        self.app.call_from_thread(catalogue_updated, self.app)

    # -- history and the queue -----------------------------------------------------

    def action_history(self) -> None:
        from .history import HistoryScreen

        hit = self._selected_hit("h")
        if hit is not None:
            screen = HistoryScreen(self.catalogue, self.lang, hit.id, hit.name, self._worker_name())
            self.app.push_screen(screen)

    def action_queue(self) -> None:
        interval = settings_of(self.app).verify_interval or DEFAULT_INTERVAL
        host(self).open_queue(self.catalogue, self.lang, self.today, interval)  # the app opens it: no import circle
