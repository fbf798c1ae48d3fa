"""Upkeep in the app: the form (same rules as import), verify, history with restore,
the verification queue, two desks on one catalogue, and changes made by another program."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Label

from tui.core.loading.headers import map_header
from tui.core.loading.readers import read_table
from tui.core.store.catalogue import Catalogue
from tui.core.store.changes import history
from tui.ui.screens.confirm import ConfirmScreen
from tui.ui.screens.editor import ConflictScreen, DiscardScreen, EditorScreen
from tui.ui.screens.finder import FinderScreen
from tui.ui.screens.history import HistoryScreen
from tui.ui.screens.prompt import PromptScreen
from tui.ui.screens.queue import DetailsScreen, QueueScreen
from tui.ui.widgets.detail import DetailPane

from .conftest import settle
from .test_finder import search_for

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"


def problem(app, column: str) -> str:
    found = app.screen.query(f"#problem-{column}")
    return str(found.first(Label).content) if found else ""


async def test_the_form_shows_the_imports_problems_beside_each_field_and_writes_nothing(make_app, catalogue):
    table = read_table(FIXTURES / "five_mistakes.csv")
    index, _, _, _ = map_header(table)
    before = catalogue.count()
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        expected = {3: "area", 4: "needs", 5: "last_verified", 6: "name"}  # rows 7 (same id) and 8 (status) cannot happen in a form
        for number, cells in table.rows:
            if number not in expected:
                continue
            await pilot.press("ctrl+n")
            await settle(app, pilot)
            assert isinstance(app.screen, EditorScreen)
            for column, i in index.items():
                if column not in ("id", "status"):
                    app.screen.query_one(f"#f-{column}", Input).value = cells[i]
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert isinstance(app.screen, EditorScreen)
            shown = {c: problem(app, c) for c in ("name", "area", "needs", "last_verified")}
            assert [c for c, text in shown.items() if text] == [expected[number]], number
            await pilot.press("escape")  # typed something: asks first
            await settle(app, pilot)
            assert isinstance(app.screen, DiscardScreen)
            await pilot.press("y")
            await settle(app, pilot)
            assert isinstance(app.screen, FinderScreen)
        assert "釧路市" in problem_text_of_area(catalogue)
    assert catalogue.count() == before


def problem_text_of_area(catalogue) -> str:
    from tui.core.loading.editing import apply_fields

    return apply_fields(catalogue, None, {"name": "x", "area": "釧路氏"})[1][0].fix


async def test_correct_a_phone_number_then_restore_it_from_the_history(make_app, catalogue):
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await search_for(app, pilot, "くしろテストフード")
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, EditorScreen)
        await pilot.press("escape")  # nothing typed: leaves at once
        await settle(app, pilot)
        assert isinstance(app.screen, FinderScreen)
        await pilot.press("e")
        await settle(app, pilot)
        app.screen.query_one("#f-phone", Input).value = "０１５４－９９－１１１１"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, FinderScreen)
        assert catalogue.get("t-food-kushiro").phone == "0154-99-1111"
        assert "0154-99-1111" in app.screen.query_one(DetailPane).plain
        await pilot.press("h")
        await settle(app, pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.changes[0].field == "phone"
        await pilot.press("u")  # asks first (issue 22): n leaves the value as it is
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen) and "0154-00-0001" in app.screen.question
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert catalogue.get("t-food-kushiro").phone == "0154-99-1111"
        await pilot.press("u", "y")
        await settle(app, pilot)
        assert catalogue.get("t-food-kushiro").phone == "0154-00-0001"
        assert app.screen.changes[0].how == "restore"
        await pilot.press("escape")
        await settle(app, pilot)
        assert "0154-00-0001" in app.screen.query_one(DetailPane).plain


async def test_v_verifies_with_a_how_and_the_badge_updates_at_once(make_app, catalogue):
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await search_for(app, pilot, "帯広テスト農園")
        await pilot.press("v")
        await settle(app, pilot)
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*"訪問", "enter")
        await settle(app, pilot)
        assert catalogue.get("t-work-obihiro").last_verified == "2026-06-01"  # TODAY in the tests
        assert history(catalogue, "t-work-obihiro")[0].how == "verify 訪問"
        assert "2026-06-01" in app.screen.query_one(DetailPane).plain
        assert app.screen.selected.last_verified == "2026-06-01"


async def test_the_queue_lists_oldest_first_and_shrinks_as_resources_are_verified(make_app, catalogue):
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("V")
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
        assert [h.id for h in app.screen.hits] == ["t-food-sapporo", "t-transport-all", "t-consult-kushiro", "t-work-obihiro"]
        for remaining in (3, 2, 1):
            await pilot.press("v")
            await settle(app, pilot)
            await pilot.press("enter")
            await settle(app, pilot)
            assert len(app.screen.hits) == remaining
        assert [h.id for h in app.screen.hits] == ["t-work-obihiro"]
        await pilot.press("enter")  # details
        await settle(app, pilot)
        assert isinstance(app.screen, DetailsScreen)
        await pilot.press("escape", "escape")
        await settle(app, pilot)
        assert isinstance(app.screen, FinderScreen)


async def until(app, pilot, condition, what: str, rounds: int = 50) -> None:
    """Settle (workers done, their messages handled) until ``condition()`` holds: a screen pushed
    from a worker's message, or dismissed after a second worker, may take more than one round."""
    for _ in range(rounds):
        await settle(app, pilot)
        if condition():
            return
    raise AssertionError(f"still waiting for {what}; the screen is {app.screen!r}")


async def test_two_desks_a_save_over_a_newer_change_shows_both_values(make_app, catalogue):
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await search_for(app, pilot, "くしろテストフード")
        await pilot.press("e")
        # The editor is pushed from a worker that reads the resource: wait for it, on this resource.
        await until(app, pilot, lambda: isinstance(app.screen, EditorScreen) and app.screen.base is not None
                    and app.screen.base.id == "t-food-kushiro" and bool(app.screen.query("#f-phone")), "the editor")
        with Catalogue.open(catalogue.path) as other:  # another desk saves first
            theirs = other.get("t-food-kushiro")
            other.save(theirs.replace(phone="0154-33-3333", hours="土日"), base=theirs, by="鈴木")
        app.screen.query_one("#f-phone", Input).value = "0154-44-4444"
        await pilot.press("ctrl+s")
        # The save worker posts its outcome; the conflict dialog is pushed when that is handled.
        await until(app, pilot, lambda: isinstance(app.screen, ConflictScreen)
                    and app.screen.query_one(DataTable).row_count > 0, "the conflict dialog")
        table = app.screen.query_one(DataTable)
        row = [str(c) for c in table.get_row("phone")]
        assert "0154-33-3333" in row[1] and "0154-44-4444" in row[2]
        assert catalogue.get("t-food-kushiro").phone == "0154-33-3333"  # nothing overwritten yet
        await pilot.press("m", "enter")
        # Dismissed → the form saves again in a second worker → the editor closes once it is stored.
        await until(app, pilot, lambda: not isinstance(app.screen, (ConflictScreen, EditorScreen)), "the editor to close")
        saved = catalogue.get("t-food-kushiro")
        assert (saved.phone, saved.hours) == ("0154-44-4444", "土日")


async def test_the_history_never_shows_a_confidential_address(make_app, catalogue):
    current = catalogue.get("t-shelter")
    catalogue.save(current.replace(address="釧路市テスト町7-7", notes="裏口から"), base=current, by="佐藤")
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await search_for(app, pilot, "テスト一時シェルター")
        await pilot.press("h")
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        shown = " ".join(str(c) for r in range(table.row_count) for c in table.get_row_at(r))
        assert "テスト町" not in shown and "裏口" not in shown
        assert "非公開" in shown
        await pilot.press("escape", "e")
        await settle(app, pilot)
        assert app.screen.query_one("#f-address", Input).value == ""  # the form does not show it either
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, FinderScreen)
    assert catalogue.get("t-shelter").address == "釧路市テスト町7-7"


async def test_a_change_made_by_another_program_shows_up(make_app, catalogue):
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.seen_data_version is not None  # taken at start: a change before the first look counts too
        await search_for(app, pilot, "くしろテストフード")
        with Catalogue.open(catalogue.path) as other:
            theirs = other.get("t-food-kushiro")
            other.save(theirs.replace(hours="月曜のみ 10:00-12:00"), base=theirs, by="鈴木")
        assert app.check_external_changes()
        await settle(app, pilot)
        assert "月曜のみ" in app.screen.query_one(DetailPane).plain
        assert not app.check_external_changes()


async def test_a_new_resource_from_the_palette_lands_and_is_shown(make_app, catalogue):
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"新しい資源を追加")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, EditorScreen)
        for column, value in (("name", "テスト新規窓口"), ("area", "kushiro-shi"), ("needs", "food; 相談窓口"), ("phone", "0154-12-3456")):
            app.screen.query_one(f"#f-{column}", Input).value = value
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, FinderScreen)
        added = [r for r in catalogue.resources() if r.name == "テスト新規窓口"]
        assert len(added) == 1 and added[0].area == "01206" and added[0].needs == ("food", "consultation")
        assert app.screen.selected.id == added[0].id


async def test_the_queue_keeps_area_and_phone_on_screen_beside_a_long_name(make_app, catalogue):
    from tui.core.models import Resource

    catalogue.write([Resource(id="t-long", name="おびひろ地域若者サポートステーション（おびひろサポステ・プラス）" * 2,
                              needs=("work_experience",), area="hokkaido", phone="0155-66-7550")])
    app = make_app(lang="en", cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("V")
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        for size in ((80, 24), (120, 40), (80, 24)):
            await pilot.resize_terminal(*size)
            await settle(app, pilot)
            assert sum(c.get_render_width(table) for c in table.columns.values()) <= table.size.width
        areas = [str(table.get_cell(h.id, "area")) for h in app.screen.hits]
        assert "All Hokkaido" in areas and "全道" not in areas  # the language chosen, here too


async def test_the_queue_never_squeezes_the_name_to_a_few_characters_after_a_resize(make_app, catalogue):
    """nu34: a resource with several phones and one in a Sapporo ward sized the phone and area
    columns by their longest cell (all 40 cells of it); at 80 columns the name got 10 and the
    table ran past the edge. The name keeps its share; area and phone are cut with … instead."""
    from tui.core.models import Resource

    catalogue.write([Resource(id="t-phones", name="札幌テスト総合相談窓口（夜間・休日の臨時窓口を含む）",
                              needs=("consultation",), area="01109",
                              phone="011-000-0001; 011-000-0002; 011-000-0003; 0120-000-004")])
    app = make_app(lang="en", cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("V")
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        for size in ((80, 24), (200, 50), (80, 24), (120, 40), (80, 24)):
            await pilot.resize_terminal(*size)
            await settle(app, pilot)
            widths = {str(key.value): column.get_render_width(table) for key, column in table.columns.items()}
            assert sum(widths.values()) <= table.size.width, (size, widths)
            assert widths["name"] - 2 >= 20, (size, widths)  # less the cell padding
            area = str(table.get_cell("t-phones", "area"))
            assert area.endswith("…") == (size[0] == 80), (size, area)  # whole when there is room


async def test_the_history_says_how_in_the_users_language(make_app, catalogue):
    current = catalogue.get("t-food-kushiro")
    catalogue.save(current.replace(phone="0154-99-9999"), base=current, by="佐藤", how="edit")
    for lang, word in (("ja", "編集"), ("en", "edit")):
        app = make_app(lang=lang, cursor_blink=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await search_for(app, pilot, "くしろテストフード")
            await pilot.press("h")
            await settle(app, pilot)
            table = app.screen.query_one(DataTable)
            assert str(table.get_row_at(0)[2]) == word


async def test_a_long_name_in_the_queue_ends_in_an_ellipsis_with_no_gap(make_app, catalogue):
    """At 80×24 the queue showed ``あさひかわ若者サポートス …``: cut at an even width, Rich padded the
    half of a wide character with a space before the ``…`` (the log and results cut cleanly)."""
    from tui.core.models import Resource

    catalogue.write([Resource(id="t-long", name="おびひろ地域若者サポートステーション" * 3, needs=("work_experience",),
                              area="01207", phone="0155-66-7550")])
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("V")
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        for size in ((80, 24), (81, 24)):  # one of the two cuts the name mid-character
            await pilot.resize_terminal(*size)
            await settle(app, pilot)
            name = table.get_cell("t-long", "name").plain.rstrip()
            assert name.endswith("…") and not name.endswith(" …"), name


async def test_the_history_fits_its_table_and_a_long_change_ends_in_an_ellipsis_on_every_resize(
        make_app, catalogue):
    """nu32: the change column ran past the dialog's edge, cut with no ``…`` (and in a real terminal, opened
    within a moment of a resize, at the old width). It now takes the room the others leave, at each size."""
    current = catalogue.get("t-food-kushiro")
    long_hours = "24時間（年中無休）通報は最寄りの警察署または交番でも受け付けます。緊急でない相談は#9110へ"
    catalogue.save(current.replace(hours=long_hours), base=current, by="佐藤", how="edit")
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await search_for(app, pilot, "くしろテストフード")
        for size in ((80, 24), (120, 40), (200, 50)):
            await pilot.resize_terminal(*size)
            await pilot.press("h")  # at once, as a person does right after dragging the window
            await settle(app, pilot)
            assert isinstance(app.screen, HistoryScreen)
            table = app.screen.query_one(DataTable)
            change = table.get_row_at(0)[4].plain.rstrip()
            assert sum(c.get_render_width(table) for c in table.columns.values()) <= table.size.width, size
            assert change.endswith("…") != (long_hours in change), (size, change)
            await pilot.press("escape")
            await settle(app, pilot)
        await pilot.press("h")
        await settle(app, pilot)
        await pilot.resize_terminal(80, 24)  # and while it is open
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= table.size.width
        assert table.get_row_at(0)[4].plain.rstrip().endswith("…")


def drawn(widget) -> str:
    from textual.geometry import Region

    return "".join(strip.text.strip() for strip in widget.render_lines(Region(0, 0, *widget.size)))


async def test_the_verify_question_is_shown_whole_for_a_long_name(make_app, catalogue):
    """nu33 at 80×24: v on きたひろしま暮らしサポートセンターぽると（北広島市の自立相談支援） showed the name
    and cut the rest — "を今日確認済みにします", the question itself — with no …; the title now wraps."""
    from tui.core.models import Resource

    name = "きたひろしま暮らしサポートセンターぽると（北広島市の自立相談支援）"
    catalogue.write([Resource(id="t-long", name=name, needs=("consultation",), area="01234")])
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await search_for(app, pilot, "きたひろしま")
        await pilot.press("v")
        await settle(app, pilot)
        assert isinstance(app.screen, PromptScreen)
        widget = app.screen.query_one("#prompt-title")
        assert widget.region.right <= app.screen.query_one("#prompt").content_region.right  # inside the box
        title = drawn(widget)
        assert title.endswith("を今日確認済みにします") and "ぽると" in title, title
