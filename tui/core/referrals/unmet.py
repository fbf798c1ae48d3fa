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
from typing import NamedTuple

from tui.core.reference.areas import HOKKAIDO, Gazetteer
from tui.core.referrals.record import Referral
from tui.core.small_counts import REFERRED, UNMET

UNMET_STATUSES = ("no_capacity", "not_eligible", "no_contact")


class Cell(NamedTuple):
    """Where and what a need was: month (YYYY-MM), subprefecture code, municipality code
    ('' when the referral's area was a whole subprefecture), need code."""

    month: str
    subprefecture: str
    municipality: str
    need: str


def served_locally(referral: Referral, gazetteer: Gazetteer) -> bool:
    """Did the place serve the referral's area by something narrower than all Hokkaido?"""
    return _serves(_served(referral.resource_as_referred().served_areas, gazetteer), referral.client_area(), gazetteer)


def _served(areas: Iterable[str], gazetteer: Gazetteer) -> tuple[str, ...]:
    return tuple(code for code in areas if code != HOKKAIDO and code in gazetteer.places)


def _serves(served: tuple[str, ...], area: str, gazetteer: Gazetteer) -> bool:
    return bool(area) and area in gazetteer.places and bool(served) and gazetteer.overlaps(served, area)


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


def tally_log(log, gazetteer: Gazetteer) -> dict[Cell, dict[str, int]]:
    """``tally`` over a whole ``ReferralLog``, reading only what counting reads (month, areas,
    needs, status, the place as referred) — the case, note and worker are not even read — with
    identical rows grouped by SQLite first (a log refers to the same places again and again)."""
    with log.lock:
        found = log.conn.execute(
            "SELECT substr(created_at, 1, 7), area, resource_area, needs, resource_needs, status, snapshot, asked_area,"
            " count(*) FROM referrals GROUP BY 1, 2, 3, 4, 5, 6, 7, 8").fetchall()
    return _tally(((Referral(id=0, created_at=row[0], resource_id="", resource_name="", area=row[1],
                             resource_area=row[2], needs=_split(row[3]), resource_needs=_split(row[4]), status=row[5],
                             snapshot=row[6], asked_area=row[7]), row[8]) for row in found), gazetteer)


def _split(text: str) -> tuple[str, ...]:
    return tuple(x for x in text.split(";") if x)


def tally(referrals: Iterable[Referral], gazetteer: Gazetteer) -> dict[Cell, dict[str, int]]:
    """Referrals and unmet needs per cell: {Cell: {"referred": n, "unmet": n}}.

    A referral counts once under each need it was made for (the filter in force, else the
    place's own needs), as the monthly report counts it."""
    return _tally(((r, 1) for r in referrals), gazetteer)


def _tally(weighted: Iterable[tuple[Referral, int]], gazetteer: Gazetteer) -> dict[Cell, dict[str, int]]:
    out: dict[Cell, dict[str, int]] = {}
    # A log refers to the same places again and again: what each snapshot serves, and whether
    # that serves an area, are worked out once.
    served_by: dict[str, tuple[str, ...]] = {}
    local: dict[tuple[tuple[str, ...], str], bool] = {}
    for referral, weight in weighted:
        area = referral.client_area()
        where = place_of(area, gazetteer)
        if where is None:
            continue
        served = served_by.get(referral.snapshot)
        if served is None:
            served = served_by[referral.snapshot] = _served(referral.resource_as_referred().served_areas, gazetteer)
        key = (served, area)
        if key not in local:
            local[key] = _serves(served, area, gazetteer)
        unmet = referral.status in UNMET_STATUSES or not local[key]
        for need in referral.report_needs():
            if not need:
                continue
            counts = out.setdefault(Cell(referral.created_at[:7], where[0], where[1], need), {REFERRED: 0, UNMET: 0})
            counts[REFERRED] += weight
            counts[UNMET] += weight if unmet else 0
    return out


def month_unmet(referrals: Iterable[Referral], gazetteer: Gazetteer, month: str) -> dict[tuple[str, str], int]:
    """This month's unmet needs by (area code, need): the municipality, else the subprefecture."""
    out: dict[tuple[str, str], int] = {}
    for cell, counts in tally((r for r in referrals if r.created_at.startswith(month)), gazetteer).items():
        if counts[UNMET]:
            key = (cell.municipality or cell.subprefecture, cell.need)
            out[key] = out.get(key, 0) + counts[UNMET]
    return out
