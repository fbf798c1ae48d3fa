"""Command palette (ctrl+p): jump to a resource, set filters, open other screens.

Typing in the palette also searches the catalogue (in a thread), so a resource can
be reached by name from anywhere. A command is found by its title or by its readings
(``palette.settings_reading``: せってい, in any kana, width or romaji), and a query that
names a command lists it above the resources the same words find (せってい is Settings,
not a typo of a resource's name).
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Protocol, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from tui.core.public import for_output
from tui.core.text import fold, is_romaji, loose, romaji_to_kana
from tui.i18n import t

# (i18n key of the command, method of the finder screen)
FINDER_COMMANDS = [
    ("palette.go_to", "action_focus_search"),
    ("palette.area", "action_pick_area"),
    ("palette.needs", "action_pick_needs"),
    ("palette.clear", "clear_filters"),
    ("palette.case", "action_set_case"),
    ("palette.help", "action_help"),
    ("palette.referral_log", "action_referral_log"),
    ("palette.settings", "open_settings"),
    ("upkeep.palette_new", "action_new_resource"),
    ("upkeep.palette_queue", "action_queue"),
    ("sync.palette", "action_sync"),
    ("conflicts.palette", "action_conflicts"),
    ("coverage.palette", "action_coverage_map"),
]


# Above every resource hit (the first has 0.9): a command the query names comes first.
NAMED = 1.0


def _keys(text: str) -> set[str]:
    """What a typed query can be compared as: folded (kana, width, case), and read as romaji."""
    folded = fold(text)
    keys = {loose(folded)}
    if is_romaji(folded):
        keys.add(loose(romaji_to_kana(folded)))
    return {key for key in keys if len(key) >= 2}  # one kana names nothing: it is in too many words


def named(query: str, title: str, readings: str) -> float:
    """How well ``query`` names this command: 0 when it is in neither its title nor a reading,
    else the largest share of one such word it covers (せってい is all of 設定's, a third of ケース番号を設定's)."""
    words = [loose(fold(word)) for word in (title, *readings.split())]
    return max((len(key) / len(word) for key in _keys(query) for word in words if key in word), default=0.0)


class _Finder(Protocol):
    lang: str

    def go_to_resource(self, resource_id: str, name: str) -> None: ...


class FinderCommands(Provider):
    def _commands(self):
        screen = self.screen
        lang = getattr(screen, "lang", "ja")
        for key, method in FINDER_COMMANDS:
            callback = getattr(screen, method)
            yield t(key, lang), t(f"{key}_help", lang), t(f"{key}_reading", lang), callback

    async def discover(self) -> Hits:
        if not hasattr(self.screen, "catalogue"):
            return
        for title, help_text, _readings, callback in self._commands():
            yield DiscoveryHit(Content(title), callback, text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        screen = self.screen
        if not hasattr(screen, "catalogue"):
            return
        matcher = self.matcher(query)
        for title, help_text, readings, callback in self._commands():
            fuzzy, share = matcher.match(title), named(query, title, readings)
            if fuzzy or share:
                prompt = matcher.highlight(title) if fuzzy else Content(title)
                yield Hit(NAMED + share if share else fuzzy, prompt, callback, text=title, help=help_text)
        # Resources by name, searched off the event loop.
        try:
            hits = await asyncio.to_thread(screen.catalogue.search, query, limit=8)
        except Exception:  # noqa: BLE001 — the palette then lists no resources; the finder's own search names the fault
            return
        finder = cast(_Finder, screen)  # the screen has a catalogue: the finder
        lang, go_to_resource = finder.lang, finder.go_to_resource
        label = t("palette.go_to_resource", lang)
        for rank, hit in enumerate(hits):
            name = for_output(hit.name, multiline=False)
            # Catalogue text goes in as plain Content: the palette reads ``help`` as markup.
            shown = f"{label}: {name}" + (
                f" — {for_output(hit.organization, multiline=False)}" if hit.organization else ""
            )
            yield Hit(0.9 - rank * 0.05, Content(shown), partial(go_to_resource, hit.id, name), text=shown)
