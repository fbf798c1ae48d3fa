"""A place typed in the query means what the area filter means.

``網走 シェルター`` is a shelter for someone in 網走市: the place word filters by what a
resource *serves* (exactly as ``a`` / ``--area`` does), and only the rest, ``シェルター``,
is searched as text. Matched as text, 網走 would find resources whose address says 網走
and miss the オホーツク shelter in 北見 that serves 網走市.

A place word is a whole word of the query that names one place exactly — kanji (網走,
網走市), kana (あばしり), romaji (abashiri), a Sapporo ward (中央区), a postal code
(093-0000) or a JIS code — never a near miss or a loose reading: a word that is not
surely a place stays text. A name of several words (Akkeshi Town, Sapporo Kita Ward,
Kita Ward, Sapporo) is one place, tried before its words alone. 全道 / 北海道 are not
taken (every resource serves somewhere in Hokkaido; as a filter they would hide local ones).
"""

from __future__ import annotations

import re

from tui.core.reference.areas import HOKKAIDO, Gazetteer, Place
from tui.core.text import digits, fold, is_romaji, romaji_to_kana

_WORDS = re.compile(r"[ \u3000\t]+")
_WINDOW = 4  # words one place name may take: Sapporo City Kita Ward


def place_word(gazetteer: Gazetteer, word: str) -> Place | None:
    """The one place ``word`` names exactly, or None."""
    word = word.strip()
    if len(word) < 2:
        return None
    number = digits(word)
    if number and len(number) == len(re.sub(r"[-－‐ー〒]", "", word)):
        if len(number) not in (5, 7):
            return None  # a phone fragment or a count, not a code
    else:
        key = fold(word)
        names = gazetteer._names  # exact names only: no loose readings, no near misses
        if key not in names and not (is_romaji(key) and romaji_to_kana(key) in names):
            return None
    found = gazetteer.resolve_all(word)
    if not found or found[0].code == HOKKAIDO:
        return None
    return found[0]


def split_place(gazetteer: Gazetteer, query: str) -> tuple[Place | None, str]:
    """``query`` → (the place it names, the rest of the query); (None, query) when none.

    With two place words the narrower one wins when one holds the other (札幌 中央区 is
    中央区); otherwise the first is the filter and the others stay text.
    """
    words = [w for w in _WORDS.split(query.strip()) if w]
    found = _places_in(gazetteer, words)
    if not found:
        return None, query
    chosen_span, chosen = found[0]
    for span, place in found[1:]:
        if chosen.code in _outer(gazetteer, place):  # place lies inside the chosen one
            chosen_span, chosen = span, place
    drop = set(chosen_span).union(*(span for span, place in found if place.code in _outer(gazetteer, chosen)))
    rest = " ".join(w for i, w in enumerate(words) if i not in drop)
    return chosen, rest


def _places_in(gazetteer: Gazetteer, words: list[str]) -> list[tuple[range, Place]]:
    """Each place named in ``words`` with the words it takes, the longest name first at each word.

    Akkeshi Town is one place before akkeshi alone is, so ``Town`` is not left as text.
    """
    found: list[tuple[range, Place]] = []
    start = 0
    while start < len(words):
        for size in range(min(_WINDOW, len(words) - start), 0, -1):
            place = _place_of_words(gazetteer, words[start:start + size])
            if place is not None:
                found.append((range(start, start + size), place))
                start += size
                break
        else:
            start += 1
    return found


def _place_of_words(gazetteer: Gazetteer, words: list[str]) -> Place | None:
    """The place several words name together (Abashiri City, kita ku, Kita Ward, Sapporo), or None.

    Only an exact name: no reading guessed from romaji, no codes (085 0015 is two numbers).
    """
    if len(words) == 1:
        return place_word(gazetteer, words[0])
    phrase = " ".join(words)
    if any(ch.isdigit() for ch in phrase) or fold(phrase) not in gazetteer._names:
        return None
    found = gazetteer.resolve_all(phrase)
    if not found or found[0].code == HOKKAIDO:
        return None
    return found[0]


def _outer(gazetteer: Gazetteer, place: Place) -> set[str]:
    """The codes of every place that holds ``place`` (its city, subprefecture, 全道)."""
    codes: set[str] = set()
    current = place
    while True:
        parent = gazetteer.parent_of(current)
        if not parent or parent in codes:
            return codes
        codes.add(parent)
        current = gazetteer.places[parent]


def area_value(place: Place) -> str:
    """What to pass to ``Catalogue.search(area=...)`` so it means exactly this place.

    A subprefecture's reading alone would resolve to its city (kushiro → 釧路市), so
    subprefectures go by their full name and municipalities by their JIS code.
    """
    if place.kind == "prefecture":
        return "全道"
    if place.kind == "subprefecture":
        return place.full_name or place.name
    return place.code
