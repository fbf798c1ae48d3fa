"""A search for a crisis need never comes back with nobody to call (synthetic data only)."""

from __future__ import annotations

import pytest

from tui.core.models import Resource
from tui.core.search.crisis import crisis_fallback, crisis_needs, search_with_fallback
from tui.core.store.catalogue import Catalogue

RESOURCES = [
    Resource(id="kfood", name="釧路テストフードバンク", needs=("food",), area="01206", phone="0154-00-0001"),
    Resource(id="sfood", name="札幌テストフードバンク", needs=("food",), area="01101"),
    Resource(id="all-day", name="全道テスト昼間ライン", needs=("dv",), area="hokkaido", serves=("hokkaido",),
             phone="0120-000-001", hours="平日 9時～17時"),
    Resource(id="all-24", name="全道テスト24時間ライン", needs=("consultation",), area="hokkaido",
             serves=("hokkaido",), phone="0120-000-002", hours="24時間"),
    Resource(id="all-110", name="テスト緊急通報", needs=("dv", "shelter"), area="hokkaido", serves=("hokkaido",),
             phone="110"),
    Resource(id="all-paused", name="全道テスト休止ライン", needs=("consultation",), area="hokkaido",
             serves=("hokkaido",), phone="0120-000-003", hours="24時間", status="paused"),
    Resource(id="all-jobs", name="全道テスト職業紹介", needs=("employment",), area="hokkaido", serves=("hokkaido",),
             phone="0120-000-004", hours="24時間"),
    Resource(id="abashiri-shelter", name="網走テストシェルター", needs=("shelter",), area="01211"),
]


@pytest.fixture
def catalogue(tmp_path):
    with Catalogue.open(tmp_path / "c.db") as catalogue:
        catalogue.write(RESOURCES)
        yield catalogue


def ids(hits) -> list[str]:
    return [hit.id for hit in hits]


def test_crisis_needs_come_from_the_filter_or_the_query_words(catalogue):
    assert crisis_needs(catalogue, "", ["食べ物"]) == ("food",)
    assert crisis_needs(catalogue, "", ["transport"]) == ()
    assert crisis_needs(catalogue, "shelter 網走", []) == ("shelter",)
    assert crisis_needs(catalogue, "shelter", ["employment"]) == ()  # the filter wins over the words


def test_a_local_answer_with_a_phone_needs_no_fallback(catalogue):
    hits = search_with_fallback(catalogue, "", area="085-0015", needs=["food"])
    assert ids(hits) == ["kfood"]
    assert not any(hit.fallback for hit in hits)


def test_nothing_local_shows_the_lines_serving_everyone_24_hours_first(catalogue):
    hits = search_with_fallback(catalogue, "", area="小樽市", needs=["food"])
    # food has no line of its own serving all Hokkaido: general consultation stands in; paused ones never
    assert ids(hits) == ["all-24"]
    assert all(hit.fallback and hit.matched == "fallback" for hit in hits)


def test_dv_puts_the_emergency_line_first(catalogue):
    fallback = crisis_fallback(catalogue, ["dv"])
    assert ids(fallback) == ["all-110", "all-24", "all-day"]
    assert ids(crisis_fallback(catalogue, ["food"])) == ["all-24"]  # 110 is for immediate danger only
    assert ids(crisis_fallback(catalogue, ["shelter"])) == ["all-24", "all-110"]  # a bed is not a police matter


def test_a_local_result_without_a_phone_still_gets_someone_to_call(catalogue):
    # 全道 lines serving the area are ordinary results; a shelter with no number is not someone to call.
    # 110 is for danger (DV): for a place to sleep the 24-hour line comes first.
    hits = search_with_fallback(catalogue, "テストシェルター", area="網走市", needs=["shelter"])
    assert ids(hits)[0] == "abashiri-shelter" and not hits[0].fallback
    assert [hit.id for hit in hits if hit.fallback] == ["all-24", "all-110"]


def test_other_needs_keep_plain_search(catalogue):
    assert search_with_fallback(catalogue, "", area="小樽市", needs=["work_experience"]) == []
    assert ids(search_with_fallback(catalogue, "", area="小樽市", needs=["employment"])) == ["all-jobs"]


def test_the_query_naming_a_crisis_need_counts(catalogue):
    hits = search_with_fallback(catalogue, "食べ物", area="小樽市")
    assert ids(hits) == ["all-24"] and hits[0].fallback


def test_catalogue_search_is_unchanged(catalogue):
    assert catalogue.search("", area="小樽市", needs=["food"]) == []


def test_old_catalogues_get_the_crisis_marks_from_the_migration(tmp_path):
    from tui.core.store.schema import MIGRATIONS, connect

    path = tmp_path / "old.db"
    with Catalogue.open(path):
        pass
    conn = connect(path)
    conn.execute("UPDATE needs SET crisis = 0")
    conn.execute("PRAGMA user_version = 4")
    conn.execute("ALTER TABLE needs DROP COLUMN crisis")
    for trigger in ("insert", "update", "delete"):  # migration 6 (the search index's pending ids) comes after
        conn.execute(f"DROP TRIGGER search_pending_{trigger}")
    conn.execute("DROP TABLE search_pending")
    conn.close()
    with Catalogue.open(path) as catalogue:
        assert {n.code for n in catalogue.taxonomy if n.crisis} == {"shelter", "dv", "consultation", "food", "health"}
    assert len(MIGRATIONS) == 6


def test_the_fallback_is_recomputed_after_a_write(catalogue):
    assert ids(crisis_fallback(catalogue, ["food"])) == ["all-24"]
    catalogue.write([Resource(id="all-food", name="全道テスト食料ライン", needs=("food",), area="hokkaido",
                              serves=("hokkaido",), phone="0120-000-005", hours="24時間")])
    # both 24-hour lines with a phone: the one for food itself comes first
    assert ids(crisis_fallback(catalogue, ["food"])) == ["all-food", "all-24"]
    assert ids(crisis_fallback(catalogue, ["food"], limit=1)) == ["all-food"]


def test_english_words_name_their_needs_and_a_crisis_word_finds_someone_to_call(catalogue):
    # Nobody typing in English found a need: homeless, meal, suicide named none (seed/needs.csv).
    assert crisis_needs(catalogue, "homeless abashiri", []) == ("shelter",)
    assert crisis_needs(catalogue, "meal", []) == ("food",)
    assert crisis_needs(catalogue, "suicide", []) == ("health",)
    taxonomy = catalogue.taxonomy
    assert [taxonomy.find(word).code for word in ("lawyer", "elderly", "foreigner", "disabled", "debt", "job")] == [
        "legal", "care", "foreign", "disability", "household_budget", "employment"]
    hits = search_with_fallback(catalogue, "homeless", area="小樽市")
    assert ids(hits) == ["all-110"] and hits[0].matched == "need"  # the line serving all Hokkaido, 小樽 included
