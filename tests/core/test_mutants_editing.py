"""The form's row rules (``editing.typed_problems``, issue 25: mutmut on loading/editing.py): what a
person may type in the form but no import would take. Each test was seen failing on a mutmut
survivor of ``tui/core/loading/editing.py`` (docs/mutation.md)."""

from __future__ import annotations

import pytest

from tui.core.loading.editing import typed_problems
from tui.core.loading.importing import MAX_CELL

HEADERS = {"phone": "電話", "fax": "FAX", "notes": "備考"}


def test_a_cell_at_the_limit_is_taken_and_one_past_it_is_refused_where_it_was_typed():
    assert typed_problems({"notes": "あ" * MAX_CELL}, "form", 3, HEADERS) == []
    [problem] = typed_problems({"notes": "あ" * (MAX_CELL + 1)}, "form", 3, HEADERS)
    assert (problem.file, problem.row, problem.column) == ("form", 3, "備考")
    assert f"{MAX_CELL + 1:,}" in problem.message and f"{MAX_CELL:,}" in problem.message
    assert problem.fix


def test_a_column_without_a_header_is_named_by_its_field():
    [problem] = typed_problems({"hours": "x" * (MAX_CELL + 1)}, "form", 1, HEADERS)
    assert problem.column == "hours"


@pytest.mark.parametrize("field", ["phone", "fax"])
def test_a_number_with_no_digit_is_refused_and_named(field):
    [problem] = typed_problems({field: " abc "}, "form", 2, HEADERS)
    assert (problem.file, problem.row, problem.column) == ("form", 2, HEADERS[field])
    assert "'abc'" in problem.message and problem.fix


@pytest.mark.parametrize("separator", [";", "；", "、", ",", "，", "/", "／", "\n", " ; "])
def test_each_number_of_a_list_is_checked_alone(separator):
    problems = typed_problems({"phone": f"0154-23-5151{separator}代表"}, "form", 2, HEADERS)
    assert [p.message.endswith("'代表'") for p in problems] == [True]


@pytest.mark.parametrize("text", ["0154-23-5151", "#8008", "110", "", "   ", "0154-23-5151；0120-000-000",
                                  "0154-23-5151;", "0154-23-5151 ; ; 0120-000-000"])
def test_a_number_with_digits_or_a_blank_is_taken(text):
    assert typed_problems({"phone": text, "fax": text}, "form", 2, HEADERS) == []


def test_words_in_other_fields_are_not_numbers():
    assert typed_problems({"notes": "abc", "name": "相談窓口"}, "form", 2, HEADERS) == []


def test_every_problem_of_a_row_is_listed():
    problems = typed_problems({"phone": "abc", "fax": "def", "notes": "x" * (MAX_CELL + 1)}, "form", 2, HEADERS)
    assert [p.column for p in problems] == ["電話", "FAX", "備考"]
