"""The row rules (``tui/core/loading/rows.py``): what a row becomes, and what each refused cell says.

Each test here was seen failing on a mutmut survivor of rows.py applied by hand (docs/mutation.md)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tui.core.loading.rows import Problem, RowReader, make_id, to_resource
from tui.core.models import Resource


@pytest.fixture
def reader(empty_catalogue) -> RowReader:
    return RowReader(empty_catalogue)


def test_a_row_with_only_a_name_is_a_public_active_resource_with_every_other_field_blank(reader):
    # survivors: a blank area, postal code or phone read as "XXXX", a blank confidential cell read as yes,
    # a missing column's default "XXXX"
    expected = Resource(id=make_id("釧路こども食堂", ""), name="釧路こども食堂")
    assert reader.resource({"name": "釧路こども食堂"}, "a.csv", 2) == (expected, [])
    blank = {"name": "釧路こども食堂", "area": "", "postal_code": "", "phone": "", "fax": "", "url": "",
             "confidential": "", "status": "", "languages": "", "hours": ""}
    assert reader.resource(blank, "a.csv", 3) == (expected, [])


def test_a_row_without_a_name_column_is_refused(reader):
    resource, problems = reader.resource({"id": "t-1", "area": "釧路市"}, "a.csv", 2)
    assert resource is None and [p.column for p in problems] == ["name"]


def test_fax_and_url_are_imported_in_any_width(reader):
    resource, problems = reader.resource(
        {"name": "釧路こども食堂", "fax": "０１５４－００－０００９", "url": "ｈｔｔｐｓ://example.org"}, "a.csv", 2)
    assert problems == []
    assert (resource.fax, resource.url) == ("0154-00-0009", "https://example.org")


def test_the_id_made_from_name_and_area_is_the_one_earlier_versions_made():
    # A catalogue keeps these ids: a changed recipe would turn every re-import into new resources.
    assert make_id("架空就労体験農園", "01661") == "r-d1f03f23d9"
    assert make_id("社会福祉法人 架空就労体験農園", "01661") == "r-d1f03f23d9"


@pytest.mark.parametrize("typed, stored", [
    ("154000001", "0154000001"),       # Excel dropped the 0 of 0154-00-0001
    ("9012345678", "09012345678"),     # and of a mobile number, 090-1234-5678
    ("0154000001", "0154000001"),      # a number that has its 0 keeps it
    ("110", "110"),                    # a short number is no shortened one
    ("12345678901", "12345678901"),    # eleven digits are not what Excel makes of a Japanese number
    ("+81-154-00-0001", "+81-154-00-0001"),
    ("（0154）−00−0001", "(0154)-00-0001"),  # a minus sign after a bracket is a hyphen too
])
def test_a_phone_number_gets_back_only_the_leading_zero_excel_dropped(reader, typed, stored):
    resource, problems = reader.resource({"name": "釧路こども食堂", "phone": typed}, "a.csv", 2)
    assert problems == [] and resource.phone == stored


def _one_problem(reader: RowReader, cells: dict[str, str], headers: dict[str, str] | None = None) -> Problem:
    resource, problems = reader.resource({"name": "釧路こども食堂", **cells}, "a.csv", 5, headers)
    assert resource is None and len(problems) == 1
    return problems[0]


@pytest.mark.parametrize("column, value", [
    ("email", "info.example.org"),
    ("url", "info@example.org"),
    ("postal_code", "085-00"),
    ("confidential", "たぶん"),
    ("status", "そのうち"),
    ("last_verified", (date.today() + timedelta(days=2)).isoformat()),
    ("area", "zzzqqq"),
    ("serves", "zzzqqq"),
    ("needs", "zzzqqq"),
])
def test_a_refused_cell_is_named_by_file_row_and_column_with_its_value_and_a_fix(reader, column, value):
    problem = _one_problem(reader, {column: value})
    assert (problem.file, problem.row, problem.column) == ("a.csv", 5, column)
    assert repr(value) in problem.message or value in problem.message
    assert problem.fix
    header = {"email": "メール", "postal_code": "郵便番号", "confidential": "非公開", "status": "状態",
              "last_verified": "確認日", "area": "地域", "serves": "対象地域", "needs": "支援", "url": "URL"}[column]
    assert _one_problem(reader, {column: value}, {column: header}).column == header


@pytest.mark.parametrize("column, command", [("area", "tsunagu areas"), ("serves", "tsunagu areas"),
                                             ("needs", "tsunagu needs")])
def test_a_name_with_nothing_like_it_points_to_the_command_that_lists_the_names(reader, column, command):
    assert f"`{command}`" in _one_problem(reader, {column: "zzzqqq"}).fix


def test_a_verification_date_is_refused_only_from_the_day_after_tomorrow(reader):
    today = date.today()
    for day in (today - timedelta(days=1), today, today + timedelta(days=1)):  # a day of slack for time zones
        resource, problems = reader.resource({"name": "釧路こども食堂", "last_verified": day.isoformat()}, "a.csv", 2)
        assert problems == [] and resource.last_verified == day.isoformat()


def test_a_postal_code_of_another_place_than_the_area_is_a_warning_naming_both(reader):
    # 085-0015 is in 釧路市; the row says 札幌市中央区
    row = {"name": "釧路こども食堂", "area": "札幌市中央区", "postal_code": "085-0015"}
    for headers, column in ((None, "postal_code"), ({"postal_code": "郵便番号"}, "郵便番号")):
        reader.warnings.clear()
        resource, problems = reader.resource(row, "a.csv", 3, headers)
        assert resource is not None and problems == []
        [warning] = reader.warnings
        assert (warning.file, warning.row, warning.column) == ("a.csv", 3, column)
        # each place in Japanese and in English
        assert warning.message.count("釧路市") == warning.message.count("札幌市中央区") == 2
        assert "085-0015" in warning.message
        assert warning.fix


def test_a_postal_code_without_an_area_is_no_warning(reader):
    resource, problems = reader.resource({"name": "釧路こども食堂", "postal_code": "085-0015"}, "a.csv", 3)
    assert problems == [] and resource.postal_code == "085-0015"
    assert reader.warnings == []


def test_a_problem_of_the_whole_file_names_no_row():
    assert str(Problem("a.csv", 0, "", "読めません (unreadable)")) == "a.csv: 読めません (unreadable)"
    assert str(Problem("a.csv", 3, "名称", "x", "y")) == "a.csv 3行目 (row 3): [名称] x → y"


def test_to_resource_reads_a_row_by_the_catalogue_and_names_its_problems(empty_catalogue):
    for _ in range(2):  # the second time through the reader kept for this catalogue
        resource, problems = to_resource({"name": "釧路こども食堂", "area": "釧路市"}, empty_catalogue, "a.csv", 7)
        assert problems == [] and (resource.name, resource.area) == ("釧路こども食堂", "01206")
    resource, problems = to_resource({"area": "釧路市"}, empty_catalogue, "a.csv", 7, {"name": "名称"})
    assert resource is None
    assert [(p.file, p.row, p.column) for p in problems] == [("a.csv", 7, "名称")]


@pytest.mark.parametrize("typed, fix", [
    ("info@example.org", "an e-mail address goes in the email column"),
    ("www.city.kushiro.lg.jp/kurashi", "add https://): 'https://www.city.kushiro.lg.jp/kurashi'"),
    ("電話で確認", "start with http:// or https://"),
    ("ftp://example.org/", "start with http:// or https://"),
    ("https://", "start with http:// or https://"),
    ("https://example.org/a b", "start with http:// or https://"),
    ("http://[::1", "start with http:// or https://"),
])
def test_a_url_that_is_not_a_web_address_is_refused_saying_what_to_type(reader, typed, fix):
    # The edit form took an e-mail address or any words in its URL field (nu34); the form and the
    # import read it with this one rule.
    problem = _one_problem(reader, {"url": typed})
    assert problem.column == "url" and "not a web address" in problem.message and fix in problem.fix


def test_every_web_address_the_shipped_catalogue_holds_is_still_taken(reader):
    import sqlite3
    from pathlib import Path

    shipped = sqlite3.connect(Path(__file__).parents[2] / "resources.db")
    urls = [row[0] for row in shipped.execute("SELECT url FROM resources WHERE url != ''")]
    assert urls
    for url in [*urls, "ｈｔｔｐｓ：／／ｗｗｗ．ｅｘａｍｐｌｅ．ｊｐ/", "https://例え.jp/", "HTTP://EXAMPLE.ORG"]:
        resource, problems = reader.resource({"name": "釧路こども食堂", "url": url}, "a.csv", 2)
        assert problems == [] and resource.url, (url, problems)
