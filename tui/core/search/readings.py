"""Readings for names that have none: ordinary words from a morphological analyser,
place names only from the area data.

Most names in a catalogue come without a reading (``name_kana``), so ``せいかつ``
would never find 釧路市生活相談支援センター. SudachiPy (with its core dictionary) reads
the ordinary words — 生活 せいかつ, 相談 そうだん, 就労 しゅうろう — but misreads Hokkaido's
places (小平 しょうへい for おびら, 豊富 ほうふ for とよとみ), so every place name the
gazetteer knows is cut out first and read from ``areas.csv`` instead.

A generated reading is a matching key only: it is built with the search index, never
stored in the resource, shown, exported or handed out, and a given ``name_kana`` always
wins over it.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import TYPE_CHECKING

from tui.core.reference.areas import _stem
from tui.core.text import strip_legal_forms

if TYPE_CHECKING:
    from tui.core.reference.areas import Gazetteer

_KANJI = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf々〆\uf900-\ufaff]")
_ANALYSER_LOCK = threading.Lock()  # a Sudachi tokenizer is not shared between threads


def place_readings(gazetteer: Gazetteer) -> dict[str, str]:
    """Every way a place is written inside a name → its official reading.

    Names with and without 市町村区 (釧路市, 釧路), ward names without 札幌市 (白石区, 白石) and
    subprefectures (十勝). A one-character stem (森, 泊) is an ordinary word too often to mask.
    """
    readings: dict[str, str] = {}

    def add(written: str, kana: str) -> None:
        if written and kana:
            readings.setdefault(strip_legal_forms(written), kana)

    for place in gazetteer.places.values():
        if place.kind == "prefecture":
            continue  # 全道 is not written inside names
        add(place.name, place.kana)
        name, kana = place.name, place.kana
        if place.kind == "ward":
            name, kana = name.removeprefix("札幌市"), kana.removeprefix("さっぽろし")
            add(name, kana)
        if place.kind != "subprefecture":
            stem, stem_kana = _stem(name, kana)
            if len(stem) >= 2 and stem != name:
                add(stem, stem_kana)
    return readings


class NameReader:
    """Reads names: place names from the gazetteer, the rest from SudachiPy."""

    def __init__(self, gazetteer: Gazetteer):
        self._places = place_readings(gazetteer)
        # Longest first, so 札幌市白石区 wins over 白石 and 釧路町 over 釧路.
        self._place_pattern = re.compile("|".join(map(re.escape, sorted(self._places, key=len, reverse=True))))

    def reading(self, name: str) -> str:
        """The name's reading (katakana or hiragana, mixed with what has no reading), or "" without kanji."""
        text = strip_legal_forms(name)
        if not _KANJI.search(text):
            return ""  # kana or latin only: the name is its own reading
        parts: list[str] = []
        at = 0
        for found in self._place_pattern.finditer(text):
            parts += [analyse(text[at : found.start()]), self._places[found.group()]]
            at = found.end()
        parts.append(analyse(text[at:]))
        return "".join(parts)


@lru_cache(maxsize=65536)
def analyse(text: str) -> str:
    """The reading of a piece of a name (no place names in it), word by word.

    Pieces repeat across a catalogue (生活相談センター, フードバンク), hence the cache.
    A word the dictionary does not know keeps its own spelling.
    """
    if not _KANJI.search(text):
        return text
    with _ANALYSER_LOCK:
        morphemes = _tokenizer().tokenize(text)
        return "".join(m.surface() if m.is_oov() else (m.reading_form() or m.surface()) for m in morphemes)


@lru_cache(maxsize=1)
def _tokenizer():  # -> sudachipy.Tokenizer; loaded on first use (~0.1 s), only when a name needs it
    from sudachipy import Dictionary, SplitMode

    return Dictionary(dict="core").tokenizer(mode=SplitMode.C, fields={"reading_form"})
