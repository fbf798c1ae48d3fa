"""Crisis needs: a search for shelter, DV, consultation, food or a mental-health line never comes back empty.

Needs marked ``crisis`` in seed/needs.csv are ones where "nothing found" is not an answer.
When a search for one finds nobody to call in the chosen area (no result, or none with a
phone number), the lines that serve all of Hokkaido are added after the local results,
each marked ``fallback``: for DV and shelter the immediate-danger line (110) first, then
the 24-hour lines, then the rest. The finder and ``tsunagu search`` both go through
``search_with_fallback``; ``Catalogue.search`` itself is unchanged.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tui.core.models import Hit, Resource
from tui.core.reference.areas import HOKKAIDO

if TYPE_CHECKING:
    from tui.core.store.catalogue import Catalogue

# Needs for which the immediate-danger line comes first.
DANGER_NEEDS = frozenset({"dv", "shelter"})
EMERGENCY_NUMBER = "110"
# A general consultation line serves every problem, so it is offered for any crisis need.
GENERAL_NEED = "consultation"


def crisis_needs(catalogue: Catalogue, query: str = "", needs: Sequence[str] = ()) -> tuple[str, ...]:
    """The crisis need codes a search asks for: its need filter, or else words of the query naming a need."""
    taxonomy = catalogue.taxonomy
    codes = [taxonomy.resolve(n).code for n in needs]
    if not codes:
        codes = [need.code for need in map(taxonomy.find, query.split()) if need is not None]
    return tuple(dict.fromkeys(code for code in codes if taxonomy.needs[code].crisis))


def search_with_fallback(catalogue: Catalogue, query: str = "", *, area: str | None = None,
                         needs: Sequence[str] = (), limit: int = 50) -> list[Hit]:
    """``Catalogue.search``, plus the lines serving all Hokkaido when a crisis need finds nobody to call.

    Fallback hits come after the local ones (at most ``limit`` of them) with ``fallback=True``.
    """
    hits = catalogue.search(query, area=area, needs=needs, limit=limit)
    wanted = crisis_needs(catalogue, query, needs)
    if not wanted or any(hit.phone and hit.status == "active" for hit in hits):
        return hits
    shown = {hit.id for hit in hits}
    fallback = crisis_fallback(catalogue, wanted, limit=limit + len(shown))
    return hits + [hit for hit in fallback if hit.id not in shown][:limit]


def crisis_fallback(catalogue: Catalogue, needs: Sequence[str], *, limit: int = 50) -> list[Hit]:
    """Active resources serving all of Hokkaido for ``needs`` (or general consultation), best line first:
    for DV and shelter the emergency line, then those with a phone, 24-hour ones, those for ``needs``.

    Ranked and cut in SQL (a large catalogue may hold thousands of Hokkaido-wide rows); the answer
    depends only on the catalogue's version, so it is kept until the next write.
    """
    version, key = catalogue.data_version, (tuple(needs), limit)
    cached_version, cached = _CACHE.get(catalogue, (None, {}))
    if cached_version != version or len(cached) > 64:
        cached = {}  # written since: every answer may have changed
        _CACHE[catalogue] = (version, cached)
    if key not in cached:
        cached[key] = _fallback(catalogue, *key)
    return cached[key]


# Per catalogue: the data version the answers belong to, and the answers by (needs, limit).
_CACHE: weakref.WeakKeyDictionary[Catalogue, tuple[int, dict[tuple[tuple[str, ...], int], list[Hit]]]] = (
    weakref.WeakKeyDictionary()
)


def _fallback(catalogue: Catalogue, needs: tuple[str, ...], limit: int) -> list[Hit]:
    codes = tuple(dict.fromkeys((*needs, GENERAL_NEED)))
    # ?1 全道, ?2 danger, ?3 the emergency number, ?4 limit, then the need codes
    any_code = ",".join(f"?{5 + n}" for n in range(len(codes)))
    wanted_code = ",".join(f"?{5 + len(codes) + n}" for n in range(len(needs)))
    danger = bool(DANGER_NEEDS.intersection(needs))
    with catalogue.lock:
        ids = [row[0] for row in catalogue.conn.execute(
            f"""WITH everywhere(id) AS (
                    SELECT resource_id FROM service_areas WHERE place_code = ?1
                    UNION
                    SELECT r.id FROM resources r WHERE r.area = ?1
                        AND NOT EXISTS (SELECT 1 FROM service_areas s WHERE s.resource_id = r.id))
                SELECT r.id FROM everywhere e JOIN resources r ON r.id = e.id
                WHERE r.status = 'active'
                  AND EXISTS (SELECT 1 FROM resource_needs n WHERE n.resource_id = r.id AND n.need_code IN ({any_code}))
                ORDER BY
                  (?2 AND EXISTS (SELECT 1 FROM phones p WHERE p.resource_id = r.id AND p.kind = 'voice'
                                  AND p.number = ?3)) DESC,
                  EXISTS (SELECT 1 FROM phones p WHERE p.resource_id = r.id AND p.kind = 'voice') DESC,
                  (r.hours LIKE '%24時間%' OR r.hours LIKE '%24 hours%') DESC,
                  EXISTS (SELECT 1 FROM resource_needs n WHERE n.resource_id = r.id
                          AND n.need_code IN ({wanted_code})) DESC,
                  r.name, r.id
                LIMIT ?4""",
            (HOKKAIDO, int(danger), EMERGENCY_NUMBER, limit, *codes, *needs),
        )]
        resources = catalogue.get_many(ids)
    return [_fallback_hit(r) for r in resources]


def _fallback_hit(resource: Resource) -> Hit:
    return Hit(
        id=resource.id, name=resource.name, score=0.0, organization=resource.organization, area=resource.area,
        needs=resource.needs, phone=resource.phone, status=resource.status, last_verified=resource.last_verified,
        matched="fallback", fallback=True,
    )
