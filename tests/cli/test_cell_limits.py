"""Issue 19 #4: one limit on a cell everywhere — `edit`, import, sync and the .xlsx export (which
refuses rather than cutting, as Excel would) — and a phone needs digits."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tui.cli import cli
from tui.core.loading.importing import MAX_CELL
from tui.core.store.catalogue import Catalogue

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def db(tmp_path) -> Path:
    shutil.copyfile(ROOT / "resources.db", tmp_path / "resources.db")
    return tmp_path / "resources.db"


def run(db: Path, *args: str):
    return CliRunner().invoke(cli, [*args, "--db", str(db)])


def any_id(db: Path) -> str:
    with Catalogue.open(db) as catalogue:
        return next(r.id for r in catalogue.resources() if not r.confidential)


@pytest.mark.parametrize("setting,says", [
    ("phone=abc", "数字がありません"),
    ("fax=0154-00-0000; なし", "数字がありません"),
    ("notes=" + "あ" * (MAX_CELL + 1), f"{MAX_CELL:,} 文字まで"),
])
def test_edit_refuses_what_no_import_would_take_and_changes_nothing(db, setting, says):
    rid = any_id(db)
    with Catalogue.open(db) as catalogue:
        before = catalogue.get(rid)
    result = run(db, "edit", rid, "--set", setting)
    assert result.exit_code == 1 and says in result.output
    with Catalogue.open(db) as catalogue:
        assert catalogue.get(rid) == before


def test_edit_takes_a_cell_at_the_limit_and_numbers_with_words(db):
    rid = any_id(db)
    assert run(db, "edit", rid, "--set", "notes=" + "あ" * MAX_CELL).exit_code == 0
    assert run(db, "edit", rid, "--set", "phone=0154-23-5151（代表）; #8008").exit_code == 0
    with Catalogue.open(db) as catalogue:
        assert len(catalogue.get(rid).notes) == MAX_CELL


def test_a_cell_too_long_for_xlsx_is_refused_by_name_and_no_file_is_written(db, tmp_path):
    rid = any_id(db)
    with Catalogue.open(db) as catalogue:  # longer than a spreadsheet holds (as an older version let in)
        catalogue.write([catalogue.get(rid).replace(description="説" * (MAX_CELL + 10))])
    result = run(db, "export", str(tmp_path / "out.xlsx"))
    assert result.exit_code == 1 and rid in result.output and "description" in result.output
    assert not (tmp_path / "out.xlsx").exists()
    assert run(db, "export", str(tmp_path / "out.csv")).exit_code == 0  # CSV holds it whole
    with open(tmp_path / "out.csv", encoding="utf-8-sig", newline="") as f:
        csv.field_size_limit(1 << 20)
        assert any(len(row["description"]) == MAX_CELL + 10 for row in csv.DictReader(f))


def test_import_refuses_the_same_cell(db, tmp_path):
    sheet = tmp_path / "long.csv"
    sheet.write_text("name,notes\n長い窓口," + "あ" * (MAX_CELL + 1) + "\n", encoding="utf-8")
    result = run(db, "import", str(sheet))
    assert result.exit_code == 1 and f"{MAX_CELL:,}" in result.output
