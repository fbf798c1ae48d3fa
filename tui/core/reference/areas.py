"""Hokkaido's places: 全道, 14 subprefectures, 179 municipalities, Sapporo's 10 wards.

A place is named by its kanji (with or without the 郡 prefix), kana, romaji
(with or without -shi/-cho), JIS code, or a postal code in any width. ``Gazetteer``
resolves those names and answers the SPEC's question "does a resource serving
these places serve that filter?" through sets of leaf places (wards for Sapporo,
municipalities elsewhere): two places overlap exactly when one contains the other.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from tui.core.text import digits, fold, is_romaji, loose, romaji_to_kana

HOKKAIDO = "hokkaido"


@dataclass(frozen=True, slots=True)
class Place:
    """One area: 全道, a subprefecture, a municipality or a Sapporo ward."""

    code: str  # JIS code, a subprefecture's ascii code, or "hokkaido"
    name: str  # 釧路市 / 釧路 / 全道
    kana: str
    romaji: str
    kind: str  # prefecture | subprefecture | city | town | village | ward
    subprefecture: str = ""  # code of the containing subprefecture
    parent: str = ""  # 01100 for a Sapporo ward
    district: str = ""  # 郡, e.g. 虻田郡
    full_name: str = ""  # 釧路総合振興局 for a subprefecture

    @property
    def is_municipality(self) -> bool:
        return self.kind in ("city", "town", "village")


class UnknownArea(LookupError):
    """No place has that name; ``suggestions`` holds the nearest real names."""

    def __init__(self, query: str, suggestions: list[str]):
        self.query = query
        self.suggestions = suggestions
        hint = f" — もしかして (did you mean): {' / '.join(suggestions)}" if suggestions else ""
        super().__init__(f"地域が見つかりません (unknown area): {query!r}{hint}")


_SUFFIX_KANA = {"市": ("し",), "町": ("ちょう", "まち"), "村": ("むら", "そん"), "区": ("く",)}
_SUFFIX_ROMAJI = ("-shi", "-cho", "-machi", "-mura", "-son", "-ku")
_KIND_RANK = {"prefecture": 0, "subprefecture": 1, "city": 2, "ward": 3, "town": 4, "village": 5}


def _stem(name: str, kana: str) -> tuple[str, str]:
    """釧路市/くしろし → 釧路/くしろ: the name without its 市町村区 suffix."""
    suffix = name[-1:]
    for reading in _SUFFIX_KANA.get(suffix, ()):
        if kana.endswith(reading) and len(name) > 1:
            return name[:-1], kana[: -len(reading)]
    return name, kana


class Gazetteer:
    """Every Hokkaido place, its names, postal codes, and containment."""

    def __init__(self, places: Iterable[Place], postal_codes: dict[str, str]):
        self.places: dict[str, Place] = {p.code: p for p in places}
        self.postal_codes = postal_codes
        self._children: dict[str, list[str]] = {}
        for place in self.places.values():
            parent = self.parent_of(place)
            if parent:
                self._children.setdefault(parent, []).append(place.code)
        self._leaves: dict[str, frozenset[str]] = {}
        self._names: dict[str, list[str]] = {}  # folded name → codes, best first
        for place in sorted(self.places.values(), key=lambda p: (_KIND_RANK[p.kind], p.code)):
            for key in self._keys(place):
                codes = self._names.setdefault(key, [])
                if place.code not in codes:
                    codes.append(place.code)
        # Folded spellings (kanji names and readings) → the name to suggest.
        self._spellings: dict[str, str] = {}
        for place in sorted(self.places.values(), key=lambda p: (_KIND_RANK[p.kind], p.code)):
            for spelling in (place.name, place.kana, place.full_name):
                self._spellings.setdefault(
                    fold(spelling), self.label(place.code) if place.kind == "subprefecture" else place.name
                )

    # -- loading -----------------------------------------------------------------

    @classmethod
    def from_rows(
        cls, subprefectures: Iterable[dict], areas: Iterable[dict], postal_codes: Iterable[tuple[str, str]]
    ) -> Gazetteer:
        """Build from rows shaped like ``seed/subprefectures.csv`` and ``seed/areas.csv``."""
        places = [Place(HOKKAIDO, "全道", "ぜんどう", "hokkaido", "prefecture", full_name="北海道")]
        for row in subprefectures:
            places.append(
                Place(row["code"], row["name"], row["kana"], row["code"], "subprefecture", full_name=row["name_full"])
            )
        sub_by_name = {p.name: p.code for p in places if p.kind == "subprefecture"}
        for row in areas:
            places.append(
                Place(
                    row["jis_code"], row["name"], row["kana"], row["romaji"], row["kind"],
                    subprefecture=sub_by_name[row["subprefecture"]], parent=row["parent_jis_code"] or "",
                    district=row["district"] or "",
                )
            )
        return cls(places, dict(postal_codes))

    @classmethod
    def from_csv(cls, folder: Path) -> Gazetteer:
        """Load the reference CSVs of ``seed/`` (see ``seed/README.md``)."""
        postal: list[tuple[str, str]] = []
        for name in ("postal_codes.csv", "postal_codes_office.csv"):
            postal += [(row["postal_code"], row["jis_code"]) for row in read_csv(folder / name)]
        return cls.from_rows(read_csv(folder / "subprefectures.csv"), read_csv(folder / "areas.csv"), postal)

    # -- names -------------------------------------------------------------------

    def _keys(self, place: Place) -> set[str]:
        keys = {fold(place.name), fold(place.kana), fold(place.code)}
        if place.full_name:
            keys.add(fold(place.full_name))
        if place.kind == "subprefecture":
            keys |= {fold(place.name + "振興局"), fold(place.name + "総合振興局"), fold(place.kana + "しんこうきょく")}
            # How offices write a subprefecture's whole area: 釧路管内, 十勝地方, オホーツク圏.
            keys |= {fold(place.name + word) for word in ("管内", "地方", "圏", "圏域", "エリア")}
            keys |= {fold(place.full_name + "管内"), fold(place.kana + "かんない")}
        if place.kind == "prefecture":
            keys |= {fold(k) for k in ("北海道", "ほっかいどう", "道内", "全域", "all", "hokkaido")}
        stem, kana_stem = _stem(place.name, place.kana)
        if place.kind != "ward":
            keys |= {fold(stem), fold(kana_stem)}
        if place.district:
            keys.add(fold(place.district + place.name))
        if place.kind == "ward":  # 中央区 alone, and 札幌中央区
            keys |= {fold(place.name.removeprefix("札幌市")), fold("札幌" + place.name.removeprefix("札幌市"))}
        romaji = place.romaji.lower()
        for suffix in _SUFFIX_ROMAJI:
            if romaji.endswith(suffix):
                keys.add(fold(romaji[: -len(suffix)]))
        keys.add(fold(romaji))
        keys |= _mixed_spellings(place, stem, kana_stem)
        keys |= _english_names(place)
        if place.kind not in ("subprefecture", "prefecture"):
            keys.add(fold(romaji_to_kana(romaji)))
            if stem != place.name:
                keys.add(loose_reading(kana_stem))
        return {k for k in keys if k}

    def resolve(self, query: str) -> Place:
        """The place a person means; raises ``UnknownArea`` with suggestions."""
        matches = self.resolve_all(query)
        if not matches:
            raise UnknownArea(query, self.suggest(query))
        return matches[0]

    def resolve_all(self, query: str) -> list[Place]:
        """Every place the name could mean, best first (kanji name, then city before town)."""
        query = (query or "").strip().lstrip("〒").strip()
        if not query:
            return []
        code = digits(query)
        if code and len(code) == len(query.replace("-", "").replace("－", "").replace(" ", "")):
            return self._by_number(code)
        key = fold(query)
        codes = list(self._names.get(key, []))
        if not codes and is_romaji(key):
            codes = list(self._names.get(romaji_to_kana(key), []))
            if not codes:
                codes = list(self._names.get(loose_reading(romaji_to_kana(key)), []))
        if not codes:
            codes = list(self._names.get(loose_reading(key), []))
        # An exact kanji name wins (釧路 is the subprefecture); otherwise a reading
        # means the municipality before the subprefecture (kushiro is 釧路市).
        def rank(code: str) -> tuple[bool, bool]:
            place = self.places[code]
            exact = key in (fold(place.name), fold(place.full_name))
            return (not exact, place.kind in ("subprefecture", "prefecture"))

        codes.sort(key=rank)
        return [self.places[c] for c in codes]

    def _by_number(self, code: str) -> list[Place]:
        if len(code) == 7 and code in self.postal_codes:
            return [self.places[self.postal_codes[code]]]
        if len(code) == 6 and code[:5] in self.places:  # JIS code with its check digit
            code = code[:5]
        if len(code) == 5 and code in self.places:
            return [self.places[code]]
        return []

    def suggest(self, query: str, limit: int = 3) -> list[str]:
        """The nearest real names (釧路氏 → 釧路市, kushro → 釧路市)."""
        key = fold(query)
        if not key:
            return []
        if is_romaji(key):
            key = romaji_to_kana(key)
        found = process.extract(
            key, list(self._spellings), scorer=Levenshtein.distance, limit=30, score_cutoff=max(1, len(key) // 2)
        )
        # Fewest edits first, then the same length (釧路氏 → 釧路市 before 釧路).
        found.sort(key=lambda hit: (hit[1], abs(len(hit[0]) - len(key))))
        names: list[str] = []
        for spelling, _distance, _ in found:
            name = self._spellings[spelling]
            if name not in names:
                names.append(name)
        return names[:limit]

    # -- containment -------------------------------------------------------------

    def parent_of(self, place: Place) -> str:
        if place.kind == "prefecture":
            return ""
        if place.kind == "subprefecture":
            return HOKKAIDO
        return place.parent or place.subprefecture

    def leaves(self, code: str) -> frozenset[str]:
        """The smallest places inside ``code`` (itself when it has none)."""
        if code not in self._leaves:
            children = self._children.get(code)
            if not children:
                self._leaves[code] = frozenset((code,))
            else:
                self._leaves[code] = frozenset().union(*(self.leaves(c) for c in children))
        return self._leaves[code]

    def overlaps(self, served: Iterable[str], area: str) -> bool:
        """Does a resource serving ``served`` serve the filter ``area``?

        True when a served place lies inside the filter or contains it: a filter of
        網走市 keeps a resource serving オホーツク, a filter of オホーツク keeps
        one serving 北見市 or 全道. A filter of 全道 keeps every resource, one whose
        area nobody has filled in too: they are all in Hokkaido.
        """
        if area == HOKKAIDO:
            return True
        wanted = self.leaves(area)
        return any(not wanted.isdisjoint(self.leaves(code)) for code in served)

    def subprefecture_of(self, code: str) -> Place | None:
        place = self.places.get(code)
        if place is None or place.kind == "prefecture":
            return None
        if place.kind == "subprefecture":
            return place
        return self.places[place.subprefecture]

    def label(self, code: str) -> str:
        """How a place is shown: 釧路市, 釧路 (振興局 for a subprefecture), 全道."""
        place = self.places.get(code)
        if place is None:
            return code
        return place.full_name if place.kind == "subprefecture" else place.name

    def municipalities(self) -> list[Place]:
        """The 189 places below the subprefectures, in JIS order."""
        return sorted(
            (p for p in self.places.values() if p.kind not in ("prefecture", "subprefecture")), key=lambda p: p.code
        )


def _mixed_spellings(place: Place, stem: str, kana_stem: str) -> set[str]:
    """あっけし町, 厚岸ちょう, akkeshi町, ちゅうおう区: a name typed half in its reading.

    People type the stem as they hear it and the 市町村区 as they write it (or the other
    way round); a ward is also typed without its city (ちゅうおうく, chuo-ku).
    """
    suffix = place.name[-1:]
    if stem == place.name or suffix not in _SUFFIX_KANA:
        return set()
    romaji_stem = place.romaji.lower().rsplit("-", 1)[0]
    keys = {fold(kana_stem + suffix), fold(romaji_stem + suffix)}
    keys |= {fold(stem + reading) for reading in _SUFFIX_KANA[suffix]}
    if place.kind == "ward":  # Sapporo's are the only wards
        ward_kana = kana_stem.removeprefix("さっぽろし")
        ward_romaji = place.romaji.lower().removeprefix("sapporo-shi-")
        keys |= {fold(ward_kana + suffix), fold(ward_kana + "く"), fold(ward_romaji)}
        keys |= {fold(ward_romaji.replace("-", "")), fold(romaji_to_kana(ward_romaji.replace("-", "")))}
    return keys


_ENGLISH_KIND = {
    "city": ("city",), "town": ("town",), "village": ("village",), "ward": ("ward", "ku"),
    "subprefecture": ("subprefecture",),  # sub-prefecture folds the same
}


def _english_names(place: Place) -> set[str]:
    """Akkeshi Town, Abashiri City, Kushiro Subprefecture, Kita Ward / Sapporo Kita Ward / Kita Ward, Sapporo.

    Only with the English word: ``kita`` alone is no place, and ``town`` alone is no name.
    """
    romaji = place.romaji.lower()
    if place.kind != "subprefecture":
        romaji = romaji.rsplit("-", 1)[0]  # akkeshi-cho → akkeshi
    if place.kind == "ward":
        romaji = romaji.removeprefix("sapporo-shi-")
    names = {fold(f"{romaji} {word}") for word in _ENGLISH_KIND.get(place.kind, ())}
    if place.kind == "ward":  # Sapporo's are the only wards; its name goes before or after
        sapporo = ("sapporo", "sapporo city", "sapporo-shi")
        names |= {fold(f"{city} {ward}") for city in sapporo for ward in names} | {
            fold(f"{ward} {city}") for city in sapporo for ward in names
        }
    return names


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def loose_reading(kana: str) -> str:
    """A reading with long vowels and small kana folded (ほっかいど = ほっかいどう)."""
    return loose(fold(kana))


def english_name(place: Place, short: bool = False) -> str:
    """A place in the English UI, from the gazetteer's romaji: Kushiro-shi, Sapporo-shi Chuo-ku,
    Kushiro (Subprefecture). The suffix stays (-shi, -cho, -mura): 釧路市 and 釧路町 both exist."""
    parts = [part for part in place.romaji.split("-") if part]
    if not parts:
        return place.name
    if place.kind == "subprefecture":
        name = " ".join(part.capitalize() for part in parts)
        return name if short else f"{name} Subprefecture"
    words, index = [], 0
    while index < len(parts):  # name-suffix pairs: sapporo-shi-chuo-ku → Sapporo-shi Chuo-ku
        pair = parts[index:index + 2]
        words.append("-".join([pair[0].capitalize(), *pair[1:]]))
        index += 2
    return " ".join(words)
