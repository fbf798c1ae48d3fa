"""The edit form's text areas wrap with 禁則 (issue 22 item 6: 説明 wrapped onto a line starting ）。)."""

from __future__ import annotations

from textual._wrap import compute_wrap_offsets
from textual.widgets import TextArea

from tui.core.linebreak import NO_START
from tui.ui.screens.editor import EditorScreen

from .conftest import settle
from .test_finder import search_for

# Brackets and full stops at every distance from each other: some break lands on 「）。」 at any width.
DESCRIPTION = "".join(f"{'あ' * k}（い）。" for k in range(1, 16))


def starts(text: str, offsets: list[int]) -> list[str]:
    return [text[offset] for offset in offsets]


async def test_the_description_never_wraps_onto_a_closing_bracket(make_app):
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await search_for(app, pilot, "くしろテストフード")
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, EditorScreen)
        area = app.screen.query_one("#f-description", TextArea)
        area.text = DESCRIPTION
        await settle(app, pilot)
        width = area.wrapped_document._width
        assert width > 0 and area.wrapped_document.height > 1  # it does wrap
        # Textual's own wrapping at this width starts a line with ） or 。 (the test can fail) ...
        assert set(starts(DESCRIPTION, compute_wrap_offsets(DESCRIPTION, width, 4))) & NO_START
        # ... the form's does not, and every line fits.
        sections = area.wrapped_document.get_sections(0)
        assert "".join(sections) == DESCRIPTION
        assert not [s for s in sections[1:] if s[0] in NO_START], sections
        assert all(sum(2 if ord(c) > 0x2E80 else 1 for c in s.rstrip()) <= width for s in sections)


async def test_each_text_area_is_three_lines_whatever_its_text(make_app):
    """nu33 at 80×24: a long 説明 (16 lines wrapped) left 13 blank rows between its three shown lines and
    種別 — the form's grid sizes an auto row by the text's height, not the area's height: 3 — and a
    one-line 説明 was squeezed to one line. Each area is now three lines, and the next field right below."""
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await search_for(app, pilot, "くしろテストフード")
        await pilot.press("e")
        await settle(app, pilot)
        form = app.screen.query_one("#editor-form")
        area = app.screen.query_one("#f-description", TextArea)
        for text in ("一行だけ", DESCRIPTION * 3):
            area.text = text
            await settle(app, pilot)
            below = form.children[form.children.index(area) + 1]
            assert area.region.height == 3, text
            assert below.virtual_region.y == area.virtual_region.y + 3, text
