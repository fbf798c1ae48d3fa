"""Sync and splice: the cases no test checked (issue 25). Two offices share a folder repository;
each test was seen failing on a hand-made mutant of sync.py or splice.py (docs/mutation.md)."""

from __future__ import annotations

import time
import types

import pytest

from tui.core.models import Resource
from tui.core.sharing import gitstore
from tui.core.sharing.hsds import build_package
from tui.core.sharing.splice import changed_ids
from tui.core.sharing.state import conflicts
from tui.core.sharing.sync import places, sync, terms
from tui.core.store.catalogue import Catalogue

SHELTER = Resource(
    id="dv-1", name="北のシェルター", organization="テスト法人", needs=("shelter", "dv"), area="01206",
    address="釧路市秘密町1-2-3", postal_code="085-0015", transport="裏口から", notes="秘密の備考",
    phone="0154-00-0001", confidential=True, last_verified="2026-04-01",
)
FOOD = Resource(id="food-1", name="くしろフードバンク", needs=("food",), area="01206", hours="月–金", cost="無料")


@pytest.fixture
def clock(monkeypatch):
    """Commit times an hour apart, so a time kept differs from a time overwritten."""
    now = [1_790_000_000]

    def tick() -> float:
        now[0] += 3600
        return now[0]

    monkeypatch.setattr(gitstore, "time", types.SimpleNamespace(time=tick, strftime=time.strftime, gmtime=time.gmtime, monotonic=time.monotonic))


@pytest.fixture
def offices(tmp_path, clock):
    with Catalogue.open(tmp_path / "kushiro.db") as kushiro, Catalogue.open(tmp_path / "asahikawa.db") as asahikawa:
        yield kushiro, asahikawa, str(tmp_path / "shared.git")


def edit(catalogue: Catalogue, resource_id: str, **changes) -> None:
    catalogue.write([catalogue.get(resource_id).replace(**changes)], how="edit")


def test_receiving_an_edit_to_a_confidential_place_sends_nothing_back(offices):
    kushiro, asahikawa, shared = offices
    kushiro.write([SHELTER], how="edit")
    assert sync(kushiro, author="kushiro <>", remote=shared).sent == 1
    assert sync(asahikawa, author="asahikawa <>", remote=shared).received == ["dv-1"]
    assert asahikawa.get("dv-1").address == ""  # the private fields never left kushiro
    edit(asahikawa, "dv-1", hours="24時間")
    assert sync(asahikawa, author="asahikawa <>").sent == 1
    report = sync(kushiro, author="kushiro <>")
    assert (report.received, report.sent) == (["dv-1"], 0)
    assert kushiro.get("dv-1") == SHELTER.replace(hours="24時間")  # received, private fields kept here


def test_an_open_conflict_keeps_its_time_when_the_other_office_edits_another_field(offices):
    kushiro, asahikawa, shared = offices
    kushiro.write([FOOD], how="edit")
    sync(kushiro, author="kushiro <>", remote=shared)
    sync(asahikawa, author="asahikawa <>", remote=shared)
    edit(kushiro, "food-1", cost="A")
    edit(asahikawa, "food-1", cost="B")
    sync(kushiro, author="kushiro <>")
    sync(asahikawa, author="asahikawa <>")
    [first] = conflicts(asahikawa)
    assert (first.field, first.mine, first.theirs) == ("cost", "B", "A") and first.at
    edit(kushiro, "food-1", hours="月–土")  # later, the other office: another field of the same resource
    sync(kushiro, author="kushiro <>")
    report = sync(asahikawa, author="asahikawa <>")
    assert report.received == ["food-1"] and asahikawa.get("food-1").hours == "月–土"
    assert conflicts(asahikawa) == [first]  # same values, same author, same time


def test_more_than_300_changed_lines_still_name_every_added_resource(tmp_path):
    with Catalogue.open(tmp_path / "c.db") as catalogue:
        t, p = terms(catalogue), places(catalogue)
    added = [Resource(id=f"new-{i:03d}", name=f"新しい窓口{i}", needs=("food",), area="01206") for i in range(400)]
    before = build_package([FOOD], t, p)
    after = build_package([FOOD, *added], t, p)
    ids = {r.id for r in added}
    assert changed_ids(before, after) == ids  # added by the other office
    assert changed_ids(after, before) == ids  # removed
