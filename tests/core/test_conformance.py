"""A received package is held against the vendored HSDS 3.0 schemas before anything is written."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tui.core.catalogue import Catalogue
from tui.core.hsds_files import export_folder
from tui.core.models import Resource
from tui.core.sharing.conformance import Problem, check_files, check_package, required_fields


@pytest.fixture
def package(tmp_path):
    with Catalogue.open(tmp_path / "a.db") as catalogue:
        catalogue.write([
            Resource(id="food-1", name="くしろフードバンク", organization="釧路市社会福祉協議会", needs=("food",),
                     area="01206", phone="0154-555-0001", address="釧路市黒金町1-1", postal_code="085-0015"),
            Resource(id="work-1", name="しごと体験", organization="NPO法人みなみ", needs=("work_experience",), area="01100"),
        ])
        export_folder(catalogue, tmp_path / "pkg")
    return tmp_path / "pkg"


def rewrite(path, change):
    """Rewrite a CSV through ``change(rows)`` (rows include the header)."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    change(rows)
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def test_our_own_package_conforms(package):
    assert check_package(package) == []
    assert check_package(package / "datapackage.json") == []


def test_the_required_fields_are_hsds_own():
    assert required_fields("service") == ["id", "organization_id", "name", "status"]
    assert required_fields("organization") == ["id", "name", "description"]


def test_a_blank_required_cell_is_named_by_file_row_and_column(package):
    def blank_name(rows):
        rows[2][rows[0].index("name")] = " "
    rewrite(package / "organizations.csv", blank_name)
    assert check_package(package) == [Problem("organizations.csv", "HSDS では空にできません (HSDS requires a value here)",
                                              row=3, column="name")]
    assert str(check_package(package)[0]).startswith("organizations.csv 3行目 (row 3) [name]: ")


def test_a_required_column_missing_from_the_header_is_named(package):
    def drop_status(rows):
        at = rows[0].index("status")
        for row in rows:
            del row[at]
    rewrite(package / "services.csv", drop_status)
    problems = check_package(package)
    assert [(p.file, p.row, p.column) for p in problems] == [("services.csv", 1, "status")]


def test_extra_columns_other_orders_and_other_tables_conform(package):
    def shuffle(rows):
        for row in rows:
            row.reverse()
            row.append("extra")
    rewrite(package / "services.csv", shuffle)
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"].append({"name": "their_own", "path": "their_own.csv"})
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    assert check_package(package) == []


def test_the_descriptor_is_checked_first(package):
    files = {p.name: p.read_bytes() for p in package.iterdir()}
    assert [p.file for p in check_files({k: v for k, v in files.items() if k != "datapackage.json"})] == [
        "datapackage.json"]
    assert "not valid JSON" in check_files({**files, "datapackage.json": b"{not json"})[0].message
    assert "no \"resources\" list" in check_files({**files, "datapackage.json": b"[]"})[0].message

    descriptor = json.loads(files["datapackage.json"])
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "service"]
    problems = check_files({**files, "datapackage.json": json.dumps(descriptor).encode()})
    assert [p.message.split(" (")[0] for p in problems] == ["HSDS の service がありません"]


def test_a_listed_file_must_be_there_at_its_hsds_path(package):
    files = {p.name: p.read_bytes() for p in package.iterdir()}
    problems = check_files({k: v for k, v in files.items() if k != "phones.csv"})
    assert [(p.file, p.message.split(" (")[0]) for p in problems] == [("phones.csv", "ありません")]

    descriptor = json.loads(files["datapackage.json"])
    for resource in descriptor["resources"]:
        if resource["name"] == "phone":
            resource["path"] = "telephones.csv"
    problems = check_files({**files, "datapackage.json": json.dumps(descriptor).encode()})
    assert [(p.file, p.column) for p in problems] == [("datapackage.json", "phone")]


def test_a_file_that_is_not_utf8_is_named(package):
    files = {p.name: p.read_bytes() for p in package.iterdir()}
    files["services.csv"] = files["services.csv"].decode("utf-8-sig").encode("cp932")
    problems = check_files(files)
    assert [p.file for p in problems] == ["services.csv"] and "not UTF-8" in problems[0].message
