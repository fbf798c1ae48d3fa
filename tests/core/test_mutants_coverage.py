"""Coverage's rules one by one (issue 25: mutmut on reports/coverage.py): what counts as help,
which gap lines a matrix gives and in what order, the period words, the rows of an area filter.
Each test was seen failing on a mutmut survivor of ``tui/core/reports/coverage.py``
(docs/mutation.md). The gap tests build a small matrix by hand: two subprefectures, A (towns a1,
a2) and B (town b1), so each line can be named exactly."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from tui.core.models import Resource
from tui.core.reports import coverage as coverage_module
from tui.core.reports.coverage import Counts, Coverage, Gap, compute, coverage, default_places, parse_period, places_for

SUB_OF = {"A": "A", "a1": "A", "a2": "A", "B": "B", "b1": "B"}


def matrix(active: dict[str, int], paused: dict[str, int] | None = None, *, places=("A", "B", "a1", "a2", "b1"),
           include_paused: bool = False) -> Coverage:
    """One need, ``food``: ``active``/``paused`` resources per place (absent: none)."""
    counts = np.zeros((len(places), 1, 3), dtype=np.int64)
    for row, place in enumerate(places):
        counts[row, 0] = (active.get(place, 0), 0, (paused or {}).get(place, 0))
    return Coverage(tuple(places), ("food",), counts, {p: SUB_OF[p] for p in places}, 0, include_paused)


def test_a_paused_place_is_help_only_when_asked():
    assert Counts(active=1, unverified=0, paused=2).help() == 1
    assert Counts(active=1, unverified=0, paused=2).help(include_paused=True) == 3
    with_paused = matrix({"A": 1, "a1": 1}, {"A": 2, "a1": 2}, include_paused=True)
    assert with_paused.help()[:, 0].tolist() == [3, 0, 3, 0, 0]
    assert matrix({"A": 1, "a1": 1}, {"A": 2, "a1": 2}).help()[:, 0].tolist() == [1, 0, 1, 0, 0]


def test_a_town_without_help_gives_a_line_for_its_subprefecture_and_one_for_hokkaido_first():
    gaps = matrix({"A": 1, "a1": 1, "B": 1, "b1": 1}).gaps()
    # a2 alone lacks food: the Hokkaido-wide line (1 of 3 towns, no empty subprefecture) comes
    # before A's line, which leaves as many towns without help
    assert gaps == [Gap("food", "", 1, 3, 0), Gap("food", "A", 1, 2, 0)]


def test_one_subprefecture_alone_gives_no_hokkaido_line():
    places = ("A", "a1", "a2")
    assert matrix({"A": 1, "a1": 1}, places=places).gaps() == [Gap("food", "A", 1, 2, 0)]
    assert matrix({"A": 1, "a1": 1, "a2": 1}, places=places).gaps() == []


def test_subprefecture_rows_alone_leave_no_town_without_help():
    assert matrix({"A": 1, "B": 1}, places=("A", "B")).gaps() == []


@pytest.mark.parametrize(("text", "days"), [("2年", 730), ("90日", 90), ("3か月", 91), ("2 years", 730)])
def test_a_period_in_japanese_or_english_words(text, days):
    assert parse_period(text) == days


def test_a_period_that_cannot_be_read_names_what_was_typed():
    with pytest.raises(ValueError, match="12q"):
        parse_period("12q")


def test_the_rows_of_an_area_filter(gazetteer):
    every = default_places(gazetteer)
    assert places_for(gazetteer, "hokkaido") == places_for(gazetteer, None) == every
    soya = places_for(gazetteer, "01214")  # 稚内市: the town with its subprefecture
    assert len(soya) == 2 and soya[1] == "01214"
    subprefecture = places_for(gazetteer, soya[0])  # 宗谷: itself and its ten towns
    assert subprefecture[0] == soya[0] and len(subprefecture) == 11 and "01214" in subprefecture
    # a ward of Sapporo: the city's rows (a ward is no row of its own)
    assert places_for(gazetteer, "01101") == places_for(gazetteer, "01100")


def test_coverage_counts_paused_places_only_when_asked_and_only_the_needs_asked(empty_catalogue):
    empty_catalogue.write([
        Resource(id="p", name="休止中の食堂", needs=("food",), area="01214", status="paused"),
        Resource(id="s", name="開いている相談", needs=("consultation",), area="01214"),
    ])
    assert coverage(empty_catalogue, needs=["food"]).help()[:, 0].sum() == 0
    asked = coverage(empty_catalogue, needs=["food"], include_paused=True)
    assert asked.needs == ("food",) and asked.help()[:, 0].sum() > 0


def test_a_paused_place_is_not_help_by_default_in_the_matrix_either(empty_catalogue):
    empty_catalogue.write([Resource(id="p", name="休止中の食堂", needs=("food",), area="01214", status="paused")])
    matrix = compute(empty_catalogue.search_index(), empty_catalogue.gazetteer, needs=["food"])
    assert matrix.help()[:, 0].sum() == 0 and matrix.cell("01214", "food").paused == 1


def test_an_edited_place_counts_once_within_a_verification_period(empty_catalogue):
    place = Resource(id="e", name="食堂", needs=("food",), area="01214", last_verified="2026-09-01")
    empty_catalogue.write([place])
    empty_catalogue.search_index()  # indexed; the edit below leaves its old slot dead
    empty_catalogue.write([place.replace(name="食堂（新）", last_verified="2026-09-15")])
    matrix = coverage(empty_catalogue, needs=["food"], verified_within_days=90, today=date(2026, 10, 1))
    assert matrix.cell("01214", "food").active == 1
    assert matrix.resources == 1  # the report's "resources in the catalogue": the old slot is not one


def test_the_counts_are_the_same_when_every_group_key_collides(empty_catalogue, monkeypatch):
    """Rows are grouped by a 64-bit mix of the places they serve; a collision must not merge groups."""
    empty_catalogue.write([
        Resource(id="w", name="稚内の食堂", needs=("food",), area="01214"),
        Resource(id="k", name="釧路の食堂", needs=("food",), area="01206", serves=("kushiro",)),
        Resource(id="h", name="全道の窓口", needs=("food",), area="01100", serves=("hokkaido",), status="paused"),
    ])
    expected = coverage(empty_catalogue, needs=["food"])
    monkeypatch.setattr(coverage_module, "_splitmix", lambda x: np.zeros_like(x))  # every mix the same
    collided = coverage(empty_catalogue, needs=["food"])
    assert np.array_equal(collided.counts, expected.counts)
    assert expected.cell("01214", "food") == Counts(1, 1, 1)  # the check reads something
