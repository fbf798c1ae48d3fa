"""What screens ask of the app, typed: ``host(self).case_ref`` instead of an untyped ``self.app``.

Textual types ``widget.app`` as ``App``; the attributes and methods ``TsunaguApp`` adds
(the case reference, settings, the screens it opens for others, sync) are named here so
mypy checks every use (``attr-defined`` is on for ``tui.ui``). Tests host a screen in a
smaller app that has only what that screen uses; the Protocol is what both provide.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from tui.core.store.catalogue import Catalogue


class Host(Protocol):
    case_ref: str
    settings: Any  # tui.config.Settings, or None for the referral defaults
    lang: str

    def open_coverage_map(self, catalogue: Catalogue, lang: str, today: date) -> None: ...

    def open_queue(self, catalogue: Catalogue, lang: str, today: date, interval: Any) -> None: ...

    def start_sync(self, manual: bool = True, remote: str | None = None) -> None: ...

    def join_shared(self, remote: str) -> None: ...

    def _read_sync_status(self, changed: bool = False) -> None: ...


def host(node: DOMNode) -> Host:
    """``node.app`` as the Tsunagu app it runs in."""
    return cast(Host, node.app)
