"""Resolving a conflict (``sharing/conflicts.take``, issue 25: mutmut on sharing/conflicts.py):
keep ours, take theirs or type a value; the result is a traced change the next sync sends, and
only that field's conflict goes. Each test was seen failing on a mutmut survivor of
``tui/core/sharing/conflicts.py`` (docs/mutation.md). A conflict is stored here as a sync
stores one (a row of ``sync_conflicts``), without a second office."""

from __future__ import annotations

import re

import pytest

from tui.core.db import transaction
from tui.core.models import Resource
from tui.core.sharing import decisions
from tui.core.sharing.conflicts import UnclearValue, take
from tui.core.sharing.state import conflicts, pending_count

PLACE = Resource(id="food-1", name="テスト食堂", needs=("food",), area="01214", phone="0162-00-0001")
SHELTER = Resource(id="dv-1", name="テストシェルター", needs=("shelter",), area="01206", address="秘密町1",
                   confidential=True)


@pytest.fixture
def catalogue(empty_catalogue):
    empty_catalogue.write([PLACE, SHELTER])
    with transaction(empty_catalogue.conn):
        empty_catalogue.conn.execute("DELETE FROM sync_pending")
    return empty_catalogue


def conflict(catalogue, rid: str, field: str, mine: str, theirs: str) -> None:
    with transaction(catalogue.conn):
        catalogue.conn.execute("INSERT INTO sync_conflicts(resource_id, field, mine, theirs, base, by, at) "
                               "VALUES (?, ?, ?, ?, '', '他事務所', '2026-12-01T10:00:00+09:00')",
                               (rid, field, mine, theirs))


def test_keeping_ours_leaves_the_place_and_sends_our_value(catalogue):
    conflict(catalogue, "food-1", "phone", PLACE.phone, "0162-99-9999")
    assert take(catalogue, "food-1", "phone", "mine", by="担当A")
    assert catalogue.get("food-1").phone == PLACE.phone
    assert conflicts(catalogue) == [] and pending_count(catalogue) == 1
    assert [(d.id, d.field, d.value, d.by) for d in decisions.mine(catalogue.conn)] == [
        ("food-1", "phone", PLACE.phone, "担当A")]


def test_taking_theirs_changes_the_place_and_only_that_fields_conflict_goes(catalogue):
    conflict(catalogue, "food-1", "phone", PLACE.phone, "0162-99-9999")
    conflict(catalogue, "food-1", "hours", "", "9-17")
    assert take(catalogue, "food-1", "phone", "theirs", by="担当A")
    assert catalogue.get("food-1").phone == "0162-99-9999"
    assert [(c.id, c.field) for c in conflicts(catalogue)] == [("food-1", "hours")]
    assert pending_count(catalogue) == 1
    assert decisions.mine(catalogue.conn)[-1].value == "0162-99-9999"


def test_taking_theirs_for_a_field_the_form_does_not_cover_sets_it_as_sent(catalogue):
    conflict(catalogue, "food-1", "name", PLACE.name, "テスト食堂（新）")
    assert take(catalogue, "food-1", "name", "theirs", by="担当A")
    assert catalogue.get("food-1").name == "テスト食堂（新）"
    assert [h.id for h in catalogue.search("テスト食堂（新）")] == ["food-1"]  # the index follows


def test_a_typed_value_goes_through_the_row_rules(catalogue):
    conflict(catalogue, "food-1", "phone", PLACE.phone, "0162-99-9999")
    assert take(catalogue, "food-1", "phone", "edit", by="担当A", value="０１６２－１１－２２２２")
    assert catalogue.get("food-1").phone == "0162-11-2222"  # full width folded, as an import does
    assert conflicts(catalogue) == []


def test_a_typed_value_the_row_rules_refuse_changes_nothing(catalogue):
    conflict(catalogue, "food-1", "phone", PLACE.phone, "0162-99-9999")
    with pytest.raises(UnclearValue, match="abc"):
        take(catalogue, "food-1", "phone", "edit", by="担当A", value="abc")
    assert catalogue.get("food-1").phone == PLACE.phone
    assert len(conflicts(catalogue)) == 1 and pending_count(catalogue) == 0


def test_no_such_conflict_is_false_and_changes_nothing(catalogue):
    conflict(catalogue, "food-1", "phone", PLACE.phone, "0162-99-9999")
    assert take(catalogue, "food-1", "hours", "theirs", by="担当A") is False
    assert take(catalogue, "food-2", "phone", "theirs", by="担当A") is False
    assert len(conflicts(catalogue)) == 1 and pending_count(catalogue) == 0


def test_another_offices_value_never_makes_a_confidential_place_public(catalogue):
    conflict(catalogue, "dv-1", "confidential", "yes", "no")
    with pytest.raises(UnclearValue, match="confidential=no"):
        take(catalogue, "dv-1", "confidential", "theirs", by="担当A")
    assert catalogue.get("dv-1").confidential and len(conflicts(catalogue)) == 1


def test_a_blank_typed_for_a_confidential_place_does_not_make_it_public(catalogue):
    conflict(catalogue, "dv-1", "confidential", "yes", "no")
    with pytest.raises(UnclearValue, match="no"):
        take(catalogue, "dv-1", "confidential", "edit", by="担当A", value=" ")
    assert catalogue.get("dv-1").confidential
    assert take(catalogue, "dv-1", "confidential", "edit", by="担当A", value="no")  # typed here: it may
    assert not catalogue.get("dv-1").confidential


def test_taking_theirs_when_it_stays_confidential_is_allowed(catalogue):
    conflict(catalogue, "dv-1", "confidential", "yes", "yes")
    assert take(catalogue, "dv-1", "confidential", "theirs", by="担当A")
    assert catalogue.get("dv-1").confidential


def test_a_resolution_copies_the_catalogue_first_only_when_asked(catalogue, tmp_path):
    conflict(catalogue, "food-1", "phone", PLACE.phone, "0162-99-9999")
    conflict(catalogue, "food-1", "hours", "", "9-17")
    assert take(catalogue, "food-1", "phone", "mine", by="担当A")
    assert not (tmp_path / "backups").exists()
    assert take(catalogue, "food-1", "hours", "theirs", by="担当A", backup_dir=tmp_path / "backups")
    [copy] = (tmp_path / "backups").iterdir()
    assert re.fullmatch(r"catalogue-[0-9a-f]+-conflict-\d{8}-.*\.db", copy.name)  # kept and pruned with the other conflicts' backups


def test_a_refused_value_says_how_to_fix_it(catalogue):
    conflict(catalogue, "food-1", "phone", PLACE.phone, "0162-99-9999")
    with pytest.raises(UnclearValue) as refused:
        take(catalogue, "food-1", "phone", "edit", by="担当A", value="abc")
    assert "→ 例 (e.g.) 0154-23-5151" in str(refused.value)


def test_a_resolution_is_a_change_in_the_history_by_the_person_who_chose(catalogue):
    from tui.core.store.changes import history

    conflict(catalogue, "food-1", "phone", PLACE.phone, "0162-99-9999")
    assert take(catalogue, "food-1", "phone", "theirs", by="担当A")
    [change] = [c for c in history(catalogue, "food-1") if c.field == "phone"]
    assert (change.old, change.new, change.by, change.how) == (PLACE.phone, "0162-99-9999", "担当A", "edit")
