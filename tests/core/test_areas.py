"""The gazetteer: naming a place every way people do, and the SPEC's "serves" rule."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tui.core.reference.areas import HOKKAIDO, UnknownArea

ROOT = Path(__file__).resolve().parents[2]

SUBPREFECTURE_COUNTS = {
    "空知": 24, "石狩": 8, "後志": 20, "胆振": 11, "日高": 7, "渡島": 11, "檜山": 7,
    "上川": 23, "留萌": 8, "宗谷": 10, "オホーツク": 18, "十勝": 19, "釧路": 8, "根室": 5,
}


@pytest.mark.parametrize(
    "query", ["0850015", "085-0015", "０８５－００１５", "〒085-0015", "くしろし", "クシロシ", "ｸｼﾛｼ", "kushiro",
              "kushiro-shi", "Kushiro", "01206", "012068", "釧路市", "釧路 市"],
)
def test_kushiro_city_by_every_name(gazetteer, query):
    assert gazetteer.resolve(query).name == "釧路市"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("虻田郡倶知安町", "倶知安町"), ("倶知安", "倶知安町"), ("kutchan", "倶知安町"), ("0440001", "倶知安町"),
        ("mombetsu", "紋別市"), ("monbetsu", "紋別市"), ("新ひだか", "新ひだか町"), ("shinhidaka", "新ひだか町"),
        ("ﾄﾏｺﾏｲ", "苫小牧市"), ("月形町", "月形町"), ("tsukigata", "月形町"), ("中央区", "札幌市中央区"),
        ("sapporo", "札幌市"), ("札幌", "札幌市"), ("おびら", "小平町"), ("びらとり", "平取町"), ("たいき", "大樹町"),
        ("たきのうえ", "滝上町"), ("とよとみ", "豊富町"), ("0600001", "札幌市中央区"),
    ],
)
def test_municipalities_and_wards(gazetteer, query, expected):
    assert gazetteer.resolve(query).name == expected


@pytest.mark.parametrize(
    "query", ["オホーツク", "ｵﾎｰﾂｸ", "オホーツク総合振興局", "オホーツク振興局", "おほーつく", "okhotsk", "オホーツク管内",
              "オホーツク地方", "オホーツク総合振興局管内", "オホーツク圏"],
)
def test_subprefecture_names(gazetteer, query):
    place = gazetteer.resolve(query)
    assert (place.kind, place.name) == ("subprefecture", "オホーツク")


def test_kanji_name_of_a_subprefecture_means_the_subprefecture(gazetteer):
    # 釧路 is the subprefecture; its city is 釧路市 (and kushiro, a reading, is the city).
    assert gazetteer.resolve("釧路").kind == "subprefecture"
    assert [p.name for p in gazetteer.resolve_all("釧路")] == ["釧路", "釧路市", "釧路町"]


@pytest.mark.parametrize("query", ["全道", "北海道", "ほっかいどう", "hokkaido", "Hokkaido"])
def test_all_hokkaido(gazetteer, query):
    assert gazetteer.resolve(query).code == HOKKAIDO


def test_shared_reading_lists_both_places(gazetteer):
    assert {p.name for p in gazetteer.resolve_all("えさし")} == {"江差町", "枝幸町"}
    assert gazetteer.resolve("江差").name == "江差町"


@pytest.mark.parametrize("query, nearest", [("釧路氏", "釧路市"), ("札晃市", "札幌市"), ("asahigawa", "旭川市"), ("網走巿", "網走市")])
def test_unknown_names_suggest_the_nearest(gazetteer, query, nearest):
    with pytest.raises(UnknownArea) as error:
        gazetteer.resolve(query)
    assert error.value.suggestions[0] == nearest
    assert nearest in str(error.value)


@pytest.mark.parametrize("query", ["", "   ", "9999999", "xyzzy"])
def test_nothing_resolves_to_nothing(gazetteer, query):
    assert gazetteer.resolve_all(query) == []


def test_every_reference_place_is_present(gazetteer):
    with open(ROOT / "seed" / "areas.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(gazetteer.municipalities()) == len(rows) == 189
    for row in rows:
        assert gazetteer.resolve(row["jis_code"]).name == row["name"]
        # every official name resolves to itself
        assert gazetteer.resolve(row["name"]).code == row["jis_code"]


@pytest.mark.parametrize("subprefecture, count", SUBPREFECTURE_COUNTS.items())
def test_serves_rule_for_every_subprefecture(gazetteer, subprefecture, count):
    sub = gazetteer.resolve(subprefecture)
    members = [p for p in gazetteer.municipalities() if p.subprefecture == sub.code and p.kind != "ward"]
    assert len(members) == count
    others = [p for p in gazetteer.municipalities() if p.subprefecture != sub.code]
    for town in members:
        # a filter of the town keeps a resource serving its subprefecture, and the reverse
        assert gazetteer.overlaps([sub.code], town.code)
        assert gazetteer.overlaps([town.code], sub.code)
        assert gazetteer.overlaps([HOKKAIDO], town.code)
    for town in others:
        assert not gazetteer.overlaps([sub.code], town.code)
        assert not gazetteer.overlaps([town.code], sub.code)
    assert gazetteer.overlaps([HOKKAIDO], sub.code)
    assert gazetteer.overlaps([sub.code], HOKKAIDO)


def test_serves_rule_for_sapporo_and_its_wards(gazetteer):
    sapporo, chuo, kita = (gazetteer.resolve(n).code for n in ("札幌市", "札幌市中央区", "札幌市北区"))
    ishikari = gazetteer.resolve("石狩").code
    assert gazetteer.overlaps([sapporo], chuo)  # 札幌市 stands for its wards
    assert gazetteer.overlaps([chuo], sapporo)
    assert not gazetteer.overlaps([chuo], kita)  # one ward does not serve another
    assert gazetteer.overlaps([chuo], ishikari)
    assert gazetteer.overlaps([ishikari], kita)
    assert not gazetteer.overlaps([chuo], gazetteer.resolve("江別市").code)
    assert len(gazetteer.leaves(sapporo)) == 10


def test_serves_rule_for_all_hokkaido(gazetteer):
    assert len(gazetteer.leaves(HOKKAIDO)) == 179 - 1 + 10  # Sapporo counts as its 10 wards
    for place in gazetteer.municipalities():
        assert gazetteer.overlaps([place.code], HOKKAIDO)
        assert gazetteer.overlaps([HOKKAIDO], place.code)


def test_several_served_places(gazetteer):
    kushiro, abashiri, nemuro = (gazetteer.resolve(n).code for n in ("釧路市", "網走市", "根室"))
    assert gazetteer.overlaps([kushiro, abashiri], abashiri)
    assert not gazetteer.overlaps([kushiro, abashiri], nemuro)
    assert not gazetteer.overlaps([], kushiro)
    assert gazetteer.overlaps([], HOKKAIDO)  # area unknown, but in Hokkaido: 全道 keeps it


def test_labels(gazetteer):
    assert gazetteer.label("01206") == "釧路市"
    assert gazetteer.label("kushiro") == "釧路総合振興局"
    assert gazetteer.label(HOKKAIDO) == "全道"
    assert gazetteer.subprefecture_of("01400").name == "後志"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("あっけし町", "厚岸町"), ("アッケシ町", "厚岸町"), ("ｱｯｹｼ町", "厚岸町"), ("akkeshi町", "厚岸町"),
        ("厚岸ちょう", "厚岸町"), ("あばしり市", "網走市"), ("つきがた町", "月形町"), ("ちゅうおう区", "札幌市中央区"),
        ("ちゅうおうく", "札幌市中央区"), ("chuo-ku", "札幌市中央区"), ("さっぽろ市", "札幌市"),
        # and the spellings that already resolved, so all of them are read alike below
        ("厚岸町", "厚岸町"), ("あっけし", "厚岸町"), ("akkeshi", "厚岸町"), ("ｱｯｹｼ", "厚岸町"), ("088-1100", "厚岸町"),
        ("中央区", "札幌市中央区"),
    ],
)
def test_a_name_typed_half_in_its_reading_is_the_place_everywhere(gazetteer, query, expected):
    # The edit form's area field and the a dialog resolve through the gazetteer; a place
    # word in the search query must be one of its exact names: all three read alike.
    from tui.core.search.places import split_place

    assert gazetteer.resolve(query).name == expected
    place, rest = split_place(gazetteer, f"{query} しょくりょう")
    assert (place.name if place else None, rest) == (expected, "しょくりょう")
