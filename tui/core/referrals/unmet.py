"""Unmet local needs, counted without people.

A referral is an *unmet local need* when the place it went to does not serve the
referral's area itself — a ★全道 line, or a 圏外 result after widening — or when its
status became 空きなし (no_capacity), 対象外 (not_eligible) or 連絡不通 (no_contact).

Everything here reduces the log to counts keyed by (month, subprefecture, municipality,
need) and nothing else: no case reference, note, worker, resource or day leaves these
functions. The counts are computed from the log each time (never stored apart), so a
status changed later (連絡不通 → 利用につながった) changes the count too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tui.core.reference.areas import HOKKAIDO, Gazetteer
from tui.core.referrals.log import Referral

UNMET_STATUSES = ("no_capacity", "not_eligible", "no_contact")
REFERRED, UNMET = "referred", "unmet"


@dataclass(frozen=True, slots=True, order=True)
class Cell:
    """Where and what a need was: month (YYYY-MM), subprefecture code, municipality code
    ('' when the referral's area was a whole subprefecture), need code."""

    month: str
    subprefecture: str
    municipality: str
    need: str


def served_locally(referral: Referral, gazetteer: Gazetteer) -> bool:
    """Did the place serve the referral's area by something narrower than all Hokkaido?"""
    area = referral.report_area()
    if not area or area not in gazetteer.places:
        return False
    served = [code for code in referral.resource_as_referred().served_areas if code != HOKKAIDO]
    served = [code for code in served if code in gazetteer.places]
    return bool(served) and gazetteer.overlaps(served, area)


def is_unmet(referral: Referral, gazetteer: Gazetteer) -> bool:
    return referral.status in UNMET_STATUSES or not served_locally(referral, gazetteer)


def place_of(area: str, gazetteer: Gazetteer) -> tuple[str, str] | None:
    """(subprefecture, municipality) of a referral's area; a ward counts in its city;
    None for 全道 or an area the gazetteer does not know (it cannot go on a map)."""
    place = gazetteer.places.get(area)
    if place is None or place.kind == "prefecture":
        return None
    if place.kind == "subprefecture":
        return place.code, ""
    if place.kind == "ward" and place.parent:
        return place.subprefecture, place.parent
    return place.subprefecture, place.code


def tally(referrals: Iterable[Referral], gazetteer: Gazetteer) -> dict[Cell, dict[str, int]]:
    """Referrals and unmet needs per cell: {Cell: {"referred": n, "unmet": n}}.

    A referral counts once under each need it was made for (the filter in force, else the
    place's own needs), as the monthly report counts it."""
    out: dict[Cell, dict[str, int]] = {}
    for referral in referrals:
        where = place_of(referral.report_area(), gazetteer)
        if where is None:
            continue
        unmet = is_unmet(referral, gazetteer)
        for need in referral.report_needs():
            if not need:
                continue
            counts = out.setdefault(Cell(referral.created_at[:7], where[0], where[1], need), {REFERRED: 0, UNMET: 0})
            counts[REFERRED] += 1
            counts[UNMET] += int(unmet)
    return out


def month_unmet(referrals: Iterable[Referral], gazetteer: Gazetteer, month: str) -> dict[tuple[str, str], int]:
    """This month's unmet needs by (area code, need): the municipality, else the subprefecture."""
    out: dict[tuple[str, str], int] = {}
    for cell, counts in tally((r for r in referrals if r.created_at.startswith(month)), gazetteer).items():
        if counts[UNMET]:
            key = (cell.municipality or cell.subprefecture, cell.need)
            out[key] = out.get(key, 0) + counts[UNMET]
    return out
