"""Splice (``tui/core/sharing/splice.py``), pure and without git: a package in another tool's layout is
read by its header, a few resources are read and replaced in place, and the rows that changed are
named. Each test here was seen failing on a mutmut survivor of splice.py applied by hand
(docs/mutation.md)."""

from __future__ import annotations

import csv
import io

import pytest

from tui.core.models import Resource
from tui.core.sharing.hsds import COLUMNS, build_package, organization_uuid, uid
from tui.core.sharing.hsds_read import PackageReader, RowError
from tui.core.sharing.layout import Received, is_ours, normalise
from tui.core.sharing.splice import changed_ids, package_changes, read_resources, row_number
from tui.core.sharing.sync import places, terms
from tui.core.store.catalogue import Catalogue

PASTED = f"一行目\n{uid('t-2')},貼り付けたid\n三行目"  # a cell with a line that starts like a row
RESOURCES = [
    Resource(id="t-1", name="テスト食料庫", organization="テスト法人", needs=("food",), area="01206",
             description=PASTED, source="釧路市の案内", phone="0154-00-0001", address="釧路市黒金町1-1"),
    Resource(id="t-2", name="テスト相談窓口", needs=("consultation",), area="01206", description="相談",
             source="広報くしろ", languages=("日本語", "English")),
    Resource(id="t-3", name="テスト居場所", needs=("consultation",), area="01206", hours="平日 9-17",
             address="釧路市幸町2-2"),
]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    with Catalogue.open(tmp_path_factory.mktemp("splice") / "c.db") as catalogue:
        return terms(catalogue), places(catalogue)


@pytest.fixture
def package(reference) -> dict[str, bytes]:
    return build_package(RESOURCES, *reference)


def table(data: bytes) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    return rows[0], rows[1:]


def other_tool(file: str, data: bytes) -> bytes:
    """Columns reversed, an extra column last, CRLF line ends: another HSDS tool's way of writing."""
    header, rows = table(data)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*reversed(header), "x_extra"])
    writer.writerows([*reversed(row), "kept-" + row[0][:8]] for row in rows)
    return out.getvalue().encode("utf-8")


def test_our_layout_is_our_columns_first_in_order_with_line_feeds(package):
    data = package["services.csv"]
    assert is_ours("services.csv", data)
    assert is_ours("services.csv", data.replace(b"\n", b",x_extra\n", 1))  # an extra column after ours
    assert not is_ours("services.csv", data.replace(b"\n", b"\r\n"))
    assert not is_ours("services.csv", data.replace(b"\n", b"\r\n", 1))  # CR in the header only
    assert not is_ours("services.csv", other_tool("services.csv", data))
    assert not is_ours("services.csv", data[data.index(b",") + 1:])  # the first column missing
    assert is_ours("services.csv", b"") and is_ours("notes.txt", b"anything\r\n")


def test_another_tools_file_is_put_in_our_layout_by_its_header_keeping_its_extra_column(package):
    for file in ("services.csv", "phones.csv", "locations.csv"):
        ours = package[file]
        header, rows = table(normalise(file, other_tool(file, ours)))
        assert header == [*COLUMNS[file], "x_extra"]
        assert [row[:-1] for row in rows] == table(ours)[1]  # same cells, sorted by id
        assert [row[-1] for row in rows] == ["kept-" + row[0][:8] for row in table(ours)[1]]
    assert normalise("services.csv", package["services.csv"]) is package["services.csv"]


def test_blank_rows_and_missing_columns_of_another_tool_are_left_out_and_blank(package):
    header, rows = table(package["phones.csv"])
    short = [c for c in header if c != "extension"]  # a tool that has no extension column
    text = ",".join(reversed(short)) + "\r\n" + "\r\n".join(
        ",".join(reversed([cell for c, cell in zip(header, row) if c != "extension"])) for row in rows) + "\r\n,,,\r\n"
    assert normalise("phones.csv", text.encode()) == package["phones.csv"]


def test_a_package_in_another_tools_layout_reads_as_the_same_resources(package):
    received = Received({name: other_tool(name, data) if name.endswith(".csv") else data
                         for name, data in package.items()})
    assert len(received) == len(package) and set(received) == set(package)
    assert received["datapackage.json"] == package["datapackage.json"]
    assert read_resources(received, ["t-1", "t-2", "t-3"]) == {r.id: r for r in RESOURCES}


def test_an_edit_spliced_into_another_tools_file_keeps_its_extra_cells(package, reference):
    received = Received({name: other_tool(name, data) if name.endswith(".csv") else data
                         for name, data in package.items()})
    edited = RESOURCES[1].replace(description="相談（予約制）", hours="土曜 10-12", phone="0154-00-0002")
    changes = package_changes(received, [edited], *reference)
    assert set(changes) == {"services.csv", "schedules.csv", "phones.csv"}
    header, rows = table(changes["services.csv"])
    assert header[-1] == "x_extra" and all(row[-1] == "kept-" + row[0][:8] for row in rows)
    header, rows = table(changes["phones.csv"])
    assert {row[-1] for row in rows} == {"kept-" + uid("t-1", "voice", "0")[:8], ""}  # a new row: blank extra
    assert all(len(row) == len(header) for row in rows) and b"\r" not in changes["phones.csv"]
    after = {**received, **changes}
    assert read_resources(after, ["t-1", "t-2", "t-3"]) == {r.id: r for r in (RESOURCES[0], edited, RESOURCES[2])}


def test_a_row_number_counts_records_not_lines(package):
    data = package["services.csv"]
    numbers = {rid: row_number(package, "services.csv", uid(rid)) for rid in ("t-1", "t-2", "t-3", "none")}
    order = sorted(("t-1", "t-2", "t-3"), key=uid)
    assert [numbers[rid] for rid in order] == [2, 3, 4] and numbers["none"] == 0
    assert data.count(b"\n") == 6  # four records, one cell with two line breaks
    assert row_number(package, "nothing.csv", uid("t-1")) == 0


def test_a_line_inside_a_cell_that_starts_like_a_row_is_not_that_row(package):
    # PASTED holds "\n<uid(t-2)>,": t-2 is still read from its own record
    assert read_resources(package, ["t-2"]) == {"t-2": RESOURCES[1]}


def test_a_row_that_cannot_be_read_is_named_or_raises(package):
    data = package["services.csv"]
    start = data.index(uid("t-3").encode())
    end = data.index(b"\n", start)
    broken = {**package, "services.csv": data[:start] + data[start:end].rsplit(b",", 3)[0] + data[end:]}
    bad: list = []
    assert read_resources(broken, ["t-1", "t-3"], bad) == {"t-1": RESOURCES[0]}
    [row] = bad
    assert (row.file, row.row, row.id) == ("services.csv", row_number(package, "services.csv", uid("t-3")), "t-3")
    width = len(COLUMNS["services.csv"])
    assert f"{width - 3} cells for {width} columns" in row.reason
    with pytest.raises(RowError):
        read_resources(broken, ["t-3"])


@pytest.mark.parametrize("change", [
    dict(address="釧路市幸町3-3"),   # locations.csv and addresses.csv
    dict(postal_code="085-0016"),    # addresses.csv only: owned through locations and service_at_location
    dict(phone="0154-00-0009"),      # phones.csv
    dict(languages=("English",)),    # languages.csv
    dict(needs=("food",)),           # attributes.csv
    dict(hours="土曜"),              # schedules.csv
    dict(description="予約制"),      # services.csv only
])
def test_a_change_in_any_owned_file_names_its_resource(package, reference, change):
    edited = [r.replace(**change) if r.id == "t-3" else r for r in RESOURCES]
    after = build_package(edited, *reference)
    assert changed_ids(package, after) == {"t-3"}
    assert changed_ids(after, package) == {"t-3"}
    files = [f for f in package if package[f] != after[f]]
    assert changed_ids(package, after, same=files) == set()  # files known to be the same are not compared


def test_without_services_on_one_side_every_resource_of_either_side_changed(package):
    assert changed_ids({}, package) == changed_ids(package, {}) == {"t-1", "t-2", "t-3"}


def test_the_first_push_into_an_empty_package_is_a_whole_build(reference):
    assert package_changes({}, RESOURCES, *reference) == {
        name: data for name, data in build_package(RESOURCES, *reference).items()}


def test_line_ends_anywhere_but_line_feeds_are_not_our_layout(package):
    data = package["services.csv"]
    header_end = data.index(b"\n") + 1
    assert not is_ours("services.csv", data[:header_end] + data[header_end:].replace(b"\n", b"\r\n"))
    assert not is_ours("services.csv", data.replace(b"\n", b",x_extra\r", 1).replace(b"\n", b"\r"))  # CR only
    assert is_ours("services.csv", data[:header_end - 1])  # the header alone, without its line end


def test_bytes_that_are_not_utf8_are_kept_by_normalise_and_by_a_splice(package, reference):
    services = other_tool("services.csv", package["services.csv"]).replace(
        b"kept-" + uid("t-2")[:8].encode(), b"kept-\xff")
    assert b"kept-\xff" in normalise("services.csv", services)
    edited = RESOURCES[1].replace(description="相談（予約制）")
    changes = package_changes(Received({**package, "services.csv": services}), [edited], *reference)
    [line] = [line for line in changes["services.csv"].split(b"\n") if "相談（予約制）".encode() in line]
    assert line.startswith(uid("t-2").encode()) and line.endswith(b",kept-\xff")


def test_a_line_break_inside_a_cell_of_another_tool_is_kept_as_written(package):
    services = other_tool("services.csv", package["services.csv"])
    assert services.count(",相談,".encode()) == 1  # t-2's description
    services = services.replace(",相談,".encode(), ',"相談\r\n予約制",'.encode())
    assert "相談\r\n予約制".encode() in normalise("services.csv", services)


def test_a_file_of_another_tool_holding_only_its_byte_order_mark_is_an_empty_file_of_ours():
    assert normalise("phones.csv", b"\xef\xbb\xbf") == (",".join(COLUMNS["phones.csv"]) + "\n").encode()


def test_a_blank_row_in_the_middle_and_a_short_row_of_another_tool(package):
    data = other_tool("phones.csv", package["phones.csv"])
    header, body = data.split(b"\r\n", 1)
    short = b"\r\n".join([header, b",,,", body.rstrip(b"\r\n").rsplit(b",", 1)[0]]) + b"\r\n"
    _, rows = table(normalise("phones.csv", short))
    assert rows == [[*row, ""] for row in table(package["phones.csv"])[1]]  # its extra cell blank


def test_more_than_300_resources_read_whole_name_a_bad_row_or_raise(reference):
    many = [Resource(id=f"m-{i:03d}", name=f"窓口{i}", needs=("food",), area="01206") for i in range(310)]
    package = build_package(many, *reference)
    data = package["services.csv"]
    start = data.index(uid("m-007").encode())
    end = data.index(b"\n", start)
    broken = {**package, "services.csv": data[:start] + data[start:end].replace("窓口7".encode(), "窓口7".encode() + b"\xff") + data[end:]}
    ids = [r.id for r in many]
    bad: list = []
    found = read_resources(broken, ids, bad)
    assert set(found) == set(ids) - {"m-007"} and found["m-008"] == many[8]
    assert [(b.file, b.id) for b in bad] == [("services.csv", "m-007")]
    with pytest.raises(ValueError):  # whole: the reader's UnicodeDecodeError; one by one: RowError
        read_resources(broken, ids)
    # past 300 changed lines the changes are read whole too: a bad or orphan row names nothing wrong
    orphan = b"\n".join([package["phones.csv"].rstrip(b"\n"), f"{uid('x', 'voice', '0')},{uid('gone')},,011,,voice,\n".encode()])
    after = build_package([r.replace(hours="月") for r in many], *reference)
    assert changed_ids(broken, {**after, "phones.csv": orphan}) == set(ids)


def test_a_file_the_package_lacks_is_started_with_our_header(package, reference):
    without = {name: data for name, data in package.items() if name != "languages.csv"}
    changes = package_changes(without, [RESOURCES[0].replace(languages=("English",))], *reference)
    assert changes["languages.csv"].startswith((",".join(COLUMNS["languages.csv"]) + "\n").encode())
    assert read_resources({**without, **changes}, ["t-1"])["t-1"].languages == ("English",)


def test_a_file_without_its_last_line_end_takes_a_new_row_on_a_line_of_its_own(package, reference):
    cut = {**package, "services.csv": package["services.csv"].rstrip(b"\n")}
    new = Resource(id="zz-new", name="新しい窓口", needs=("food",), area="01206")
    after = {**cut, **package_changes(cut, [new], *reference)}
    assert read_resources(after, ["t-1", "t-2", "t-3", "zz-new"]) == {r.id: r for r in (*RESOURCES, new)}


def test_a_replaced_row_missing_its_extra_cell_gets_a_blank_one(package, reference):
    data = package["services.csv"].replace(b"\n", b",x_extra\n", 1)  # ours, with an extra column nobody filled
    edited = RESOURCES[1].replace(description="相談（予約制）")
    changes = package_changes({**package, "services.csv": data}, [edited], *reference)
    [line] = [line for line in changes["services.csv"].split(b"\n") if "相談（予約制）".encode() in line]
    cells = next(csv.reader(io.StringIO(line.decode())))
    assert cells[0] == uid("t-2") and cells[len(COLUMNS["services.csv"]):] == [""]  # the blank extra cell


def test_more_than_300_resources_pushed_into_a_package_of_ours_is_a_whole_build(reference):
    many = [Resource(id=f"m-{i:03d}", name=f"窓口{i}", needs=("food",), area="01206") for i in range(310)]
    before = build_package(many[:5], *reference)
    after = {**before, **package_changes(before, many, *reference)}
    assert after == build_package(many, *reference)
    # with another tool's extra column the rows are spliced, so its cells stay
    extra = {**before, "services.csv": before["services.csv"].replace(b"\n", b",x_extra\n", 1)}
    header, _ = table(package_changes(extra, many, *reference)["services.csv"])
    assert header[-1] == "x_extra"


@pytest.mark.parametrize("file, row_id", [
    ("phones.csv", uid("t-1", "voice", "0")),
    ("locations.csv", uid("t-1", "location")),
    ("organizations.csv", organization_uuid("テスト法人")),
])
def test_a_row_of_its_own_cut_short_keeps_a_resource_out_and_is_named(package, file, row_id):
    data = package[file]
    start = data.index(row_id.encode())
    end = data.index(b"\n", start)
    broken = {**package, file: data[:start] + data[start:end].rsplit(b",", 2)[0] + data[end:]}
    bad: list = []
    assert read_resources(broken, ["t-1", "t-2"], bad) == {"t-2": RESOURCES[1]}
    assert [(row.file, row.row, row.id) for row in bad] == [(file, row_number(package, file, row_id), "t-1")]


def test_a_row_is_found_when_a_later_cell_holds_a_line_like_it(reference):
    # t-3's row comes first (its uuid sorts first); t-1's later description holds "<uuid of t-3>,"
    pasted = RESOURCES[0].replace(description=f"一行目\n{uid('t-3')},貼り付けたid")
    package = build_package([pasted, *RESOURCES[1:]], *reference)
    assert read_resources(package, ["t-3"]) == {"t-3": RESOURCES[2]}



# -- the survivors of the 12:05 UTC run (docs/mutation.md) --------------------------------------


def test_a_row_is_found_between_two_cells_that_hold_lines_like_it(reference):
    # uuid order: t-3, t-1, t-2; the rows before and after t-1's each hold a line "<uuid of t-1>,"
    like = f"一行目\n{uid('t-1')},貼り付けたid"
    edited = [RESOURCES[0], RESOURCES[1].replace(description=like), RESOURCES[2].replace(description=like)]
    package = build_package(edited, *reference)
    assert read_resources(package, ["t-1"]) == {"t-1": RESOURCES[0]}


def test_a_line_break_inside_another_tools_extra_cell_is_kept_as_written_by_a_splice(package, reference):
    services = other_tool("services.csv", package["services.csv"]).replace(
        b"kept-" + uid("t-2")[:8].encode(), b'"kept\r\nline"')
    edited = RESOURCES[1].replace(description="相談（予約制）")
    changes = package_changes(Received({**package, "services.csv": services}), [edited], *reference)
    assert changes["services.csv"].endswith(b',"kept\r\nline"\n')  # t-2's row is the last (uuid order)


def test_past_300_ids_only_the_resources_asked_for_are_read(reference):
    many = [Resource(id=f"m-{i:03d}", name=f"窓口{i}", needs=("food",), area="01206") for i in range(320)]
    asked = [r.id for r in many[:310]]
    assert set(read_resources(build_package(many, *reference), asked)) == set(asked)


def test_a_bad_row_is_named_with_its_column(package):
    data = package["services.csv"]
    broken = {**package, "services.csv": data.replace("テスト居場所".encode(), "テスト居場所".encode() + b"\xff")}
    bad: list = []
    assert read_resources(broken, ["t-1", "t-3"], bad) == {"t-1": RESOURCES[0]}
    assert [(row.file, row.column, row.id) for row in bad] == [("services.csv", "name", "t-3")]


def test_a_need_whose_term_the_package_lacks_reads_as_the_terms_id_as_a_whole_read_does(package):
    terms_file = package["taxonomy_terms.csv"]
    food = [line for line in terms_file.split(b"\n") if b",food," in line]
    assert len(food) == 1
    without = {**package, "taxonomy_terms.csv": terms_file.replace(food[0] + b"\n", b"")}
    whole = PackageReader(without).resources()
    assert whole["t-1"].needs != ("food",)  # the term's id stands for it
    assert read_resources(without, ["t-1", "t-2", "t-3"]) == whole


def test_a_file_on_one_side_only_names_the_resources_with_rows_in_it(package):
    without = {name: data for name, data in package.items() if name != "languages.csv"}
    assert changed_ids(without, package) == changed_ids(package, without) == {"t-2"}  # t-2 alone has languages


def test_without_services_on_one_side_a_row_the_other_cannot_read_leaves_the_rest_named(package):
    data = package["services.csv"]
    broken = {**package, "services.csv": data.replace("テスト居場所".encode(), "テスト居場所".encode() + b"\xff")}
    assert changed_ids({}, broken) == changed_ids(broken, {}) == {"t-1", "t-2", "t-3"}


@pytest.mark.parametrize("change", [dict(hours=""), dict(address="")])  # cells with spaces: 平日 9-17, 釧路市…
def test_a_row_removed_or_added_whole_names_its_resource(package, reference, change):
    edited = [r.replace(**change) if r.id == "t-3" else r for r in RESOURCES]
    after = build_package(edited, *reference)
    assert changed_ids(package, after) == changed_ids(after, package) == {"t-3"}


def test_a_line_that_cells_of_three_resources_share_names_the_one_that_changed_it(reference):
    # uuid order: t-3, t-1, t-2; the line is the same in all three, t-1 (the middle one) drops it
    shared = [r.replace(description="一行目\n同じ行\n終わり") for r in RESOURCES]
    before = build_package(shared, *reference)
    after = build_package([shared[0].replace(description="一行目\n終わり"), *shared[1:]], *reference)
    assert "t-1" in changed_ids(before, after)  # the other two may be named too: a line says no more
    assert "t-1" in changed_ids(after, before)


def row_of(data: bytes, row_id: str) -> bytes:
    start = data.index(b"\n" + row_id.encode() + b",") + 1
    return data[start:data.index(b"\n", start) + 1]


def test_a_changed_row_that_belongs_to_no_resource_names_nothing(package):
    phone = row_of(package["phones.csv"], uid("t-1", "voice", "0"))
    location = row_of(package["locations.csv"], uid("t-1", "location"))
    orphans = {  # rows of a resource that is not in the package, put last
        "phones.csv": package["phones.csv"] + phone.replace(uid("t-1").encode(), uid("gone").encode()),
        "locations.csv": package["locations.csv"] + location.replace(
            uid("t-1", "location").encode(), uid("gone", "location").encode()),
    }
    assert changed_ids(package, {**package, **orphans}) == set()


def test_a_change_to_an_address_row_alone_names_its_resource(reference):
    # an address row is written for a complete address; its owner is found through its location
    package = build_package([r.replace(postal_code="085-0016") for r in RESOURCES], *reference)
    addresses = package["addresses.csv"]
    assert addresses.count("釧路市幸町2-2".encode()) == 1
    edited = {**package, "addresses.csv": addresses.replace("釧路市幸町2-2".encode(), "釧路市幸町9-9".encode())}
    assert changed_ids(package, edited) == changed_ids(edited, package) == {"t-3"}


def test_a_services_row_cut_short_before_its_tsunagu_id_names_nothing_more(package, reference):
    with_phone = build_package([r.replace(phone="0154-00-0003") if r.id == "t-3" else r for r in RESOURCES],
                               *reference)
    row = row_of(with_phone["services.csv"], uid("t-3"))
    cut = row.rsplit(b",", len(COLUMNS["services.csv"]) - COLUMNS["services.csv"].index("tsunagu_id"))[0] + b"\n"
    after = {**with_phone, "services.csv": with_phone["services.csv"].replace(row, cut)}
    assert changed_ids(package, after) == {"t-3"}  # the row before names it; the cut row and its phone name no one


@pytest.mark.parametrize("file, row_id", [("phones.csv", uid("t-1", "voice", "0")),
                                          ("addresses.csv", uid("t-1", "address"))])
def test_a_row_cut_to_its_id_names_its_resource_once_and_raises_nothing(reference, file, row_id):
    package = build_package([r.replace(postal_code="085-0016") for r in RESOURCES], *reference)
    row = row_of(package[file], row_id)
    cut = {**package, file: package[file].replace(row, row_id.encode() + b"\n")}
    assert changed_ids(package, cut) == {"t-1"}


def test_more_than_300_pushed_keep_the_packages_other_resources_and_their_places(reference):
    many = [Resource(id=f"m-{i:03d}", name=f"窓口{i}", needs=("food",), area="01206") for i in range(310)]
    others = [r.replace(postal_code="085-0016", serves=("01206",)) for r in RESOURCES]  # addresses, places
    before = build_package([*others, *many[:5]], *reference)
    after = {**before, **package_changes(before, many, *reference)}
    assert after == build_package([*others, *many], *reference)


def test_more_than_300_pushed_into_a_package_with_a_row_it_cannot_read_leave_that_row_as_it_was(package, reference):
    many = [Resource(id=f"m-{i:03d}", name=f"窓口{i}", needs=("food",), area="01206") for i in range(310)]
    row = row_of(package["phones.csv"], uid("t-1", "voice", "0"))
    cut = row.rsplit(b",", 2)[0] + b"\n"
    broken = {**package, "phones.csv": package["phones.csv"].replace(row, cut)}
    after = {**broken, **package_changes(broken, many, *reference)}
    assert cut in after["phones.csv"]
    assert read_resources(after, [r.id for r in many], []) == {r.id: r for r in many}


def test_a_package_without_organizations_csv_gets_it_started_with_our_header(package, reference):
    without = {name: data for name, data in package.items() if name != "organizations.csv"}
    changes = package_changes(without, [RESOURCES[1].replace(organization="新しい法人")], *reference)
    assert changes["organizations.csv"].startswith((",".join(COLUMNS["organizations.csv"]) + "\n").encode())
    assert read_resources({**without, **changes}, ["t-2"])["t-2"].organization == "新しい法人"


def test_a_change_after_a_row_ending_in_a_quoted_cell_names_its_own_resource(reference):
    """Each services row here ends in a quoted cell (a source holding a comma): the line end after its
    closing quote is outside any cell, so the next row's change is that row's, not the one before."""
    quoted = [r.replace(source=f"広報くしろ, {n}号") for n, r in enumerate(RESOURCES)]
    before = build_package(quoted, *reference)
    for rid in ("t-1", "t-2", "t-3"):
        edited = [r.replace(description="予約制") if r.id == rid else r for r in quoted]
        assert changed_ids(before, build_package(edited, *reference)) == {rid}
