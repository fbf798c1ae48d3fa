"""Widgets of the finder, and one helper the screens share."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Input


def steady_cursors(screen: Screen) -> None:
    """Stop input cursors blinking when the app asks (tests and snapshots must not flicker)."""
    if not getattr(screen.app, "cursor_blink", True):
        for box in screen.query(Input):
            box.cursor_blink = False
