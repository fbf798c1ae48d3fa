"""Issue 13, part 4: every fault is a message and an exit code, never a traceback, and
nothing on disk changes (the cases and the fault table are in ``fault_cases.py``)."""

from __future__ import annotations

import pytest

from .fault_cases import CASES, run


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_fault_is_a_message_and_changes_nothing(case, tmp_path):
    code, output, unchanged = run(case, tmp_path)
    assert "Traceback" not in output and "TRACEBACK" not in output, output
    assert "LEFT OVER" not in output, output
    assert case.says in output, output
    assert code == case.code, output
    assert unchanged or case.changes, output
