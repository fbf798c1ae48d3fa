"""Layout (``tui/core/sharing/layout.py``), pure and without git: which files are in our layout,
which are exactly ours (a whole rebuild loses nothing), another tool's line ends, and a package's
files put in our layout once however many packages of one repository share them. Each test here
was seen failing on a mutmut survivor of layout.py applied by hand (docs/mutation.md)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pytest

from tui.core.models import Resource
from tui.core.sharing.hsds import build_package
from tui.core.sharing.layout import Received, exactly_ours, normalise
from tui.core.sharing.sync import places, terms
from tui.core.store.catalogue import Catalogue

RESOURCES = [
    Resource(id="t-1", name="テスト食料庫", needs=("food",), area="01206", phone="0154-00-0001"),
    Resource(id="t-2", name="テスト相談窓口", needs=("consultation",), area="01206", phone="0154-00-0002"),
]


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> dict[str, bytes]:
    with Catalogue.open(tmp_path_factory.mktemp("layout") / "c.db") as catalogue:
        return build_package(RESOURCES, terms(catalogue), places(catalogue))


class Tree(Mapping[str, bytes]):
    """A package as a git tree gives it: each file with its blob id (``ids``), every read counted."""

    def __init__(self, files: Mapping[str, bytes], ids: dict[str, str]):
        self.files, self.ids, self.reads = files, ids, 0

    def __getitem__(self, name: str) -> bytes:
        self.reads += 1
        return self.files[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.files)

    def __len__(self) -> int:
        return len(self.files)


def crlf(data: bytes) -> bytes:
    return data.replace(b"\n", b"\r\n")


def test_exactly_ours_is_our_header_alone_with_line_feeds_throughout(package):
    data = package["services.csv"]
    header_end = data.index(b"\n") + 1
    assert exactly_ours("services.csv", data)
    assert exactly_ours("datapackage.json", b"{}\r\n")  # not a CSV file of ours: nothing to lose
    assert not exactly_ours("services.csv", data.replace(b"\n", b",x_extra\n", 1))  # another tool's column
    assert not exactly_ours("services.csv", data[:header_end] + crlf(data[header_end:]))  # CRLF past the header


def test_a_file_with_carriage_returns_only_is_put_in_our_layout(package):
    assert normalise("phones.csv", package["phones.csv"].replace(b"\n", b"\r")) == package["phones.csv"]


def test_a_file_shared_by_packages_of_one_repository_is_read_and_put_in_our_layout_once(package):
    files = {name: crlf(data) if name.endswith(".csv") else data for name, data in package.items()}
    ids = {name: f"blob-{name}" for name in files}
    trees = [Tree(files, ids) for _ in range(3)]  # the merge base, this office and the other: one blob each
    laid_out: dict = {}
    received = [Received(tree, laid_out) for tree in trees]
    for one in received:
        assert {name: one[name] for name in one} == package  # each file in our layout
    assert [tree.reads for tree in trees] == [len(package), 0, 0]


def test_a_package_with_blob_ids_and_no_shared_store_is_read_whole(package):
    files = {name: crlf(data) if name.endswith(".csv") else data for name, data in package.items()}
    received = Received(Tree(files, {name: f"blob-{name}" for name in files}))
    assert {name: received[name] for name in received} == package
