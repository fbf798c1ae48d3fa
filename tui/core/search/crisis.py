"""Crisis needs: a search for shelter, DV, consultation, food or a mental-health line never comes back empty,
and it starts close to home.

Needs marked ``crisis`` in seed/needs.csv are ones where "nothing found" is not an answer;
``emergency_goods`` (a stove, 灯油, food tonight) is not, but it too starts close to home.
A search for one of them with an area widens step by step (``STEPS``) and says which step
answered: the resources serving the place itself (``local``: the town's own offices), then
those serving the subprefecture around it (the 振興局's offices), then the lines serving all
Hokkaido. Each step also brings in the welfare offices with a phone — resources for general
consultation (生活保護, 自立相談支援) serving that step — after the resources found for the need,
since the responsible office is the one that can place someone in a shelter or arrange food.
Only for DV does the immediate-danger line (110) come first; for shelter and food it comes with
the other lines serving all Hokkaido, after the local and subprefecture offices.

When nothing with a phone answers in the area, the lines that serve all of Hokkaido are
added after, each marked ``fallback``: for DV the emergency line first, then the 24-hour
lines, then the rest. The finder and ``tsunagu search`` both go through
``search_with_fallback``; ``Catalogue.search`` itself is unchanged.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from tui.core.models import Hit, Resource
from tui.core.reference.areas import HOKKAIDO

if TYPE_CHECKING:
    from tui.core.store.catalogue import Catalogue

# Needs for which the immediate-danger line comes first (身に危険: DV). Shelter and food go to the
# responsible welfare office first: 110 is for danger, not for a place to sleep.
DANGER_NEEDS = frozenset({"dv"})
# Not crisis needs (an empty answer is possible) but wanted tonight: the search still starts close to home.
TONIGHT_NEEDS = frozenset({"emergency_goods"})
# At most this many welfare offices are brought in (the search lists the area's own first).
OFFICES = 10
# How a search widens, nearest first: the place itself, the subprefecture around it, all Hokkaido.
STEPS = ("local", "subprefecture", "hokkaido")
STEP_LABELS = {
    "local": ("この地域の窓口", "in the area"),
    "subprefecture": ("振興局の窓口", "the subprefecture's offices"),
    "hokkaido": ("全道の窓口", "lines serving all Hokkaido"),
}
EMERGENCY_NUMBER = "110"
# A general consultation line serves every problem, so it is offered for any crisis need.
GENERAL_NEED = "consultation"


def asked_needs(catalogue: Catalogue, query: str = "", needs: Sequence[str] = ()) -> tuple[str, ...]:
    """The need codes a search asks for: its need filter, or else words of the query naming a need."""
    taxonomy = catalogue.taxonomy
    codes = [taxonomy.resolve(n).code for n in needs]
    if not codes:
        codes = [need.code for need in map(taxonomy.find, query.split()) if need is not None]
    return tuple(dict.fromkeys(codes))


def crisis_needs(catalogue: Catalogue, query: str = "", needs: Sequence[str] = ()) -> tuple[str, ...]:
    """The crisis need codes a search asks for: its need filter, or else words of the query naming a need."""
    return tuple(code for code in asked_needs(catalogue, query, needs) if catalogue.taxonomy.needs[code].crisis)


def search_with_fallback(catalogue: Catalogue, query: str = "", *, area: str | None = None,
                         needs: Sequence[str] = (), limit: int = 50) -> list[Hit]:
    """``Catalogue.search``, started close to home for an urgent need with an area (``close_to_home``),
    plus the lines serving all Hokkaido when a crisis need finds nobody to call.

    Fallback hits come after the local ones (at most ``limit`` of them) with ``fallback=True``; with an
    area every hit of an urgent search carries its ``step`` and ``answered_by`` names the step that answered.
    """
    hits = catalogue.search(query, area=area, needs=needs, limit=limit)
    asked = asked_needs(catalogue, query, needs)
    wanted = tuple(code for code in asked if catalogue.taxonomy.needs[code].crisis)
    urgent = wanted or tuple(code for code in asked if code in TONIGHT_NEEDS)
    if area and urgent:
        hits = close_to_home(catalogue, hits, area, urgent, limit=limit)
    elif urgent:
        hits = police_last(hits, urgent)
    if not wanted or any(hit.phone and hit.status == "active" for hit in hits):
        return hits
    shown = {hit.id for hit in hits}
    fallback = crisis_fallback(catalogue, wanted, limit=limit + len(shown))
    step = "hokkaido" if area else ""
    return hits + [replace(hit, step=step) for hit in fallback if hit.id not in shown][:limit]


def close_to_home(catalogue: Catalogue, hits: list[Hit], area: str, needs: Sequence[str], *,
                  limit: int = 50) -> list[Hit]:
    """``hits`` with the welfare offices serving ``area`` added, ordered nearest step first, each with its step.

    Active before paused, as everywhere; then nearest step first; within a step those with a phone first,
    among the lines serving all Hokkaido 24-hour ones first, the resources found before the offices
    brought in, then the search's own order. For DV the emergency line comes before everything, and the
    resources found for DV before the offices brought in.
    """
    gazetteer = catalogue.gazetteer
    place = gazetteer.resolve(area).code
    if place == HOKKAIDO:
        return police_last(hits, needs)  # 全道 is every step at once
    shown = {hit.id for hit in hits}
    served, hours = _served(catalogue, list(shown))
    inside = gazetteer.leaves(place)
    # Someone local to call already answers: the offices are brought in only when nobody here does.
    answered_here = any(
        hit.phone and hit.status == "active"
        and any(code and code != HOKKAIDO and gazetteer.leaves(code) <= inside
                for code in (served.get(hit.id) or (hit.area,)))
        for hit in hits
    )
    offices = [] if answered_here else [
        hit for hit in catalogue.search("", area=area, needs=[GENERAL_NEED], limit=min(limit, OFFICES))
        if hit.id not in shown and hit.phone and hit.status == "active"
    ]
    brought_in = {hit.id for hit in offices}
    found = hits + offices
    if offices:
        more_served, more_hours = _served(catalogue, list(brought_in))
        served.update(more_served)
        hours.update(more_hours)
    danger = bool(DANGER_NEEDS.intersection(needs))

    def step_of(hit: Hit) -> str:
        places = served.get(hit.id) or (hit.area,)
        if HOKKAIDO in places:
            return "hokkaido"
        if any(code and gazetteer.leaves(code) <= inside for code in places):
            return "local"
        return "subprefecture"

    steps = {hit.id: step_of(hit) for hit in found}
    # offices serving all Hokkaido are the fallback's business, not a step close to home
    kept = [hit for hit in found if not (hit.id in brought_in and steps[hit.id] == "hokkaido")]

    def key(item: tuple[int, Hit]) -> tuple[int, ...]:
        n, hit = item
        step = steps[hit.id]
        all_day = step == "hokkaido" and _all_day(hours.get(hit.id, ""))
        widened = 1 if hit.id in brought_in else 0
        return (
            0 if danger and hit.phone == EMERGENCY_NUMBER else 1,
            0 if hit.status == "active" else 1,  # paused ones after active ones, as everywhere
            widened if danger else 0,  # DV: the DV lines (DV相談＋ …) before the general offices
            STEPS.index(step),
            0 if hit.phone else 1,
            0 if all_day else 1,
            widened,
            n,
        )

    ordered = [hit for _, hit in sorted(enumerate(kept), key=key)][:limit]
    return [
        replace(hit, step=steps[hit.id], matched="widened" if hit.id in brought_in else hit.matched)
        for hit in ordered
    ]


def police_last(hits: list[Hit], needs: Sequence[str]) -> list[Hit]:
    """Without a place: the emergency line (110) first only for danger (DV); for a bed, food or goods it
    follows the others (a bed is not a police matter), whatever the names' order put first."""
    if DANGER_NEEDS.intersection(needs):
        return hits
    return sorted(hits, key=lambda hit: hit.phone == EMERGENCY_NUMBER)


def answered_by(hits: Sequence[Hit]) -> str:
    """The nearest step with someone to call (an active resource with a phone), or "" when none."""
    steps = {hit.step for hit in hits if hit.step and hit.phone and hit.status == "active"}
    return next((step for step in STEPS if step in steps), "")


def _served(catalogue: Catalogue, ids: list[str]) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """The places each resource serves (its area when it lists none) and its hours, read in one query."""
    served: dict[str, list[str]] = {}
    hours: dict[str, str] = {}
    with catalogue.lock:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for rid, area, text, code in catalogue.conn.execute(
                f"""SELECT r.id, r.area, r.hours, s.place_code FROM resources r
                    LEFT JOIN service_areas s ON s.resource_id = r.id
                    WHERE r.id IN ({marks})""",
                chunk,
            ).fetchall():
                hours[rid] = text or ""
                served.setdefault(rid, []).append(code or area or "")
    return {rid: tuple(codes) for rid, codes in served.items()}, hours


def _all_day(hours: str) -> bool:
    return "24時間" in hours or "24 hours" in hours


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
