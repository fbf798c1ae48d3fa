"""A full build of the search index runs in the app's worker, never in the search that needs it
(issue 20): the index in hand answers meanwhile, the status line says how far the build is, and
the results are searched again with the new index when it is done."""

from __future__ import annotations

import threading
from dataclasses import replace

from tui.core.search import build as search_build
from tui.core.search import stored as search_stored
from tui.core.store.catalogue import Catalogue

from .conftest import settle
from .test_finder import search_for, shown_ids


async def wait_for(pilot, condition, rounds: int = 400) -> None:
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("the app never got there")


async def test_many_rows_changed_elsewhere_are_built_in_the_worker_while_the_old_index_answers(
        make_app, catalogue, monkeypatch):
    monkeypatch.setattr(search_stored, "COMPACT_ROWS", 2)
    monkeypatch.setattr(search_stored, "COMPACT_MIN", 1)
    release = threading.Event()
    builds: list[str] = []
    real = Catalogue.build_whole

    def held(self, progress=None):  # the worker's build, held until the test has looked at the screen
        builds.append(threading.current_thread().name)
        if progress:
            progress(1, 2)
        release.wait(10)
        return real(self, progress)

    monkeypatch.setattr(Catalogue, "build_whole", held)
    in_place: list[None] = []
    real_parts = search_build.build_parts

    def counted(cat, ids=None, progress=None):
        if ids is None and cat is catalogue:
            in_place.append(None)  # a full build on the app's own connection: the keystroke path
        return real_parts(cat, ids, progress)

    monkeypatch.setattr(search_build, "build_parts", counted)
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await search_for(app, pilot, "テスト")
        before = shown_ids(app)
        # Another program renames three places and has not stored its index yet (it is building it).
        monkeypatch.setenv("TSUNAGU_FAULT", "index-disk-full")
        with Catalogue.open(catalogue.path) as other:
            for rid in ("t-food-kushiro", "t-consult-kushiro", "t-work-obihiro"):
                current = other.get(rid)
                assert current is not None
                other.save(replace(current, name=current.name.replace("テスト", "改名")), base=current)
        monkeypatch.delenv("TSUNAGU_FAULT")
        assert app.check_external_changes()
        status = app.screen.query_one("#filters")
        await wait_for(pilot, lambda: "索引を作り直し中 50%" in status.text.plain)
        assert shown_ids(app) == before  # the index in hand answered: the old names, at once
        await pilot.press("slash", "ctrl+u", *"改名", "escape")
        await wait_for(pilot, lambda: app.screen.query_one("#filters").text.plain.count("0件") >= 1)
        assert builds and builds[0] != threading.main_thread().name and not in_place
        release.set()
        await wait_for(pilot, lambda: app.index_progress is None)
        await settle(app, pilot)
        assert set(shown_ids(app)) == {"t-food-kushiro", "t-consult-kushiro", "t-work-obihiro"}
        assert "索引" not in app.screen.query_one("#filters").text.plain
        assert len(builds) == 1 and not in_place
