"""Messages the workers post; only the screen that receives them changes widgets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.message import Message

from tui.core.models import Hit, Resource

if TYPE_CHECKING:
    from tui.core.referrals.log import ReferralOutcome

    from .widgets.detail import Details


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """Everything a result list depends on; results for another request are stale."""

    text: str = ""
    area: str | None = None  # a place code, None for no area filter
    needs: tuple[str, ...] = ()  # need codes


@dataclass(frozen=True)
class PreparedDetail:
    """A resource read and laid out in a worker, ready for the detail pane."""

    resource_id: str
    resource: Resource | None  # None: it has gone from the catalogue
    details: Details | None = None
    laid_out: Text | None = None  # details.lines(width)
    width: int = 0


class SearchCompleted(Message):
    """A search worker finished ``request``; ``hits`` are best first."""

    def __init__(self, request: SearchRequest, hits: list[Hit], error: str = "",
                 best: PreparedDetail | None = None, outside: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self.request = request
        self.hits = hits
        self.error = error
        self.outside = outside  # ids of hits that do not serve the area asked for before ``w`` widened it
        self.best = best  # hits[0] read and laid out in the same worker, for the detail pane


class ResourceLoaded(Message):
    """A worker read and laid out the selected resource."""

    def __init__(self, prepared: PreparedDetail) -> None:
        super().__init__()
        self.prepared = prepared


class NeedCountsReady(Message):
    """How many resources each need code would list under ``request`` (needs ignored)."""

    def __init__(self, request: SearchRequest, counts: dict[str, int]) -> None:
        super().__init__()
        self.request = request
        self.counts = counts


class ContactReady(Message):
    """The contact text of a resource, ready for the clipboard."""

    def __init__(self, name: str, text: str, reachable: bool = True) -> None:
        super().__init__()
        self.name = name
        self.text = text
        self.reachable = reachable  # False: nothing on record but the name


class ReferralSaved(Message):
    """``refer`` stored the referral; ``outcome`` has the note and where it went."""

    def __init__(self, outcome: ReferralOutcome, resource_name: str, case_ref: str) -> None:
        super().__init__()
        self.outcome = outcome
        self.resource_name = resource_name
        self.case_ref = case_ref


class ReferralFailed(Message):
    def __init__(self, resource_name: str, error: str) -> None:
        super().__init__()
        self.resource_name = resource_name
        self.error = error
