"""What the referral log's workers post, and the filters a load was made for (``referral_log.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual.message import Message

from tui.core.referrals.record import Referral


@dataclass(frozen=True, slots=True)
class LogFilter:
    """What the table shows; a load made for another filter is dropped."""

    case_ref: str | None = None  # None: every case
    status: str | None = None
    since: date | None = None


class LogLoaded(Message):
    def __init__(self, wanted: LogFilter, referrals: list[Referral]) -> None:
        super().__init__()
        self.wanted = wanted
        self.referrals = referrals


class StatusSaved(Message):
    def __init__(self, referral: Referral, follow_up_only: bool = False) -> None:
        super().__init__()
        self.referral = referral
        self.follow_up_only = follow_up_only  # only the follow-up date changed


class LogFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error
