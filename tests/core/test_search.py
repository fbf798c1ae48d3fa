"""Search behaviour: filters with the SPEC's area semantics, ranking rules, the stored index."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from tui.core.models import Resource
from tui.core.reference.areas import UnknownArea
from tui.core.reference.needs import UnknownNeed
from tui.core.search import build as search_build
from tui.core.store.catalogue import Catalogue


def make(catalogue: Catalogue, rid: str, name: str, kana: str = "", *, area: str, serves=(), needs=("consultation",), **more):
    gazetteer = catalogue.gazetteer
    return Resource(
        id=rid, name=name, name_kana=kana, area=gazetteer.resolve(area).code,
        serves=tuple(gazetteer.resolve(s).code for s in serves), needs=tuple(needs), **more,
    )


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    with Catalogue.open(tmp_path_factory.mktemp("search") / "c.db") as catalogue:
        m = lambda *a, **k: make(catalogue, *a, **k)  # noqa: E731
        catalogue.write([
            m("own", "釧路市くらし窓口", "くしろしくらしまどぐち", area="釧路市"),
            m("sub", "釧路管内ふれあい相談", "くしろかんないふれあいそうだん", area="釧路町", serves=["釧路"]),
            m("list", "くらしの輪", "くらしのわ", area="厚岸町", serves=["厚岸町", "釧路市"]),
            m("all", "北海道よりそい電話", "ほっかいどうよりそいでんわ", area="札幌市中央区", serves=["全道"]),
            m("city", "札幌まるごと相談", "さっぽろまるごとそうだん", area="札幌市中央区", serves=["札幌市"]),
            m("ward", "北区くらし相談", "きたくくらしそうだん", area="札幌市北区"),
            m("okhotsk", "オホーツク就労体験", "おほーつくしゅうろうたいけん", area="北見市", serves=["オホーツク"],
              needs=["work_experience"]),
            m("kitami", "北見くらしサポート", "きたみくらしさぽーと", area="北見市", needs=["food", "consultation"]),
            m("abashiri", "網走ほっとスペース", "あばしりほっとすぺーす", area="網走市", needs=["food"]),
            m("exact", "スパロウ荘", "すぱろうそう", area="旭川市"),
            m("prefix", "スパロウ荘別館", "すぱろうそうべっかん", area="旭川市"),
            m("inner", "第二スパロウ荘", "だいにすぱろうそう", area="旭川市"),
            m("new", "旭川くらし相談A", area="旭川市", last_verified="2026-03-01"),
            m("old", "旭川くらし相談B", area="旭川市", last_verified="2024-01-01"),
            m("never", "旭川くらし相談C", area="旭川市"),
            m("paused", "旭川くらし相談D", area="旭川市", status="paused", last_verified="2026-04-01"),
            m("closed", "旭川くらし相談E", area="旭川市", status="closed", last_verified="2026-04-01"),
            m("phone", "函館ふーど", "はこだてふーど", area="函館市", needs=["food"], phone="0138-555-0101",
              organization="NPO法人はこだて架空の会"),
        ])
        yield catalogue


def ids(hits) -> set[str]:
    return {h.id for h in hits}


# -- area semantics (SPEC: a filter keeps resources serving a place inside it or containing it) ----


@pytest.mark.parametrize(
    ("area", "kept", "left_out"),
    [
        ("釧路市", {"own", "sub", "list", "all"}, {"ward", "kitami"}),  # own area, subprefecture, listed town, 全道
        ("くしろし", {"own", "sub", "list", "all"}, {"ward"}),  # by reading
        ("085-0015", {"own", "sub", "list", "all"}, {"ward"}),  # by postal code (釧路市)
        ("０８５００１５", {"own", "sub", "list", "all"}, {"ward"}),  # full-width digits
        ("厚岸町", {"sub", "list", "all"}, {"own"}),  # listed municipality; 釧路市's own window does not serve it
        ("釧路", {"own", "sub", "list", "all"}, {"abashiri"}),  # the subprefecture holds all of them
        ("網走市", {"okhotsk", "abashiri", "all"}, {"kitami"}),  # オホーツク contains 網走市
        ("オホーツク", {"okhotsk", "kitami", "abashiri", "all"}, {"own"}),  # 北見市 lies inside オホーツク
        ("札幌市", {"city", "ward", "all"}, {"own"}),  # wards inside the city
        ("札幌市北区", {"city", "ward", "all"}, {"own"}),  # a city-wide service covers the ward
        ("札幌市中央区", {"city", "all"}, {"ward"}),  # but the 北区 window does not serve 中央区
        ("全道", {"own", "ward", "kitami", "all"}, {"closed"}),
    ],
)
def test_area_filter(catalogue, area, kept, left_out):
    found = ids(catalogue.search("", area=area, limit=100))
    assert kept <= found
    assert not (left_out & found)


def test_need_filter_takes_codes_labels_and_synonyms(catalogue):
    for need in ("food", "食料支援", "食べ物", "Food", "ﾌｰﾄﾞﾊﾞﾝｸ"):
        assert ids(catalogue.search("", needs=[need], limit=100)) == {"kitami", "abashiri", "phone"}


def test_several_needs_keep_resources_with_any_of_them(catalogue):
    found = ids(catalogue.search("", needs=["food", "work_experience"], limit=100))
    assert found == {"kitami", "abashiri", "phone", "okhotsk"}


def test_area_and_need_filters_combine_with_the_query(catalogue):
    assert ids(catalogue.search("", area="オホーツク", needs=["food"])) == {"kitami", "abashiri"}
    assert ids(catalogue.search("ほっと", area="オホーツク", needs=["food"])) == {"abashiri"}
    assert catalogue.search("ほっと", area="釧路市") == []


def test_unknown_area_or_need_raises_with_suggestions(catalogue):
    with pytest.raises(UnknownArea) as area:
        catalogue.search("", area="釧路氏")
    assert "釧路市" in area.value.suggestions
    with pytest.raises(UnknownNeed):
        catalogue.search("", needs=["たべもん"])


# -- ranking -------------------------------------------------------------------------------------


def test_exact_beats_prefix_beats_substring(catalogue):
    hits = catalogue.search("スパロウ荘")
    assert [h.id for h in hits[:3]] == ["exact", "prefix", "inner"]
    assert hits[0].score > hits[1].score > hits[2].score


def test_ties_go_to_recently_verified_then_unverified_and_paused_last(catalogue):
    hits = catalogue.search("旭川くらし相談")
    assert [h.id for h in hits] == ["new", "old", "never", "paused"]
    assert hits[-1].status == "paused"


def test_one_character_matches_only_the_start_of_a_name(catalogue):
    assert ids(catalogue.search("ス")) == {"exact", "prefix"}  # not 第二スパロウ荘
    assert "inner" not in ids(catalogue.search("荘"))
    assert ids(catalogue.search("第")) == {"inner"}


def test_one_character_beside_other_words_matches_anywhere_whichever_was_typed_first(catalogue):
    """Alone, 荘 is the start of a name; beside スパロウ, a word like any other (the index keeps words
    typed before: the one typed alone must not stand in for the other, nor the other way round)."""
    assert ids(catalogue.search("荘")) == set()
    assert {"exact", "prefix", "inner"} <= ids(catalogue.search("スパロウ 荘"))
    assert ids(catalogue.search("荘")) == set()


def test_two_characters_match_anywhere_in_a_name_but_never_as_a_typo(catalogue):
    assert {"exact", "prefix", "inner"} <= ids(catalogue.search("ロウ"))
    assert catalogue.search("ロワ") == []


def test_every_word_must_match_somewhere(catalogue):
    assert ids(catalogue.search("くらし 北見")) == {"kitami"}
    assert catalogue.search("くらし 稚内") == []


def test_empty_query_lists_the_filtered_catalogue_best_first(catalogue):
    everything = catalogue.search("", limit=1000)
    assert len(everything) == catalogue.count(include_closed=False)
    assert [h.status for h in everything] == sorted(h.status for h in everything)  # active, then paused
    assert len(catalogue.search("", limit=3)) == 3


def test_all_hokkaido_keeps_resources_whose_area_is_unknown(tmp_path):
    with Catalogue.open(tmp_path / "c.db") as catalogue:
        catalogue.write([Resource("nowhere", "場所不明の宿泊所", needs=("shelter",)),
                         make(catalogue, "sapporo", "札幌の宿泊所", area="札幌市", needs=("shelter",))])
        everything = {h.id for h in catalogue.search("", needs=["shelter"])}
        assert everything == {"nowhere", "sapporo"}
        for name in ("全道", "北海道", "hokkaido"):
            assert {h.id for h in catalogue.search("", area=name, needs=["shelter"])} == everything
        assert {h.id for h in catalogue.search("", area="札幌市", needs=["shelter"])} == {"sapporo"}


def test_a_word_naming_the_area_and_inside_the_organisation_scores_as_the_area(tmp_path):
    with Catalogue.open(tmp_path / "c.db") as catalogue:
        catalogue.write([make(catalogue, "r", "ひまわり食堂", area="釧路市", organization="みんなの釧路市民の会")])
        [hit] = catalogue.search("釧路市")
        assert (hit.matched, hit.score) == ("area", 70.0)  # the area's name (70), not inside the organisation's (68)


def test_with_an_area_filter_local_resources_come_before_wider_ones(catalogue):
    # 釧路市: its own window and the one listing 釧路市 are local; the subprefecture-wide one is not.
    listed = [h.id for h in catalogue.search("", area="釧路市")]
    assert set(listed[:2]) == {"own", "list"} and set(listed[2:]) == {"sub", "all"}
    # Equal scores for くらし: the ward's own window before the Sapporo-wide and 全道 ones.
    hits = [h.id for h in catalogue.search("相談", area="札幌市北区")]
    assert hits.index("ward") < hits.index("city")
    assert [h.id for h in catalogue.search("", area="札幌市北区")][0] == "ward"


def test_a_hit_carries_what_a_list_shows(catalogue):
    hit = catalogue.search("はこだて ふーど")[0]
    assert (hit.id, hit.name, hit.phone, hit.area, hit.needs) == ("phone", "函館ふーど", "0138-555-0101", "01202", ("food",))
    assert hit.organization == "NPO法人はこだて架空の会"
    assert hit.matched in ("name", "kana")


def test_search_is_safe_from_worker_threads(catalogue):
    queries = ["くらし", "スパロウ", "kushiro", "旭川くらし相談", "ほっと", "すばろう"]
    expected = {q: [h.id for h in catalogue.search(q)] for q in queries}
    results: list[tuple[str, list[str]]] = []
    errors: list[BaseException] = []

    def worker():
        try:
            for _ in range(10):
                for q in queries:
                    results.append((q, [h.id for h in catalogue.search(q)]))
        except BaseException as e:  # noqa: BLE001 — reported by the main thread below
            errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(found == expected[q] for q, found in results)


# -- the stored index ----------------------------------------------------------------------------


def test_the_index_is_stored_and_reopening_does_not_rebuild_it(tmp_path, monkeypatch):
    path = tmp_path / "c.db"
    with Catalogue.open(path) as catalogue:
        catalogue.write([make(catalogue, "a", "釧路フードバンク", "くしろふーどばんく", area="釧路市")])
        assert [h.id for h in catalogue.search("くしろ")] == ["a"]
        version = catalogue.data_version
    with sqlite3.connect(path) as conn:
        stored = {row[0] for row in conn.execute("SELECT DISTINCT data_version FROM search_index")}
    assert stored == {version}

    def no_rebuild(_catalogue):
        raise AssertionError("the stored index should have been loaded")

    monkeypatch.setattr(search_build, "build_parts", no_rebuild)
    with Catalogue.open(path) as catalogue:
        assert [h.id for h in catalogue.search("kushiro")] == ["a"]


def test_a_write_never_leaves_a_stale_index(tmp_path):
    path = tmp_path / "c.db"
    with Catalogue.open(path) as catalogue, Catalogue.open(path) as other_process:
        catalogue.write([make(catalogue, "a", "釧路フードバンク", area="釧路市")])
        assert ids(catalogue.search("フードバンク")) == {"a"}
        assert ids(other_process.search("フードバンク")) == {"a"}
        catalogue.write([
            make(catalogue, "b", "帯広フードバンク", area="帯広市"),
            make(catalogue, "a", "釧路フードバンク", area="釧路市", status="closed"),
        ])
        assert ids(catalogue.search("フードバンク")) == {"b"}
        assert ids(other_process.search("フードバンク")) == {"b"}  # another catalogue object sees the new version


def test_an_empty_catalogue_searches(tmp_path):
    with Catalogue.open(tmp_path / "c.db") as catalogue:
        assert catalogue.search("くしろ") == []
        assert catalogue.search("") == []


def test_the_spec_entry_point(tmp_path):
    from tui.catalogue import Catalogue as SpecCatalogue

    with SpecCatalogue.open(tmp_path / "c.db") as catalogue:
        catalogue.write([make(catalogue, "a", "釧路フードバンク", "くしろふーどばんく", area="釧路市", needs=["food"])])
        hits = catalogue.search("くしろ ふーど", area="釧路", needs=["food"], limit=50)
        assert (hits[0].id, hits[0].name) == ("a", "釧路フードバンク") and hits[0].score > 0

