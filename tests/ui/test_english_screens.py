"""Every screen in English shows no kana or kanji outside data (issue 22 item 7).

The catalogue's own text (names, organisations, addresses, descriptions…) and place names
are Japanese data and stay so; everything else a person reads comes from ``en.toml``.
A run of Japanese characters on screen passes only when it is part of such data.
"""

from __future__ import annotations

import re
from dataclasses import fields

import pytest

from tui.core.models import Resource

from .conftest import RESOURCES, settle

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60\u3001-\u303f]+")
# Named in itself whatever the screen's language (the settings' language list).
SELF_NAMED = {"日本語"}


def data_texts(app) -> list[str]:
    """The catalogue's Japanese: every text field of every resource, and the place names."""
    texts = []
    for resource in RESOURCES:
        for field in fields(Resource):
            value = getattr(resource, field.name)
            texts += [str(v) for v in value] if isinstance(value, tuple) else [str(value)]
    for place in app.catalogue.gazetteer.places.values():
        texts += [place.name, place.kana, place.full_name, place.district]
    return [text for text in texts if text]


def not_data(app, screen_text: str) -> list[str]:
    data = data_texts(app)
    found = []
    for run in JAPANESE.findall(screen_text):
        if run in SELF_NAMED or any(run in text for text in data):
            continue
        found.append(run)
    return found


def shown(app) -> str:
    """The screen as a person sees it: every line, and every notification on it."""
    lines = [strip.text for strip in app.screen._compositor.render_strips()]
    return "\n".join(lines + [n.message for n in app._notifications])


STEPS = [
    # (what the step shows, keys from the finder, keys back to the finder)
    ("finder", (), ()),
    ("details", ("enter",), ("escape",)),
    ("help", ("question_mark",), ("escape",)),
    ("area picker", ("a",), ("escape",)),
    ("area picker typed", ("a", *"kushiro"), ("escape",)),
    ("need picker", ("n",), ("escape",)),
    ("case dialog", ("k", *"Yamada-2026", "enter"), ("escape",)),
    ("refer with a remark", ("R",), ("escape",)),
    ("referred", ("r",), ()),
    ("copied", ("c",), ()),
    ("referral log", ("L",), ("escape",)),
    ("log status filter", ("L", "f"), ("escape", "escape")),
    ("log set status", ("L", "s"), ("escape", "escape")),
    ("log follow-up", ("L", "u"), ("escape", "escape")),
    ("log date", ("L", "d"), ("escape", "escape")),
    ("edit form", ("e",), ("escape",)),
    ("history", ("h",), ("escape",)),
    ("verification queue", ("V",), ("escape",)),
    ("coverage map", ("m",), ("escape",)),
    ("conflicts", ("C",), ("escape",)),
    ("sync without a repository", ("S",), ()),
    ("palette", ("ctrl+p",), ("escape",)),
    ("verified today", ("v",), ("escape",)),
]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_every_screen_in_english_shows_japanese_only_in_data(make_app, size):
    app = make_app("en", cursor_blink=False)
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(app, pilot)
        app.case_ref = "C-2026-001"
        problems = {}
        for name, keys, back in STEPS:
            app.clear_notifications()
            await pilot.press(*keys)
            await settle(app, pilot)
            found = not_data(app, shown(app))
            if found:
                problems[name] = found
            await pilot.press(*back)
            await settle(app, pilot)
            assert type(app.screen).__name__ == "FinderScreen", (name, app.screen)
        app.screen.open_settings()  # the palette's Settings
        await settle(app, pilot)
        found = not_data(app, shown(app))
        if found:
            problems["settings"] = found
        assert problems == {}, "\n".join(f"{name}: {runs}" for name, runs in problems.items())


def test_the_check_finds_japanese_that_is_not_data(make_app):
    """The walk's own check fails on a UI word left in Japanese (so the walk can fail)."""
    app = make_app("en")
    assert not_data(app, "Checked: 未確認") == ["未確認"]
    assert not_data(app, "くしろテストフードバ… 1 found") == []  # a cut name is still data
