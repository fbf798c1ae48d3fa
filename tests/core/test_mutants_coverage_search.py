"""Coverage and search: the cases no test checked (issue 25). Each test was seen failing on a
hand-made mutant of coverage.py or search/index.py (docs/mutation.md)."""

from __future__ import annotations

from datetime import date

import pytest

from tui.core.models import Resource
from tui.core.reports.coverage import compute, coverage, parse_period
from tui.core.reports.coverage_report import Labels, gap_sentence
from tui.core.store.catalogue import Catalogue
from tui.i18n import t


def sentences(catalogue: Catalogue, *, include_paused: bool) -> list[str]:
    matrix = compute(catalogue.search_index(), catalogue.gazetteer, needs=["food"], include_paused=include_paused)
    labels = Labels(catalogue.gazetteer, catalogue.taxonomy, "ja", t)
    return [gap_sentence(g, labels) for g in matrix.gaps()]


def test_a_paused_place_is_not_help_in_the_gap_sentences_unless_asked(empty_catalogue):
    empty_catalogue.write([Resource(id="x", name="稚内フード", needs=("food",), area="01214", status="paused")])
    assert "宗谷: 食料支援に対応する資源がない市町村 10/10" not in sentences(empty_catalogue, include_paused=True)
    assert "宗谷: 食料支援に対応する資源がない市町村 9/10" in sentences(empty_catalogue, include_paused=True)
    # Without --include-paused the paused place helps nobody: food is missing everywhere, one line says so.
    assert sentences(empty_catalogue, include_paused=False) == ["食料支援: 空白の振興局 14、支援のない市町村 179/179"]


def test_verified_within_counts_a_check_made_exactly_on_the_boundary(empty_catalogue):
    today = date(2026, 10, 1)
    days = parse_period("12m")  # 365
    empty_catalogue.write([
        Resource(id="edge", name="境目の確認", needs=("food",), area="01206", last_verified="2025-10-01"),
        Resource(id="old", name="一日古い確認", needs=("food",), area="01206", last_verified="2025-09-30"),
    ])
    matrix = coverage(empty_catalogue, needs=["food"], verified_within_days=days, today=today)
    assert matrix.verified_since == date(2025, 10, 1)
    assert matrix.cell("01206", "food").active == 1  # the one verified that day, not the day before


@pytest.fixture
def two_windows(tmp_path):
    """The same name twice: one local to 釧路市, one serving the whole subprefecture and verified
    later (so the base order, most recently verified first, puts the wider one first)."""
    with Catalogue.open(tmp_path / "c.db") as catalogue:
        catalogue.write([
            Resource(id="a-wide", name="くらし相談窓口", needs=("consultation",), area="01661", serves=("kushiro",),
                     last_verified="2026-06-01"),
            Resource(id="b-local", name="くらし相談窓口", needs=("consultation",), area="01206",
                     last_verified="2020-01-01"),
        ])
        yield catalogue


@pytest.mark.parametrize("query", ["くらし相談", "相談", ""])
def test_with_an_area_filter_the_local_window_comes_first_even_when_the_wider_is_fresher(two_windows, query):
    assert [h.id for h in two_windows.search(query)] == ["a-wide", "b-local"]  # the base order
    assert [h.id for h in two_windows.search(query, area="釧路市")] == ["b-local", "a-wide"]
    # One wanted: the ranking must stop at the local one, not at the first of its score in base order.
    assert [h.id for h in two_windows.search(query, area="釧路市", limit=1)] == ["b-local"]
