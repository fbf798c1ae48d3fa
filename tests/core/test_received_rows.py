"""A whole received package (a first join, or more than 300 changed lines) is read row by row:
a row with bytes that are not UTF-8, a cell past MAX_CELL or a row of our layout cut short keeps
its resource out, named by file, row and column; every other resource is read (issue 19)."""

from __future__ import annotations

from tui.core.loading.importing import MAX_CELL
from tui.core.models import Resource
from tui.core.sharing.hsds import build_package
from tui.core.sharing.hsds_read import PackageReader

RESOURCES = [Resource(id=f"r-{n}", name=f"窓口{n}号", area="01206", phone=f"0154-00-{n:04d}", needs=("food",))
             for n in range(6)]


def _with(files: dict[str, bytes], rid: str, old: bytes, new: bytes) -> dict[str, bytes]:
    """``files`` with ``old`` replaced by ``new`` in the services.csv row of resource ``rid``."""
    data = files["services.csv"]
    start = data.rindex(b"\n", 0, data.index(b"," + rid.encode())) + 1
    end = data.index(b"\n", start)
    row = data[start:end]
    assert old in row
    return {**files, "services.csv": data[:start] + row.replace(old, new, 1) + data[end:]}


def _read(files: dict[str, bytes]) -> tuple[set[str], dict[str, tuple[str, str]]]:
    reader = PackageReader(files, lenient=True)
    got = reader.resources()
    return set(got), {b.id: (b.file, b.column) for b in reader.bad}


def test_a_clean_package_is_read_whole():
    assert _read(build_package(RESOURCES, [], {})) == ({r.id for r in RESOURCES}, {})


def test_bytes_that_are_not_utf8_keep_that_resource_out_and_name_its_column():
    files = _with(build_package(RESOURCES, [], {}), "r-2", "窓口2号".encode(), b"\xff\xfe")
    got, bad = _read(files)
    assert got == {r.id for r in RESOURCES} - {"r-2"}
    assert bad == {"r-2": ("services.csv", "name")}


def test_a_cell_past_the_limit_keeps_that_resource_out_though_the_file_is_valid_utf8():
    files = _with(build_package(RESOURCES, [], {}), "r-4", "窓口4号".encode(), ("長" * (MAX_CELL + 1)).encode())
    got, bad = _read(files)
    assert got == {r.id for r in RESOURCES} - {"r-4"}
    assert bad == {"r-4": ("services.csv", "name")}
    files = _with(build_package(RESOURCES, [], {}), "r-4", "窓口4号".encode(), ("長" * MAX_CELL).encode())
    assert _read(files) == ({r.id for r in RESOURCES}, {})  # at the limit: read
