"""Crisis needs: a search for shelter, DV, consultation, food or a mental-health line never comes back empty.

Needs marked ``crisis`` in seed/needs.csv are ones where "nothing found" is not an answer.
When a search for one finds nobody to call in the chosen area (no result, or none with a
phone number), the lines that serve all of Hokkaido are added after the local results,
each marked ``fallback``: for DV and shelter the immediate-danger line (110) first, then
the 24-hour lines, then the rest. The finder and ``tsunagu search`` both go through
``search_with_fallback``; ``Catalogue.search`` itself is unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .areas import HOKKAIDO
from .models import Hit, Resource

if TYPE_CHECKING:
    from .catalogue import Catalogue

# Needs for which the immediate-danger line comes first.
DANGER_NEEDS = frozenset({"dv", "shelter"})
EMERGENCY_NUMBER = "110"
# A general consultation line serves every problem, so it is offered for any crisis need.
GENERAL_NEED = "consultation"
_NOT_DIGITS = re.compile(r"\D")


def crisis_needs(catalogue: Catalogue, query: str = "", needs: Sequence[str] = ()) -> tuple[str, ...]:
    """The crisis need codes a search asks for: its need filter, or else words of the query naming a need."""
    taxonomy = catalogue.taxonomy
    codes = [taxonomy.resolve(n).code for n in needs]
    if not codes:
        codes = [need.code for need in map(taxonomy.find, query.split()) if need is not None]
    return tuple(dict.fromkeys(code for code in codes if taxonomy.needs[code].crisis))


def search_with_fallback(catalogue: Catalogue, query: str = "", *, area: str | None = None, needs: Sequence[str] = (),
                         limit: int = 50) -> list[Hit]:
    """``Catalogue.search``, plus the lines serving all Hokkaido when a crisis need finds nobody to call.

    Fallback hits come after the local ones (at most ``limit`` of them) with ``fallback=True``.
    """
    hits = catalogue.search(query, area=area, needs=needs, limit=limit)
    wanted = crisis_needs(catalogue, query, needs)
    if not wanted or any(hit.phone and hit.status == "active" for hit in hits):
        return hits
    shown = {hit.id for hit in hits}
    return hits + [hit for hit in crisis_fallback(catalogue, wanted) if hit.id not in shown][:limit]


def crisis_fallback(catalogue: Catalogue, needs: Sequence[str]) -> list[Hit]:
    """Active resources serving all of Hokkaido for ``needs`` (or general consultation), best line first."""
    codes = tuple(dict.fromkeys((*needs, GENERAL_NEED)))
    marks = ",".join("?" * len(codes))
    with catalogue.lock:
        ids = [row[0] for row in catalogue.conn.execute(
            f"""SELECT r.id FROM resources r
                WHERE r.status = 'active'
                  AND EXISTS (SELECT 1 FROM resource_needs n WHERE n.resource_id = r.id AND n.need_code IN ({marks}))
                  AND (EXISTS (SELECT 1 FROM service_areas s WHERE s.resource_id = r.id AND s.place_code = ?)
                       OR (r.area = ? AND NOT EXISTS (SELECT 1 FROM service_areas s WHERE s.resource_id = r.id)))""",
            (*codes, HOKKAIDO, HOKKAIDO),
        )]
        resources = catalogue.get_many(ids)
    danger = bool(DANGER_NEEDS.intersection(needs))
    resources.sort(key=lambda r: _rank(r, needs, danger))
    return [_fallback_hit(r) for r in resources]


def is_emergency_line(resource: Resource) -> bool:
    return any(_NOT_DIGITS.sub("", number) == EMERGENCY_NUMBER for number in resource.phone.split(";"))


def is_24_hours(resource: Resource) -> bool:
    return "24時間" in resource.hours or "24 hours" in resource.hours.lower()


def _rank(resource: Resource, needs: Sequence[str], danger: bool) -> tuple[bool, bool, bool, bool, str]:
    return (
        not (danger and is_emergency_line(resource)),
        not resource.phone,
        not is_24_hours(resource),
        not set(needs).intersection(resource.needs),
        resource.name,
    )


def _fallback_hit(resource: Resource) -> Hit:
    return Hit(
        id=resource.id, name=resource.name, score=0.0, organization=resource.organization, area=resource.area,
        needs=resource.needs, phone=resource.phone, status=resource.status, last_verified=resource.last_verified,
        matched="fallback", fallback=True,
    )
