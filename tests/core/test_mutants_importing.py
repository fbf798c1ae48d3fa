"""Import: the rules tested on the cases that were missing (issue 25). Each test was seen failing
on a hand-made mutant of ``tui/core/loading/importing.py`` (see docs/mutation.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.loading.importing import import_files
from tui.core.models import Resource
from tui.core.store.catalogue import Catalogue

ORDINARY = Resource(
    id="food-1", name="くしろフードバンク", organization="テスト協会", area="01206", address="釧路市黒金町1-1",
    phone="0154-00-0001", hours="月–金 9–17", needs=("food",), serves=("kushiro",), last_verified="2026-04-01",
)


def write_csv(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


@pytest.fixture
def catalogue(tmp_path):
    with Catalogue.open(tmp_path / "c.db") as cat:
        cat.write([ORDINARY])
        yield cat


def test_a_two_column_file_leaves_an_ordinary_resources_other_fields_alone(catalogue, tmp_path):
    # Not confidential: only the "columns the file lacks are left alone" rule keeps area, phone, hours, needs.
    report = import_files(catalogue, [write_csv(tmp_path / "two.csv", "id,name\nfood-1,くしろフードバンク（新）\n")])
    assert not report.problems and report.written
    stored = catalogue.get("food-1")
    assert stored.name == "くしろフードバンク（新）"
    assert stored.replace(name=ORDINARY.name) == ORDINARY


def test_a_file_whose_header_cannot_be_read_blocks_a_skip_invalid_import_of_it_and_a_good_file(catalogue, tmp_path):
    bad = write_csv(tmp_path / "bad.csv", "所在地域,好きな色\n釧路市,青\n")  # no name column: no row can be read
    good = write_csv(tmp_path / "good.csv", "id,name\nnew-1,新しい窓口\n")
    report = import_files(catalogue, [good, bad], skip_invalid=True)
    assert report.blocked and not report.written
    assert [p.file for p in report.problems] == ["bad.csv"]
    assert catalogue.get("new-1") is None and catalogue.ids() == ["food-1"]
