"""Where help is missing: the place × need matrix, from the search index's masks.

A cell counts the resources that serve a place with a need, by the SPEC's area rule:
a resource serving a place counts for every place that overlaps it (a resource serving
宗谷 counts for each town in 宗谷, one serving 全道 for every place, one serving
札幌市中央区 for 札幌市, and one serving 稚内市 for 宗谷). So a cell holds exactly
what the finder lists with that area and need as filters. Closed resources are not in
the index and never count; active ones are counted, with the never-verified ones among
them counted again apart, and paused ones counted apart.

No Python loop runs over resources: each row's served places become a bit mask over the
leaf places (an OR over the index's place lists), rows with the same mask form a group,
the groups' counts per need and class come from one bincount, and one matrix product
spreads the groups over the places they cover.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np

from tui.core.reference.areas import Gazetteer

ACTIVE, UNVERIFIED, PAUSED = 0, 1, 2  # the classes a row is counted in (unverified: active, never verified)
_PERIOD = re.compile(r"^\s*(\d{1,3})\s*(m|mo|months?|y|years?|d|days?|ヶ月|か月|カ月|月|年|日)?\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Counts:
    active: int
    unverified: int
    paused: int

    def help(self, include_paused: bool = False) -> int:
        """How many resources count as help here: active ones, and paused ones when asked."""
        return self.active + (self.paused if include_paused else 0)


@dataclass(frozen=True, slots=True)
class Gap:
    """A hole in the map: a subprefecture with towns lacking a need, or a need missing in places."""

    need: str
    subprefecture: str  # "" for a need across Hokkaido
    missing: int  # municipalities left without help
    municipalities: int  # out of how many
    empty_subprefectures: int  # for a need across Hokkaido: subprefectures with no help at all


@dataclass(frozen=True)
class Coverage:
    """Counts for every subprefecture and municipality (rows) and need (columns)."""

    places: tuple[str, ...]  # subprefecture codes first (in the gazetteer's order), then municipalities (JIS)
    needs: tuple[str, ...]
    counts: np.ndarray  # int64, places × needs × (active, unverified, paused)
    subprefecture_of: dict[str, str]  # place → its subprefecture code (itself for a subprefecture)
    resources: int  # resources in the index (closed ones are never there)
    include_paused: bool = False
    verified_since: date | None = None

    def row(self, place: str) -> int:
        return self.places.index(place)

    def cell(self, place: str, need: str) -> Counts:
        values = self.counts[self.row(place), self.needs.index(need)]
        return Counts(int(values[ACTIVE]), int(values[UNVERIFIED]), int(values[PAUSED]))

    def help(self) -> np.ndarray:
        """places × needs: the resources that count as help (active, plus paused when included)."""
        total = self.counts[:, :, ACTIVE].copy()
        if self.include_paused:
            total += self.counts[:, :, PAUSED]
        return total

    def subprefectures(self) -> list[str]:
        return [p for p in self.places if self.subprefecture_of[p] == p]

    def municipalities(self, subprefecture: str | None = None) -> list[str]:
        return [p for p in self.places if self.subprefecture_of[p] != p
                and (subprefecture is None or self.subprefecture_of[p] == subprefecture)]

    def gaps(self) -> list[Gap]:
        """Every gap, the ones leaving most municipalities without help first."""
        help_ = self.help()
        found: list[Gap] = []
        towns_of = {sub: [self.row(p) for p in self.municipalities(sub)] for sub in self.subprefectures()}
        for column, need in enumerate(self.needs):
            by_sub = []
            empty_subs = 0
            for sub, towns in towns_of.items():
                missing = int(np.count_nonzero(help_[towns, column] == 0)) if towns else 0
                empty_subs += int(help_[self.row(sub), column] == 0)
                if missing:
                    by_sub.append(Gap(need, sub, missing, len(towns), 0))
            town_missing = sum(g.missing for g in by_sub)
            town_total = sum(len(towns) for towns in towns_of.values())
            if len(towns_of) > 1 and (town_missing or empty_subs):
                found.append(Gap(need, "", town_missing, town_total, empty_subs))
                if town_missing == town_total:
                    continue  # missing everywhere: one line says it; a line per subprefecture adds nothing
            found += by_sub
        # Most towns without help first; a need's Hokkaido-wide line before its subprefectures'.
        order = {code: n for n, code in enumerate(self.places)}
        needs = {code: n for n, code in enumerate(self.needs)}
        found.sort(key=lambda g: (-g.missing, g.subprefecture != "", needs[g.need], order.get(g.subprefecture, -1)))
        return found


def parse_period(text: str) -> int:
    """`12m`, `1y`, `90d`, `12` (months), `12ヶ月` → a number of days; ValueError otherwise."""
    found = _PERIOD.match(text or "")
    if not found:
        raise ValueError(f"期間が読めません (not a period): {text!r} — 12m, 1y, 90d のように書いてください")
    number, unit = int(found.group(1)), (found.group(2) or "m").lower()
    if unit.startswith("y") or unit == "年":
        return number * 365
    if unit.startswith("d") or unit == "日":
        return number
    return round(number * 30.44)


def default_places(gazetteer: Gazetteer) -> list[str]:
    """Subprefectures in the gazetteer's order, then the 179 municipalities in JIS order."""
    subs = [p.code for p in gazetteer.places.values() if p.kind == "subprefecture"]
    towns = [p.code for p in gazetteer.municipalities() if p.is_municipality]
    return subs + towns


def places_for(gazetteer: Gazetteer, area: str | None) -> list[str]:
    """The rows for an area filter: a subprefecture and its towns; a town with its subprefecture."""
    every = default_places(gazetteer)
    if area is None or area == "hokkaido":
        return every
    place = gazetteer.places[area]
    if place.kind == "ward":
        place = gazetteer.places[place.parent]
    if place.kind == "subprefecture":
        return [p for p in every if p == place.code or gazetteer.places[p].subprefecture == place.code]
    return [place.subprefecture, place.code]


def compute(index, gazetteer: Gazetteer, *, places: list[str] | None = None, needs: list[str] | None = None,
            include_paused: bool = False, verified_since: date | None = None) -> Coverage:
    """The coverage matrix from a ``SearchIndex`` (only its masks and lists are read)."""
    places = list(places if places is not None else default_places(gazetteer))
    needs = list(needs if needs is not None else index.need_codes)
    size = index.size
    served_places = index.place_codes
    # Every place as a bit mask over the leaf places (towns and wards): two places overlap
    # exactly when their masks share a bit, and a row's mask is the OR of what it serves.
    leaves = sorted({leaf for code in [*served_places, *places] for leaf in gazetteer.leaves(code)})
    leaf_number = {leaf: n for n, leaf in enumerate(leaves)}
    served_masks = _masks([gazetteer.leaves(code) for code in served_places], leaf_number)

    # A row's mask: OR the masks of the places it serves, one place list at a time (a loop over
    # places), one 64-bit word at a time (most places touch one word).
    words = served_masks.shape[1]
    row_masks = np.zeros((words, size), dtype=np.uint64)
    for number in range(len(served_places)):
        rows = index.places_served.get(number)
        for touched in np.flatnonzero(served_masks[number]).tolist() if len(rows) else []:
            row_masks[touched, rows] |= served_masks[number, touched]
    # Rows grouped by the places they cover (a few thousand groups at 100k rows, not 100k):
    # by a 64-bit mix of the mask, checked exactly (a collision falls back to comparing masks).
    mix = np.zeros(size, dtype=np.uint64)
    for word in range(words):
        mix = _splitmix(mix ^ row_masks[word])
    _, first_row, group_of = np.unique(mix, return_index=True, return_inverse=True)
    group_of = group_of.reshape(-1)
    if not np.array_equal(row_masks, row_masks[:, first_row][:, group_of]):
        as_bytes = np.ascontiguousarray(row_masks.T).view(np.dtype((np.void, words * 8))).reshape(-1)
        _, first_row, group_of = np.unique(as_bytes, return_index=True, return_inverse=True)
        group_of = group_of.reshape(-1)
    groups = len(first_row)
    # Each group's leaf places as columns of bits; a target is covered when any of its leaves is.
    group_bits = np.unpackbits(np.ascontiguousarray(row_masks[:, first_row].T).astype("<u8").view(np.uint8),
                               axis=1, bitorder="little").astype(bool)
    covers = np.zeros((len(places), groups), dtype=np.float32 if size < 2**24 else np.float64)
    for target, code in enumerate(places):  # a loop over places, each over all groups at once
        columns = [leaf_number[leaf] for leaf in gazetteer.leaves(code)]
        covers[target] = group_bits[:, columns[0]] if len(columns) == 1 else group_bits[:, columns].any(axis=1)

    # Each row's class: active, active never verified (counted in both), paused; -1 when left out.
    active = np.asarray(index.active, dtype=bool)
    kept = np.array(index.alive, dtype=bool)  # a slot left dead by a later change counts for nothing
    if verified_since is not None:
        kept &= index.verified >= verified_since.isoformat().encode()
    never = index.verified == b""
    # (row, need) pairs, for the needs asked for only.
    need_number = {code: n for n, code in enumerate(index.need_codes)}
    column_of_need = np.full(len(index.need_codes), -1, dtype=np.int64)
    for column, code in enumerate(needs):
        if code in need_number:
            column_of_need[need_number[code]] = column
    need_starts, need_items = index.needs.starts, index.needs.items
    pair_column = column_of_need[np.repeat(np.arange(len(index.need_codes)), np.diff(need_starts))]
    need_row = need_items.astype(np.int64)
    wanted = (pair_column >= 0) & kept[need_row]
    need_row, pair_column = need_row[wanted], pair_column[wanted]
    # Per group, need and class: one bincount each; then one product spreads them over the places.
    per_group = np.zeros((groups, 3, len(needs)), dtype=covers.dtype)
    slot = group_of[need_row] * (3 * len(needs)) + pair_column
    row_active = active[need_row]
    for kind, mask in ((ACTIVE, row_active), (UNVERIFIED, row_active & never[need_row]), (PAUSED, ~row_active)):
        per_group.reshape(-1)[:] += np.bincount(slot[mask] + kind * len(needs), minlength=groups * 3 * len(needs))
    # Counts stay far below 2**24 (float32) or 2**53: the product is exact.
    product = covers @ per_group.reshape(groups, 3 * len(needs))
    counts = np.rint(product).astype(np.int64).reshape(len(places), 3, len(needs)).transpose(0, 2, 1).copy()
    subprefecture_of = {}
    for code in places:
        place = gazetteer.places[code]
        subprefecture_of[code] = code if place.kind == "subprefecture" else place.subprefecture
    return Coverage(tuple(places), tuple(needs), counts, subprefecture_of, int(np.count_nonzero(index.alive)),
                    include_paused, verified_since)


def coverage(catalogue, *, area: str | None = None, needs: list[str] | None = None, include_paused: bool = False,
             verified_within_days: int | None = None, today: date | None = None) -> Coverage:
    """The matrix for a catalogue; ``area`` a place code (None: Hokkaido), ``needs`` need codes."""
    from datetime import timedelta

    since = (today or date.today()) - timedelta(days=verified_within_days) if verified_within_days else None
    return compute(catalogue.search_index(), catalogue.gazetteer, places=places_for(catalogue.gazetteer, area),
                   needs=needs, include_paused=include_paused, verified_since=since)


def _splitmix(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser: every input bit moves every output bit (a plain product would not)."""
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _masks(sets: list[frozenset[str]], number: dict[str, int]) -> np.ndarray:
    """One row of 64-bit words per set, a bit per leaf place."""
    out = np.zeros((len(sets), max(1, (len(number) + 63) // 64)), dtype=np.uint64)
    for row, members in enumerate(sets):
        for member in members:
            bit = number[member]
            out[row, bit // 64] |= np.uint64(1 << (bit % 64))
    return out
