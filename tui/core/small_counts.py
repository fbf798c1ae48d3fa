"""The small-number rule for counts about people (issue 24): one place, used by the shared
stats files (``sharing.stats``) and by every figure shown (``reports.demand``).

- a municipality's count below 3 — zero included, so a town with nobody cannot be told
  from a town with one or two — is ``"suppressed"``;
- a subprefecture's count of 1 or 2 is ``"suppressed"``;
- so is a subprefecture's count whose remainder, after its shown towns are subtracted,
  could sit in only one town (every other town shown).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

THRESHOLD = 3
SUPPRESSED = "suppressed"
REFERRED, UNMET = "referred", "unmet"
MEASURES = (REFERRED, UNMET)

Value = int | str  # a count, or "suppressed"


@dataclass(frozen=True, slots=True)
class Protected:
    """Counts for one subprefecture × need × measure as they may be shown."""

    subprefecture: Value
    municipalities: dict[str, int]  # only the towns whose count may be shown (≥ 3)


def protect(sub_total: int, towns: Mapping[str, int], town_count: int) -> Protected:
    """Apply the rule to a subprefecture's total and its towns' counts. ``town_count`` is how
    many municipalities the subprefecture has: a remainder spread over two or more unshown
    towns cannot be put on one of them."""
    shown = {code: n for code, n in towns.items() if n >= THRESHOLD}
    value: Value = sub_total
    if 0 < sub_total < THRESHOLD:
        value = SUPPRESSED
    elif sub_total - sum(shown.values()) > 0 and town_count - len(shown) <= 1:
        value = SUPPRESSED
    return Protected(value, shown)


def town_value(count: int) -> Value:
    return count if count >= THRESHOLD else SUPPRESSED


_TOWNS: dict[int, dict[str, list[str]]] = {}


def towns_of(gazetteer, sub: str) -> list[str]:
    """The municipalities of a subprefecture (a ``Gazetteer``; worked out once per gazetteer)."""
    if id(gazetteer) not in _TOWNS:
        by_sub: dict[str, list[str]] = {}
        for place in gazetteer.municipalities():
            if place.is_municipality:
                by_sub.setdefault(place.subprefecture, []).append(place.code)
        _TOWNS.clear()
        _TOWNS[id(gazetteer)] = by_sub
    return _TOWNS[id(gazetteer)].get(sub, [])
