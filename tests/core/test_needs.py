"""The need taxonomy: codes are stable, labels and synonyms are what people type."""

import pytest

from tui.core.reference.needs import UnknownNeed, split_synonyms


@pytest.mark.parametrize(
    "term, code",
    [
        ("food", "food"), ("Food", "food"), ("食料支援", "food"), ("食べ物", "food"), ("ﾌｰﾄﾞﾊﾞﾝｸ", "food"),
        ("しょくりょうしえん", "food"), ("灯油", "emergency_goods"), ("ストーブ", "emergency_goods"),
        ("シェルター", "shelter"), ("泊まるところ", "shelter"), ("サポステ", "employment"), ("職場体験", "work_experience"),
        ("交通費", "transport"), ("ひきこもり", "hikikomori"), ("家族会", "family"), ("DV", "dv"), ("ｄｖ", "dv"),
        ("法テラス", "legal"), ("Foreign residents", "foreign"), ("自立相談", "consultation"),
        # synonyms typed as their readings, and the words people use for the first window
        ("たべもの", "food"), ("タベモノ", "food"), ("とうゆ", "emergency_goods"), ("せいかつほご", "consultation"),
        ("生活保護", "consultation"), ("福祉事務所", "consultation"), ("生活保護の相談", "consultation"),
        # a label's part without 支援 / 相談, as a spreadsheet's needs column says it
        ("食料", "food"), ("しょくりょう", "food"), ("居住", "housing"), ("法律", "legal"), ("外国人", "foreign"),
        # a bed tonight, in the words a client uses at the desk
        ("相談", "consultation"), ("そうだん", "consultation"), ("寝る場所", "shelter"), ("今夜泊まる", "shelter"), ("泊まる", "shelter"), ("とまる", "shelter"),
    ],
)
def test_resolve(taxonomy, term, code):
    assert taxonomy.resolve(term).code == code


def test_every_code_and_label_resolves_to_itself(taxonomy):
    assert len(taxonomy) == 20
    for need in taxonomy:
        for term in (need.code, need.label_ja, need.label_en, need.kana):
            assert taxonomy.resolve(term).code == need.code


def test_unknown_need_suggests_labels(taxonomy):
    with pytest.raises(UnknownNeed) as error:
        taxonomy.resolve("食料支緩")
    assert error.value.suggestions[0] == "食料支援"
    assert "食料支援" in str(error.value)


def test_find_names_a_need_or_none(taxonomy):
    assert taxonomy.find("食べ物").code == "food"
    assert taxonomy.find("ﾌｰﾄﾞﾊﾞﾝｸ").code == "food"
    assert taxonomy.find("網走") is None


def test_a_synonym_carries_its_reading_in_brackets():
    assert split_synonyms("食べ物（たべもの）;ストーブ; 米(こめ) ;") == (("食べ物", "ストーブ", "米"), ("たべもの", "こめ"))


def test_synonyms_are_shown_without_their_readings(taxonomy):
    food = taxonomy.resolve("food")
    assert "食べ物" in food.synonyms and "たべもの" in food.readings
    assert not any("（" in s or "(" in s for need in taxonomy for s in need.synonyms)
