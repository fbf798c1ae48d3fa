"""One row of the referral log, and the statuses a referral can have.

A plain value with no file behind it: the log (``log``) stores and reads it, the view
(``view``) redacts it, reports count it. Kept apart so none of them imports another.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from datetime import date

from tui.core.models import Resource
from tui.core.public import public_view
from tui.core.text import fold

# code → (Japanese, English); the order is the order people pick from.
STATUSES: dict[str, tuple[str, str]] = {
    "sent": ("紹介済", "Referred"),
    "used": ("利用につながった", "Used"),
    "not_eligible": ("対象外", "Not eligible"),
    "no_capacity": ("空きなし", "No capacity"),
    "declined": ("本人が希望せず", "Declined"),
    "no_contact": ("連絡不通", "No contact"),
}
# A follow-up is still owed while nobody has heard how it went.
AWAITING_OUTCOME = ("sent", "no_contact")


def status_code(text: str) -> str:
    """The status a code or label names (used, 利用につながった, Used); raises ValueError."""
    key = fold(text)
    for code, labels in STATUSES.items():
        if key in (fold(code), *map(fold, labels)):
            return code
    raise ValueError(
        f"unknown status {text!r}; use one of: " + ", ".join(f"{c} ({j})" for c, (j, _) in STATUSES.items())
    )


def status_label(code: str, lang: str = "ja") -> str:
    labels = STATUSES.get(code)
    return code if labels is None else labels[1 if lang == "en" else 0]



@dataclass(frozen=True, slots=True)
class Referral:
    """One row of the log."""

    id: int
    created_at: str  # local time with offset, 2026-11-27T10:30:00+09:00
    resource_id: str
    resource_name: str
    case_ref: str = ""
    worker: str = ""
    office: str = ""
    organization: str = ""
    contact: str = ""  # the public contact at the time: phone, FAX, email
    resource_area: str = ""
    resource_needs: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()  # the needs filter in force
    area: str = ""  # the area filter in force (place code)
    note: str = ""
    remarks: str = ""
    status: str = "sent"
    follow_up: str = ""  # ISO date, or blank
    updated_at: str = ""
    snapshot: str = "{}"  # the resource as referred (JSON, confidential address left out)
    asked_area: str = ""  # the area first asked for when `w` widened ``area`` (place code), else blank

    def overdue(self, today: date | None = None) -> bool:
        """A follow-up date has passed and the outcome is still unknown."""
        today = today or date.today()
        return bool(self.follow_up) and self.status in AWAITING_OUTCOME and self.follow_up < today.isoformat()

    def report_needs(self) -> tuple[str, ...]:
        """Needs to count it under: the filter in force, else the resource's own needs."""
        return self.needs or self.resource_needs or ("",)

    def report_area(self) -> str:
        return self.area or self.resource_area

    def client_area(self) -> str:
        """Where the client is: the area first asked for (before `w` widened it), else ``report_area``."""
        return self.asked_area or self.report_area()

    def resource_as_referred(self) -> Resource:
        known = {f.name for f in fields(Resource)}
        data = {k: v for k, v in json.loads(self.snapshot or "{}").items() if k in known}
        for key in ("needs", "serves", "languages"):
            data[key] = tuple(data.get(key, ()))
        data.setdefault("id", self.resource_id)
        data.setdefault("name", self.resource_name)
        return Resource(**data)


def snapshot_json(resource: Resource) -> str:
    """The resource as referred, as any output may show it (``public_view``)."""
    return json.dumps(asdict(public_view(resource)), ensure_ascii=False)
