"""Typo search: what a query word means when nothing spells it exactly.

Looked for only when few rows match (see ``SearchIndex.search``). A name or reading
holding the word with a typo scores 50–65, a place named with a typo 50–60: below every
real match, still ordered by closeness. Romaji typos (``kushro``, ``obhiro``) are
met through kana spellings with the dropped vowel put back
(``QueryWord.typo_spellings``), so they are found like kana typos.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import fuzz, process

from tui.core.search import build as b
from tui.core.search.keys import QueryWord
from tui.core.text import loose

if TYPE_CHECKING:
    from tui.core.search.index import SearchIndex

RERANK = 300  # at most this many typo candidates go to rapidfuzz
TYPO_CUT = 75  # partial_ratio below this is another word: one wrong kana in three (くしろ/くらし) is 67
PLACE_CUT = 75  # a place's name, read whole: one wrong kana in four (おびひる/おびひろ) is 75, in three 67


def spellings(word: QueryWord, cut: float) -> list[tuple[str, float]]:
    """The spellings typo search tries, each with the closeness it needs: the word's own
    (``cut``); for romaji that lost a vowel, its kana guesses (くしゅろ, and くしろ… with the vowel
    put back) already are the one typo, so they must be found whole."""
    guessed = bool(word.typo_spellings)
    found = [(v, 100.0 if guessed and not v.isascii() else cut) for v in word.variants]
    found += [(v, 100.0) for v in word.typo_spellings if v not in word.variants]
    return [(v, c) for v, c in found if len(v) >= 3]


def name_typos(index: SearchIndex, word: QueryWord, allowed: np.ndarray | None) -> dict[int, int]:
    """Resources whose name or reading holds the word with a typo: row → score."""
    found: dict[int, int] = {}
    for variant, cut in spellings(word, TYPO_CUT):
        rows = np.flatnonzero(allowed) if allowed is not None else None
        if rows is None or len(rows) > RERANK:  # too many to compare: those sharing most n-grams
            shared = index.loose.shared_grams(loose(variant))
            shared *= allowed if allowed is not None else index.alive  # a dead slot is nobody
            needed = max(2, len(loose(variant)) - 1)  # about half of its characters and pairs
            rows = _most_shared(shared, needed, index.rank)
        keys = [index.record(int(i))[b.NAME_KEYS].split(b.LIST) for i in rows]
        matches = []
        # Strict against the name and reading, loose against their loose forms.
        for typed, slot in ((variant, 0), (variant, 2), (loose(variant), 1), (loose(variant), 3)):
            choices = {r: ks[slot] for r, ks in zip(rows.tolist(), keys) if ks[slot]}
            found_here = process.extract(typed, choices, scorer=fuzz.partial_ratio, score_cutoff=cut, limit=None)
            matches += [(key, ratio, row, typed) for key, ratio, row in found_here]
        for key, ratio, row, typed in matches:
            alignment = fuzz.partial_ratio_alignment(typed, key)
            if alignment is None or alignment.dest_end - alignment.dest_start < len(typed):
                continue  # matched a shorter piece at the key's edge: くしろ is not しろいし
            score = int(20 + 0.45 * ratio)  # 50–65
            if score > found.get(row, 0):
                found[row] = score
    return found


def _most_shared(shared: np.ndarray, needed: int, rank: np.ndarray) -> np.ndarray:
    """Rows sharing ``needed`` n-grams or more; past RERANK of them, the RERANK sharing most, ties in
    base order. A count at a time over all rows: at 1M, 200,000 rows share enough of くしろしゃ."""
    taken = []
    count = 0
    for value in range(int(shared.max()), needed - 1, -1):
        at = shared == value
        found = int(np.count_nonzero(at))
        if count + found > RERANK:  # the best placed of this count fill the rest
            rows = np.flatnonzero(at)
            taken.append(rows[np.argpartition(rank[rows], RERANK - count - 1)[: RERANK - count]])
            break
        if found:
            taken.append(np.flatnonzero(at))
            count += found
    return np.sort(np.concatenate(taken)) if taken else np.zeros(0, dtype=np.intp)


def place_typos(index: SearchIndex, word: QueryWord) -> dict[int, int]:
    """Places the word names with a typo (おびひる, obhiro): place number → score."""
    found: dict[int, int] = {}
    keys = index.place_key_list
    for variant, cut in spellings(word, PLACE_CUT):
        for _key, ratio, at in process.extract(variant, [k for k, _ in keys], scorer=fuzz.ratio,
                                               score_cutoff=cut, limit=None):
            place = keys[at][1]
            found[place] = max(found.get(place, 0), int(20 + 0.4 * ratio))  # 50–60
    return found
