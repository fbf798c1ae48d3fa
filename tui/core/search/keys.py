"""Matching keys for search: what a resource is indexed under and what a query means.

Catalogue text and queries go through the same folding (``tui.core.text``): a strict
key (width, case, kana, spelling variants), a loose key (small kana, long vowels) and
legal forms dropped, so 社会福祉法人 neither matches nor dilutes. Readings come from
data only: a resource's ``name_kana`` and the areas' official kana.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from tui.core.text import fold, is_romaji, loose, romaji_to_kana, romaji_typo_spellings, strip_legal_forms

# Short forms counsellors type, folded, → the long form names use.
ABBREVIATIONS = {
    fold(short): fold(long)
    for short, long in {
        "社協": "社会福祉協議会",
        # Kanji words typed in kana: names rarely carry a reading, so say them in kanji too.
        "しゃきょう": "社会福祉協議会",
        "しゃかいふくしきょうぎかい": "社会福祉協議会",
        "ほうかつ": "地域包括支援センター",
        "ちいきほうかつ": "地域包括支援センター",
        "じりつそうだん": "自立相談",
        "しゅうろうじゅんび": "就労準備",
        "サポステ": "サポートステーション",
        "ハロワ": "ハローワーク",
        "包括": "地域包括支援センター",
        "就労B": "就労継続支援B型",
        "就労A": "就労継続支援A型",
        "子ども食堂": "こども食堂",
        "こども食堂": "子ども食堂",
    }.items()
}
# Romaji drops long vowels (shakyo → しゃきょ): look short forms up loosely too.
_LOOSE_ABBREVIATIONS = {loose(short): long for short, long in ABBREVIATIONS.items()}
# Readings of legal forms: a name_kana may spell out しゃかいふくしほうじん.
_LEGAL_READINGS = re.compile(
    "|".join(
        fold(r)
        for r in (
            "しゃかいふくしほうじん", "とくていひえいりかつどうほうじん", "えぬぴーおーほうじん",
            "いっぱんしゃだんほうじん", "こうえきしゃだんほうじん", "いっぱんざいだんほうじん",
            "こうえきざいだんほうじん", "かぶしきがいしゃ", "かぶしきかいしゃ", "ゆうげんがいしゃ",
            "ごうどうがいしゃ", "いりょうほうじん", "がっこうほうじん",
        )
    )
)
_KANJI = "\u4e00-\u9fff\u3400-\u4dbf々〆\uf900-\ufaff"
# Where a run of kanji meets a run of kana (釧路市|せいかつ) or the other way round.
_SCRIPT_RUN = re.compile(rf"[{_KANJI}]+|[\u3041-\u309fー]+|[0-9a-z]+")


def name_key(text: str) -> str:
    """The strict key of a name or organisation: legal forms dropped, then folded."""
    return fold(strip_legal_forms(text)) if text else ""


def reading_key(kana: str) -> str:
    """The strict key of a reading: folded, spelled-out legal forms dropped."""
    return _LEGAL_READINGS.sub("", fold(kana)) if kana else ""


def keys_with_loose(*keys: str) -> list[str]:
    """Each non-empty key followed by its loose form when that differs."""
    out: list[str] = []
    for key in keys:
        for k in (key, loose(key)) if key else ():
            if k and k not in out:
                out.append(k)
    return out


@dataclass(frozen=True, slots=True)
class QueryWord:
    """One word of a query: the ways it may be spelled in the catalogue's keys."""

    typed: str  # the folded word as typed
    variants: tuple[str, ...]  # strict keys to look for: the word, its kana from romaji, long forms
    parts: tuple[str, ...] = ()  # 釧路市せいかつ → (釧路市, せいかつ), tried when the whole finds nothing
    unfinished: bool = False  # a trailing romaji consonant (`kushiro f`): dropped when it would empty the list
    typo_spellings: tuple[str, ...] = ()  # romaji with a dropped vowel put back (kushro → くしろ…), for typo search

    @property
    def loose_variants(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(lv for v in self.variants if (lv := loose(v)) and lv != v))


def parse_query(query: str) -> list[QueryWord]:
    """The words of a query; legal forms and punctuation-only words drop out."""
    words: list[QueryWord] = []
    raw_words = unicodedata.normalize("NFKC", query or "").split()
    for position, raw in enumerate(raw_words):
        typed = name_key(raw)
        if not typed:
            continue  # a legal form or punctuation alone: neither matches nor dilutes
        variants = [typed]
        ascii_word = raw.lower()
        typo_spellings: tuple[str, ...] = ()
        if is_romaji(ascii_word):
            kana = romaji_to_kana(ascii_word)
            if kana and kana not in variants:
                variants.append(kana)
            typo_spellings = romaji_typo_spellings(ascii_word)
        for variant in list(variants):
            long_form = ABBREVIATIONS.get(variant) or _LOOSE_ABBREVIATIONS.get(loose(variant))
            if long_form and long_form not in variants:
                variants.append(long_form)
        runs = _SCRIPT_RUN.findall(typed)
        parts = tuple(runs) if len(runs) > 1 and len("".join(runs)) == len(typed) else ()
        unfinished = (
            position == len(raw_words) - 1 and typed.isascii() and typed.isalpha() and len(typed) <= 2
            and not any(c in "aeiou" for c in typed)
        )
        words.append(QueryWord(typed, tuple(variants), parts, unfinished, typo_spellings))
    return words


def term_score(word: str, key: str, *, exact: int, prefix: int, inner: int) -> int:
    """How well a folded word meets one key of an area, need or organisation (0: not at all).

    A one-character word only counts at the start, so 釧 finds 釧路 but not 白釧.
    """
    if not word or not key:
        return 0
    if word == key:
        return exact
    if key.startswith(word):
        return prefix
    if len(word) >= 2 and word in key:
        return inner
    return 0
