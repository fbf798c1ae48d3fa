"""The monthly report on referrals: counts by need, area and status, and the rows as
CSV for Excel — support that never becomes a formal plan still gets counted."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path

from .files import atomic_write
from .public import for_output
from .readers import guard
from .referrals import Referral, status_label


def monthly_counts(referrals: Iterable[Referral]) -> dict[str, Counter]:
    """Counts by need, area and status: what a monthly report asks for.

    A referral counts once under each need in force when it was made (else under
    the resource's own needs), and under the area filter in force (else the resource's area).
    """
    counts: dict[str, Counter[str]] = {"need": Counter(), "area": Counter(), "status": Counter()}
    for referral in referrals:
        counts["need"].update(referral.report_needs())
        counts["area"][referral.report_area()] += 1
        counts["status"][referral.status] += 1
    return counts


EXPORT_COLUMNS = ("id", "created_at", "case_ref", "worker", "office", "resource_id", "resource_name", "organization",
                  "contact", "needs", "area", "status", "status_label", "follow_up", "remarks", "note")


def spreadsheet_safe(value: object) -> object:
    """Text with no control characters, and a leading apostrophe on a cell a spreadsheet would run."""
    return guard(for_output(value)) if isinstance(value, str) else value


def export_csv(referrals: Iterable[Referral], path: Path, *, lang: str = "ja",
               need_label: Callable[[str], str] = str, area_label: Callable[[str], str] = str) -> int:
    """Write the rows as CSV that Excel opens as UTF-8 (BOM); returns the number of rows.

    0600 whatever file was there before (the rows carry case references), written beside
    the target and renamed, so a full disk never leaves a 0-byte or half-written report.
    """
    rows = list(referrals)

    def write(f) -> None:
        writer = csv.writer(f)
        writer.writerow(EXPORT_COLUMNS)
        for r in rows:
            values = {
                **asdict(r), "needs": ";".join(need_label(c) for c in r.report_needs() if c),
                "area": area_label(r.report_area()) if r.report_area() else "", "status_label": status_label(r.status, lang),
            }
            writer.writerow([spreadsheet_safe(values[c]) for c in EXPORT_COLUMNS])

    atomic_write(path, write, encoding="utf-8-sig", newline="")
    return len(rows)
