"""Japanese line breaking for a terminal: phrase boundaries (BudouX) plus 禁則.

``wrap_spans(text, width)`` says where each line of ``text`` starts and ends when it is
shown ``width`` terminal cells wide. Lines break between BudouX phrases and at spaces;
no line starts with a closing bracket or 。、 (and no line ends with an opening one);
a number is never split. A phrase wider than a whole line is cut by character, with the
same rules. Pure and UI-free: the detail pane, notes and notifications all use it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# 行頭禁則: may not start a line. 行末禁則: may not end one.
NO_START = frozenset("、。，．,.)）]］｝}〕〉》」』】〙〗〟’”｠»ゝゞー－"
                     "ァィゥェォッャュョヮヵヶぁぃぅぇぉっゃゅょゎゕゖ"
                     "々〻‐゠–〜～？！?!‼⁇⁈⁉・:;：；%％…")
NO_END = frozenset("([｛〔〈《「『【〘〖〝‘“｟«（［〒#＃")
NUMBER_INSIDE = frozenset(".,:/-")  # 10:00, 1,000, 3.5, 2026-06-01 stay whole
WORDS = re.compile(r"\S+\s*|\s+")
# A key name at the end of a piece (esc, ctrl+s, ↑↓, y:), not inside a longer ASCII word.
_KEY = r"(?<![!-~])(?:(?:ctrl|shift|alt)\+\S+|esc|enter|tab|space|backspace|delete|[↑↓←→]+|[!-~])"
KEY_NAME = re.compile(_KEY + ":?$")
KEY_PARTICLE = re.compile(_KEY + " [ぁ-ん]{1,2}$")  # esc で, enter を

Span = tuple[int, int]


def cell_width(text: str) -> int:
    """Terminal cells ``text`` takes: 2 for wide (CJK) characters, 0 for combining marks."""
    return sum(_char_width(char) for char in text)


@lru_cache(maxsize=4096)
def _char_width(char: str) -> int:
    if unicodedata.combining(char) or char in "\u200b\u200d\ufe0f":
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


@lru_cache(maxsize=1)
def _parser():
    import budoux

    return budoux.load_default_japanese_parser()


def _joined(before: str, after: str) -> bool:
    """Must ``before`` and ``after`` stay on one line (no break between them)?"""
    if not before or not after or after[0].isspace():
        return False
    if before[-1].isspace():
        return _key_and_verb(before.rstrip(), after)
    if KEY_PARTICLE.search(before):  # esc で | スキップ: the particle's verb too
        return True
    if after[0] in NO_START or before[-1] in NO_END:
        return True
    if before[-1].isdigit() and after[0].isdigit():
        return True
    if "/" in before and before[-1].isascii() and after[0].isascii() and not after[0].isspace():
        return True  # a path or a web address is one word: handout-C- | 2026-014.txt tore a file name
    # 10 | :00 and 10: | 00 — a number with its inner punctuation is one piece.
    if after[0] in NUMBER_INSIDE and before[-1].isdigit() and after[1:2].isdigit():
        return True
    return before[-1] in NUMBER_INSIDE and after[0].isdigit() and before[-2:-1].isdigit()


def _key_and_verb(before: str, after: str) -> bool:
    """esc | でスキップ, enter | sets: a key name keeps what it does on its line.

    A one-character key (q, y, /) only before Japanese or with its colon (y: はい), so the English
    ``a`` or ``I`` in running text breaks as any word does."""
    key = KEY_NAME.search(before)
    if key is None:
        return False
    return len(key.group().rstrip(":")) > 1 or key.group().endswith(":") or not after[0].isascii()


@lru_cache(maxsize=4096)
def _atoms(paragraph: str) -> tuple[Span, ...]:
    """Unbreakable pieces of a paragraph, as (start, end), with trailing spaces included.

    Kept for the next call: the phrase parser is the slow part of laying out details, and the
    same paragraphs come back (a best hit that stays while the query grows, a shared hours line)."""
    pieces: list[Span] = []
    start = 0
    for phrase in _parser().parse(paragraph) if paragraph.strip() else [paragraph]:
        for word in WORDS.finditer(phrase):
            span = (start + word.start(), start + word.end())
            if pieces and _joined(paragraph[pieces[-1][0]:pieces[-1][1]], paragraph[span[0]:span[1]]):
                pieces[-1] = (pieces[-1][0], span[1])
            else:
                pieces.append(span)
        start += len(phrase)
    return tuple(pieces)


def _cut(text: str, start: int, end: int, width: int) -> int:
    """Where to cut ``text[start:end]`` so the head fits ``width`` cells, keeping 禁則."""
    used, cut = 0, start
    while cut < end and used + _char_width(text[cut]) <= width:
        used += _char_width(text[cut])
        cut += 1
    cut = max(cut, start + 1)  # a line holds at least one character
    if "/" in text[start:end] and text[start:end].isascii():
        # A path or a web address: after its last / in the line's second half (a file name stays
        # whole), else folded where the line is full.
        return next((after for after in range(cut, start + width // 2, -1) if text[after - 1] == "/"), cut)
    best = cut
    while best < end and _joined(text[start:best], text[best:end]):
        if best == start + 1:  # no place keeps the rules (a number wider than the line):
            for after in range(cut, start + 1, -1):  # break a range or a date after its - or /
                if text[after - 1] in "-/~〜":
                    return after
            while cut > start + 1 and cut < end and (text[cut] in NO_START or text[cut - 1] in NO_END):
                cut -= 1  # 禁則 first: 16:0 | 0、 rather than 16:00 | 、
            return cut
        best -= 1  # 追い出し: carry the last character over rather than break a rule
    return best


def wrap_spans(text: str, width: int) -> list[Span]:
    """(start, end) of each line of ``text`` at ``width`` cells; ``\\n`` always breaks.

    Spaces where a line breaks are left out of both lines.
    """
    width = max(1, width)
    lines: list[Span] = []
    offset = 0
    for paragraph in text.split("\n"):
        line_start: int | None = None
        line_end = 0
        used = 0
        for start, end in _atoms(paragraph):
            piece = paragraph[start:end]
            size = cell_width(piece.rstrip())
            if line_start is not None and used + size <= width:
                line_end = start + len(piece.rstrip())
                used += cell_width(piece)
                continue
            if line_start is not None:
                lines.append((offset + line_start, offset + line_end))
            if line_start is not None:  # a new line does not start with the spaces of a break
                stripped = piece.lstrip()
                start, piece = end - len(stripped), stripped
                if not piece:
                    line_start, used = None, 0
                    continue
            while cell_width(piece.rstrip()) > width:
                cut = _cut(paragraph, start, start + len(piece.rstrip()), width)
                lines.append((offset + start, offset + cut))
                piece = paragraph[cut:end]
                start = cut
            line_start, line_end = start, start + len(piece.rstrip())
            used = cell_width(piece)
        lines.append((offset + line_start, offset + line_end) if line_start is not None else (offset, offset))
        offset += len(paragraph) + 1
    return lines


def wrap(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` cells (see ``wrap_spans``)."""
    return [text[start:end] for start, end in wrap_spans(text, width)]


HINT_SEPARATOR = re.compile(r" · ")


def hint_spans(text: str, width: int) -> list[Span]:
    """A key hint's lines: its ``key verb`` parts, joined by `` · ``, each kept whole on one line.

    ``y or enter: yes · n or esc: no`` broke inside ``n | or esc: no``; a part wider than the
    line is wrapped as any text (``wrap_spans``)."""
    if "\n" in text or not HINT_SEPARATOR.search(text):
        return wrap_spans(text, width)
    parts: list[Span] = []
    start = 0
    for separator in HINT_SEPARATOR.finditer(text):
        parts.append((start, separator.start()))
        start = separator.end()
    parts.append((start, len(text)))
    lines: list[Span] = []
    for start, end in parts:
        if lines and cell_width(text[lines[-1][0]:end]) <= width:
            lines[-1] = (lines[-1][0], end)
        elif cell_width(text[start:end]) <= width:
            lines.append((start, end))
        else:
            lines += [(start + a, start + b) for a, b in wrap_spans(text[start:end], width)]
    return lines
