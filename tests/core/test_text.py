"""Folding keys and query parsing: the same rules for catalogue text and for what is typed."""

from __future__ import annotations

import pytest

from tui.core.search.keys import name_key, parse_query, reading_key
from tui.core.text import clean, fold, loose, romaji_to_kana, romaji_typo_spellings, strip_legal_forms


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ｸｼﾛ", "くしろ"),  # half-width katakana
        ("クシロ", "くしろ"),
        ("ＫＵＳＨＩＲＯ", "kushiro"),  # full-width, upper case
        ("釧路 市", "釧路市"),  # spaces out
        ("ｽﾊﾟﾛ-", "すぱろー"),  # a dash after kana is a long-vowel mark
        ("スパロ～", "すぱろー"),
        ("檜山", "桧山"),  # old and new kanji
        ("﨑", "崎"),
        ("霞ヶ丘", "霞ケ丘"),  # ヶ/ケ between kanji
        ("霞が丘", "霞が丘"),  # but a real が stays
        ("木之下", "木ノ下"),
    ],
)
def test_fold_meets_spelling_variants(typed, stored):
    assert fold(typed) == fold(stored)


def test_fold_never_changes_display_text():
    name = "①～㈱スパロウ"
    assert clean(name) == name  # keys are separate from what is shown


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("スパロー", "スパロウ"),
        ("ほっかいど", "ほっかいどう"),
        ("ちゃれんじ", "チャレンジ"),
        ("ふーど", "ふど"),
        ("おおさわ", "おーさわ"),
        ("ぢ", "じ"),
    ],
)
def test_loose_folds_long_vowels_small_kana_and_ji(a, b):
    assert loose(fold(a)) == loose(fold(b))


def test_loose_keeps_different_words_apart():
    assert loose(fold("くしろ")) != loose(fold("くらし"))
    assert loose(fold("つきさむ")) != loose(fold("つきさっぷ"))


@pytest.mark.parametrize(
    ("romaji", "kana"),
    [
        ("kushiro", "くしろ"),
        ("kusiro", "くしろ"),  # Kunrei
        ("kushir", "くし"),  # an unfinished final consonant is dropped
        ("mombetsu", "もんべつ"),
        ("monbetsu", "もんべつ"),
        ("sapporo", "さっぽろ"),
        ("obihiro", "おびひろ"),
        ("hokkaido", "ほっかいど"),  # a doubled consonant is っ
        ("kutchan", "くっちゃん"),
        ("saposte", "さぽすて"),  # a consonant before another is a dropped u, not っ
        ("shinhidaka", "しんひだか"),
        ("tsukigata", "つきがた"),
    ],
)
def test_romaji_to_kana(romaji, kana):
    assert romaji_to_kana(romaji) == kana


@pytest.mark.parametrize(("typed", "meant"), [("kushro", "くしろ"), ("obhiro", "おびひろ"), ("asahkawa", "あさひかわ")])
def test_romaji_with_a_dropped_vowel_is_spelled_with_it_put_back(typed, meant):
    assert meant in romaji_typo_spellings(typed)


@pytest.mark.parametrize("typed", ["kushiro", "hokkaido", "mombetsu", "shakyo", "kyoto", "food", "sapporo", "kutchan"])
def test_well_formed_romaji_has_no_typo_spellings(typed):
    assert romaji_typo_spellings(typed) == ()


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("社会福祉法人釧路市社会福祉協議会", "釧路市社会福祉協議会"),
        ("ＮＰＯ法人スパロウ", "すぱろう"),
        ("特定非営利活動法人スパロウ", "すぱろう"),
        ("株式会社北見ファーム", "北見ふぁーむ"),
        ("（株）北見ファーム", "北見ふぁーむ"),
        ("社福）ひまわり会", "ひまわり会"),
        ("一社）北の若者", "北の若者"),
    ],
)
def test_legal_forms_neither_match_nor_dilute(name, key):
    assert name_key(name) == key
    assert "法人" not in strip_legal_forms("社会福祉法人ひまわり")


def test_spelled_out_legal_forms_leave_readings_too():
    assert reading_key("しゃかいふくしほうじん くしろししゃかいふくしきょうぎかい") == "くしろししゃかいふくしきょうぎかい"


def test_query_words_keep_ascii_and_add_kana():
    (word,) = parse_query("kushiro")
    assert word.variants == ("kushiro", "くしろ")
    (npo,) = parse_query("NPO")
    assert npo.variants[0] == "npo"


def test_query_expands_abbreviations():
    variants = {w.typed: w.variants for w in parse_query("社協 サポステ ハロワ 包括")}
    assert "社会福祉協議会" in variants["社協"]
    assert "さぽーとすてーしょん" in variants["さぽすて"]
    assert "はろーわーく" in variants["はろわ"]
    assert "地域包括支援せんたー" in variants["包括"]


@pytest.mark.parametrize("typed", ["しゃきょう", "シャキョウ", "shakyo", "shakyou"])
def test_short_forms_typed_in_kana_or_romaji_expand_too(typed):
    (word,) = parse_query(typed)
    assert "社会福祉協議会" in word.variants


def test_query_splits_mixed_kanji_and_kana_runs():
    (word,) = parse_query("釧路市せいかつ")
    assert word.parts == ("釧路市", "せいかつ")
    (plain,) = parse_query("くしろ")
    assert plain.parts == ()


def test_query_drops_legal_forms_and_punctuation_and_splits_on_full_width_space():
    assert [w.typed for w in parse_query("社会福祉法人　釧路 ・ （株）")] == ["釧路"]


def test_a_trailing_consonant_is_an_unfinished_syllable():
    words = parse_query("kushiro f")
    assert words[-1].unfinished and not words[0].unfinished
    assert not parse_query("kushiro fu")[-1].unfinished  # a vowel: a syllable typed
