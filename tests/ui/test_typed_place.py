"""A place typed in the finder's query filters as ``a`` does, and the header says so (issue 22, item 8)."""

from __future__ import annotations

from tui.ui.screens.finder import FinderScreen

from .conftest import settle
from .test_finder import search_for, shown_ids


async def test_a_typed_place_filters_like_the_area_key_and_the_header_says_so(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("a", *"kushiro", "enter")
        await settle(app, pilot)
        picked = set(shown_ids(app))
        await pilot.press("a", "enter")  # the first line clears the filter
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, FinderScreen) and screen.area is None
        await search_for(app, pilot, "くしろ")
        assert set(shown_ids(app)) == picked
        assert "t-transport-all" in picked  # serves all Hokkaido, so 釧路市 too: not a text match
        header = screen.query_one("#filters").text.plain
        assert "釧路市 (入力から)" in header
        await search_for(app, pilot, "くしろ ふーど")
        assert shown_ids(app) == ["t-food-kushiro"]


async def test_an_area_picked_with_a_wins_over_a_place_in_the_query(make_app):
    app = make_app("en")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("a", *"obihiro", "enter")
        await settle(app, pilot)
        await search_for(app, pilot, "kushiro")
        header = app.screen.query_one("#filters").text.plain
        assert "from the query" not in header
        assert shown_ids(app) == []  # the text kushiro, within 帯広市


async def test_w_widens_a_place_typed_in_the_query(make_app):
    """`仕事 月形` found nothing and `w` said no area was set (全道を表示中) under a header saying
    月形町 (入力から): the place typed now leaves the words and is widened as the area."""
    from tui.ui.widgets.search_box import SearchBox

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await search_for(app, pilot, "テスト農園 くしろ")
        screen = app.screen
        assert screen.typed_place is not None and screen.typed_place.code == "01206"
        assert shown_ids(app) == []  # the farm is in 帯広市
        # The empty list offers w as it does after a: a typed place (月形 しごと) showed only "/: shorten".
        assert "w: 地域を「釧路" in screen.query_one("ResultsTable").empty_text.plain
        await pilot.press("w")
        await settle(app, pilot)
        assert (screen.area, screen.widened_from) == ("kushiro", "01206")
        assert screen.query_one(SearchBox).value == "テスト農園"
        await pilot.press("w")
        await settle(app, pilot)
        assert screen.area == "hokkaido" and shown_ids(app) == ["t-work-obihiro"]
        assert "t-work-obihiro" in screen.outside  # outside the place first asked for


async def test_the_need_pickers_counts_leave_the_typed_place_out_of_the_words(make_app):
    """nu33 at 80×24: / 網走 しぇるたー listed three places, then n said (0) beside every need — the
    picker counted with the place word still among the words searched, which no name holds."""
    from textual.widgets import SelectionList

    from tui.ui.screens.need_picker import NeedPickerScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await search_for(app, pilot, "085-0015 ふーど")  # a place no name holds, as 網走 there
        assert shown_ids(app) == ["t-food-kushiro"]
        await pilot.press("escape", "n")
        await settle(app, pilot)
        picker = app.screen
        assert isinstance(picker, NeedPickerScreen)
        assert picker.counts and picker.counts.get("food") == 1, picker.counts  # urgent needs count offices too
        options = picker.query_one(SelectionList)
        food = next(options.get_option_at_index(i) for i in range(options.option_count)
                    if options.get_option_at_index(i).value == "food")
        assert "(1)" in str(food.prompt)


async def test_the_need_pickers_counts_are_what_ticking_lists_when_only_all_hokkaido_lines_answer(tmp_path):
    """nu33: / 帯広 しょくりょう found no food in 帯広, so the finder listed the line serving all Hokkaido;
    n then said (0) beside 食料支援 — ticking it lists that line, and the count must say so."""
    from dataclasses import replace

    from textual.widgets import SelectionList

    from tui.ui.screens.need_picker import NeedPickerScreen

    from .conftest import RESOURCES, app_on

    line = replace(RESOURCES[1], id="t-consult-line", name="全道テスト相談ダイヤル", name_kana="ぜんどうてすとそうだんだいやる",
                   area="01100", serves=("hokkaido",), phone="011-000-0007", needs=("consultation",))
    async with app_on(tmp_path / "c.db", [*RESOURCES, line]) as (app, pilot):
        await search_for(app, pilot, "帯広 しょくりょう")
        assert shown_ids(app) == ["t-consult-line"]  # no food in 帯広: the line serving all Hokkaido
        await pilot.press("escape", "n")
        await settle(app, pilot)
        picker = app.screen
        assert isinstance(picker, NeedPickerScreen)
        assert picker.counts and picker.counts.get("food") == 1, picker.counts
        options = picker.query_one(SelectionList)
        food = next(options.get_option_at_index(i) for i in range(options.option_count)
                    if options.get_option_at_index(i).value == "food")
        assert "(1)" in str(food.prompt)
        counted = picker.counts.get("consultation", 0)
        await pilot.press("space", "enter")  # the first need, 総合相談: it lists what it counted
        await settle(app, pilot)
        assert len(shown_ids(app)) == counted


async def test_an_english_place_with_its_suffix_filters_and_the_header_names_it(make_app):
    """en35: `Sapporo Kita Ward food` filtered by 札幌市 and searched "Kita Ward food" as text: the
    ward with its English suffix is now the place, and only `food` is searched."""
    app = make_app("en")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await search_for(app, pilot, "Sapporo Chuo Ward food")
        header = app.screen.query_one("#filters").text.plain
        assert "Sapporo-shi Chuo-ku (from the query)" in header
        assert shown_ids(app) == ["t-food-sapporo"]
        await pilot.press("slash", "ctrl+u")
        await search_for(app, pilot, "Sapporo Kita Ward food")
        header = app.screen.query_one("#filters").text.plain
        assert "Sapporo-shi Kita-ku (from the query)" in header
        assert shown_ids(app) == []  # the 中央区 food is not in 北区
