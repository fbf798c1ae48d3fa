"""The monthly report on referrals: counts by need, area and status, and the rows as
CSV for Excel — support that never becomes a formal plan still gets counted."""

from __future__ import annotations

import csv
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path

from .readers import guard
from .referrals import Referral, status_label


def monthly_counts(referrals: Iterable[Referral]) -> dict[str, Counter]:
    """Counts by need, area and status: what a monthly report asks for.

    A referral counts once under each need in force when it was made (else under
    the resource's own needs), and under the area filter in force (else the resource's area).
    """
    counts = {"need": Counter(), "area": Counter(), "status": Counter()}
    for referral in referrals:
        counts["need"].update(referral.report_needs())
        counts["area"][referral.report_area()] += 1
        counts["status"][referral.status] += 1
    return counts


EXPORT_COLUMNS = ("id", "created_at", "case_ref", "worker", "office", "resource_id", "resource_name", "organization",
                  "contact", "needs", "area", "status", "status_label", "follow_up", "remarks", "note")


def spreadsheet_safe(value: object) -> object:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe."""
    return guard(value) if isinstance(value, str) else value


def export_csv(referrals: Iterable[Referral], path: Path, *, lang: str = "ja",
               need_label: Callable[[str], str] = str, area_label: Callable[[str], str] = str) -> int:
    """Write the rows as CSV that Excel opens as UTF-8 (BOM); returns the number of rows."""
    count = 0
    # 0600 when new: the rows carry case references.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(EXPORT_COLUMNS)
        for r in referrals:
            values = {
                **asdict(r), "needs": ";".join(need_label(c) for c in r.report_needs() if c),
                "area": area_label(r.report_area()) if r.report_area() else "", "status_label": status_label(r.status, lang),
            }
            writer.writerow([spreadsheet_safe(values[c]) for c in EXPORT_COLUMNS])
            count += 1
    return count
