"""The coverage matrix against a plain, slow reference (the finder's area rule, row by row)."""

from __future__ import annotations

import sys
from datetime import date

import pytest

from tests.conftest import ROOT
from tui.core.reports.coverage import Counts, compute, coverage, parse_period
from tui.core.reports.coverage_report import Labels, cell_label, gap_sentence
from tui.core.store.catalogue import Catalogue
from tui.i18n import t


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic import write_catalogue

    path = write_catalogue(tmp_path_factory.mktemp("coverage") / "synthetic.db", 600, seed=3)
    with Catalogue.open(path) as catalogue:
        yield catalogue, [catalogue.get(f"syn-3-{i:07d}") for i in range(600)]


def reference(catalogue, batch, place: str, need: str, since: str = "") -> tuple[int, int, int]:
    """Count the slow way: every resource, the gazetteer's own overlap rule."""
    active = unverified = paused = 0
    for r in batch:
        if r.status == "closed" or need not in r.needs or (since and r.last_verified < since):
            continue
        if not catalogue.gazetteer.overlaps(r.served_areas, place) or not r.served_areas:
            continue
        if r.status == "active":
            active += 1
            unverified += not r.last_verified
        else:
            paused += 1
    return active, unverified, paused


def test_matches_the_slow_reference_everywhere(synthetic):
    catalogue, batch = synthetic
    matrix = coverage(catalogue)
    for place in matrix.places:
        for need in ("shelter", "food", "transport"):
            cell = matrix.cell(place, need)
            assert (cell.active, cell.unverified, cell.paused) == reference(catalogue, batch, place, need), (place, need)


def test_verified_since_matches_the_reference(synthetic):
    catalogue, batch = synthetic
    matrix = coverage(catalogue, needs=["consultation"], verified_within_days=365, today=date(2026, 4, 1))
    since = matrix.verified_since.isoformat()
    for place in matrix.places:
        cell = matrix.cell(place, "consultation")
        assert (cell.active, cell.unverified, cell.paused) == reference(catalogue, batch, place, "consultation", since)


def test_cell_is_what_the_finder_lists(synthetic):
    catalogue, _ = synthetic
    matrix = coverage(catalogue, area="soya", needs=["food"])
    for place in matrix.places:
        hits = catalogue.search("", area=place, needs=["food"], limit=10_000)
        assert matrix.cell(place, "food").help(include_paused=True) == len(hits)


def test_empty_catalogue(empty_catalogue):
    matrix = coverage(empty_catalogue)
    assert matrix.counts.sum() == 0 and len(matrix.places) == 14 + 179
    gaps = matrix.gaps()
    assert len(gaps) == len(matrix.needs)  # one line per need: missing everywhere
    assert gaps[0].missing == 179 and gaps[0].empty_subprefectures == 14


def test_gap_sentences_and_order(empty_catalogue):
    from tui.core.models import Resource

    empty_catalogue.write([Resource(id="x", name="稚内フード", needs=("food",), area="01214")])
    matrix = compute(empty_catalogue.search_index(), empty_catalogue.gazetteer, needs=["food"])
    gaps = matrix.gaps()
    labels = Labels(empty_catalogue.gazetteer, empty_catalogue.taxonomy, "ja", t)
    sentences = [gap_sentence(g, labels) for g in gaps]
    assert sentences[0] == "食料支援: 空白の振興局 13、支援のない市町村 178/179"
    assert "宗谷: 食料支援に対応する資源がない市町村 9/10" in sentences
    assert sentences.index("空知: 食料支援に対応する資源がない市町村 24/24") < sentences.index(
        "宗谷: 食料支援に対応する資源がない市町村 9/10")  # most towns without help first


@pytest.mark.parametrize(("text", "days"), [("12m", 365), ("1y", 365), ("90d", 90), ("6", 183), ("12ヶ月", 365)])
def test_parse_period(text, days):
    assert parse_period(text) == days


def test_parse_period_rejects_nonsense():
    with pytest.raises(ValueError):
        parse_period("soon")


def test_cell_labels(gazetteer, taxonomy):
    ja, en = (Labels(gazetteer, taxonomy, lang, t) for lang in ("ja", "en"))
    assert cell_label(Counts(0, 0, 2), ja) == "空白"
    assert cell_label(Counts(0, 0, 2), ja, include_paused=True) == "2 (休止2)"
    assert cell_label(Counts(3, 2, 1), ja) == "3 (未確認2)"
    assert cell_label(Counts(3, 2, 1), ja, include_paused=True) == "4 (未確認2、休止1)"
    assert cell_label(Counts(3, 2, 0), en, short=True) == "3 2?"
    assert cell_label(Counts(0, 0, 0), en) == "none"


def test_english_labels_name_places_in_romaji(gazetteer, taxonomy):
    """The English map listed 石狩, 渡島 … and said "enter: municipalities of 石狩" (seen in tmux)."""
    ja, en = (Labels(gazetteer, taxonomy, lang, t) for lang in ("ja", "en"))
    assert (ja.place("ishikari"), en.place("ishikari")) == ("石狩", "Ishikari")
    assert (ja.place("01206"), en.place("01206")) == ("釧路市", "Kushiro-shi")
