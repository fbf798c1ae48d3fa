"""Every municipality has a local number to call before any Hokkaido-wide line (issue 23).

A crisis search for a general consultation in a town must list, before the lines that serve all
of Hokkaido (★全道, or the fallback the crisis search adds), a resource with a phone number whose
service area covers the town: the town's own welfare office or town hall, or the subprefecture's
office serving it. Towns for which no public page with such a number has been found yet are listed
in ``KNOWN_GAPS`` by name, so a town that loses its number fails, and a town that gains one must be
taken off the list.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from tui.core.reference.areas import HOKKAIDO
from tui.core.search.crisis import search_with_fallback
from tui.core.store.catalogue import Catalogue

ROOT = Path(__file__).resolve().parents[2]

# No public page stating the responsible office's number was found for these yet (seed/README.md).
KNOWN_GAPS = frozenset({
    "室蘭市", "夕張市", "岩見沢市", "網走市", "苫小牧市", "芦別市", "江別市", "赤平市", "紋別市", "士別市",
    "三笠市", "根室市", "滝川市", "砂川市", "歌志内市", "富良野市", "登別市", "恵庭市", "伊達市", "石狩市", "北斗市", "当別町", "新篠津村", "江差町", "上ノ国町", "厚沢部町",
    "乙部町", "奥尻町", "今金町", "せたな町", "島牧村", "寿都町", "黒松内町", "蘭越町", "ニセコ町", "真狩村", "留寿都村", "喜茂別町", "京極町", "倶知安町", "共和町", "岩内町", "泊村", "神恵内村", "積丹町", "古平町",
    "仁木町", "余市町", "赤井川村", "南幌町", "奈井江町", "由仁町", "長沼町", "栗山町", "月形町", "浦臼町", "妹背牛町", "秩父別町", "雨竜町", "北竜町", "沼田町", "鷹栖町", "東神楽町", "当麻町", "愛別町",
    "上川町", "美瑛町", "上富良野町", "中富良野町", "南富良野町", "占冠村", "和寒町", "剣淵町", "下川町", "美深町", "音威子府村", "中川町", "幌加内町", "猿払村", "浜頓別町", "中頓別町", "枝幸町", "豊富町",
    "礼文町", "利尻町", "利尻富士町", "幌延町", "美幌町", "津別町", "斜里町", "清里町", "小清水町", "置戸町", "佐呂間町", "遠軽町", "湧別町", "滝上町", "興部町", "西興部村", "雄武町", "大空町", "豊浦町",
    "壮瞥町", "白老町", "厚真町", "洞爺湖町", "安平町", "むかわ町", "日高町", "平取町", "新冠町", "浦河町", "様似町", "えりも町", "新ひだか町", "釧路町", "浜中町", "標茶町", "鶴居村", "白糠町", "別海町",
    "中標津町", "標津町", "羅臼町",
})


def municipalities() -> list[str]:
    with open(ROOT / "seed" / "areas.csv", encoding="utf-8", newline="") as f:
        return [row["name"] for row in csv.DictReader(f)]


def local_number(catalogue: Catalogue, town: str) -> str | None:
    """The id of the first resource with a phone covering ``town`` listed before any Hokkaido-wide line."""
    gazetteer = catalogue.gazetteer
    wanted = gazetteer.leaves(gazetteer.resolve(town).code)
    for hit in search_with_fallback(catalogue, "", area=town, needs=["consultation"]):
        if hit.fallback or hit.area == HOKKAIDO:
            return None
        if not hit.phone:
            continue
        resource = catalogue.get(hit.id)
        served = resource.serves or (resource.area,)
        if wanted <= frozenset().union(*(gazetteer.leaves(code) for code in served)):
            return hit.id
    return None


@pytest.fixture(scope="module")
def shipped():
    with Catalogue.open(ROOT / "resources.db") as catalogue:
        yield catalogue


def covered(catalogue: Catalogue) -> set[str]:
    return {town for town in municipalities() if local_number(catalogue, town)}


def test_every_municipality_but_the_known_gaps_has_a_local_number(shipped):
    towns = set(municipalities())
    assert len(towns) == 189  # 179 municipalities and Sapporo's 10 wards
    assert KNOWN_GAPS <= towns, "KNOWN_GAPS names a place that is not in seed/areas.csv"
    found = covered(shipped)
    assert not (towns - KNOWN_GAPS) - found, f"lost their local number: {sorted((towns - KNOWN_GAPS) - found)}"
    assert not found & KNOWN_GAPS, f"now covered, take them off KNOWN_GAPS: {sorted(found & KNOWN_GAPS)}"


def test_a_subprefecture_office_covers_only_the_towns_its_page_names(shipped):
    # 留萌振興局's page splits its 町村 between the 社会福祉課 and the 天塩 出張所; 留萌市 has its own office.
    assert local_number(shipped, "増毛町") in {"hk-mashike-yakuba-fukushi", "hk-rumoi-shinkokyoku-hogo"}
    assert local_number(shipped, "天塩町") in {"hk-teshio-yakuba-fukushi", "hk-teshio-shakai-fukushi-shutchojo"}
    assert shipped.get("hk-rumoi-shinkokyoku-hogo").serves == tuple(
        shipped.gazetteer.resolve(name).code for name in ("増毛町", "小平町", "苫前町", "羽幌町"))
    assert local_number(shipped, "留萌市") == "hk-rumoi-shi-shakai-fukushi"


def test_the_oshima_window_serves_the_towns_and_not_the_two_cities(shipped):
    # 渡島総合振興局's page: the 自立相談支援 window serves the 各町 of 渡島; 函館市 and 北斗市 go to their own city.
    assert local_number(shipped, "七飯町") == "hk-oshima-seikatsu-shuro"
    served = set(shipped.get("hk-oshima-seikatsu-shuro").serves)
    assert {shipped.gazetteer.resolve(name).code for name in ("函館市", "北斗市")}.isdisjoint(served)
    assert local_number(shipped, "北斗市") is None


def test_an_office_without_a_published_number_never_counts_as_a_local_number(shipped):
    # 檜山振興局's page names who serves 江差町 and せたな町 but gives no number: they stay gaps.
    assert shipped.get("hk-hiyama-shakai-fukushi").serves == tuple(
        shipped.gazetteer.resolve(name).code for name in ("江差町", "上ノ国町", "厚沢部町", "乙部町", "奥尻町"))
    assert local_number(shipped, "江差町") is None
    assert local_number(shipped, "せたな町") is None


DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def test_every_cited_page_has_its_date_in_sources_csv():
    with open(ROOT / "seed" / "sources.csv", encoding="utf-8", newline="") as f:
        dated = {row["url"]: row for row in csv.DictReader(f)}
    cited: set[str] = set()
    for path in sorted((ROOT / "seed").glob("resources*.csv")):
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                cited.update(re.findall(r"https?://[^\s（]+", row["source"]))
    assert cited - set(dated) == set(), "pages cited in seed/resources*.csv without a row in seed/sources.csv"
    assert set(dated) - cited == set(), "seed/sources.csv dates a page no resource cites"
    for url, row in dated.items():
        assert row["page_date"] or row["viewed"], f"{url}: neither the page's date nor the day it was viewed"
        for field in ("page_date", "viewed"):
            assert not row[field] or DATE.match(row[field]), f"{url}: {field} {row[field]!r} is not YYYY[-MM[-DD]]"


# The three cases. Each should be answered by a local or subprefecture number before any
# line serving all Hokkaido; until a public page gives such a number, the case is a named data gap.
TONIGHT = [("網走市", "shelter"), ("厚岸町", "food"), ("宗谷", "emergency_goods"), ("増毛町", "shelter"), ("天塩町", "food")]
TONIGHT_GAPS = frozenset({("網走市", "shelter")})


@pytest.mark.parametrize(("place", "need"), TONIGHT)
def test_tonight_is_answered_close_to_home_before_any_national_line(shipped, place, need):
    hits = search_with_fallback(shipped, "", area=place, needs=[need])
    callable_ = [n for n, hit in enumerate(hits) if hit.phone and hit.status == "active"]
    near = [n for n in callable_ if hits[n].step in ("local", "subprefecture")]
    if (place, need) in TONIGHT_GAPS:
        assert not near, f"{place}/{need} has a number close to home now: take it off TONIGHT_GAPS"
    else:
        wide = [n for n, hit in enumerate(hits) if hit.step == "hokkaido" or hit.fallback]
        assert near and (not wide or near[0] < wide[0]), [(hit.id, hit.step) for hit in hits]
    # whatever answers, the police line is never the first answer to a need for a bed or food
    assert not hits or hits[0].phone != "110"


@pytest.mark.parametrize("words", ["寝る場所", "今夜泊まる", "泊まる"])
def test_a_bed_asked_in_the_clients_words_is_the_shelter_search(shipped, words):
    # 泊まる once matched text only: 110 came first for a bed in 網走市, and 寝る場所 found nothing.
    asked = [hit.id for hit in search_with_fallback(shipped, "", area="網走市", needs=["shelter"])]
    assert [hit.id for hit in search_with_fallback(shipped, words, area="網走市")] == asked
    assert asked and asked[0] != "hk-police-110"


@pytest.mark.parametrize("area", [None, "全道"])
def test_without_a_place_a_bed_is_never_answered_110_first(shipped, area):
    # The names' order put 110番 first for 寝る場所 on the first screen (全道, no area): seen by a new user.
    for words, needs in (("寝る場所", []), ("", ["shelter"]), ("食べ物", [])):
        ids = [hit.id for hit in search_with_fallback(shipped, words, area=area, needs=needs)]
        assert ids and ids[0] != "hk-police-110", (words, ids[:3])
    shelter = [hit.id for hit in search_with_fallback(shipped, "", area=area, needs=["shelter"])]
    assert "hk-police-110" in shelter  # still listed, after the others
    assert search_with_fallback(shipped, "", area=area, needs=["dv"])[0].id == "hk-police-110"  # danger: first


def test_dv_in_wakkanai_still_shows_110_and_dv_plus_first(shipped):
    hits = search_with_fallback(shipped, "", area="稚内市", needs=["dv"])
    assert [hit.id for hit in hits][:2] == ["hk-police-110", "jp-dv-plus"]


README_LINE = re.compile(r"\*\*(\d+) of 179 municipalities have a cited local number\*\* \(and (\d+) of Sapporo's 10 wards\)")


def test_the_readme_prints_the_count_the_shipped_catalogue_gives(shipped):
    with open(ROOT / "seed" / "areas.csv", encoding="utf-8", newline="") as f:
        wards = {row["name"] for row in csv.DictReader(f) if row["kind"] == "ward"}
    found = covered(shipped)
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    line = README_LINE.search(text)
    assert line, "README.md has no line '**N of 179 municipalities have a cited local number** (and W of ...)'"
    assert (int(line.group(1)), int(line.group(2))) == (len(found - wards), len(found & wards))
    assert f"The other {179 - len(found - wards)} are named" in text
