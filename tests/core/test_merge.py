"""The three-way, per-field merge of one resource, without git."""

from __future__ import annotations

from tui.core.models import Resource
from tui.core.sharing.merge import Conflict, merge, record, resource

BASE = Resource(id="r1", name="釧路フードバンク", hours="月–金 9–17", cost="無料", needs=("food",), area="01206")


def rec(**changes) -> dict[str, str]:
    return record(BASE.replace(**changes))


def test_one_side_changed_takes_that_side():
    result = merge("r1", rec(), rec(hours="月–土"), rec(cost="100円"))
    assert result.shared == result.local == rec(hours="月–土", cost="100円")
    assert result.conflicts == []


def test_same_change_on_both_sides_is_no_conflict():
    result = merge("r1", rec(), rec(hours="月–土"), rec(hours="月–土"))
    assert result.conflicts == [] and result.shared["hours"] == "月–土"


def test_both_changed_differently_is_a_conflict_local_stays_package_keeps_theirs():
    result = merge("r1", rec(), rec(hours="here"), rec(hours="there"))
    assert result.local["hours"] == "here"
    assert result.shared["hours"] == "there"
    assert result.conflicts == [Conflict("r1", "hours", "here", "there", "月–金 9–17")]


def test_lists_merge_as_fields():
    result = merge("r1", rec(), rec(needs=("food", "child")), rec(serves=("01206", "kushiro")))
    assert resource("r1", result.shared).needs == ("food", "child")
    assert resource("r1", result.shared).serves == ("01206", "kushiro")


def test_new_on_one_side_only():
    assert merge("r1", None, rec(), None).shared == rec()
    assert merge("r1", None, None, rec()).local == rec()


def test_closed_here_and_edited_there_stays_and_is_flagged():
    result = merge("r1", rec(), rec(status="closed"), rec(hours="月–土"))
    assert result.local["status"] == "closed" and result.local["hours"] == "月–土"
    assert result.shared["status"] == "active"
    assert [c.field for c in result.conflicts] == ["status"]


def test_closed_there_and_edited_here_is_flagged_too():
    result = merge("r1", rec(), rec(cost="100円"), rec(status="closed"))
    assert result.local["status"] == "active" and result.shared["status"] == "closed"
    assert result.local["cost"] == result.shared["cost"] == "100円"
    assert [(c.field, c.mine, c.theirs) for c in result.conflicts] == [("status", "active", "closed")]


def test_closed_on_both_sides_is_just_closed():
    result = merge("r1", rec(), rec(status="closed"), rec(status="closed", hours="x"))
    assert result.conflicts == [] and result.local["status"] == "closed"


def test_another_office_cannot_make_a_confidential_place_public_here():
    result = merge("r1", rec(confidential=True), rec(confidential=True), rec(confidential=False))
    assert result.local["confidential"] == "yes"
    assert [c.field for c in result.conflicts] == ["confidential"]


def test_record_round_trip():
    full = BASE.replace(languages=("日本語", "English"), confidential=True, name_kana_generated=True)
    assert resource("r1", record(full)) == full


def test_last_verified_changed_on_both_sides_takes_the_later_date_not_a_conflict():
    for mine, theirs in (("2026-05-01", "2026-06-02"), ("2026-06-02", "2026-05-01")):
        result = merge("r1", rec(last_verified="2025-01-01"), rec(last_verified=mine), rec(last_verified=theirs))
        assert result.conflicts == []
        assert result.shared["last_verified"] == result.local["last_verified"] == "2026-06-02"
