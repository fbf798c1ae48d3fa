"""A received package is held against the vendored HSDS 3.0 schemas before anything is written."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tui.core.models import Resource
from tui.core.sharing.conformance import Problem, check_files, check_package, required_fields
from tui.core.sharing.folder import export_folder
from tui.core.store.catalogue import Catalogue


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


def drop_status(rows):
    """A ``rewrite`` change: the status column (HSDS requires it) taken out of every row."""
    at = rows[0].index("status")
    for row in rows:
        del row[at]


def test_a_required_column_missing_from_the_header_is_named(package):
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


def test_a_row_cut_short_is_named(package):
    text = (package / "services.csv").read_text(encoding="utf-8-sig")
    (package / "services.csv").write_text(text[: text.rindex(",")], encoding="utf-8")  # the last row loses cells
    problems = check_package(package)
    assert [(p.file, p.row) for p in problems] == [("services.csv", text.count("\n") + 1 - (text.endswith("\n")))]
    assert "cut short" in problems[0].message


def test_import_refuses_a_package_that_does_not_conform(package, tmp_path):
    from click.testing import CliRunner

    from tui.cli import cli

    def blank_status(rows):
        rows[1][rows[0].index("status")] = ""
    rewrite(package / "services.csv", blank_status)
    target = tmp_path / "b.db"
    with Catalogue.open(target):
        pass
    before = target.read_bytes()
    result = CliRunner().invoke(cli, ["import", str(package), "--db", str(target)])
    assert result.exit_code == 1, result.output
    assert "services.csv 2行目 (row 2) [status]" in result.output and "HSDS 3.0" in result.output
    with Catalogue.open(target) as catalogue:
        assert catalogue.count() == 0
    assert before  # the file was opened only to be read


def test_sync_bundle_in_refuses_a_package_that_does_not_conform(tmp_path):
    from click.testing import CliRunner

    from tui.cli import cli
    from tui.core.sharing import exchange, gitstore
    from tui.core.sharing.state import repo_path, state

    kushiro, hakodate = tmp_path / "kushiro.db", tmp_path / "hakodate.db"
    with Catalogue.open(kushiro) as catalogue:
        catalogue.write([Resource(id="food-1", name="くしろフードバンク", organization="釧路市社会福祉協議会",
                                  needs=("food",), area="01206")])
    stick = tmp_path / "stick.bundle"
    assert CliRunner().invoke(cli, ["sync", "--bundle-out", str(stick), "--db", str(kushiro)]).exit_code == 0
    # Another tool commits a package whose services have no status column on top, and bundles it.
    # (A row with a blank status is a row problem: the import's row rules keep it out and apply
    # the others, tests/cli/test_sync_trust.py; a missing column is the package's shape: refused.)
    with Catalogue.open(kushiro) as catalogue:
        head = state(catalogue)["head"]
        repo = gitstore.open_repo(repo_path(catalogue))
    files = gitstore.TreeFiles(repo, head, {})
    rows = list(csv.reader(io.StringIO(files["services.csv"].decode("utf-8-sig"), newline="")))
    status = rows[0].index("status")
    rows = [row[:status] + row[status + 1:] for row in rows]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    tree = gitstore.write_tree(repo, dict(files.ids), {"services.csv": out.getvalue().encode("utf-8")})
    bad = gitstore.write_commit(repo, tree, [head], "other tool <x@example.org>", "no status")
    exchange.write_bundle_file(repo, bad, stick)

    with Catalogue.open(hakodate):
        pass
    result = CliRunner().invoke(cli, ["sync", "--bundle-in", str(stick), "--db", str(hakodate)])
    assert result.exit_code == 1, result.output
    assert "services.csv 1行目 (row 1) [status]" in result.output and "HSDS 3.0" in result.output
    with Catalogue.open(hakodate) as catalogue:
        assert catalogue.count() == 0
        assert not state(catalogue).get("head")


def _files(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_a_sync_checks_the_header_only_and_still_refuses_a_missing_column(package):
    """``rows=False`` (a sync) reads each file's header line, not its rows: a blank required cell or a
    body that is not UTF-8 is the row rules' to keep out, a column missing from the header still refuses it."""
    def blank_name(rows):
        rows[1][rows[0].index("name")] = ""
    rewrite(package / "services.csv", blank_name)
    (package / "organizations.csv").write_bytes((package / "organizations.csv").read_bytes() + b"\xff\xfe,bad\r\n")
    assert check_files(_files(package), rows=False) == []
    assert check_files(_files(package))  # the full check sees both
    rewrite(package / "services.csv", drop_status)
    assert [(p.file, p.column) for p in check_files(_files(package), rows=False)] == [("services.csv", "status")]


def test_a_header_with_a_quoted_line_break_is_read_whole(package):
    """A column name in quotes may hold a line break: then the header is not the first line."""
    def odd_header(rows):
        rows[0].insert(0, "note\nsecond line")
        for row in rows[1:]:
            row.insert(0, "")
    rewrite(package / "services.csv", odd_header)
    assert check_files(_files(package), rows=False) == []
    rewrite(package / "services.csv", drop_status)
    assert [(p.file, p.column) for p in check_files(_files(package), rows=False)] == [("services.csv", "status")]
