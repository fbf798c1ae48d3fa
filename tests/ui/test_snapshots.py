"""How the finder looks (SVG snapshots): main screen in ja and en, an empty result, help, the coverage map.

A fixed test catalogue and a frozen "today" keep these stable; cursors do not blink.
Update after an intended change with ``pytest tests/ui/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from tui.ui.app import TsunaguApp

from .conftest import TODAY, settle


def finder(catalogue, lang: str) -> TsunaguApp:
    return TsunaguApp(catalogue, lang, today=TODAY, cursor_blink=False)


async def _settled(pilot) -> None:
    await settle(pilot.app, pilot)


def test_main_screen_ja(snap_compare, catalogue):
    assert snap_compare(finder(catalogue, "ja"), terminal_size=(80, 24), run_before=_settled)


def test_main_screen_en(snap_compare, catalogue):
    assert snap_compare(finder(catalogue, "en"), terminal_size=(80, 24), run_before=_settled)


def test_empty_result(snap_compare, catalogue):
    async def nothing_in_obihiro(pilot) -> None:
        await settle(pilot.app, pilot)
        pilot.app.screen.area = "01207"
        pilot.app.screen.needs = ("food",)
        await settle(pilot.app, pilot)

    assert snap_compare(finder(catalogue, "ja"), terminal_size=(80, 24), run_before=nothing_in_obihiro)


def test_help(snap_compare, catalogue):
    async def open_help(pilot) -> None:
        await settle(pilot.app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(finder(catalogue, "ja"), terminal_size=(80, 24), run_before=open_help)


def test_wide_screen_en(snap_compare, catalogue):
    assert snap_compare(finder(catalogue, "en"), terminal_size=(160, 40), run_before=_settled)


def test_coverage_map_ja(snap_compare, catalogue):
    async def open_map(pilot) -> None:
        await settle(pilot.app, pilot)
        await pilot.press("m")
        await settle(pilot.app, pilot)

    assert snap_compare(finder(catalogue, "ja"), terminal_size=(80, 24), run_before=open_map)
