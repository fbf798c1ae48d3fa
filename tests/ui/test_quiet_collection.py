"""Older-generation garbage collections wait for a pause in the typing (tui/ui/collecting.py):
traced at 100k, 120×40, a full collection (6–16 ms) landed inside a keystroke's frame on about one
key in three."""

from __future__ import annotations

import gc

import pytest

from tui.ui import collecting
from tui.ui.collecting import MOST_DEFERRED, NEVER, QUIET, QuietCollector

from .conftest import settle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def collector():
    clock = Clock()
    quiet = QuietCollector(clock)
    quiet.start()
    yield quiet, clock
    quiet.stop()


def _make_young_passes(count: int) -> None:
    """Leave ``count`` young-generation passes behind, as a keystroke's objects would."""
    for _ in range(count):
        gc.collect(0)


def test_only_the_young_generation_is_collected_automatically_while_it_runs():
    before = gc.get_threshold()
    quiet = QuietCollector(Clock())
    quiet.start()
    try:
        assert gc.get_threshold() == (before[0], NEVER, NEVER)
        assert gc.isenabled()  # young passes (a fraction of a millisecond) stay automatic
    finally:
        quiet.stop()
    assert gc.get_threshold() == before


def test_nothing_is_collected_while_the_keys_are_coming(collector):
    quiet, clock = collector
    _make_young_passes(collecting.YOUNG_PASSES + 1)
    quiet.key()
    clock.now += QUIET / 2
    assert quiet.look() is None and quiet.collections == []
    assert gc.get_count()[1] > collecting.YOUNG_PASSES  # still due


def test_what_is_due_is_collected_once_the_keys_pause(collector):
    quiet, clock = collector
    quiet.key()
    clock.now += QUIET
    gc.collect()  # nothing due to start with: a look does nothing
    assert quiet.look() is None
    _make_young_passes(collecting.YOUNG_PASSES)
    assert quiet.look() == 1
    assert gc.get_count()[1] == 0  # the middle generation was collected
    for _ in range(collecting.MIDDLE_PASSES):
        gc.collect(1)
    assert quiet.look() == 2  # a full collection when CPython would have run one
    assert quiet.collections == [1, 2]


def test_a_collection_put_off_too_long_runs_even_while_typing(collector):
    quiet, clock = collector
    _make_young_passes(collecting.YOUNG_PASSES)
    for _ in range(int(MOST_DEFERRED / 0.05) + 1):  # a key every 50 ms, for longer than MOST_DEFERRED
        clock.now += 0.05
        quiet.key()
        if quiet.look() is not None:
            break
    assert quiet.collections == [1]


async def test_the_app_holds_the_older_generations_while_it_runs_and_gives_them_back(make_app):
    before = gc.get_threshold()
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert gc.get_threshold()[1:] == (NEVER, NEVER)
        seen = app.collector.last_key
        await pilot.press("slash", "k")
        await settle(app, pilot)
        assert app.collector.last_key > seen  # every key is noted
    assert gc.get_threshold() == before
