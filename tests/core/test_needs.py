"""The need taxonomy: codes are stable, labels and synonyms are what people type."""

import pytest

from tui.core.needs import UnknownNeed


@pytest.mark.parametrize(
    "term, code",
    [
        ("food", "food"), ("Food", "food"), ("食料支援", "food"), ("食べ物", "food"), ("ﾌｰﾄﾞﾊﾞﾝｸ", "food"),
        ("しょくりょうしえん", "food"), ("灯油", "emergency_goods"), ("ストーブ", "emergency_goods"),
        ("シェルター", "shelter"), ("泊まるところ", "shelter"), ("サポステ", "employment"), ("職場体験", "work_experience"),
        ("交通費", "transport"), ("ひきこもり", "hikikomori"), ("家族会", "family"), ("DV", "dv"), ("ｄｖ", "dv"),
        ("法テラス", "legal"), ("Foreign residents", "foreign"), ("自立相談", "consultation"),
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
