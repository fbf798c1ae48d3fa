"""Export: every column, re-importable into the identical catalogue, formula-safe,
confidential addresses left out unless asked for."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tui.core.loading.exporting import export, format_for, select
from tui.core.loading.importing import import_files
from tui.core.models import COLUMNS, Resource
from tui.core.store.catalogue import Catalogue

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"
TRICKY = [
    Resource(id="x-1", name="=HYPERLINK(\"http://example.org\")", area="01206", needs=("food",), notes="+81 は国番号",
             phone="+81-154-00-0001", hours="-", cost="@無料", description="一行目\n二行目", serves=("kushiro", "01207"),
             languages=("日本語", "English"), last_verified="2026-04-01"),
    Resource(id="x-2", name="テスト避難先", area="01101", needs=("shelter", "dv"), address="テスト町9-9", postal_code="060-0001",
             confidential=True, status="paused"),
    Resource(id="x-3", name="終了した窓口", area="", serves=("hokkaido",), status="closed", organization="NPO法人テスト"),
]


@pytest.fixture
def catalogue(tmp_path):
    with Catalogue.open(tmp_path / "source.db") as catalogue:
        import_files(catalogue, [FIXTURES / "resources_sjis.csv"])
        catalogue.write(TRICKY)
        yield catalogue


@pytest.mark.parametrize("kind", ["csv", "xlsx", "json"])
def test_export_then_import_gives_the_identical_catalogue(catalogue, tmp_path, kind):
    path = tmp_path / f"out.{kind}"
    summary = export(catalogue, path, include_confidential=True)
    assert summary.count == 8 and summary.format == kind
    with Catalogue.open(tmp_path / "copy.db") as copy:
        report = import_files(copy, [path])
        assert report.problems == []
        assert list(copy.resources()) == list(catalogue.resources())
        assert len(import_files(copy, [path]).summary.unchanged) == 8


def test_csv_has_every_column_a_bom_and_no_formula_cells(catalogue, tmp_path):
    path = export(catalogue, tmp_path / "out.csv").path
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(keepends=True)))
    assert rows[0] == list(COLUMNS)
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    first = dict(zip(rows[0], next(r for r in rows if r[0] == "x-1")))
    assert first["name"].startswith("'=") and first["phone"] == "'+81-154-00-0001"
    assert first["area"] == "釧路市" and first["serves"] == "釧路総合振興局; 帯広市" and first["needs"] == "food"


def test_xlsx_cells_are_text_never_formulas(catalogue, tmp_path):
    from openpyxl import load_workbook

    path = export(catalogue, tmp_path / "out.xlsx").path
    sheet = load_workbook(path).active
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f" and (cell.value is None or isinstance(cell.value, str)), cell.coordinate
            assert not str(cell.value or "").startswith(("=", "+", "-", "@"))


def test_json_has_arrays_and_place_names(catalogue, tmp_path):
    items = json.loads(export(catalogue, tmp_path / "out.json").path.read_text(encoding="utf-8"))
    first = next(i for i in items if i["id"] == "x-1")
    assert list(first) == list(COLUMNS)
    assert first["needs"] == ["food"] and first["serves"] == ["釧路総合振興局", "帯広市"]
    assert first["name"] == "=HYPERLINK(\"http://example.org\")"  # JSON is data, not a spreadsheet: no guard
    assert next(i for i in items if i["id"] == "x-3")["serves"] == ["全道"]


def test_confidential_addresses_are_left_out_unless_asked(catalogue, tmp_path):
    summary = export(catalogue, tmp_path / "out.json")
    items = {i["id"]: i for i in json.loads(summary.path.read_text(encoding="utf-8"))}
    assert items["x-2"]["address"] == "" and items["x-2"]["postal_code"] == ""
    assert items["t-001"]["address"] == "テスト町1-1"
    assert summary.withheld == 2  # x-2 and the fixture's shelter t-003
    items = {i["id"]: i for i in json.loads(export(catalogue, tmp_path / "all.json", include_confidential=True).path.read_text(encoding="utf-8"))}
    assert items["x-2"]["address"] == "テスト町9-9"


def test_filters_share_a_subset(catalogue):
    kushiro = {r.id for r in select(catalogue, area="釧路市")}
    assert {"t-001", "x-1", "x-3"} <= kushiro  # own area, a subprefecture served, 全道
    assert "x-2" not in kushiro
    assert {r.id for r in select(catalogue, area="釧路", needs=["work_experience"])} == {r.id for r in catalogue.resources() if r.name == "架空就労体験農園"}
    assert {r.id for r in select(catalogue, needs=["dv", "food"])} == {"t-001", "t-003", "x-1", "x-2"}


def test_every_place_label_resolves_back_to_its_place(catalogue):
    gazetteer = catalogue.gazetteer
    for code in gazetteer.places:
        assert gazetteer.resolve(gazetteer.label(code)).code == code


def test_format_from_the_name(tmp_path):
    assert format_for(Path("a.XLSX")) == "xlsx"
    assert format_for(Path("a.txt"), "json") == "json"
    with pytest.raises(ValueError):
        format_for(Path("a.txt"))
