"""Merge: the special rules tested in the direction that was missing (issue 25).

Each test here was seen failing on a hand-made mutant of ``tui/core/sharing/merge.py``
(docs/mutation.md lists the mutant beside the test's name)."""

from __future__ import annotations

from tui.core.models import Resource
from tui.core.sharing.merge import Conflict, merge, record, resource

BASE = Resource(id="r1", name="釧路フードバンク", hours="月–金 9–17", cost="無料", needs=("food",), area="01206")


def rec(**changes) -> dict[str, str]:
    return record(BASE.replace(**changes))


def test_closed_on_both_sides_then_reopened_and_edited_there_is_active_without_a_conflict():
    # base and here both closed; the other office reopened it and fixed its hours: nothing to choose.
    result = merge("r1", rec(status="closed"), rec(status="closed"), rec(status="active", hours="月–土 9–12"))
    assert result.conflicts == []
    assert result.local["status"] == result.shared["status"] == "active"
    assert result.local["hours"] == result.shared["hours"] == "月–土 9–12"


def test_made_confidential_here_and_untouched_there_is_no_conflict():
    result = merge("r1", rec(), rec(confidential=True), rec())
    assert result.conflicts == []
    assert result.local["confidential"] == result.shared["confidential"] == "yes"


def test_a_plain_closure_by_the_other_office_closes_it_here_without_a_conflict():
    result = merge("r1", rec(), rec(), rec(status="closed"))
    assert result.conflicts == []
    assert result.local["status"] == result.shared["status"] == "closed"


def test_a_plain_closure_here_is_sent_without_a_conflict():
    result = merge("r1", rec(), rec(status="closed"), rec())
    assert result.conflicts == []
    assert result.local["status"] == result.shared["status"] == "closed"


def test_closed_on_both_sides_and_edited_here_is_closed_without_a_conflict():
    # mutmut survivor: `mine.get("status") != "closed"` in closed_there turned always true
    result = merge("r1", rec(), rec(status="closed", hours="月–土"), rec(status="closed"))
    assert result.conflicts == []
    assert result.local["status"] == result.shared["status"] == "closed"
    assert result.local["hours"] == result.shared["hours"] == "月–土"



def test_closed_here_edited_there_with_another_conflict_flags_both_fields():
    # mutmut survivor: the "no status conflict yet" guard turned into "no other conflict"
    result = merge("r1", rec(), rec(status="closed", cost="100円"), rec(hours="月–土", cost="200円"))
    assert sorted(c.field for c in result.conflicts) == ["cost", "status"]
    assert result.local["status"] == "closed" and result.shared["status"] == "active"


def test_a_status_conflict_is_flagged_once_with_its_id_and_base():
    # mutmut survivors: a second status conflict added, the conflict's id or base replaced by None
    result = merge("r1", rec(), rec(status="closed"), rec(status="paused", hours="月–土"))
    assert result.conflicts == [Conflict("r1", "status", "closed", "paused", "active")]
    result = merge("r1", rec(), rec(status="closed"), rec(hours="月–土"))
    assert result.conflicts == [Conflict("r1", "status", "closed", "active", "active")]


def test_on_one_side_only_both_the_package_and_the_catalogue_get_that_side():
    # mutmut survivors: the shortcut's or the new-there branch's other record replaced by None
    for result in (merge("r1", None, rec(), None), merge("r1", None, None, rec()), merge("r1", rec(), rec(), rec())):
        assert result.shared == result.local == rec()
        assert result.conflicts == []


def test_gone_on_both_sides_leaves_nothing_to_keep():
    # mutmut survivors: `mine if mine is not None or True`, `theirs and {}` (dict(None) fails)
    result = merge("r1", rec(), None, None)
    assert result.shared == result.local == {}
    assert result.conflicts == []


def test_without_a_common_base_a_field_only_one_side_filled_in_is_taken_without_a_conflict():
    # Two offices that started from the same list and never synced: no merge base. A blank field is
    # no choice against a filled one; two different values are. (mutmut: base.get's default changed)
    mine = rec(hours="", cost="無料")
    theirs = rec(hours="月–金 9–17", cost="100円")
    result = merge("r1", None, mine, theirs)
    assert result.shared["hours"] == result.local["hours"] == "月–金 9–17"
    assert result.conflicts == [Conflict("r1", "cost", "無料", "100円", "")]


def test_a_confidential_place_made_public_there_and_edited_on_both_sides_flags_both():
    # mutmut survivor: the "no confidential conflict yet" guard turned into "no other conflict"
    result = merge("r1", rec(confidential=True), rec(confidential=True, hours="here"),
                   rec(confidential=False, hours="there"))
    assert result.local["confidential"] == "yes"
    assert result.conflicts == [Conflict("r1", "hours", "here", "there", "月–金 9–17"),
                                Conflict("r1", "confidential", "yes", "", "yes")]


def test_the_confidential_conflict_names_the_resource_and_each_sides_value():
    # mutmut survivors: the conflict's id, mine, theirs or base replaced (None, "XXyesXX", a missing key)
    result = merge("r1", rec(confidential=True), rec(confidential=True), rec(confidential=False))
    assert result.conflicts == [Conflict("r1", "confidential", "yes", "", "yes")]


def test_a_record_lacking_fields_reads_as_a_resource_with_them_blank_and_active():
    # mutmut survivors: the default of a missing field (None, "XXXX") and of a blank status ("active")
    assert resource("r1", {"name": "釧路フードバンク"}) == Resource(id="r1", name="釧路フードバンク")
    assert resource("r1", {"name": "釧路フードバンク", "status": ""}).status == "active"


def test_a_closed_or_paused_record_reads_back_with_its_status():
    # mutmut survivor: `if values["status"]` (every status with a value read as active)
    for status in ("closed", "paused"):
        assert resource("r1", rec(status=status)) == BASE.replace(status=status)
