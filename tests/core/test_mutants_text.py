"""``clean``'s rules for line breaks, tabs and spaces, each in both directions.

The cleaning tests elsewhere feed escape sequences and control characters; mutmut showed that none
of them looked at what a cell or a note looks like afterwards (a Windows line ending, a tab, a run
of blank lines, double spaces): each assertion here failed on one of those survivors of
``tui/core/text.py``.
"""

from __future__ import annotations

from tui.core.text import clean, digits, fold, is_romaji, romaji_to_kana, romaji_typo_spellings


def test_nothing_is_an_empty_string():
    assert clean(None) == ""
    assert clean(None, multiline=True) == ""


def test_a_cell_is_one_line_by_default():
    # A spreadsheet cell with a Windows line break, an old Mac one and a tab never cuts a row.
    assert clean("月〜金\r\n9時〜17時\r祝日休み\tです") == "月〜金 9時〜17時 祝日休み です"


def test_a_cell_keeps_single_spaces_and_folds_runs_of_them():
    assert clean("フードバンク  くしろ") == "フードバンク くしろ"
    assert clean("フードバンク\u3000\u3000くしろ") == "フードバンク くしろ"  # full-width spaces too
    assert clean("フードバンク\u3000くしろ") == "フードバンク\u3000くしろ"  # one full-width space is the writer's
    assert clean("a b") == "a b"


def test_a_control_character_in_a_cell_becomes_a_space_not_a_join():
    assert clean("釧路\x0b市") == "釧路 市"


def test_a_note_keeps_its_line_breaks_whatever_the_file_used():
    assert clean("一行目\r\n二行目\r三行目\n四行目", multiline=True) == "一行目\n二行目\n三行目\n四行目"


def test_a_note_turns_a_tab_into_one_space():
    assert clean("項目\t説明", multiline=True) == "項目 説明"


def test_a_note_trims_each_line_and_keeps_one_blank_line_between_paragraphs():
    assert clean("  一段落目  \n\n\n\n  二段落目 ", multiline=True) == "一段落目\n\n二段落目"
    assert clean("一段落目\n\n二段落目", multiline=True) == "一段落目\n\n二段落目"
    assert clean("一\n二", multiline=True) == "一\n二"


def test_a_note_drops_control_characters_without_a_trace():
    assert clean("電話\x07番号\x00", multiline=True) == "電話番号"


def test_a_note_keeps_spaces_inside_a_line():
    # Only cells fold runs of spaces: a note may line things up.
    assert clean("電話  0154-00-0000", multiline=True) == "電話  0154-00-0000"


# -- the search keys: fold, romaji, typo spellings, digits -------------------------------------

def test_ke_and_no_between_kanji_are_one_spelling():
    # 霞ヶ関, 霞ケ関, 霞ヵ関 and 霞け関 are one place name; so are 一ノ瀬, 一之瀬 and 一の瀬.
    assert fold("霞ヶ関") == fold("霞ヵ関") == fold("霞ケ関") == "霞け関"
    assert fold("一ノ瀬") == fold("一之瀬") == "一の瀬"


def test_a_dash_after_kana_is_a_long_vowel():
    assert fold("ふ〜ど") == fold("ふ-ど") == fold("ふーど") == "ふーど"


def test_small_ke_and_ka_are_ordinary_kana():
    assert fold("ゖ") == "け"
    assert fold("ゕ") == "か"


def test_romaji_needs_a_vowel_and_only_latin_letters():
    assert is_romaji("kushiro") and is_romaji("aiu")
    assert not is_romaji("bcd")  # no vowel: an abbreviation, not a word
    assert not is_romaji("くしろ")


def test_romaji_ignores_hyphens_and_spaces():
    assert romaji_to_kana("kushiro-shi") == "くしろし"
    assert romaji_to_kana("ku shiro") == "くしろ"


def test_a_trailing_n_is_n_and_other_trailing_consonants_are_dropped():
    assert romaji_to_kana("hon") == "ほん"
    assert romaji_to_kana("kushir") == "くし"


def test_m_before_b_m_p_and_a_doubled_n_are_one_n():
    assert romaji_to_kana("shimbun") == romaji_to_kana("shinbun") == "しんぶん"
    assert romaji_to_kana("kann") == "かん"
    assert romaji_to_kana("honnda") == "ほんだ"


def test_a_dropped_vowel_is_put_back_every_way_but_the_word_as_typed():
    # kshiro: a vowel after k, each of the five, not the reading of kshiro itself (くしろ, the dropped u).
    assert romaji_typo_spellings("kshiro") == ("かしろ", "きしろ", "けしろ", "こしろ")
    assert romaji_typo_spellings("ks-hiro") == romaji_typo_spellings("k shiro") == romaji_typo_spellings("kshiro")


def test_digits_of_a_code_in_any_width():
    assert digits("〒０８５－００１５") == "0850015"
    assert digits("085-0015") == "0850015"
    assert digits("") == "" and digits(None) == ""  # type: ignore[arg-type]


def test_a_doubled_n_before_a_vowel_is_n_then_its_syllable():
    # Found through a mutmut survivor (the n-run rule could be dropped unnoticed): minna, annai and
    # onna read みんあ, あんあい and おんあ, so 「annai」 never met 案内 (あんない).
    assert romaji_to_kana("minna") == "みんな"
    assert romaji_to_kana("annai") == "あんない"
    assert romaji_to_kana("onnna") == "おんな"  # typed as for an IME
    assert romaji_to_kana("konnichiwa") == "こんにちわ"
    assert romaji_to_kana("kinen") == "きねん" and romaji_to_kana("kinnen") == "きんねん"
