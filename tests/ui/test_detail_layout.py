"""A new resource in the details asks for no layout of the whole screen while its lines fit
the pane (issue 22, frame time: the layout was the slow part of a keystroke at 100k)."""

from __future__ import annotations

from tui.ui.widgets.detail import DetailBody, DetailPane

from .conftest import settle


async def test_details_that_fit_the_pane_change_without_a_layout(make_app):
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        finder = app.screen
        pane = finder.query_one(DetailPane)
        body = finder.query_one(DetailBody)
        layouts: list[bool] = []
        refresh = body.refresh

        def recording(*regions, layout=False, **kwargs):
            layouts.append(layout)
            return refresh(*regions, layout=layout, **kwargs)

        body.refresh = recording  # type: ignore[method-assign]
        heights = set()
        for resource in ("t-food-kushiro", "t-consult-kushiro", "t-work-obihiro", "t-shelter"):
            finder.query_one("ResultsTable").select_id(resource)
            await settle(app, pilot)
            assert finder.selected.id == resource and resource in pane.plain  # its details are shown
            heights.add(len(body.content.plain.split("\n")))
        assert len(heights) > 1  # the details differ in length …
        assert max(heights) <= pane.scrollable_content_region.height  # … and all fit the pane
        assert layouts and not any(layouts)  # repainted each time, never laid out
        assert body.region.height == pane.scrollable_content_region.height


async def test_long_details_still_scroll_to_their_end(make_app):
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        pane = app.screen.query_one(DetailPane)
        body = app.screen.query_one(DetailBody)
        lines = len(body.content.plain.split("\n"))
        room = pane.scrollable_content_region.height
        assert lines > room  # stacked under the list at 80×24: the details are longer than the pane
        assert lines <= body.region.height < lines + DetailBody.STEP  # every line reachable, little blank below
