"""`tsunagu import` / `tsunagu export` from the command line: exit codes, messages,
rows in the database afterwards, and a killed import that leaves nothing half-done."""

from __future__ import annotations

import csv
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tui.cli import cli
from tui.core.store.catalogue import Catalogue

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "c.db"


def run(db: Path, *args: str):
    return CliRunner().invoke(cli, [*args, "--db", str(db)], catch_exceptions=False)


def resources(db: Path):
    with Catalogue.open(db) as catalogue:
        return list(catalogue.resources())


def test_import_says_which_encoding_and_shows_the_summary(db, isolated_home):
    result = run(db, "import", str(FIXTURES / "resources_sjis.csv"))
    assert result.exit_code == 0, result.output
    assert "Shift_JIS (cp932)" in result.output
    assert "added" in result.output and "5" in result.output
    assert len(resources(db)) == 5
    assert len(list((isolated_home / "backups").glob("c-*.db"))) == 1
    again = run(db, "import", str(FIXTURES / "resources_utf8.csv"), str(FIXTURES / "resources.xlsx"))
    assert again.exit_code == 1  # the two files hold the same resources: each is there twice
    assert "2回" in again.stderr


def test_reimport_is_all_unchanged(db):
    run(db, "import", str(FIXTURES / "resources.xlsx"))
    before = resources(db)
    result = run(db, "import", str(FIXTURES / "resources.xlsx"))
    assert result.exit_code == 0
    table_row = [line for line in result.output.splitlines() if "│" in line][-1]
    assert [cell.strip() for cell in table_row.strip("│ ").split("│")] == ["0", "0", "5", "0"]
    assert resources(db) == before


def test_five_mistakes_exit_1_and_write_nothing(db):
    run(db, "import", str(FIXTURES / "resources_utf8.csv"))
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    result = run(db, "import", str(FIXTURES / "five_mistakes.csv"))
    assert result.exit_code == 1
    for where in ("3行目 (row 3): [市町村]", "4行目 (row 4): [種別]", "5行目 (row 5): [確認日]", "6行目 (row 6): [名称]",
                  "7行目 (row 7): [ID]", "8行目 (row 8): [状態]"):
        assert where in result.stderr
    assert "もしかして (did you mean): 釧路市" in result.stderr
    assert "nothing was written" in result.stderr
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert len(resources(db)) == 5


def test_a_flood_of_problems_is_counted_not_all_printed(db, tmp_path):
    source = tmp_path / "wrong.csv"
    source.write_text("名称,市町村\n" + "".join(f"テスト{i},どこか\n" for i in range(300)), encoding="utf-8")
    result = run(db, "import", str(source))
    assert result.exit_code == 1
    assert result.stderr.count("unknown area") == 200
    assert "and 100 more" in result.stderr


def test_skip_invalid_and_dry_run(db, tmp_path):
    source = tmp_path / "mistakes.csv"
    source.write_bytes((FIXTURES / "five_mistakes.csv").read_bytes())
    dry = run(db, "import", str(source), "--skip-invalid", "--dry-run")
    assert dry.exit_code == 0 and "dry run" in dry.output
    assert resources(db) == [] and not (tmp_path / "mistakes.rejected.csv").exists()
    result = run(db, "import", str(source), "--skip-invalid")
    assert result.exit_code == 0
    assert "mistakes.rejected.csv" in result.output
    assert [r.id for r in resources(db)] == ["m-001"]
    with open(tmp_path / "mistakes.rejected.csv", encoding="utf-8-sig", newline="") as f:
        assert len(list(csv.DictReader(f))) == 6


def test_usage_mistakes_exit_2(db, tmp_path):
    assert run(db, "import", str(tmp_path / "missing.csv")).exit_code == 2
    (tmp_path / "list.txt").write_text("name\nx\n", encoding="utf-8")
    assert run(db, "import", str(tmp_path / "list.txt")).exit_code == 2
    result = run(db, "import", str(FIXTURES / "resources.xlsx"), "--sheet", "ない")
    assert result.exit_code == 2 and "一覧" in result.stderr
    assert run(db, "export", str(tmp_path / "out.csv"), "--area", "釧路氏").exit_code == 2
    assert run(db, "export", str(tmp_path / "out.csv"), "--need", "たべもん").exit_code == 2
    assert run(db, "export", str(tmp_path / "out.txt")).exit_code == 2
    assert not db.exists() or resources(db) == []


def test_sheet_option(db):
    result = run(db, "import", str(FIXTURES / "resources.xlsx"), "--sheet", "別シート")
    assert result.exit_code == 0
    assert [r.name for r in resources(db)] == ["別シートのテスト窓口"]


@pytest.mark.parametrize("kind", ["csv", "xlsx", "json"])
def test_export_import_round_trip(db, tmp_path, kind):
    run(db, "import", str(FIXTURES / "resources_sjis.csv"))
    out = tmp_path / f"shared.{kind}"
    result = run(db, "export", str(out), "--include-confidential")
    assert result.exit_code == 0 and "5" in result.output
    copy = tmp_path / "copy.db"
    assert run(copy, "import", str(out)).exit_code == 0
    assert resources(copy) == resources(db)


def test_export_filters_and_confidential(db, tmp_path):
    run(db, "import", str(FIXTURES / "resources_utf8.csv"))
    out = tmp_path / "kushiro_work.csv"
    result = run(db, "export", str(out), "--area", "釧路", "--need", "職場体験")
    assert result.exit_code == 0
    with open(out, encoding="utf-8-sig", newline="") as f:
        assert [row["name"] for row in csv.DictReader(f)] == ["架空就労体験農園"]
    out = tmp_path / "all.json"
    result = run(db, "export", str(out), "--format", "json")
    assert "confidential addresses left out" in result.output
    assert "テスト町2-2" not in out.read_text(encoding="utf-8")
    run(db, "export", str(out), "--include-confidential")
    assert "テスト町2-2" in out.read_text(encoding="utf-8")


def _big_csv(path: Path, rows: int) -> Path:
    areas = ["釧路市", "帯広市", "網走市", "札幌市中央区", "函館市"]
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "name", "area", "needs", "phone", "last_verified", "description"])
        for i in range(rows):
            writer.writerow([f"k-{i:06d}", f"テスト窓口{i}", areas[i % 5], "food;consultation", f"0154-00-{i % 10000:04d}",
                             "2026-04-01", "説明" * 20])
    return path


def test_a_killed_import_leaves_the_catalogue_as_it_was(db, tmp_path, isolated_home):
    """Killed (SIGKILL) at a known point: after the rows are inserted, before the commit.

    ``TSUNAGU_FAULT=after-insert`` is read in one place (``tui.core.files.fault``), so the
    kill lands inside the write transaction every time, with no timing involved.
    """
    run(db, "import", str(FIXTURES / "resources_utf8.csv"))
    before = resources(db)
    backups = set((isolated_home / "backups").glob("*.db"))
    big = _big_csv(tmp_path / "big.csv", 2_000)
    env = dict(os.environ, TSUNAGU_HOME=str(isolated_home), TSUNAGU_FAULT="after-insert")
    process = subprocess.run(
        [sys.executable, "-c", "from tui.cli import main; main()", "import", str(big), "--db", str(db)],
        env=env, capture_output=True, timeout=300, check=False,
    )
    assert process.returncode == -signal.SIGKILL, process.stderr.decode(errors="replace")
    assert set((isolated_home / "backups").glob("*.db")) - backups, "the backup is taken before the write"
    assert integrity_problems(db) == []
    assert resources(db) == before


def integrity_problems(db: Path) -> list[str]:
    """``PRAGMA integrity_check`` findings other than "ok"."""
    conn = sqlite3.connect(db)
    try:
        return [row[0] for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
    finally:
        conn.close()


def test_a_dry_run_with_problems_still_shows_what_the_valid_rows_would_do(db, tmp_path):
    source = tmp_path / "mistakes.csv"
    source.write_bytes((FIXTURES / "five_mistakes.csv").read_bytes())
    dry = run(db, "import", str(source), "--dry-run")
    assert dry.exit_code == 1 and "nothing was written" in dry.stderr
    table_row = [line for line in dry.output.splitlines() if "│" in line][-1]
    assert [cell.strip() for cell in table_row.strip("│ ").split("│")] == ["1", "0", "0", "6"]
    assert "3行目 (row 3): [市町村]" in dry.stderr
    assert resources(db) == []


@pytest.mark.parametrize(("name", "content", "says"), [
    ("一覧.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "「.xlsx」か「CSV UTF-8」で保存し直して"),
    ("一覧.csv", b"PK\x03\x04" + b"\0" * 64, "中身は Excel のブック (.xlsx) です"),
    ("一覧.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "中身は古い Excel のブック (.xls) です"),
])
def test_an_excel_book_that_cannot_be_read_as_named_says_how_to_save_it(db, tmp_path, name, content, says):
    """An .xls was refused with only the list of types; an .xlsx renamed .csv was called a text
    file whose encoding could not be told. Both say what the file is and how to save it."""
    path = tmp_path / name
    path.write_bytes(content)
    result = run(db, "import", str(path))
    assert result.exit_code == 2 and says in result.stderr, result.stderr
    assert "Traceback" not in result.output and not db.exists()


def test_rows_no_area_filter_can_show_are_named_once_per_file(db, tmp_path):
    # An office list without a 市町村 column imported silently, and its rows never showed under an area filter.
    placeless = tmp_path / "一覧.csv"
    placeless.write_text("施設名,電話番号,支援内容\nテスト食堂,0154-11-2222,食料\n別の窓口,,相談\n", encoding="utf-8")
    result = run(db, "import", str(placeless))
    assert result.exit_code == 0, result.output
    assert "2 行に地域（市町村）も対象地域もありません" in result.output and ": 2, 3 →" in result.output
    assert result.output.count("対象地域もありません") == 1  # said once for the file, not once per row
    assert {r.needs for r in resources(db)} == {("food",), ("consultation",)}  # 相談 alone is the first window
    placed = tmp_path / "地域あり.csv"
    placed.write_text("施設名,対象地域,支援内容\n別の食堂,釧路,食料\n", encoding="utf-8")  # places served only
    result = run(db, "import", str(placed))
    assert result.exit_code == 0 and "対象地域もありません" not in result.output, result.output
