"""Merge: the special rules tested in the direction that was missing (issue 25).

Each test here was seen failing on a hand-made mutant of ``tui/core/sharing/merge.py``
(docs/mutation.md lists the mutant beside the test's name)."""

from __future__ import annotations

from tui.core.models import Resource
from tui.core.sharing.merge import merge, record

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
