"""The demand side of the coverage map: referrals and unmet local needs per place × need.

This office's exact counts (from its referral log, ``referrals.unmet.tally``) are added to
every other office's shared counts (``sharing.stats.read_shared``: a suppressed value adds
nothing, so a shared figure can fall short of the truth by up to 2 per office and cell), and
the sum is shown under the same small-number rule as the shared files (``small_counts``):
a municipality below 3 is ``"suppressed"``, a subprefecture of 1–2 too, and a subprefecture
whose remainder could be pinned on one town.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tui.core.reference.areas import Gazetteer
from tui.core.reports.coverage import Coverage
from tui.core.small_counts import MEASURES, SUPPRESSED, Value, protect, town_value, towns_of

# (month, subprefecture, municipality, need) → {"referred": n, "unmet": n}: this office's exact counts
OwnCounts = Mapping[tuple[str, str, str, str], Mapping[str, int]]


@dataclass(frozen=True)
class Demand:
    """Shown values per (place code, need): {"unmet": n | "suppressed", "referred": ...}."""

    values: dict[tuple[str, str], dict[str, Value]]

    def get(self, place: str, need: str) -> dict[str, Value]:
        return self.values.get((place, need), {m: 0 if _is_sub(place) else SUPPRESSED for m in MEASURES})


def _is_sub(code: str) -> bool:
    return not code[:1].isdigit()  # municipalities have JIS codes; subprefectures ascii codes


def combine(gazetteer: Gazetteer, own: OwnCounts, shared: Iterable[tuple[str, str, str, str, str, Value]],
            needs: Iterable[str]) -> Demand:
    """This office's exact counts (all months) plus the shared ones (``read_shared``'s rows),
    protected for showing. The fronts gather both (``tui/demand.py``): the core's reports,
    referrals and sharing do not use each other."""
    wanted = set(needs)
    subs: dict[tuple[str, str, str], int] = {}  # (sub, need, measure) → sum
    towns: dict[tuple[str, str, str], dict[str, int]] = {}  # (sub, need, measure) → town → sum
    for (_month, sub_code, town_code, need_code), values in own.items():
        for measure in MEASURES:
            key = (sub_code, need_code, measure)
            subs[key] = subs.get(key, 0) + values.get(measure, 0)
            if town_code:
                per = towns.setdefault(key, {})
                per[town_code] = per.get(town_code, 0) + values.get(measure, 0)
    for _office, sub, town, need, measure, value in shared:
        if not isinstance(value, int):
            continue  # suppressed: 1 or 2 somewhere, never guessed
        key = (sub, need, measure)
        if town:
            per = towns.setdefault(key, {})
            per[town] = per.get(town, 0) + value
        else:
            subs[key] = subs.get(key, 0) + value
    out: dict[tuple[str, str], dict[str, Value]] = {}
    for (sub, need, measure), total in subs.items():
        if need not in wanted or sub not in gazetteer.places:
            continue
        per = towns.get((sub, need, measure), {})
        guarded = protect(total, per, len(towns_of(gazetteer, sub)))
        out.setdefault((sub, need), {m: 0 for m in MEASURES})[measure] = guarded.subprefecture
    for (_sub, need, measure), per in towns.items():
        if need not in wanted:
            continue
        for town, count in per.items():
            out.setdefault((town, need), {m: SUPPRESSED for m in MEASURES})[measure] = town_value(count)
    return Demand(out)


@dataclass(frozen=True, slots=True)
class Opportunity:
    place: str
    need: str
    unmet: int
    resources: int


def most_needed(coverage: Coverage, demand: Demand, limit: int = 10) -> list[Opportunity]:
    """Where a new resource would help most: shown unmet needs, fewest resources first, then most unmet."""
    help_ = coverage.help()
    found = []
    for row, place in enumerate(coverage.places):
        for column, need in enumerate(coverage.needs):
            unmet = demand.get(place, need)["unmet"]
            if isinstance(unmet, int) and unmet > 0:
                found.append(Opportunity(place, need, unmet, int(help_[row, column])))
    found.sort(key=lambda o: (o.resources, -o.unmet, coverage.places.index(o.place), o.need))
    return found[:limit]
