"""What the fronts hand the core about the person at the desk: who they are, where their private
files go, and their words.

The core reads neither the settings file (``tui.config``), the data folder (``tui.paths``) nor the
word lists (``tui.i18n``): a front builds one ``Desk`` from them (``tui.config.desk``) and passes it,
and passes ``tui.i18n.t`` as the ``Translate`` of a report, so the core can be used (and tested)
with any folder and any words.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Desk:
    """The worker and their folders, for one action (a referral, a handout, a sync's counts)."""

    home: Path
    """The data folder: the referral log and the office's own note templates live there."""
    notes_dir: Path
    """Where case note files (and handouts from the app) are written."""
    worker: str = ""
    office: str = ""

    @property
    def referral_log(self) -> Path:
        """The referral log: never in the catalogue, which is shared and rebuilt."""
        return self.home / "referrals.db"


class Translate(Protocol):
    """``tui.i18n.t``'s shape: the words for ``key`` in ``lang``, filled with ``values``."""

    def __call__(self, key: str, lang: str = "ja", **values: object) -> str: ...
