"""What the finder's status line says about sharing: a plain value and its text.

Kept apart from ``syncing`` (the App's sync worker) so the finder can show the status
without importing the App's part, and the App can update the finder without importing it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text

from tui.i18n import t


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """What the status line says about sharing."""

    remote: str = ""
    synced_at: str = ""  # ISO time of the last completed sync
    pending: int = 0  # resources changed here, waiting to be sent
    conflicts: int = 0  # waiting for a person
    offline: bool = False  # the last try could not reach the repository
    running: bool = False


def status_text(status: SyncStatus, lang: str) -> Text | None:
    """The status line's sharing part, or None when this catalogue shares with nobody."""
    if not status.remote and not status.conflicts:
        return None
    out = Text(no_wrap=True, overflow="ellipsis", end="")
    if status.running:
        out.append(t("sync.running", lang))
    elif status.offline:
        out.append(t("sync.offline", lang), style="dim")
    else:
        when = status.synced_at[5:16].replace("T", " ") if status.synced_at else t("sync.never", lang)
        out.append(t("sync.last", lang, when=when))
    if status.pending:
        out.append(" " + t("sync.pending", lang, count=status.pending))
    if status.conflicts:
        out.append(" " + t("sync.conflicts", lang, count=status.conflicts), style="bold")
    return out
