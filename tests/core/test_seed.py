"""The shipped catalogue is exactly what seed/ builds, and holds no invented contacts."""

from __future__ import annotations

import csv
import re
import sqlite3
import unicodedata
from pathlib import Path

from tui.core.loading.seed import build
from tui.core.search.crisis import search_with_fallback
from tui.core.store.catalogue import Catalogue

ROOT = Path(__file__).resolve().parents[2]
CONTACT_FIELDS = ("phone", "fax", "email", "url", "address", "postal_code", "hours")


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_committed_catalogue_is_what_seed_builds(tmp_path):
    fresh = tmp_path / "resources.db"
    build(fresh)
    assert dump(fresh) == dump(ROOT / "resources.db"), "run `tsunagu rebuild` and commit resources.db"


def test_build_is_deterministic(tmp_path):
    build(tmp_path / "a.db")
    build(tmp_path / "b.db")
    assert dump(tmp_path / "a.db") == dump(tmp_path / "b.db")


def test_starter_catalogue_is_real_and_unverified(tmp_path):
    build(tmp_path / "resources.db")
    with Catalogue.open(tmp_path / "resources.db") as catalogue:
        resources = list(catalogue.resources())
    assert len(resources) >= 50
    for resource in resources:
        assert resource.source, f"{resource.id} has no source"
        assert resource.last_verified == "", f"{resource.id} claims a verification nobody made"
        if any(getattr(resource, field) for field in CONTACT_FIELDS):
            # a contact detail needs a public page behind it, named in the source
            assert "http" in resource.source, f"{resource.id} has contact details but cites no page"


def citations() -> dict[tuple[str, str], list[dict[str, str]]]:
    with open(ROOT / "seed" / "phone_citations.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    found: dict[tuple[str, str], list[dict[str, str]]] = {}
    for row in rows:
        found.setdefault((row["id"], digits(row["phone"])), []).append(row)
    return found


def digits(text: str) -> str:
    return re.sub(r"\D", "", unicodedata.normalize("NFKC", text))


def test_every_phone_number_is_cited_by_a_phrase_of_its_page():
    cited = citations()
    with Catalogue.open(ROOT / "resources.db") as catalogue:
        resources = list(catalogue.resources())
    numbers = 0
    for resource in resources:
        for kind in ("phone", "fax"):
            for number in (n.strip() for n in getattr(resource, kind).split(";") if n.strip()):
                numbers += 1
                rows = cited.get((resource.id, digits(number)))
                assert rows, f"{resource.id}: {number} has no row in seed/phone_citations.csv"
                for row in rows:
                    assert digits(number) in digits(row["phrase"]), f"{resource.id}: {number} is not in {row['phrase']!r}"
                    assert row["url"] in resource.source, f"{resource.id}: the cited page is not in its source"
                    assert len(row["phrase"]) <= 80, "a citation is a short phrase, not a copy of the page"
    assert numbers >= 15


def test_every_citation_belongs_to_a_resource_number():
    with Catalogue.open(ROOT / "resources.db") as catalogue:
        phones = {(r.id, digits(n)) for r in catalogue.resources()
                  for n in f"{r.phone};{r.fax}".split(";") if n.strip()}
    assert set(citations()) <= phones, "seed/phone_citations.csv cites a number no resource holds"


def test_the_five_needs_and_crisis_lines_are_answered():
    with Catalogue.open(ROOT / "resources.db") as catalogue:
        for need in ("food", "emergency_goods", "shelter", "work_experience", "transport"):
            assert catalogue.search("", needs=[need]), f"nothing for {need}"
        # a DV or shelter search lists a line to call in every subprefecture
        places = catalogue.gazetteer.places.values()
        subprefectures = [p.name for p in places if p.kind == "subprefecture"]
        assert len(subprefectures) == 14
        for subprefecture in subprefectures:
            for need in ("dv", "shelter"):
                hits = search_with_fallback(catalogue, "", area=subprefecture, needs=[need])
                assert any(hit.phone for hit in hits), (subprefecture, need)


def test_crisis_needs_are_marked_in_the_taxonomy(taxonomy):
    assert {need.code for need in taxonomy if need.crisis} == {"shelter", "dv", "consultation", "food", "health"}
