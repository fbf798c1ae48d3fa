"""Import: the rules tested on the cases that were missing (issue 25). Each test was seen failing
on a hand-made mutant of ``tui/core/loading/importing.py`` (see docs/mutation.md)."""

from __future__ import annotations

import csv
import gc
from pathlib import Path

import pytest

from tui.core.loading import importing
from tui.core.loading.importing import MAX_CELL, import_files
from tui.core.models import COLUMNS, Resource
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


def test_an_import_says_how_far_it_has_checked_and_written(catalogue, tmp_path):
    seen: list[tuple[str, int, int]] = []
    rows = "".join(f"new-{n},新しい窓口{n}号,釧路市\n" for n in range(3))
    report = import_files(catalogue, [write_csv(tmp_path / "p.csv", "id,name,area\n" + rows)],
                          progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert report.written
    assert seen == [("check", 0, 3), ("check", 3, 3), ("write", 0, 3), ("write", 3, 3)]


def test_a_long_check_says_how_far_it_is_every_so_many_rows(catalogue, tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "_PROGRESS_EVERY", 3)
    seen: list[tuple[str, int, int]] = []
    rows = "".join(f"new-{n},新しい窓口{n}号,釧路市\n" for n in range(5))
    path = write_csv(tmp_path / "p.csv", "id,name,area\n" + rows)
    assert import_files(catalogue, [path], progress=lambda *args: seen.append(args)).written
    assert [args for args in seen if args[0] == "check"] == [("check", n, 5) for n in (0, 3, 5)]
    assert import_files(catalogue, [path]).summary.unchanged  # no progress asked: none called


def test_the_change_log_names_who_imported_and_from_which_files(catalogue, tmp_path):
    first = write_csv(tmp_path / "a.csv", "id,name\nfood-1,くしろフードバンク（新）\n")
    second = write_csv(tmp_path / "b.csv", "id,name,area\nnew-1,新しい窓口,釧路市\n")
    before = catalogue.conn.execute("SELECT max(id) FROM changes").fetchone()[0]
    assert import_files(catalogue, [first, second], by="山田").written
    logged = {tuple(row) for row in catalogue.conn.execute("SELECT resource_id, by, how FROM changes WHERE id > ?", (before,))}
    assert logged == {("food-1", "山田", "import a.csv, b.csv"), ("new-1", "山田", "import a.csv, b.csv")}


def test_the_same_id_twice_in_one_file_names_the_first_row(catalogue, tmp_path):
    text = "id,name,area\nnew-1,一つ目の窓口,釧路市\nnew-2,二つ目の窓口,釧路市\nnew-1,三つ目の窓口,釧路市\n"
    report = import_files(catalogue, [write_csv(tmp_path / "x.csv", text)])
    [problem] = report.problems
    assert (problem.file, problem.row, problem.column) == ("x.csv", 4, "id")
    assert "'new-1' は 2行目 にもあります (also in row 2)" in problem.message
    assert problem.fix


def test_the_same_id_in_two_files_names_the_other_file_and_its_row(catalogue, tmp_path):
    first = write_csv(tmp_path / "a.csv", "id,name,area\nnew-0,零の窓口,釧路市\nnew-1,一つ目の窓口,釧路市\n")
    second = write_csv(tmp_path / "b.csv", "id,name,area\nnew-1,別の窓口,釧路市\n")
    report = import_files(catalogue, [first, second])
    [problem] = report.problems
    assert (problem.file, problem.row, problem.column) == ("b.csv", 2, "id")
    assert "'new-1' は a.csv 3行目 にもあります (also in row 3 of a.csv)" in problem.message
    assert problem.fix


def test_the_same_name_and_area_twice_without_ids_names_the_first_row_and_says_what_to_do(catalogue, tmp_path):
    first = write_csv(tmp_path / "a.csv", "name,area\n零の窓口,釧路市\nテスト窓口,釧路市\n")
    second = write_csv(tmp_path / "b.csv", "name,area\nテスト窓口,釧路市\n")
    report = import_files(catalogue, [first, second])
    [problem] = report.problems
    assert (problem.file, problem.row, problem.column) == ("b.csv", 2, "name")
    assert "a.csv 3行目 と同じです (also in row 3 of a.csv)" in problem.message
    assert problem.fix


def test_a_likely_duplicate_needs_a_name_as_close_as_its_length_allows(catalogue, tmp_path):
    """Up to four characters: the same name only; five to nine: one character off; ten or more: two."""
    existing = ("id,name,area\nold-1,みどり食堂,網走市\nold-2,みどり堂,網走市\nold-3,あおぞら相談支援室,網走市\n"
                "old-4,ひかり生活相談支援室,網走市\n")
    assert import_files(catalogue, [write_csv(tmp_path / "old.csv", existing)]).written
    new = ("id,name,area\n"
           "new-1,みどり寮,網走市\n"  # 4 characters, 1 off
           "new-2,あおぞら生活支援室,網走市\n"  # 9, 2 off
           "new-3,ひかり食料相談支所室,網走市\n"  # 10, 3 off
           "new-4,みどり会堂,網走市\n"  # 5, 1 off: likely the same
           "new-5,ひかり食料相談支援室,網走市\n")  # 10, 2 off: likely the same
    report = import_files(catalogue, [write_csv(tmp_path / "new.csv", new)])
    assert [str(w) for w in report.warnings] == [
        "new.csv 5行目 (row 5): すでにある資源と同じかもしれません (likely duplicate): 'みどり会堂' (new-4) ≈ 'みどり食堂' "
        "(old-1) → 同じなら、この行の ID を 'old-1' にしてください (if they are the same, use that id in this row)",
        "new.csv 6行目 (row 6): すでにある資源と同じかもしれません (likely duplicate): 'ひかり食料相談支援室' (new-5) ≈ "
        "'ひかり生活相談支援室' (old-4) → 同じなら、この行の ID を 'old-4' にしてください (if they are the same, use that id in "
        "this row)",
    ]


def test_a_likely_duplicate_is_found_after_a_new_row_in_an_area_with_no_resources(catalogue, tmp_path):
    new = "id,name,area\nnew-1,稚内ふれあい窓口,稚内市\nnew-2,くしろフードバンク,釧路市\n"
    report = import_files(catalogue, [write_csv(tmp_path / "new.csv", new)])
    assert [(w.file, w.row) for w in report.warnings] == [("new.csv", 3)]
    assert "(new-2) ≈ 'くしろフードバンク' (food-1)" in report.warnings[0].message


def test_a_full_file_with_a_blank_confidential_cell_keeps_a_confidential_place_confidential(catalogue, tmp_path):
    header = ",".join(COLUMNS)
    blank = {column: "" for column in COLUMNS}
    secret = dict(blank, id="dv-1", name="テストシェルター", area="釧路市", address="釧路市某所1-1", confidential="yes")
    import_files(catalogue, [write_csv(tmp_path / "a.csv", header + "\n" + ",".join(secret.values()) + "\n")])
    assert catalogue.get("dv-1").confidential
    again = dict(secret, confidential="", address="", hours="平日")  # every column, the confidential cell blank
    report = import_files(catalogue, [write_csv(tmp_path / "b.csv", header + "\n" + ",".join(again.values()) + "\n")])
    assert report.written
    stored = catalogue.get("dv-1")
    assert stored.confidential and stored.address == "釧路市某所1-1" and stored.hours == "平日"


def test_a_full_file_that_makes_a_place_confidential_keeps_the_address_it_leaves_blank(catalogue, tmp_path):
    header = ",".join(COLUMNS)
    row = {column: "" for column in COLUMNS} | {"id": "food-1", "name": ORDINARY.name, "area": "釧路市", "confidential": "yes"}
    report = import_files(catalogue, [write_csv(tmp_path / "a.csv", header + "\n" + ",".join(row.values()) + "\n")])
    assert report.written
    stored = catalogue.get("food-1")
    assert stored.confidential and stored.address == ORDINARY.address


def test_a_file_without_readings_keeps_whether_the_stored_reading_was_generated(catalogue, tmp_path):
    catalogue.write([Resource(id="gen-1", name="帯広ふれあい窓口", name_kana="おびひろふれあいまどぐち", area="01207",
                              name_kana_generated=True)])
    import_files(catalogue, [write_csv(tmp_path / "a.csv", "id,name\ngen-1,帯広ふれあい窓口（新）\n")])
    stored = catalogue.get("gen-1")
    assert stored.name_kana == "おびひろふれあいまどぐち" and stored.name_kana_generated
    import_files(catalogue, [write_csv(tmp_path / "b.csv", "id,name,name_kana\ngen-1,帯広ふれあい窓口,おびひろふれあい\n")])
    stored = catalogue.get("gen-1")
    assert stored.name_kana == "おびひろふれあい" and not stored.name_kana_generated  # given in the file now


def test_a_cell_of_exactly_the_limit_is_taken_and_one_more_is_a_problem_named_by_its_column(catalogue, tmp_path):
    at, over = "あ" * MAX_CELL, "あ" * (MAX_CELL + 1)
    # c-3: a cell past the header's columns, too long, beside one at the limit (no problem)
    text = f"id,name,description\nc-1,ちょうど,{at}\nc-2,超える,{over}\nc-3,列の外,{at},{over}\n"
    report = import_files(catalogue, [write_csv(tmp_path / "big.csv", text)], skip_invalid=True)
    assert [(p.file, p.row, p.column) for p in report.problems] == [("big.csv", 3, "description"), ("big.csv", 4, "4")]
    assert all(f"{MAX_CELL + 1:,} characters" in p.message and p.fix for p in report.problems)
    assert catalogue.get("c-1").description == at
    assert catalogue.get("c-2") is None and catalogue.get("c-3") is None


def test_a_json_value_that_is_not_text_is_named_with_its_file_and_field_and_a_fix(catalogue, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('[{"id": "j-1", "name": "ok"}, {"id": "j-2", "name": {"a": 1}}]')
    report = import_files(catalogue, [path], skip_invalid=True)
    [problem] = report.problems
    assert (problem.file, problem.row, problem.column) == ("bad.json", 3, "name")
    assert problem.message and problem.fix


def test_every_file_of_an_import_keeps_its_header_warnings_and_problems(catalogue, tmp_path):
    extra = write_csv(tmp_path / "extra.csv", "id,name,市町村,好きな色\nnew-1,新しい窓口,釧路市,青\n")  # 好きな色: not imported
    plain = write_csv(tmp_path / "plain.csv", "id,name,市町村\nnew-2,別の窓口,釧路市\n")
    report = import_files(catalogue, [extra, plain], dry_run=True)
    assert [w.file for w in report.warnings] == ["extra.csv"]
    first = write_csv(tmp_path / "first.csv", "所在地域,好きな色\n釧路市,青\n")  # no name column
    second = write_csv(tmp_path / "second.csv", "市町村,電話\n釧路市,0154-00-0000\n")
    report = import_files(catalogue, [first, second])
    assert report.blocked and sorted({p.file for p in report.problems}) == ["first.csv", "second.csv"]


def test_an_import_leaves_the_garbage_collector_on_and_logs_no_worker_unless_named(catalogue, tmp_path):
    assert gc.isenabled()
    before = catalogue.conn.execute("SELECT max(id) FROM changes").fetchone()[0]
    assert import_files(catalogue, [write_csv(tmp_path / "a.csv", "id,name\nnew-1,新しい窓口\n")]).written
    assert gc.isenabled()  # switched off only while the rows are checked
    assert [tuple(r) for r in catalogue.conn.execute("SELECT by FROM changes WHERE id > ?", (before,))] == [("",)]


def test_rows_that_are_blank_or_outside_the_imported_columns_are_skipped_not_the_end(catalogue, tmp_path):
    text = "id,name,好きな色\nnew-1,一つ目の窓口,\n,,\n,,青\nnew-2,二つ目の窓口,赤\n"
    report = import_files(catalogue, [write_csv(tmp_path / "gaps.csv", text)])
    assert report.written and sorted(report.summary.added) == ["new-1", "new-2"]
    assert report.files[0].rows == 2  # the two rows with something to import


def test_a_row_shorter_than_the_header_reads_its_missing_cells_as_blank(catalogue, tmp_path):
    text = "id,name,area,hours\nnew-1,短い行の窓口\nnew-2,地域違いの窓口,どこでもない町\n"
    report = import_files(catalogue, [write_csv(tmp_path / "short.csv", text)], skip_invalid=True)
    stored = catalogue.get("new-1")
    assert stored is not None and (stored.area, stored.hours) == ("", "")
    header, row = list(csv.reader((tmp_path / "short.rejected.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert report.rejected == 1 and len(row) == len(header) == 5 and row[:3] == ["new-2", "地域違いの窓口", "どこでもない町"]


def test_a_file_of_one_column_reads_whole_names(catalogue, tmp_path):
    report = import_files(catalogue, [write_csv(tmp_path / "names.csv", "name\n新しい窓口\n")])
    assert report.written
    [added] = report.summary.added
    assert catalogue.get(added).name == "新しい窓口"


GOOD_AND_BAD = "id,name,area\nnew-1,新しい窓口,釧路市\nnew-2,地域違いの窓口,どこでもない町\n"


def test_a_blocked_dry_run_says_what_the_valid_rows_would_do_and_writes_nothing(catalogue, tmp_path):
    report = import_files(catalogue, [write_csv(tmp_path / "a.csv", GOOD_AND_BAD)], dry_run=True)
    assert report.blocked and not report.written
    assert report.summary.added == ("new-1",) and report.rejected == 1
    assert catalogue.get("new-1") is None


def test_a_blocked_import_reports_nothing_added(catalogue, tmp_path):
    report = import_files(catalogue, [write_csv(tmp_path / "a.csv", GOOD_AND_BAD)])
    assert report.blocked and not report.written
    assert report.summary.added == () and catalogue.get("new-1") is None


def test_a_file_that_cannot_be_read_blocks_a_skip_invalid_import_and_its_dry_run_promises_nothing(catalogue, tmp_path):
    (tmp_path / "bad.json").write_text("not json")
    good = write_csv(tmp_path / "good.csv", "id,name\nnew-1,新しい窓口\n")
    for dry_run in (False, True):
        report = import_files(catalogue, [good, tmp_path / "bad.json"], skip_invalid=True, dry_run=dry_run)
        assert report.blocked and not report.written
        assert [(p.file, p.row, p.column) for p in report.problems] == [("bad.json", 0, "")]
        assert report.summary.added == () and catalogue.get("new-1") is None
    # the files after it are still read: every problem is named at once
    report = import_files(catalogue, [tmp_path / "bad.json", write_csv(tmp_path / "rows.csv", GOOD_AND_BAD)])
    assert [(p.file, p.row) for p in report.problems] == [("bad.json", 0), ("rows.csv", 3)]


def test_each_file_counts_its_own_rejected_rows(catalogue, tmp_path):
    first = write_csv(tmp_path / "a.csv", GOOD_AND_BAD)
    second = write_csv(tmp_path / "b.csv", "id,name,area\nnew-3,三の窓口,どこでもない町\nnew-4,四の窓口,なにもない村\n")
    report = import_files(catalogue, [first, second], skip_invalid=True)
    assert report.written and report.rejected == 3
    assert [(f.path.name, f.rows, f.rejected) for f in report.files] == [("a.csv", 2, 1), ("b.csv", 2, 2)]


def test_a_folder_the_rejected_rows_cannot_be_written_to_blocks_the_import(catalogue, tmp_path, monkeypatch):
    from tui.core.loading import rejected

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(rejected.tempfile, "mkstemp", refused)  # as a read-only folder does (root writes anyway)
    report = import_files(catalogue, [write_csv(tmp_path / "a.csv", GOOD_AND_BAD)], skip_invalid=True)
    assert report.blocked and not report.written and catalogue.get("new-1") is None
    assert [(p.file, p.row) for p in report.problems][-1] == ("a.rejected.csv", 0)
