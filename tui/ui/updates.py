"""After a write: every screen reads the catalogue again; and why a catalogue cannot be written.

Used by the upkeep screens, the history, the queue and the app itself (when another
program changed the file), so it lives apart from all of them.
"""

from __future__ import annotations

from textual.app import App

from tui import config
from tui.core.errors import ReadOnlyCatalogue
from tui.core.store.catalogue import Catalogue
from tui.faults import describe


def catalogue_updated(app: App) -> None:
    """Every screen on the stack that shows catalogue data reads it again."""
    for screen in list(app.screen_stack):
        refresh = getattr(screen, "catalogue_changed", None)
        if callable(refresh):
            refresh()


def read_only_text(catalogue: Catalogue, lang: str) -> str:
    """Why nothing can be changed here ("" when the catalogue can be written): the fault line the CLI says."""
    return describe(ReadOnlyCatalogue(catalogue.path), lang).text if catalogue.read_only else ""


def settings_of(app: App) -> config.Settings:
    return getattr(app, "settings", None) or config.load()
