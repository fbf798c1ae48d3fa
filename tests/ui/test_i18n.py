"""One key set in two languages, every key the code asks for defined, language from the locale."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from tui.i18n import LANGUAGES, language_from_locale, strings, t

ROOT = Path(__file__).resolve().parents[2]


def test_both_languages_define_every_key():
    ja, en = set(strings("ja")), set(strings("en"))
    assert ja - en == set(), "in ja.toml but not en.toml"
    assert en - ja == set(), "in en.toml but not ja.toml"
    for lang in LANGUAGES:
        assert all(value.strip() for value in strings(lang).values()), lang


def test_both_languages_fill_in_the_same_fields():
    fields = lambda template: {name for _, name, _, _ in string.Formatter().parse(template) if name}  # noqa: E731
    for key in strings("ja"):
        assert fields(strings("ja")[key]) == fields(strings("en")[key]), key


def test_every_key_the_ui_asks_for_exists():
    used = set()
    for path in (ROOT / "tui" / "ui").rglob("*.py"):
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]+)["']""", path.read_text(encoding="utf-8")))
    assert used, "the scan found no keys"
    missing = {key for key in used if key not in strings("ja")}
    assert missing == set()


def test_every_binding_id_has_a_label_and_tooltip():
    from tui.ui.app import TsunaguApp
    from tui.ui.screens import area_picker, finder, help, need_picker, prompt
    from tui.ui.widgets import detail

    classes = [TsunaguApp, finder.FinderScreen, finder.SearchBox, area_picker.AreaPickerScreen, need_picker.NeedPickerScreen,
               need_picker.NeedList, prompt.PromptScreen, help.HelpScreen, detail.DetailPane]
    for cls in classes:
        for binding in cls.BINDINGS:
            assert binding.id, (cls.__name__, binding.key)
            for lang in LANGUAGES:
                assert f"keys.{binding.id}" in strings(lang), (lang, binding.id)
                assert f"tips.{binding.id}" in strings(lang), (lang, binding.id)


def test_t_fills_templates_and_falls_back():
    assert t("finder.count", "ja", count=3) == "3件"
    assert t("finder.count", "en", count=3) == "3 found"
    assert t("finder.count", "fr", count=3) == "3件"  # unknown language: Japanese
    assert t("no.such.key", "en") == "no.such.key"


@pytest.mark.parametrize(
    "environ, expected",
    [
        ({"LANG": "ja_JP.UTF-8"}, "ja"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "C"}, "ja"),  # a bare locale says nothing: Japanese first
        ({"LANG": "C.UTF-8"}, "ja"),
        ({}, "ja"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "ja_JP.UTF-8"}, "ja"),
        ({"LANG": "ja_JP.UTF-8", "LC_ALL": "C.UTF-8"}, "ja"),
        ({"LANG": "ja_JP.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
    ],
)
def test_language_from_locale(environ, expected):
    assert language_from_locale(environ) == expected


def test_lang_flag_beats_the_locale(monkeypatch):
    from tui.config import choose_language

    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert choose_language("en") == "en"
    assert choose_language(None) == "ja"


def test_every_help_line_has_text_in_both_languages():
    from tui.ui.screens.help import HELP_KEYS

    for _, key in HELP_KEYS:
        for lang in LANGUAGES:
            assert key in strings(lang), (lang, key)


def test_the_help_screen_names_every_key_of_the_finder():
    """The help list is written by hand: a key added to the finder must be added there too."""
    from tui.ui.screens.finder import FinderScreen
    from tui.ui.screens.help import HELP_KEYS

    shown = {"slash": "/", "question_mark": "?"}
    listed = " / ".join(key for key, _ in HELP_KEYS).split(" / ")
    listed = [part for key in listed for part in key.split()]
    for binding in FinderScreen.BINDINGS:
        for key in binding.key.split(","):
            assert shown.get(key, key) in listed, key


def test_picker_placeholders_fit_the_picker_box_at_80_columns():
    """The picker box is 70 cells with a border and padding: a longer hint was cut with no ellipsis."""
    from rich.cells import cell_len

    for lang in LANGUAGES:
        for key in ("area.placeholder", "needs.placeholder"):
            assert cell_len(t(key, lang)) <= 70 - 4, (lang, key)
