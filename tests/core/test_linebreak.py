"""Japanese line breaking: BudouX phrases, 禁則, numbers kept whole, every line fits."""

from __future__ import annotations

import re

import pytest

from tui.core.linebreak import NO_END, NO_START, cell_width, hint_spans, wrap, wrap_spans

TEXTS = [
    "食品の緊急配布（テスト用の架空データ）。平日10:00-16:00、相談員から電話で連絡してください。",
    "定員は月2名。送迎あり（帯広駅から10分）。「就労体験」の前に、必ず面談を行います。",
    "Food bank open 10:00-16:00 on weekdays; call 0154-00-0001 first, please.",
    "生活福祉資金（特例貸付を含む）・自立支援金・各種給付の相談は、社会福祉協議会へ。費用は無料、1,000円の交通費補助あり。",
    "ああああああああああああ。」ああ",
    "one\n\ntwo paragraphs、そして　全角スペース",
]


@pytest.mark.parametrize("width", [6, 8, 10, 13, 16, 20, 27, 34, 40, 60])
@pytest.mark.parametrize("text", TEXTS)
def test_every_line_fits_keeps_kinsoku_and_loses_nothing(text, width):
    lines = wrap(text, width)
    for line in lines:
        assert cell_width(line) <= width
    for before, after in zip(lines, lines[1:]):
        if after and before:
            assert after[0] not in NO_START, (before, after)
            assert before[-1] not in NO_END, (before, after)
    # Only spaces at breaks (and the \n) are dropped.
    assert re.sub(r"\s", "", "".join(lines)) == re.sub(r"\s", "", text)


@pytest.mark.parametrize("width", [12, 14, 16, 20, 24])
def test_numbers_are_never_split_when_they_fit(width):
    text = "受付は平日10:00-16:00、定員12名、電話0154-00-0001、費用1,000円、2026-06-01から。"
    joined = "\n".join(wrap(text, width))
    for number in ("10:00-16:00", "12", "0154-00-0001", "1,000", "2026-06-01"):
        if cell_width(number) + 2 <= width:
            assert number in joined, (number, joined)


def test_breaks_fall_on_phrase_boundaries():
    assert wrap("相談員から電話で連絡してください。", 18) == ["相談員から電話で", "連絡してください。"]


def test_closing_punctuation_never_starts_a_line_even_inside_a_long_phrase():
    lines = wrap("ああああああああ。ああ", 8)
    assert all(not line.startswith("。") for line in lines)
    assert lines[-1].startswith("あ。")


def test_newlines_always_break_and_spans_point_into_the_text():
    text = "一行目\n二行目の文"
    spans = wrap_spans(text, 40)
    assert [text[a:b] for a, b in spans] == ["一行目", "二行目の文"]
    assert wrap("", 10) == [""]


def test_a_path_wider_than_the_line_breaks_after_a_slash_not_inside_the_file_name():
    """A toast said …/notes/handout-C- | 2026-014.txt at 80 columns (seen by a new user)."""
    said = "Handout (1 place) written: /tmp/tmp.wzeCUQ1sFH/notes/handout-C-2026-014.txt and handout-C-2026-014.html"
    lines = wrap(said, 37)
    assert "handout-C-2026-014.txt and" in lines and "/tmp/tmp.wzeCUQ1sFH/notes/" in lines, lines
    # A web address with no / in the line's second half is folded where the line is full, never
    # left as a stub such as http: | // (a first try did that).
    assert wrap("http://www.shiribeshi.pref.hokkaido.lg.jp/hk/kks/haiguusya.htm", 31)[0] == "http://www.shiribeshi.pref.hokk"
    assert wrap("https://coopsapporo-cs.jp/premium_service/detail/437", 31)[0] == "https://coopsapporo-cs.jp/"


def _hints() -> list[str]:
    import tomllib
    from pathlib import Path

    found: list[str] = []

    def walk(table: dict) -> None:
        for key, value in table.items():
            if isinstance(value, dict):
                walk(value)
            elif isinstance(value, str) and (key.endswith("hint") or key == "first_run"):
                found.append(value)

    for lang in ("ja", "en"):
        walk(tomllib.loads((Path(__file__).parents[2] / "tui" / "i18n" / f"{lang}.toml").read_text("utf-8")))
    return found


KEY_AT_END = re.compile(r"(?:^|[\s（(])(?:esc|enter|tab|space|ctrl\+\S+|[↑↓]+|[a-z]:)(?: [ぁ-ん]{1,2})?$")
LETTER_AT_END = re.compile(r"(?:^|[\s（(])[a-z]$")  # q | でも: a one-letter key before Japanese


@pytest.mark.parametrize("hint", _hints())
def test_a_key_name_keeps_its_verb_on_its_line(hint):
    # esc | でスキップ。 and y or enter: yes · n | or esc: no — a key with nothing to do, a verb
    # with no key. Widths from a narrow dialog to a full 80-column line.
    for width in range(30, 78):
        lines = [hint[start:end] for start, end in hint_spans(hint, width)]
        assert all(cell_width(line) <= width for line in lines), (width, lines)
        for line, after in zip(lines, lines[1:]):
            assert not KEY_AT_END.search(line), (width, line, after)
            assert not (LETTER_AT_END.search(line) and not after[:1].isascii()), (width, line, after)
        for part in hint.split(" · "):
            if cell_width(part) <= width:
                assert any(part in line for line in lines), (width, part, lines)
