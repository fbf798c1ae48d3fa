"""Output cleaning: C1 controls alone, with no ESC or BEL beside them (issue 25). A terminal that
takes 8-bit controls reads U+009B as CSI, so ``\\x9b31m`` colours the screen as ``\\x1b[31m`` does.
Seen failing on mutants that drop the C1 range (docs/mutation.md)."""

from __future__ import annotations

import pytest

from tui.core.public import for_output, needs_cleaning
from tui.core.text import clean

C1 = [chr(c) for c in range(0x80, 0xA0)]


@pytest.mark.parametrize("multiline", [True, False])
def test_an_8_bit_csi_is_dropped_whole(multiline):
    assert clean("架空\x9b31m食堂\x9b0m", multiline=multiline) == "架空食堂"
    assert for_output("架空\x9b31m食堂\x9b0m", multiline=multiline) == "架空食堂"


@pytest.mark.parametrize("multiline", [True, False])
def test_no_c1_control_reaches_any_output(multiline):
    for control in C1:
        text = f"相談{control}窓口"
        assert needs_cleaning(text), hex(ord(control))
        for cleaned in (clean(text, multiline=multiline), for_output(text, multiline=multiline)):
            assert not any(c in cleaned for c in C1), hex(ord(control))
            assert cleaned.startswith("相談") and cleaned.endswith("窓口")


def test_text_just_outside_the_c1_range_is_kept():
    text = "\xa0価格\xa5100"  # NBSP and yen sign: printable Latin-1, not controls
    assert not needs_cleaning(text)
    assert for_output(text) == text
