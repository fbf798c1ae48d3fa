"""`changed_ids` compares only the lines between the common start and end of two package files
(issue 20: a received one-field edit at 100k split 100,000 lines twice per file)."""

import random
from collections import Counter
from functools import partial

import pytest

from tui.core.models import Resource
from tui.core.sharing import lines
from tui.core.sharing.hsds import build_package
from tui.core.sharing.splice import changed_ids


def _difference(before: bytes, after: bytes) -> tuple[Counter, Counter]:
    lines_before, lines_after = Counter(before.split(b"\n")), Counter(after.split(b"\n"))
    return lines_before - lines_after, lines_after - lines_before


@pytest.mark.parametrize("block", [1, 2, 3, 1 << 20])
def test_the_lines_between_differ_as_the_whole_files_do(monkeypatch, block):
    """Random small files and edits (inserted, deleted and changed bytes, line ends among them),
    compared a block at a time of every size: the multiset difference of the lines is the same."""
    monkeypatch.setattr(lines, "_alike", partial(lines._alike, block=block))
    pick = random.Random(block)
    alphabet = [b"a", b"b", b"\n", b","]
    for _ in range(4000):
        before = b"".join(pick.choice(alphabet) for _ in range(pick.randint(0, 14)))
        after = bytearray(before)
        for _ in range(pick.randint(1, 3)):
            at = pick.randint(0, len(after))
            if pick.random() < 0.5:
                after[at:at] = pick.choice(alphabet)
            elif after:
                del after[min(at, len(after) - 1)]
        middle = lines.differing_lines(before, bytes(after))
        assert _difference(*middle) == _difference(before, bytes(after)), (before, bytes(after))
        assert len(middle[0]) <= len(before) and len(middle[1]) <= len(after)


def test_a_one_line_edit_is_compared_as_that_line_only():
    before = b"".join(b"row%03d,cell\n" % n for n in range(200))
    after = before.replace(b"row100,cell", b"row100,edited")
    assert lines.differing_lines(before, after) == (b"row100,cell\n", b"row100,edited\n")
    assert lines.differing_lines(before, before + b"row200,new\n") == (b"", b"row200,new\n")


def _resources(count: int) -> list[Resource]:
    return [Resource(id=f"r-{n:03d}", name=f"窓口{n}", area="01206", phone=f"0154-00-{n:04d}", needs=("food",))
            for n in range(count)]


@pytest.mark.parametrize("which", ["first", "middle", "last"])
def test_an_edit_at_the_start_the_middle_or_the_end_of_a_file_is_found(which):
    """The rows are sorted by uuid, so the edited resource is the first, a middle or the last row."""
    resources = _resources(40)
    before = build_package(resources, [], {})
    order = sorted(resources, key=lambda r: before["services.csv"].find(r.id.encode()))
    chosen = {"first": order[0], "middle": order[20], "last": order[-1]}[which]
    edited = [r.replace(phone="0154-99-9999", name=r.name + "（移転）") if r is chosen else r for r in resources]
    after = build_package(edited, [], {})
    assert changed_ids(before, after) == {chosen.id}
    assert changed_ids(after, before) == {chosen.id}
    added = build_package([*resources, Resource(id="r-new", name="新しい窓口", area="01206")], [], {})
    assert changed_ids(before, added) == {"r-new"}
