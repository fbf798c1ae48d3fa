"""An urgent search starts close to home: the town's offices, then the subprefecture's, then 全道 (synthetic data)."""

from __future__ import annotations

import pytest

from tui.core.models import Resource
from tui.core.search.crisis import answered_by, search_with_fallback
from tui.core.store.catalogue import Catalogue

HOKKAIDO = ("hokkaido",)
RESOURCES = [
    # 網走市 (01211) and オホーツク: the town's welfare office, the subprefecture's, another town's
    Resource(id="abashiri-office", name="網走テスト福祉事務所", needs=("consultation",), area="01211", phone="0152-00-0001"),
    Resource(id="okhotsk-office", name="オホーツクテスト社会福祉課", needs=("consultation",), area="01208",
             serves=("okhotsk",), phone="0157-00-0001"),
    Resource(id="kitami-office", name="北見テスト福祉事務所", needs=("consultation",), area="01208", phone="0157-00-0002"),
    Resource(id="okhotsk-shelter", name="オホーツクテストシェルター", needs=("shelter",), area="01208", serves=("okhotsk",)),
    # 釧路: only the subprefecture's office serves 厚岸町 (01662)
    Resource(id="kushiro-office", name="釧路テスト社会福祉課", needs=("consultation",), area="01206",
             serves=("kushiro",), phone="0154-00-0001"),
    # 宗谷: a 社協 in 稚内市 (01214) with emergency goods
    Resource(id="wakkanai-shakyo", name="稚内テスト社協", needs=("emergency_goods",), area="01214", phone="0162-00-0001"),
    # lines serving all Hokkaido
    Resource(id="all-110", name="テスト緊急通報", needs=("dv", "shelter"), area="hokkaido", serves=HOKKAIDO, phone="110"),
    Resource(id="all-dv-24", name="テストDV相談24時間", needs=("dv", "shelter"), area="hokkaido", serves=HOKKAIDO,
             phone="0120-000-010", hours="24時間"),
    Resource(id="all-24", name="全道テスト24時間ライン", needs=("consultation",), area="hokkaido", serves=HOKKAIDO,
             phone="0120-000-002", hours="24時間"),
    Resource(id="all-food", name="全道テストフードバンク", needs=("food",), area="01100", serves=HOKKAIDO),
    Resource(id="all-bus", name="全道テスト交通費", needs=("transport",), area="hokkaido", serves=HOKKAIDO, phone="0120-000-003"),
]


@pytest.fixture
def catalogue(tmp_path):
    with Catalogue.open(tmp_path / "c.db") as catalogue:
        catalogue.write(RESOURCES)
        yield catalogue


def steps(hits) -> list[tuple[str, str]]:
    return [(hit.id, hit.step) for hit in hits]


def test_shelter_in_abashiri_goes_to_the_town_office_then_the_subprefecture_and_110_last(catalogue):
    hits = search_with_fallback(catalogue, "", area="網走市", needs=["shelter"])
    assert steps(hits) == [
        ("abashiri-office", "local"),
        ("okhotsk-office", "subprefecture"),  # with a phone, before the subprefecture's shelter without one
        ("okhotsk-shelter", "subprefecture"),
        ("all-dv-24", "hokkaido"),  # 24 hours before the police line: a bed is not a police matter
        ("all-110", "hokkaido"),
    ]
    assert answered_by(hits) == "local"
    assert not any(hit.fallback for hit in hits)  # someone to call in the area: no fallback added


def test_food_in_akkeshi_is_answered_by_the_subprefecture_before_any_line_serving_all_hokkaido(catalogue):
    hits = search_with_fallback(catalogue, "", area="厚岸町", needs=["food"])
    assert steps(hits) == [("kushiro-office", "subprefecture"), ("all-food", "hokkaido")]
    assert answered_by(hits) == "subprefecture"


def test_emergency_goods_in_soya_start_at_the_towns_of_soya(catalogue):
    hits = search_with_fallback(catalogue, "", area="宗谷", needs=["emergency_goods"])
    assert steps(hits) == [("wakkanai-shakyo", "local")]
    assert answered_by(hits) == "local"


def test_dv_keeps_the_emergency_line_and_the_dv_line_first(catalogue):
    hits = search_with_fallback(catalogue, "", area="網走市", needs=["dv"])
    assert [hit.id for hit in hits][:2] == ["all-110", "all-dv-24"]
    assert steps(hits)[2:] == [("abashiri-office", "local"), ("okhotsk-office", "subprefecture")]


def test_another_towns_office_is_never_brought_in(catalogue):
    for need in ("shelter", "food", "consultation"):
        assert "kitami-office" not in {hit.id for hit in search_with_fallback(catalogue, "", area="網走市", needs=[need])}


def test_nothing_close_to_home_says_so_and_falls_back(catalogue):
    hits = search_with_fallback(catalogue, "", area="小樽市", needs=["food"])
    assert steps(hits) == [("all-food", "hokkaido"), ("all-24", "hokkaido")]
    assert [hit.fallback for hit in hits] == [False, True]
    assert answered_by(hits) == "hokkaido"


def test_other_needs_and_searches_without_an_area_are_plain_search(catalogue):
    assert search_with_fallback(catalogue, "", area="網走市", needs=["transport"]) == catalogue.search(
        "", area="網走市", needs=["transport"])
    assert search_with_fallback(catalogue, "", needs=["shelter"]) == catalogue.search("", needs=["shelter"])
    assert all(hit.step == "" for hit in search_with_fallback(catalogue, "", needs=["shelter"]))
