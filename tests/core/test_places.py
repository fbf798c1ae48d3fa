"""A place word in the query filters as the area filter does (issue 22, item 8)."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from tui.cli import cli
from tui.core.search.places import area_value, split_place
from tui.core.store.catalogue import Catalogue

from ..conftest import ROOT


@pytest.mark.parametrize("query,code,rest", [
    ("網走 シェルター", "01211", "シェルター"),
    ("網走市 シェルター", "01211", "シェルター"),
    ("あばしり しぇるたー", "01211", "しぇるたー"),
    ("abashiri shelter", "01211", "shelter"),
    ("シェルター　網走", "01211", "シェルター"),  # a full-width space, the place last
    ("さっぽろ ひきこもり", "01100", "ひきこもり"),
    ("札幌 中央区 食料", "01101", "食料"),  # the narrower place wins; the wider one is not text
    ("085-0015 食料", "01206", "食料"),  # a postal code
    ("釧路", "kushiro", ""),  # the kanji name alone is the subprefecture, as in the area picker
])
def test_a_place_word_is_taken_out_of_the_query(gazetteer, query, code, rest):
    place, left = split_place(gazetteer, query)
    assert place is not None and place.code == code, query
    assert left == rest


@pytest.mark.parametrize("query", ["シェルター", "食料 子ども", "food", "0154", "北海道 食料", "くし", "網走市社会福祉協議会"])
def test_words_that_are_not_surely_a_place_stay_text(gazetteer, query):
    assert split_place(gazetteer, query) == (None, query)


@pytest.mark.parametrize("query,code,rest", [
    ("Sapporo Kita Ward food", "01102", "food"),  # not 札幌市 with "Kita Ward" searched as text
    ("kita-ku food", "01102", "food"),
    ("kita ku food", "01102", "food"),
    ("Kita Ward, Sapporo food", "01102", "food"),
    ("food Kita Ward，Sapporo", "01102", "food"),  # a full-width comma, no space
    ("ｓａｐｐｏｒｏ　ＫＩＴＡ　ＷＡＲＤ food", "01102", "food"),
    ("Akkeshi Town food", "01662", "food"),
    ("Abashiri City shelter", "01211", "shelter"),
    ("Kushiro city", "01206", ""),
    ("Kushiro Town", "01661", ""),  # 釧路町, not 釧路市: the suffix is part of the name
    ("Otofuke Town", "01631", ""),
    ("Shimukappu Village", "01463", ""),
    ("Kushiro Subprefecture food", "kushiro", "food"),
    ("Okhotsk Sub-prefecture shelter", "okhotsk", "shelter"),
    ("Sapporo Chuo Ward food", "01101", "food"),
    ("Kita Ward, Sapporo City food", "01102", "food"),  # four words
    ("釧路 町 食料", "01661", "食料"),  # 釧路町, not the subprefecture 釧路 and 町 as text
])
def test_an_english_place_with_its_suffix_is_one_place(gazetteer, query, code, rest):
    place, left = split_place(gazetteer, query)
    assert place is not None and place.code == code, (query, place)
    assert left == rest


@pytest.mark.parametrize("query", ["town", "city food", "ward", "Kita food", "food town", "village shelter",
                                   "01 206 food", "subprefecture"])  # a code is one word
def test_an_english_suffix_alone_or_a_ward_without_it_stays_text(gazetteer, query):
    assert split_place(gazetteer, query) == (None, query)


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    path = tmp_path_factory.mktemp("shipped") / "resources.db"
    shutil.copy(ROOT / "resources.db", path)  # a build product, not a live file: nobody has it open
    return path


def test_abashiri_shelter_finds_the_okhotsk_shelter_that_serves_abashiri(shipped):
    with Catalogue.open(shipped) as catalogue:
        place, rest = split_place(catalogue.gazetteer, "網走 シェルター")
        assert place is not None
        typed = {hit.id for hit in catalogue.search(rest, area=area_value(place))}
        picked = {hit.id for hit in catalogue.search("シェルター", area="網走市")}
        shelter = catalogue.get("hk-okhotsk-workfare-shelter")
        assert shelter is not None and shelter.area != "01211"  # it is in 北見, not 網走
    assert "hk-okhotsk-workfare-shelter" in typed
    assert typed == picked  # exactly what the area filter keeps


@pytest.mark.parametrize("query", ["網走 シェルター", "abashiri shelter"])
def test_search_command_reads_the_place_in_the_query(shipped, query):
    result = CliRunner().invoke(cli, ["--db", str(shipped), "search", query, "--json"])
    assert result.exit_code == 0, result.output
    assert "hk-okhotsk-workfare-shelter" in result.stdout
    text = CliRunner().invoke(cli, ["--db", str(shipped), "search", query])
    assert "網走市" in text.stderr and "入力から" in text.stderr
