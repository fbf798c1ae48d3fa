"""How one query word scores on one resource: the points of each kind of match, a word made
ready for the index (``Word``), the exact score of a row that ``SearchIndex`` checks, and the
levels it checks rows in (``levels``) and the order it checks a level's rows in (``in_rank_order``).

Pure: numbers and strings in, scores out. ``index.py`` estimates with the same points from
n-grams (an estimate never below the real score), then checks the best rows here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np

from tui.core.search import build as b
from tui.core.search.keys import QueryWord, term_score

# Scores of one word against one field; a query scores the mean over its words.
NAME_EXACT, NAME_PREFIX, NAME_INNER = 100, 90, 80
LOOSE_PENALTY = 3  # スパロー meets スパロウ, just below the spelling as typed
# A name met across scripts (kushiro → 釧路's reading; ふーど → a Latin name's reading) comes just
# below the same kind of match in the query's own script, and still above the next kind.
CROSS_SCRIPT = 5
ORG = dict(exact=74, prefix=72, inner=68)
TERM = dict(exact=70, prefix=64, inner=60)  # an area's or a need's name
ACTIVE = 10_000  # added to an active row's level: paused rows come after every active one


@dataclass
class Word:
    """A query word made ready: its spellings, and the areas and needs it names."""

    word: QueryWord
    variants: tuple[str, ...]  # strict spellings
    loose: tuple[str, ...]  # their loose forms, looked for in the loose keys
    start_only: bool  # a one-character query matches only the start of a name
    places: dict[int, int]  # place number → score
    needs: dict[int, int]  # need number → score
    scores: np.ndarray  # upper bound of the word's score per resource
    parts: list[Word] = field(default_factory=list)  # 釧路市せいかつ → 釧路市, せいかつ
    typos: dict[int, int] = field(default_factory=dict)  # row → score, filled when few rows match


def exact_score(record: list[str], row: int, words: list[Word], place_number: dict[str, int],
                need_number: dict[str, int]) -> tuple[float, str] | None:
    """The real score of the row ``record`` (mean over words) and the field that matched best, or None."""
    name_keys = record[b.NAME_KEYS].split(b.LIST)  # name, loose name, reading, loose reading
    org_keys = [k for k in record[b.ORG_KEYS].split(b.LIST) if k]
    places = [place_number[c] for c in record[b.PLACES].split(b.LIST) if c in place_number]
    needs = [need_number[c] for c in record[b.NEEDS].split(b.LIST) if c in need_number]
    total, best_field, best_score = 0.0, "name", -1.0
    for word in words:
        score, found = word_score(word, name_keys, org_keys, places, needs)
        if not score and word.parts:
            parts = [word_score(p, name_keys, org_keys, places, needs) for p in word.parts]
            if all(s for s, _ in parts):
                score, found = sum(s for s, _ in parts) / len(parts), parts[0][1]
        if word.typos.get(row, 0) > score:  # a name with a typo beats an area named with one
            score, found = word.typos[row], "name"
        if not score:
            return None
        total += score
        if score > best_score:
            best_score, best_field = score, found
    return total / len(words), best_field


def needles(words: list[Word]) -> list[tuple[bytes, ...]]:
    """For each word that scores only on a name or an organisation (it names no area or need, has no
    parts and no typos), its spellings in UTF-8: any such match holds one of them whole, so a record
    holding none of them scores None (``exact_score``) — ``holds_all`` tells without decoding it
    (くしろしゃ at 1M: 865 rows hold its n-grams, most of them not the word)."""
    return [tuple(v.encode("utf-8") for v in (*w.variants, *w.loose)) for w in words
            if not (w.places or w.needs or w.parts or w.typos) and all(w.variants) and all(w.loose)]


def holds_all(records: bytes, start: int, end: int, needles: list[tuple[bytes, ...]]) -> bool:
    """Whether the record at ``records[start:end]`` holds a spelling of every word in ``needles``."""
    return all(any(records.find(n, start, end) >= 0 for n in spellings) for spellings in needles)


def word_score(word: Word, name_keys, org_keys, places, needs) -> tuple[float, str]:
    """The best real score of one word on one row, and where it matched."""
    score, found = 0, ""
    typed_latin = word.word.typed.isascii()
    latin_name = bool(name_keys[0]) and name_keys[0].isascii()  # a Latin name met through its reading is another script
    for first, variant in [(0, v) for v in word.variants] + [(1, v) for v in word.loose]:
        from_romaji = typed_latin and not variant.isascii()
        for slot in (first, first + 2):  # the name, then the reading
            key = name_keys[slot]
            value = _name_value(word, variant, key) if key else None
            if value is None:
                continue
            value -= LOOSE_PENALTY if slot in (1, 3) else 0
            if from_romaji or (slot >= 2 and latin_name and not typed_latin):
                value -= CROSS_SCRIPT
            if value > score:
                score, found = value, "name" if slot < 2 else "kana"
        if not word.start_only and score < ORG["exact"]:  # else no organisation can score higher
            for key in org_keys:
                value = term_score(variant, key, **ORG) - (LOOSE_PENALTY if first else 0)
                if value > score:
                    score, found = value, "organization"
    if not word.start_only and score < TERM["exact"]:  # an area or a need scores at most that (typos less)
        score, found = _place_or_need(word, places, needs, score, found)
    return score, found


def _name_value(word: Word, variant: str, key: str) -> int | None:
    """How well ``variant`` meets a name or reading key: whole, its start, inside it; None: not at all."""
    if variant == key:
        return NAME_EXACT
    if key.startswith(variant):
        return NAME_PREFIX
    if not word.start_only and variant in key:
        return NAME_INNER
    return None


def _place_or_need(word: Word, places, needs, score: int, found: str) -> tuple[int, str]:
    """``score``/``found`` raised when the word names one of the row's places or needs better."""
    value = max((word.places.get(p, 0) for p in places), default=0)
    if value > score:
        score, found = value, "area"
    value = max((word.needs.get(d, 0) for d in needs), default=0)
    if value > score:
        score, found = value, "need"
    return score, found


def merge_best(into: dict[int, int], found: dict[int, int]) -> None:
    """``into`` raised to ``found`` wherever ``found`` scores higher."""
    for key, value in found.items():
        if value > into.get(key, 0):
            into[key] = value


def apply_raises(scores: np.ndarray, raises: list[tuple[int, np.ndarray]]) -> np.ndarray:
    """Give each row the highest score listed for it: plain writes, lowest score first.

    A write that a later one repeats is left out: さっぽろ's names that hold it also start with it, so
    its four name raises are one list of 175,000 rows at 1M (comparing two lists costs a tenth of a write).
    """
    ordered = sorted(raises, key=lambda r: r[0])
    later: dict[int, list[np.ndarray]] = {}  # by length: the lists written after this one
    writes = []
    for value, rows in reversed(ordered):
        if len(rows) and not any(np.array_equal(rows, other) for other in later.get(len(rows), ())):
            later.setdefault(len(rows), []).append(rows)
            writes.append((value, rows))
    for value, rows in reversed(writes):
        scores[rows.astype(np.intp)] = value  # a posting list is uint32: numpy indexes faster with intp
    return scores


def levels(scores: list[np.ndarray], matched: np.ndarray, local: np.ndarray | None, active: np.ndarray,
           enough: Callable[[int], bool]) -> Iterator[tuple[int, np.ndarray]]:
    """Each level among the ``matched`` rows, best first, with its rows, until ``enough(level)``: twice
    the summed ``scores``, plus one for a ``local`` row, plus ACTIVE for an ``active`` one.

    Worked out a level at a time. When most of the catalogue matches (a short query at 1M), over
    whole-catalogue arrays: gathering 800k rows' scores one by one cost more than the few levels looked
    at; when few rows match, over theirs (a pass over 1M slots per level would cost more).
    """
    rows = np.flatnonzero(matched) if np.count_nonzero(matched) * 8 < len(matched) else None

    def take(values: np.ndarray) -> np.ndarray:
        return values if rows is None else values[rows]

    dtype = np.uint16 if len(scores) < 300 else np.int64  # twice the summed score, plus one
    key = np.sum([take(s) for s in scores], axis=0, dtype=dtype) if len(scores) > 1 else take(scores[0]).astype(dtype)
    key *= 2
    if local is not None:
        key += take(local)
    if rows is None:
        key *= matched  # 0: not matched (a matched row scores on every word, so its key is at least 2)
    for is_active in (True, False):  # every active row comes before every paused one
        keys = key * (take(active) if is_active else ~take(active))
        while len(keys) and (value := int(keys.max())):
            level = value + ACTIVE * is_active
            if enough(level):
                return
            at = np.flatnonzero(keys == value)
            yield level, at if rows is None else rows[at]
            keys[at] = 0


def in_rank_order(rows: np.ndarray, rank: np.ndarray, first: int = 256, order: np.ndarray | None = None
                  ) -> Iterator[int]:
    """``rows`` in base order (``rank``: slot → place; ties go to the better placed row), sorted as
    they are taken: the ``first`` best placed by a partial sort, the rest only if the caller wants
    more. A level of 300,000 rows at 1M (a two-letter query) is not sorted whole to check a few hundred.

    ``order``: the live slots, best placed first (``rows`` are live). Given, a level holding a good
    share of the catalogue finds its ``first`` by walking it (さっぽろ at 1M: 166,000 rows, the first
    256 among the first 1,500 slots) rather than partitioning them all."""
    if order is not None and len(rows) > first * 4 and len(rows) * 64 >= len(order):
        member = np.zeros(len(rank), dtype=bool)
        member[rows] = True
        walked = first * len(order) // len(rows) * 2  # about twice as far as `first` of them should be
        head = order[:walked][member[order[:walked]]]
        while len(head) < first and walked < len(order):
            walked *= 2
            head = order[:walked][member[order[:walked]]]
        head = head[:first]
        yield from head.tolist()
        member[head] = False
        rows = rows[member[rows]]
        yield from rows[np.argsort(rank[rows])].tolist()
        return
    ranks = rank[rows]
    if len(rows) > first * 4:
        head = np.argpartition(ranks, first)[:first]
        head = head[np.argsort(ranks[head])]
        yield from rows[head].tolist()
        rest = np.ones(len(rows), dtype=bool)
        rest[head] = False
        rows, ranks = rows[rest], ranks[rest]
    yield from rows[np.argsort(ranks)].tolist()
