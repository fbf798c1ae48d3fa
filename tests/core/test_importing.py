"""Import: every encoding and header language gives the same catalogue; every
mistake is named with its row, column and fix; nothing half-written, ever."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from tui.core.loading.importing import import_files, make_id
from tui.core.loading.readers import UnknownSheet, read_table
from tui.core.models import COLUMNS
from tui.core.store.catalogue import Catalogue

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"
SAME_DATA = ["resources_utf8.csv", "resources_sjis.csv", "resources_bom.csv", "resources.xlsx"]


def write_csv(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8") -> Path:
    header = list(dict.fromkeys(key for row in rows for key in row))
    with open(path, "w", encoding=encoding, newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def imported(tmp_path: Path, name: str, *files: Path, **options):
    catalogue = Catalogue.open(tmp_path / name)
    report = import_files(catalogue, list(files), **options)
    return catalogue, report


def test_shift_jis_utf8_bom_and_xlsx_give_the_identical_catalogue(tmp_path):
    catalogues = {}
    for name in SAME_DATA:
        catalogue, report = imported(tmp_path, name + ".db", FIXTURES / name)
        assert report.problems == [], name
        assert len(report.summary.added) == 5, name
        catalogues[name] = list(catalogue.resources())
        catalogue.close()
    reference = catalogues["resources_utf8.csv"]
    for name, resources in catalogues.items():
        assert resources == reference, name
    by_id = {r.id: r for r in reference}
    # what the Japanese spellings had to become
    first = by_id["t-001"]
    assert (first.needs, first.area, first.serves) == (("food", "emergency_goods"), "01206", ("kushiro",))
    assert (first.phone, first.postal_code, first.last_verified) == ("0154-00-0001", "085-0015", "2026-04-01")
    farm = by_id[make_id("架空就労体験農園", "01661")]  # no id in the file: made from name + area (釧路町)
    assert (farm.last_verified, farm.phone, farm.capacity) == ("2019-04-01", "0154-00-0002; 0154-00-0003", "10")
    shelter = by_id["t-003"]
    assert (shelter.status, shelter.confidential, shelter.postal_code) == ("paused", True, "085-0016")
    assert by_id["t-004"].serves == ("hokkaido",) and by_id["t-004"].area == "01101"
    assert by_id["t-004"].languages == ("日本語", "English")
    closed = by_id["t-005"]
    assert (closed.status, closed.serves, closed.description) == ("closed", ("tokachi", "01206"), "どなたでも\n予約制")
    assert closed.notes == "=架空のメモ"


def test_the_encoding_read_is_reported(tmp_path):
    _, report = imported(tmp_path, "c.db", *(FIXTURES / n for n in SAME_DATA[:3]), dry_run=True)
    assert [f.encoding for f in report.files] == ["UTF-8", "Shift_JIS (cp932)", "UTF-8 (BOM)"]


def test_five_mistakes_name_row_column_and_fix_and_write_nothing(tmp_path):
    catalogue, report = imported(tmp_path, "c.db", FIXTURES / "five_mistakes.csv")
    assert report.blocked and not report.written
    assert catalogue.count() == 0
    found = {(p.row, p.column): p for p in report.problems}
    assert set(found) == {(3, "市町村"), (4, "種別"), (5, "確認日"), (6, "名称"), (7, "ID"), (8, "状態")}
    assert "釧路市" in found[3, "市町村"].fix
    assert "食料支援" in found[4, "種別"].fix
    assert "28日" in found[5, "確認日"].message
    assert "2行目" in found[7, "ID"].message
    assert "active" in found[8, "状態"].fix
    assert all(p.file == "five_mistakes.csv" and p.fix for p in report.problems)
    assert str(found[3, "市町村"]).startswith("five_mistakes.csv 3行目")


def test_a_failed_import_leaves_the_file_byte_for_byte_unchanged(tmp_path):
    path = tmp_path / "c.db"
    with Catalogue.open(path) as catalogue:
        import_files(catalogue, [FIXTURES / "resources_utf8.csv"])
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with Catalogue.open(path) as catalogue:
        report = import_files(catalogue, [FIXTURES / "five_mistakes.csv"], backup_dir=tmp_path / "backups")
        assert report.blocked
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert not (tmp_path / "backups").exists()  # nothing was going to be written


def test_reimporting_changes_nothing(tmp_path):
    catalogue, first = imported(tmp_path, "c.db", FIXTURES / "resources_sjis.csv")
    version = catalogue.data_version
    again = import_files(catalogue, [FIXTURES / "resources_sjis.csv"])
    assert (again.summary.added, again.summary.updated) == ((), ())
    assert sorted(again.summary.unchanged) == sorted(first.summary.added)
    assert catalogue.data_version == version
    # the same data in another encoding is also "unchanged"
    other = import_files(catalogue, [FIXTURES / "resources.xlsx"])
    assert len(other.summary.unchanged) == 5


def test_rows_with_an_id_update_that_resource(tmp_path):
    catalogue, _ = imported(tmp_path, "c.db", FIXTURES / "resources_utf8.csv")
    report = import_files(catalogue, [write_csv(tmp_path / "fix.csv", [{"id": "t-001", "name": "テスト食料支援センター", "area": "釧路市", "hours": "土曜 10:00-12:00"}])])
    assert report.summary.updated == ("t-001",)
    assert catalogue.get("t-001").hours == "土曜 10:00-12:00"
    assert catalogue.count() == 5


def test_skip_invalid_writes_valid_rows_and_a_rejected_file(tmp_path):
    source = tmp_path / "five_mistakes.csv"
    source.write_bytes((FIXTURES / "five_mistakes.csv").read_bytes())
    catalogue, report = imported(tmp_path, "c.db", source, skip_invalid=True)
    assert report.written and not report.blocked
    assert report.rejected == 6
    assert catalogue.ids() == ["m-001"]
    rejected = tmp_path / "five_mistakes.rejected.csv"
    assert report.files[0].rejected_path == rejected
    raw = rejected.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, so Excel reads it
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == ["ID", "名称", "種別", "市町村", "確認日", "状態", "reason"]
    assert [r[1] for r in rows[1:]] == ["地域を間違えた窓口", "種別を間違えた窓口", "日付を間違えた窓口", "", "IDが重なった窓口", "状態を間違えた窓口"]
    assert "釧路市" in rows[1][-1]
    # fixed, the rejected file imports cleanly (its reason column is ignored)
    fixed = [r[:-1] for r in rows]
    fixed[1][3], fixed[2][2], fixed[3][4], fixed[4][1], fixed[5][0], fixed[6][5] = "釧路市", "フードバンク", "2026-02-28", "名前を入れた窓口", "m-006", "paused"
    with open(rejected, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([r + [""] for r in fixed])
    again = import_files(catalogue, [rejected])
    assert again.problems == [] and len(again.summary.added) == 6
    assert [w for w in again.warnings if "reason" in w.column] == []


def test_dry_run_reports_and_writes_nothing(tmp_path):
    catalogue, report = imported(tmp_path, "c.db", FIXTURES / "resources_utf8.csv", dry_run=True, backup_dir=tmp_path / "b")
    assert len(report.summary.added) == 5 and not report.written
    assert catalogue.count() == 0 and catalogue.data_version == 0
    assert not (tmp_path / "b").exists()
    source = tmp_path / "m.csv"
    source.write_bytes((FIXTURES / "five_mistakes.csv").read_bytes())
    report = import_files(catalogue, [source], dry_run=True, skip_invalid=True)
    assert report.rejected == 6 and len(report.summary.added) == 1
    assert catalogue.count() == 0 and not (tmp_path / "m.rejected.csv").exists()


def test_a_backup_is_kept_before_writing_and_only_the_last_n(tmp_path):
    backups = tmp_path / "backups"
    catalogue = Catalogue.open(tmp_path / "c.db")
    for n in range(4):
        rows = [{"name": f"テスト窓口{n}", "area": "網走市"}]
        report = import_files(catalogue, [write_csv(tmp_path / f"{n}.csv", rows)], backup_dir=backups, keep_backups=2)
        assert report.backup and report.backup.exists()
    kept = sorted(backups.glob("c-*.db"))
    assert len(kept) == 2
    with Catalogue.open(kept[-1]) as previous:  # the copy is the catalogue as it was before the last import
        assert previous.count() == 3
    unchanged = import_files(catalogue, [tmp_path / "3.csv"], backup_dir=backups, keep_backups=2)
    assert unchanged.backup is None  # nothing to write, nothing to back up


def test_likely_duplicates_are_warned_with_both_ids(tmp_path):
    catalogue, _ = imported(tmp_path, "c.db", write_csv(tmp_path / "a.csv", [
        {"id": "old-1", "name": "社会福祉法人テスト会フードバンク", "area": "網走市"},
        {"id": "old-2", "name": "テスト生活相談センター", "area": "網走市"},
    ]))
    report = import_files(catalogue, [write_csv(tmp_path / "b.csv", [
        {"name": "テスト会ﾌｰﾄﾞﾊﾞﾝｸ", "area": "網走市"},  # legal form and width differ
        {"name": "テスト生活相談センタ", "area": "網走市"},  # one character off
        {"name": "テスト生活相談センター", "area": "北見市"},  # another area: not a duplicate
    ])])
    assert len(report.summary.added) == 3
    warned = {w.row: w.message for w in report.warnings}
    assert set(warned) == {2, 3}
    assert "old-1" in warned[2] and make_id("テスト会ﾌｰﾄﾞﾊﾞﾝｸ", catalogue.gazetteer.resolve("網走市").code) in warned[2]
    assert "old-2" in warned[3]


def test_excel_number_and_date_cells(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["名称", "市町村", "電話", "郵便番号", "定員", "確認日"])
    from datetime import datetime

    workbook.active.append(["数値セルのテスト", "釧路市", 154000001, 850015, 10.0, datetime(2026, 4, 1)])
    workbook.active.append(["数値日付のテスト", "釧路市", "", "", 2.5, 46113])
    path = tmp_path / "numbers.xlsx"
    workbook.save(path)
    catalogue, report = imported(tmp_path, "c.db", path)
    assert report.problems == []
    by_name = {r.name: r for r in catalogue.resources()}
    first, second = by_name["数値セルのテスト"], by_name["数値日付のテスト"]
    assert (first.phone, first.postal_code, first.capacity, first.last_verified) == ("0154000001", "085-0015", "10", "2026-04-01")
    assert (second.capacity, second.last_verified) == ("2.5", "2026-04-01")


def test_sheet_choice(tmp_path):
    catalogue, report = imported(tmp_path, "c.db", FIXTURES / "resources.xlsx", sheet="別シート")
    assert [r.name for r in catalogue.resources()] == ["別シートのテスト窓口"]
    assert report.files[0].sheet == "別シート"
    with pytest.raises(UnknownSheet, match="一覧"):
        read_table(FIXTURES / "resources.xlsx", "ない")


def test_widths_hyphens_control_characters_and_formula_guards(tmp_path):
    catalogue, report = imported(tmp_path, "c.db", write_csv(tmp_path / "x.csv", [{
        "ID": "ｔ－０１", "名称": "テスト\x1b[31m窓口\x07", "電話": "０１５４ー００ー０００１", "市町村": "〒０８５－００１５",
        "備考": "'=1+1", "対応言語": "日本語；English", "メール": "ｔｅｓｔ＠example.org", "非公開": "",
    }]))
    assert report.problems == []
    resource = catalogue.get("t-01")
    assert resource is not None
    assert (resource.name, resource.phone, resource.area) == ("テスト窓口", "0154-00-0001", "01206")
    assert (resource.notes, resource.languages, resource.email) == ("=1+1", ("日本語", "English"), "test@example.org")
    report = import_files(catalogue, [write_csv(tmp_path / "y.csv", [{"ID": "センター－０２", "名称": "テスト", "市町村": "釧路市"}])])
    assert catalogue.get("センター-02") is not None  # a long-vowel mark inside a word is not a hyphen


@pytest.mark.parametrize("column, alias", [(c, a) for c, aliases in COLUMNS.items() for a in aliases])
def test_every_japanese_header_is_understood(tmp_path, column, alias):
    from tui.core.loading.importing import map_header
    from tui.core.loading.readers import Table

    index, written, _, warnings = map_header(Table(tmp_path / "x.csv", ["名称", alias] if column != "name" else [alias]))
    assert column in index and written[column] == alias and not warnings


def test_headers_are_each_one_columns_and_never_blank_when_folded():
    from collections import defaultdict

    from tui.core.text import fold

    columns_of = defaultdict(set)
    for column, aliases in COLUMNS.items():
        for alias in (column, *aliases):
            assert fold(alias), alias  # a header that folds to nothing would claim a blank header cell
            columns_of[fold(alias)].add(column)
    assert {key: found for key, found in columns_of.items() if len(found) > 1} == {}


def test_an_office_sheet_with_its_own_headers_loads_into_the_right_fields(tmp_path):
    """The headers a counsellor's Shift_JIS list is likely to have, none of them the SPEC's own."""
    sheet = write_csv(tmp_path / "一覧.csv", [{
        "施設名": "テストパントリー", "運営団体": "テスト会", "電話番号": "0154-00-0009", "所在地": "釧路市末広町1",
        "市区町村": "釧路市", "支援の種類": "食料支援", "営業時間": "水曜 10:00-12:00", "ホームページ": "https://example.org",
        "メールアドレス": "pantry@example.org", "利用料": "無料", "アクセス": "バス停から徒歩5分", "メモ": "要予約",
    }], encoding="cp932")
    catalogue, report = imported(tmp_path, "c.db", sheet)
    assert report.problems == [] and report.warnings == []
    (resource,) = [r for r in catalogue.resources() if r.name == "テストパントリー"]
    assert (resource.organization, resource.phone, resource.address, resource.area) == (
        "テスト会", "0154-00-0009", "釧路市末広町1", "01206")
    assert (resource.needs, resource.hours, resource.url, resource.email) == (
        ("food",), "水曜 10:00-12:00", "https://example.org", "pantry@example.org")
    assert (resource.cost, resource.transport, resource.notes) == ("無料", "バス停から徒歩5分", "要予約")


def test_header_problems(tmp_path):
    catalogue, report = imported(tmp_path, "c.db", write_csv(tmp_path / "x.csv", [{"所在地域": "釧路市", "好きな色": "青"}]))
    assert report.blocked and "名称" in report.problems[0].message
    assert [w.column for w in report.warnings] == ["好きな色"]
    assert "もしかして" not in report.warnings[0].fix  # nothing like it: how to have it imported


def test_a_header_close_to_a_column_says_which_it_may_mean(tmp_path):
    sheet = write_csv(tmp_path / "x.csv", [{"名称": "テスト", "市町村": "釧路市", "電話番号（代表）": "0154-00-0001"}])
    catalogue, report = imported(tmp_path, "c.db", sheet)
    assert [(w.column, w.fix) for w in report.warnings] == [("電話番号（代表）", "もしかして (did you mean): 電話 (phone)")]


def test_unreadable_bytes_are_a_problem_not_a_crash(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_bytes(b"name,area\n" + bytes(range(0x80, 0x100)) * 20 + b",x\n")
    _catalogue, report = imported(tmp_path, "c.db", path)
    assert report.blocked and report.problems[0].file == "broken.csv"


def test_unknown_values_in_lists_each_get_their_own_problem(tmp_path):
    _catalogue, report = imported(tmp_path, "c.db", write_csv(tmp_path / "x.csv", [
        {"name": "テスト", "serves": "釧路市、網走氏、帯広", "needs": "food、たべもん", "confidential": "たぶん", "postal_code": "12-34"},
    ]))
    columns = sorted(p.column for p in report.problems)
    assert columns == ["confidential", "needs", "postal_code", "serves"]
    assert "網走市" in next(p.fix for p in report.problems if p.column == "serves")


def test_a_confidential_address_left_out_by_export_is_not_erased_by_import(tmp_path):
    catalogue, _ = imported(tmp_path, "c.db", FIXTURES / "resources_utf8.csv")
    shared = write_csv(tmp_path / "shared.csv", [{"id": "t-003", "name": "テストシェルター", "area": "釧路市", "needs": "shelter;dv",
                                                   "hours": "24時間", "status": "paused", "confidential": "yes"}])
    report = import_files(catalogue, [shared])
    assert report.summary.unchanged == ("t-003",)
    assert catalogue.get("t-003").address == "テスト町2-2"


def test_a_postal_code_in_another_area_is_a_warning(tmp_path):
    catalogue, report = imported(tmp_path, "c.db", write_csv(tmp_path / "x.csv", [
        {"name": "テスト1", "area": "帯広市", "postal_code": "085-0015"},  # a Kushiro code
        {"name": "テスト2", "area": "札幌市", "postal_code": "060-0001"},  # a ward of Sapporo: fine
        {"name": "テスト3", "area": "釧路市", "postal_code": "0850015"},
    ]))
    assert report.problems == [] and catalogue.count() == 3
    assert [(w.row, w.column) for w in report.warnings] == [(2, "postal_code")]
    assert "釧路市" in report.warnings[0].message and "帯広市" in report.warnings[0].message


def test_the_same_name_and_area_twice_without_ids(tmp_path):
    _catalogue, report = imported(tmp_path, "c.db", write_csv(tmp_path / "x.csv", [
        {"名称": "テスト窓口", "市町村": "釧路市"},
        {"名称": "（株）テスト窓口", "市町村": "釧路市"},  # the same after the legal form goes
        {"名称": "テスト窓口", "市町村": "釧路町"},  # another area: another resource
    ]))
    assert [(p.row, p.column) for p in report.problems] == [(3, "名称")]
    assert "2行目" in report.problems[0].message and "same name and area" in report.problems[0].message


@pytest.mark.parametrize("encoding, label", [("cp932", "Shift_JIS (cp932)"), ("euc_jp", "EUC-JP"), ("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 (BOM)")])
def test_even_a_two_line_file_is_read_in_the_right_encoding(tmp_path, encoding, label):
    path = tmp_path / "tiny.csv"
    path.write_bytes("名称,市町村\nテスト,釧路市\n".encode(encoding))
    table = read_table(path)
    assert table.encoding == label
    assert (table.header, table.rows) == (["名称", "市町村"], [(2, ["テスト", "釧路市"])])


def test_windows_characters_in_shift_jis(tmp_path):
    path = tmp_path / "cp932.csv"
    path.write_bytes("名称,市町村,備考\n髙橋①相談室,釧路市,㈱テスト\n".encode("cp932"))
    catalogue, report = imported(tmp_path, "c.db", path)
    assert report.problems == [] and report.files[0].encoding == "Shift_JIS (cp932)"
    assert [(r.name, r.notes) for r in catalogue.resources()] == [("髙橋①相談室", "㈱テスト")]


@pytest.mark.parametrize("cell", ["a  b", "a\u3000\u3000b", "a \u3000b", "a\u3000 b", "x\x1b[31my", " y ", "テスト", "a\tb", "a\u202eb", "a\r\nb"])
@pytest.mark.parametrize("multiline", [False, True])
def test_the_fast_path_cleans_exactly_like_clean(cell, multiline):
    from tui.core.loading.rows import _clean
    from tui.core.text import clean

    assert _clean(cell, multiline) == clean(cell, multiline=multiline)


def test_title_rows_above_the_headers_are_pointed_out(tmp_path):
    path = tmp_path / "titled.csv"
    path.write_text("令和8年度 資源一覧,\n,\n名称,市町村\nテスト,釧路市\n", encoding="utf-8")
    _catalogue, report = imported(tmp_path, "c.db", path)
    assert report.blocked and "3行目" in report.problems[0].message


@pytest.mark.parametrize("text", ["{not json", '{"name": "an object, not an array"}', "[1, 2]"])
def test_json_that_is_not_the_export_format_is_a_problem(tmp_path, text):
    path = tmp_path / "x.json"
    path.write_text(text, encoding="utf-8")
    _catalogue, report = imported(tmp_path, "c.db", path)
    assert report.blocked and report.problems[0].file == "x.json" and report.problems[0].row == 0
