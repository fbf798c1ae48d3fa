"""The need taxonomy: stable codes, Japanese and English labels, synonyms.

Codes (``food``, ``shelter``) are what the catalogue stores; labels and synonyms are
what people see and type. ``Taxonomy.resolve`` accepts any of them in any width or
kana, so 食べ物, ﾌｰﾄﾞﾊﾞﾝｸ, Food and food all mean ``food``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from tui.core.text import fold


@dataclass(frozen=True, slots=True)
class Need:
    code: str
    label_ja: str
    kana: str
    label_en: str
    synonyms: tuple[str, ...] = ()
    description: str = ""
    crisis: bool = False  # no answer is unacceptable: a search never comes back empty (tui/core/crisis.py)
    readings: tuple[str, ...] = ()  # kana readings of the synonyms, typed as often as the kanji

    def label(self, lang: str = "ja") -> str:
        return self.label_en if lang == "en" else self.label_ja

    @property
    def terms(self) -> tuple[str, ...]:
        """Every word that names this need, for search and import."""
        return (self.code, self.label_ja, self.kana, self.label_en, *self.synonyms, *self.readings)


# A synonym followed by its reading in brackets: 食べ物（たべもの）.
_WITH_READING = re.compile(r"^(?P<term>.+?)\s*[（(](?P<kana>[\u3041-\u309f\u30a0-\u30ff・ ]+)[）)]$")


def split_synonyms(cell: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``食べ物（たべもの）;ストーブ`` → the synonyms (食べ物, ストーブ) and their readings (たべもの,)."""
    synonyms: list[str] = []
    readings: list[str] = []
    for item in (s.strip() for s in cell.split(";")):
        if not item:
            continue
        found = _WITH_READING.match(item)
        synonyms.append(found["term"] if found else item)
        if found:
            readings.append(found["kana"].strip())
    return tuple(synonyms), tuple(readings)


def is_crisis(value: object) -> bool:
    """The ``crisis`` cell of seed/needs.csv (yes/1/はい/○) or the catalogue's 0/1."""
    return str(value or "").strip().lower() in ("yes", "1", "true", "はい", "○")


class UnknownNeed(LookupError):
    """No need has that name; ``suggestions`` holds the nearest labels."""

    def __init__(self, query: str, suggestions: list[str]):
        self.query = query
        self.suggestions = suggestions
        hint = f" — もしかして (did you mean): {' / '.join(suggestions)}" if suggestions else ""
        super().__init__(f"支援の種別が見つかりません (unknown need): {query!r}{hint}")


class Taxonomy:
    def __init__(self, needs: Iterable[Need]):
        self.needs: dict[str, Need] = {n.code: n for n in needs}
        # A term names the first need that lists it (labels before synonyms).
        self._by_term: dict[str, str] = {}
        for need in self.needs.values():
            for term in (need.code, need.label_ja, need.kana, need.label_en):
                self._by_term.setdefault(fold(term), need.code)
            # "総合相談・自立相談" is also typed as its parts, and a part as what it is about
            # (食料支援 as 食料, 法律相談 as 法律): what a spreadsheet's needs column says.
            for part in f"{need.label_ja}・{need.kana}".replace("・", " ").split():
                self._by_term.setdefault(fold(part), need.code)
                stem = part.removesuffix("支援").removesuffix("相談").removesuffix("しえん").removesuffix("そうだん")
                if stem != part and len(stem) >= 2:
                    self._by_term.setdefault(fold(stem), need.code)
        for need in self.needs.values():
            for term in (*need.synonyms, *need.readings):
                self._by_term.setdefault(fold(term), need.code)

    @classmethod
    def from_rows(cls, rows: Iterable[dict]) -> Taxonomy:
        """Build from rows shaped like ``seed/needs.csv`` (columns read by name)."""
        needs = []
        for row in rows:
            synonyms, readings = split_synonyms(row.get("synonyms") or "")
            needs.append(Need(row["code"], row["label_ja"], row["kana"], row["label_en"], synonyms,
                              row.get("description_ja") or "", crisis=is_crisis(row.get("crisis")),
                              readings=readings))
        return cls(needs)

    @classmethod
    def from_csv(cls, path: Path) -> Taxonomy:
        with open(path, encoding="utf-8", newline="") as f:
            return cls.from_rows(csv.DictReader(f))

    def __iter__(self):
        return iter(self.needs.values())

    def __len__(self) -> int:
        return len(self.needs)

    def find(self, term: str) -> Need | None:
        """The need a code, label or synonym names, or None (no suggestions worked out: cheap per keystroke)."""
        code = self._by_term.get(fold(term))
        return self.needs[code] if code is not None else None

    def resolve(self, term: str) -> Need:
        """The need a code, label or synonym names; raises ``UnknownNeed``."""
        code = self._by_term.get(fold(term))
        if code is None:
            raise UnknownNeed(term, self.suggest(term))
        return self.needs[code]

    def suggest(self, term: str, limit: int = 3) -> list[str]:
        key = fold(term)
        if not key:
            return []
        found = process.extract(key, list(self._by_term), scorer=Levenshtein.distance, limit=20,
                                score_cutoff=max(1, len(key) // 2))
        found.sort(key=lambda hit: (hit[1], abs(len(hit[0]) - len(key))))
        labels: list[str] = []
        for spelling, _distance, _ in found:
            label = self.needs[self._by_term[spelling]].label_ja
            if label not in labels:
                labels.append(label)
        return labels[:limit]
