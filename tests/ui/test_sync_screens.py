"""Syncing from the app: `S` exchanges changes, the status line tells, `C` resolves conflicts."""

from __future__ import annotations

import pytest

from tui import config
from tui.core.db import transaction
from tui.core.sharing.state import conflicts
from tui.core.sharing.sync import sync
from tui.core.store.catalogue import Catalogue
from tui.ui.screens.confirm import ConfirmScreen
from tui.ui.screens.conflicts import ConflictsScreen
from tui.ui.widgets.line import StatusLine

from .conftest import RESOURCES, build_catalogue, settle


@pytest.fixture(autouse=True)
def asked_about_counts(isolated_home):
    """The office has answered the one question about sharing counts (its own tests say so)."""
    config.save(config.Settings(worker="山田", share_counts_asked=True))


def two_offices(catalogue, tmp_path, theirs: dict, ours: dict) -> None:
    """This office and another join a shared folder; the other edits and syncs, then this one edits."""
    remote = str(tmp_path / "shared.git")
    sync(catalogue, author="me <>", remote=remote)
    with build_catalogue(tmp_path / "other.db", RESOURCES) as other:
        sync(other, author="other (office B) <>", remote=remote)
        for rid, changes in theirs.items():
            edit(other, rid, **changes)
        sync(other, author="other <>")
    for rid, changes in ours.items():
        edit(catalogue, rid, **changes)


async def press_and_settle(app, pilot, key: str) -> None:
    await settle(app, pilot)
    await pilot.press(key)
    await settle(app, pilot)


def edit(catalogue: Catalogue, rid: str, **changes) -> None:
    catalogue.write([catalogue.get(rid).replace(**changes)], how="edit")


def status_line(app) -> str:
    return app.screen.query_one("#filters", StatusLine).text.plain


async def test_s_syncs_and_the_status_line_says_so(make_app, catalogue, tmp_path):
    two_offices(catalogue, tmp_path, {"t-food-kushiro": {"hours": "土日 9:00-12:00"}},
                {"t-work-obihiro": {"capacity": "月3名"}})
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        assert "未送信 1" in status_line(app)
        await press_and_settle(app, pilot, "S")
        assert "同期" in status_line(app) and "未送信" not in status_line(app)
    assert catalogue.get("t-food-kushiro").hours == "土日 9:00-12:00"
    with Catalogue.open(tmp_path / "other.db") as other:
        sync(other, author="other <>")
        assert other.get("t-work-obihiro").capacity == "月3名"


async def test_unreachable_is_shown_quietly_as_offline(make_app, catalogue):
    with catalogue.lock, transaction(catalogue.conn):
        catalogue.conn.execute("INSERT INTO sync_state(key, value) VALUES ('remote', 'git://127.0.0.1:1/none.git')")
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await press_and_settle(app, pilot, "S")
        assert "オフライン" in status_line(app)
        assert app.screen.query_one("#results").has_focus  # work goes on


async def test_conflicts_screen_takes_theirs(make_app, catalogue, tmp_path):
    two_offices(catalogue, tmp_path, {"t-food-kushiro": {"cost": "100円"}}, {"t-food-kushiro": {"cost": "200円"}})
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await press_and_settle(app, pilot, "S")
        assert "競合 1" in status_line(app)
        await press_and_settle(app, pilot, "C")
        assert isinstance(app.screen, ConflictsScreen)
        table = app.screen.query_one("#conflicts-table")
        assert table.row_count == 1
        assert [str(c) for c in table.get_row_at(0)][1:5] == ["費用", "200円", "100円", "無料"]
        await pilot.press("t")
        await settle(app, pilot)
        await settle(app, pilot)
        assert app.screen.query_one("#conflicts-empty").display
    assert catalogue.get("t-food-kushiro").cost == "100円"
    assert conflicts(catalogue) == []


async def test_a_value_typed_for_a_conflict_goes_through_the_imports_rules(make_app, catalogue, tmp_path):
    # In tmux `e`, "maybe", enter on a shelter's confidential conflict made it public (its
    # address then went out at the next sync), and an area typed by name was stored as written.
    two_offices(catalogue, tmp_path, {"t-shelter": {"confidential": False}, "t-food-kushiro": {"area": "01207"}},
                {"t-food-kushiro": {"area": "01100"}})
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await press_and_settle(app, pilot, "S")
        await press_and_settle(app, pilot, "C")
        assert {(c.id, c.field) for c in conflicts(catalogue)} == {("t-shelter", "confidential"),
                                                                   ("t-food-kushiro", "area")}
        table = app.screen.query_one("#conflicts-table")
        for answer in ("maybe", "", "釧路氏", "釧路市"):
            field = "area" if "釧" in answer else "confidential"
            row = next((i for i, r in enumerate(app.screen.rows) if r[0].field == field), None)
            if row is None:  # resolved by a value that should have been refused
                break
            table.move_cursor(row=row)
            await press_and_settle(app, pilot, "e")
            app.screen.query_one("Input").value = answer
            await press_and_settle(app, pilot, "enter")
            await settle(app, pilot)
    shelter, food = catalogue.get("t-shelter"), catalogue.get("t-food-kushiro")
    assert shelter.confidential and shelter.address
    assert food.area == "01206"
    assert [(c.id, c.field) for c in conflicts(catalogue)] == [("t-shelter", "confidential")]


@pytest.mark.parametrize("answer,shared", [("enter", False), ("n", False), ("y", True)])
async def test_the_first_s_asks_once_whether_to_share_counts_then_syncs(make_app, catalogue, tmp_path, answer, shared):
    config.save(config.Settings(worker="山田"))  # never asked yet
    two_offices(catalogue, tmp_path, {"t-food-kushiro": {"hours": "土日 9:00-12:00"}}, {})
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await press_and_settle(app, pilot, "S")
        assert isinstance(app.screen, ConfirmScreen)
        assert "件数だけを共有しますか" in app.screen.question and "3件未満" in app.screen.question
        await press_and_settle(app, pilot, answer)
        assert not isinstance(app.screen, ConfirmScreen)
        assert "同期" in status_line(app)  # the sync the worker asked for ran after the answer
        saved = config.load()
        assert (saved.share_counts, saved.share_counts_asked) == (shared, True)
        assert saved.office_id.startswith("office-") == shared
        await press_and_settle(app, pilot, "S")
        assert not isinstance(app.screen, ConfirmScreen)  # asked once
    assert catalogue.get("t-food-kushiro").hours == "土日 9:00-12:00"


async def test_a_background_sync_never_asks_and_shares_nothing(make_app, catalogue, tmp_path):
    config.save(config.Settings(worker="山田"))
    two_offices(catalogue, tmp_path, {"t-food-kushiro": {"hours": "土日 9:00-12:00"}}, {})
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        app.start_sync(manual=False)
        await settle(app, pilot)
        assert not isinstance(app.screen, ConfirmScreen)
    saved = config.load()
    assert (saved.share_counts, saved.share_counts_asked) == (False, False)
    assert catalogue.get("t-food-kushiro").hours == "土日 9:00-12:00"


async def test_conflicts_name_the_person_in_local_time_and_drop_what_the_cli_resolved(make_app, catalogue, tmp_path,
                                                                                     monkeypatch):
    """Issue 22 item 9: `tsunagu` stood for the person, the time was Japan's whatever the computer's
    zone, and a conflict resolved with `tsunagu conflicts --take` stayed on the open screen."""
    import time

    from tui.core.sharing.conflicts import take

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        two_offices(catalogue, tmp_path, {"t-food-kushiro": {"cost": "100円"}}, {"t-food-kushiro": {"cost": "200円"}})
        remote = str(tmp_path / "shared.git")
        with Catalogue.open(tmp_path / "other.db") as other:  # theirs changed again, by a worker with no name
            edit(other, "t-food-kushiro", cost="150円")
            sync(other, author="tsunagu (釧路センター) <>", remote=remote)
        app = make_app(cursor_blink=False)
        async with app.run_test(size=(120, 30)) as pilot:
            await press_and_settle(app, pilot, "S")
            await press_and_settle(app, pilot, "C")
            table = app.screen.query_one("#conflicts-table")
            by = str(table.get_row_at(0)[5])
            assert by.startswith("担当者名の設定なし (釧路センター)") and "tsunagu" not in by
            stored = conflicts(catalogue)[0].at  # Japan's time, +09:00
            from datetime import datetime

            assert by.endswith(datetime.fromisoformat(stored).astimezone().strftime("%m-%d %H:%M"))
            assert stored[11:16] not in by  # the computer's zone (UTC here), not Japan's
            with Catalogue.open(catalogue.path) as cli:  # what `tsunagu conflicts --take mine` does
                take(cli, "t-food-kushiro", "cost", "mine", by="cli")
            app.check_external_changes()
            await settle(app, pilot)
            assert app.screen.query_one("#conflicts-empty").display and table.row_count == 0
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


async def test_the_conflicts_title_wraps_rather_than_being_cut_at_80_columns(make_app):
    """In English at 80×24 the title ended '(m: mine, t: theirs, e: ed' at the edge (seen in tmux)."""
    app = make_app("en", cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await press_and_settle(app, pilot, "C")
        assert isinstance(app.screen, ConflictsScreen)
        title = app.screen.query_one("#conflicts-title")
        assert title.region.right <= app.size.width, title.region  # nothing past the screen's edge
        lines = title.render_lines(title.content_region.reset_offset)
        assert "e: edit)" in " ".join(" ".join(strip.text.split()) for strip in lines)
