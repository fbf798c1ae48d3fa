"""Readings for names without one: ordinary words from SudachiPy, place names from the area data."""

from __future__ import annotations

import pytest

from tui.core.search.readings import NameReader, place_readings
from tui.core.text import fold


@pytest.fixture(scope="module")
def reader(gazetteer):
    return NameReader(gazetteer)


@pytest.mark.parametrize(
    ("name", "reading"),
    [
        # SudachiPy alone reads these こだいら, ひらとり, たいじゅ, たきがみ, ほうふ.
        ("小平生活相談室", "おびらせいかつそうだんしつ"),
        ("平取移送支援", "びらとりいそうしえん"),
        ("大樹就労支援センター", "たいきしゅうろうしえんせんたー"),
        ("滝上生活支援窓口", "たきのうえせいかつしえんまどぐち"),
        ("豊富食料支援", "とよとみしょくりょうしえん"),
        # Longest place first; legal forms dropped; kana kept as it is.
        ("社会福祉法人釧路町社会福祉協議会", "くしろちょうしゃかいふくしきょうぎかい"),
        ("札幌市白石区くらし相談", "さっぽろししろいしくくらしそうだん"),
        ("白石生活相談", "しろいしせいかつそうだん"),
    ],
)
def test_place_names_come_from_the_area_data_and_words_from_the_analyser(reader, name, reading):
    assert fold(reader.reading(name)) == reading


def test_names_without_kanji_need_no_reading(reader):
    assert reader.reading("Kushiro Life Support Desk") == ""
    assert reader.reading("ひまわりフードバンク") == ""


def test_one_character_stems_are_left_to_the_analyser(gazetteer):
    readings = place_readings(gazetteer)
    assert readings["森町"] == "もりまち" and "森" not in readings  # 森 is an ordinary word too often
    assert readings["小平"] == "おびら" and readings["白石区"] == "しろいしく" and readings["十勝"] == "とかち"


def test_readings_are_made_at_index_build_never_per_keystroke(tmp_path, monkeypatch):
    from tui.core.models import Resource
    from tui.core.search import readings
    from tui.core.store.catalogue import Catalogue

    with Catalogue.open(tmp_path / "c.db") as catalogue:
        catalogue.write([Resource(id="r1", name="滝川市生活支援窓口", area=catalogue.gazetteer.resolve("滝川市").code,
                                  needs=("consultation",))])
        assert catalogue.search("せいかつ")[0].id == "r1"  # builds the index, reading the name

        def no_analyser(text: str) -> str:
            raise AssertionError("the analyser ran while searching")

        monkeypatch.setattr(readings, "analyse", no_analyser)
        for typed in ("た", "たき", "たきかわ", "たきかわ せいかつしえん", "shien", "kushro"):
            catalogue.search(typed)
        assert catalogue.get("r1").name_kana == ""  # the generated reading is never written back
