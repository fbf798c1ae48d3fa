"""A new resource in the details asks for no layout of the whole screen, whether its lines fit
the pane or not (issue 22, frame time: a layout was the slow part of a keystroke at 100k)."""

from __future__ import annotations

import pytest

from tui.ui.widgets.detail import DetailPane

from .conftest import settle

RESOURCES = ("t-food-kushiro", "t-consult-kushiro", "t-work-obihiro", "t-shelter")


def calls_of(target, name: str) -> list[tuple]:
    """Record every call of ``target.name`` (its arguments), calling through."""
    calls: list[tuple] = []
    original = getattr(target, name)

    def recording(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    setattr(target, name, recording)
    return calls


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_a_new_resource_in_the_details_asks_for_no_layout(make_app, size):
    app = make_app(cursor_blink=False)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        finder = app.screen
        pane = finder.query_one(DetailPane)
        layouts = calls_of(finder, "_refresh_layout")
        lengths = set()
        for resource in RESOURCES:
            finder.query_one("ResultsTable").select_id(resource)
            await settle(app, pilot)
            assert finder.selected.id == resource and resource in pane.plain  # its details are shown
            lengths.add(len(pane.content.plain.split("\n")))
        assert len(lengths) > 1  # the details differ in length …
        room = pane.scrollable_content_region.height
        if size == (80, 24):
            assert max(lengths) > room  # … and at 80×24 some are longer than the pane
        assert not layouts  # repainted each time, never laid out


async def test_long_details_scroll_to_their_end_and_the_next_starts_at_the_top(make_app):
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        finder = app.screen
        pane = finder.query_one(DetailPane)
        for resource in RESOURCES:  # the longest of them
            finder.query_one("ResultsTable").select_id(resource)
            await settle(app, pilot)
            lines = pane.content.plain.split("\n")
            room = pane.scrollable_content_region.height
            if len(lines) > room:
                break
        assert len(lines) > room  # stacked under the list at 80×24: the details are longer than the pane
        pane.scroll_end(animate=False)
        await settle(app, pilot)
        assert pane.scroll_y == len(lines) - room  # every line reachable, no blank below the last
        shown = [pane.render_line(y).text.rstrip() for y in range(room)]
        assert shown[-1] == lines[-1].rstrip() and shown[0] == lines[len(lines) - room].rstrip()
        finder.query_one("ResultsTable").select_id(RESOURCES[0] if resource != RESOURCES[0] else RESOURCES[1])
        await settle(app, pilot)
        assert pane.scroll_y == 0  # another resource's details start at their top
        assert pane.render_line(0).text.rstrip() == pane.content.plain.split("\n")[0].rstrip()


@pytest.mark.parametrize("size", [(120, 40), (200, 50)])
async def test_enter_fills_the_screen_with_the_details_at_any_width(make_app, size):
    """At 200 columns enter showed the details in a 64-column strip between two hatched bands:
    the side pane's max-width stayed on the maximised pane."""
    app = make_app(cursor_blink=False)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "enter")  # leave the search box, then the details
        await settle(app, pilot)
        pane = app.screen.query_one(DetailPane)
        assert app.screen.maximized is pane
        assert pane.size.width >= size[0] - 4, pane.size  # less its padding and scrollbar
        # nu33: the side pane's focused left border (a rule of higher rank) stayed on the full screen.
        assert pane.region.x == 0 and pane.styles.border_left[0] in ("", "none"), pane.styles.border_left


async def test_details_shorter_than_the_pane_leave_its_scrollbar_alone(make_app):
    # At 120×40 the scrollbar redrew its 36 lines (2 ms) for every new best hit, its range set to
    # each resource's length even when all of them fit: it is now the pane's height until one does not.
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        finder = app.screen
        pane = finder.query_one(DetailPane)
        room = pane.scrollable_content_region.height
        refreshed = calls_of(pane.vertical_scrollbar, "refresh")
        lengths = set()
        for resource in RESOURCES:
            finder.query_one("ResultsTable").select_id(resource)
            await settle(app, pilot)
            lengths.add(len(pane.content.plain.split("\n")))
            assert pane.virtual_size.height == room
        assert len(lengths) > 1 and max(lengths) < room  # different lengths, all shorter than the pane
        assert not refreshed


async def test_the_same_resource_again_is_not_drawn_again(make_app):
    # Typing on often keeps the best hit: its details were laid out and drawn anew every key (4 ms at 120×40).
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        finder = app.screen
        pane = finder.query_one(DetailPane)
        finder.query_one("ResultsTable").select_id(RESOURCES[0])
        await settle(app, pilot)
        drawn = calls_of(pane, "render_line")
        kept = dict(pane._strips)
        finder._show_detail(finder.records[RESOURCES[0]])
        await settle(app, pilot)
        assert pane._strips == kept and not drawn  # nothing to redraw
        finder.query_one("ResultsTable").select_id(RESOURCES[1])
        await settle(app, pilot)
        assert drawn and RESOURCES[1] in pane.plain  # another resource is drawn
