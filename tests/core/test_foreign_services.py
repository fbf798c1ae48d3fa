"""A service another HSDS tool adds to the package — its own uuid, no ``tsunagu_id`` — goes by that uuid
everywhere, as an import reads it (``tui/core/sharing/splice.py``): named when it changes, read on the
sparse and the whole-package paths, and rewritten in our layout when an office edits it, its rows in
the other tool's ids giving way. Pure, no git; the CLI's round trip is tests/cli/test_sync_other_tools.py."""

from __future__ import annotations

import csv
import io

import pytest

from tui.core.models import Resource
from tui.core.sharing.hsds import COLUMNS, build_package, uid
from tui.core.sharing.splice import changed_ids, foreign_service, package_changes, read_resources, service_row
from tui.core.sharing.sync import places, terms
from tui.core.store.catalogue import Catalogue

THEIRS = "0b7e4c2a-1d3f-4a5b-8c9d-0e1f2a3b4c5d"
PHONE = "1c8f5d3b-2e4a-4b6c-9d0e-1f2a3b4c5d6e"
OURS = [Resource(id="t-1", name="テスト食料庫", needs=("food",), area="01206", phone="0154-00-0001"),
        Resource(id="t-2", name="テスト相談窓口", needs=("consultation",), area="01206")]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    with Catalogue.open(tmp_path_factory.mktemp("foreign") / "c.db") as catalogue:
        return terms(catalogue), places(catalogue)


def line(file: str, **cells: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([cells.get(c, "") for c in COLUMNS[file]])
    return out.getvalue().encode("utf-8")


def with_foreign(package: dict[str, bytes], description: str = "他のツールで足した") -> dict[str, bytes]:
    return {**package,
            "services.csv": package["services.csv"] + line("services.csv", id=THEIRS, name="他のツールの窓口",
                                                           status="active", tsunagu_area="01206",
                                                           description=description),
            "phones.csv": package["phones.csv"] + line("phones.csv", id=PHONE, service_id=THEIRS,
                                                       number="0154-99-9999", type="voice")}


def rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_an_added_or_changed_foreign_service_is_named_by_its_uuid(reference):
    package = build_package(OURS, *reference)
    added = with_foreign(package)
    assert changed_ids(package, added) == changed_ids(added, package) == {THEIRS}
    assert changed_ids(added, with_foreign(package, "説明を直した")) == {THEIRS}  # one line: the line path
    phone_only = {**added, "phones.csv": added["phones.csv"].replace(b"0154-99-9999", b"0154-99-0000")}
    assert changed_ids(added, phone_only) == {THEIRS}  # a row it owns names it through its service


def test_a_foreign_service_is_read_on_the_sparse_and_the_whole_package_paths(reference):
    files = with_foreign(build_package(OURS, *reference))
    for ids in ([THEIRS, "t-1"], [THEIRS, "t-1", *(f"none-{n}" for n in range(400))]):
        found = read_resources(files, ids, [])
        assert set(found) == {THEIRS, "t-1"}
        assert (found[THEIRS].name, found[THEIRS].phone, found[THEIRS].area) == ("他のツールの窓口", "0154-99-9999",
                                                                                 "01206")
        assert found["t-1"].phone == "0154-00-0001"
    assert foreign_service(files, THEIRS)
    assert not foreign_service(files, "t-1") and not foreign_service(files, "none") and not foreign_service(files, uid("t-1"))
    assert service_row(files, THEIRS) == len(OURS) + 2 and service_row(files, "t-1") >= 2  # the header is row 1


def test_editing_a_foreign_service_rewrites_it_once_in_our_layout(reference):
    files = with_foreign(build_package(OURS, *reference))
    theirs = read_resources(files, [THEIRS], [])[THEIRS]
    changes = package_changes(files, [theirs.replace(hours="月曜 9-12")], *reference)
    after = {**files, **changes}
    named = [r for r in rows(after["services.csv"]) if THEIRS in (r["id"], r["tsunagu_id"])]
    assert [(r["id"], r["tsunagu_id"], r["name"]) for r in named] == [(uid(THEIRS), THEIRS, "他のツールの窓口")]
    phones = rows(after["phones.csv"])
    assert PHONE not in {p["id"] for p in phones}  # the other tool's row gave way to ours
    assert [p["number"] for p in phones if p["service_id"] == uid(THEIRS)] == ["0154-99-9999"]
    again = read_resources(after, [THEIRS, "t-1"], [])
    assert again[THEIRS] == theirs.replace(hours="月曜 9-12") and again["t-1"].phone == "0154-00-0001"
    assert changed_ids(files, after) == {THEIRS}


def test_a_bad_row_of_another_resource_never_stops_reading_or_editing_a_foreign_service(reference):
    files = with_foreign(build_package(OURS, *reference))
    cut = line("phones.csv", id=uid("t-2", "voice", "0"), service_id=uid("t-2"), number="0154-00-0002",
               type="voice").rsplit(b",", 2)[0] + b"\n"  # t-2's phone row cut short
    files = {**files, "phones.csv": files["phones.csv"] + cut}
    bad: list = []
    found = read_resources(files, [THEIRS, "t-2"], bad)
    assert found[THEIRS].phone == "0154-99-9999" and "t-2" not in found and [b.id for b in bad] == ["t-2"]
    changes = package_changes(files, [found[THEIRS].replace(hours="月曜 9-12")], *reference)
    assert cut in changes["phones.csv"]  # the row it cannot read stays as it was


def test_a_row_of_ours_wins_over_another_tools_row_with_the_same_id(reference):
    package = build_package(OURS, *reference)
    files = {**package, "services.csv": package["services.csv"] + line("services.csv", id="t-1", name="同じ id")}
    assert not foreign_service(files, "t-1")  # our row at uid("t-1") names it: not another tool's
