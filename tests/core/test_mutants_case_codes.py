"""Case codes: a romanised name with a digit added is still a name (issue 25). Seen failing on the
mutant that drops the "no four letters in a row" rule from ``is_case_ref`` (docs/mutation.md)."""

from __future__ import annotations

import pytest

from tui.core.referrals.log import is_case_ref, normalise_case_ref


@pytest.mark.parametrize("name", ["YAMADA1", "TARO-2026", "yamada1", "Sato-3", "C-2026-SUZUKI"])
def test_a_name_with_a_digit_is_not_a_case_code(name):
    assert not is_case_ref(name)


@pytest.mark.parametrize("code", ["C-2026-014", "K12-3", "2026/014", "R8-KU-12", "ABC-12", ""])
def test_codes_with_at_most_three_letters_in_a_row_are_case_codes(code):
    assert is_case_ref(code)


@pytest.mark.parametrize(("typed", "code"), [("ｃ－２０２６－０１４", "C-2026-014"), ("  k12-3 ", "K12-3"), ("", "")])
def test_a_code_typed_in_full_width_lower_case_or_with_spaces_is_the_same_code(typed, code):
    assert normalise_case_ref(typed) == code
    assert is_case_ref(typed)


def test_a_name_typed_in_full_width_is_still_a_name():
    assert not is_case_ref("ＹＡＭＡＤＡ１")
    assert not is_case_ref("ｙａｍａｄａ１")
