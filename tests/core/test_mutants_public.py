"""The privacy rule's small promises, each in both directions (issue 25: mutmut on public.py).

Which field of which resource is withheld, what a file without the private fields keeps, and
what ``for_output`` gives for values that are not plain safe text. Each test was seen failing on
a mutant of ``tui/core/public.py`` (docs/mutation.md)."""

from __future__ import annotations

import pytest

from tui.core.models import Resource
from tui.core.public import PRIVATE_FIELDS, for_output, is_withheld, keep_private, withheld_fields

SHELTER = Resource(
    id="dv-1", name="テストシェルター", organization="テスト女性支援法人", needs=("shelter",), area="01206",
    address="秘密町1-2-3", postal_code="085-9999", phone="0120-000-003", hours="24時間",
    transport="秘密バス停すぐ", notes="秘密の裏口から", last_verified="2026-04-01", confidential=True,
)
PUBLIC = SHELTER.replace(id="food-1", name="テスト食堂", confidential=False)


def test_only_a_confidential_places_private_fields_are_withheld():
    assert is_withheld(SHELTER, "address") and is_withheld(SHELTER, "notes")
    assert not is_withheld(SHELTER, "phone")  # a shelter's phone is how one reaches it
    assert not is_withheld(PUBLIC, "address")  # an ordinary place shows where it is
    assert not is_withheld(None, "address")  # no resource (a new one): nothing to withhold


def test_a_file_without_the_private_fields_keeps_those_the_catalogue_holds():
    incoming = SHELTER.replace(address="", postal_code="", transport="", notes="", phone="0120-111-222")
    kept = keep_private(incoming, SHELTER)
    assert [getattr(kept, f) for f in PRIVATE_FIELDS] == [getattr(SHELTER, f) for f in PRIVATE_FIELDS]
    assert kept.phone == "0120-111-222"  # a shared field takes what arrived


def test_a_file_that_brings_a_private_field_changes_it_and_keeps_the_blank_ones():
    incoming = SHELTER.replace(address="新住所町9", postal_code="", transport="", notes="")
    kept = keep_private(incoming, SHELTER)
    assert kept.address == "新住所町9"
    assert (kept.postal_code, kept.transport, kept.notes) == (SHELTER.postal_code, SHELTER.transport, SHELTER.notes)


def test_a_sync_keeps_every_private_field_of_this_catalogue():
    incoming = SHELTER.replace(address="他所の住所", postal_code="", transport="他所の行き方", notes="")
    kept = keep_private(incoming, SHELTER, blanks_only=False)
    assert [getattr(kept, f) for f in PRIVATE_FIELDS] == [getattr(SHELTER, f) for f in PRIVATE_FIELDS]


def test_withheld_fields_name_only_what_a_confidential_place_held():
    assert withheld_fields(SHELTER.replace(notes="")) == ("address", "postal_code", "transport")
    assert withheld_fields(PUBLIC) == ()


@pytest.mark.parametrize(("value", "shown"), [(None, ""), (12, "12"), ("", "")])
def test_for_output_of_a_value_that_is_not_text(value, shown):
    assert for_output(value) == shown


def test_a_line_break_becomes_a_space_on_one_line_and_stays_in_a_note():
    assert for_output("月曜\n水曜", multiline=False) == "月曜 水曜"
    assert for_output("月曜\n水曜") == "月曜\n水曜"
    # with a control to drop as well, the same: the break is kept only when lines may break
    assert for_output("月曜\x07\n水曜", multiline=False) == "月曜 水曜"
    assert for_output("月曜\x07\n水曜") == "月曜\n水曜"
