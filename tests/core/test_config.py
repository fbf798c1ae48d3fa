"""Settings: defaults when missing, TOML round trip, private file, no folders at import."""

from __future__ import annotations

import os
import stat
import tomllib

import pytest

from tui import config, paths


def test_defaults_when_missing_and_nothing_created(isolated_home):
    assert not config.exists()
    settings = config.load()
    assert settings == config.Settings()
    assert settings.notes_dir() == isolated_home / "notes"
    assert list(isolated_home.iterdir()) == []


def test_round_trip(isolated_home):
    saved = config.Settings(worker="担当A", office="架空生活相談センター", language="en", note_folder=str(isolated_home / "n"))
    path = config.save(saved)
    assert path == paths.settings_file() and config.exists()
    assert config.load() == saved
    with open(path, "rb") as f:
        assert tomllib.load(f)["office"] == "架空生活相談センター"
    assert saved.notes_dir() == isolated_home / "n"
    assert saved.note_language() == "en" and config.Settings().note_language() == "ja"
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_broken_or_foreign_file_gives_defaults_for_what_it_cannot_read(isolated_home):
    paths.settings_file().write_text('worker = "B"\nlanguage = "fr"\nextra = 1\noffice = 3\n', encoding="utf-8")
    assert config.load() == config.Settings(worker="B")
    paths.settings_file().write_text("this is = = not toml", encoding="utf-8")
    assert config.load() == config.Settings()


def test_unknown_language_is_refused():
    with pytest.raises(config.SettingsError):
        config.save(config.Settings(language="fr"))


def test_every_field_has_a_docstring():
    source = open(config.__file__, encoding="utf-8").read()
    for field in ("worker", "office", "language", "note_folder"):
        after = source.split(f"    {field}: str = \"\"\n", 1)[1]
        assert after.lstrip().startswith('"""'), field
