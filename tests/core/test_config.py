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


def test_the_desk_for_the_core_is_built_from_the_settings_and_the_data_folder(isolated_home, tmp_path):
    from tui.core.desk import Desk

    assert config.desk(config.Settings(worker="山田", office="架空室")) == Desk(
        home=isolated_home, notes_dir=isolated_home / "notes", worker="山田", office="架空室")
    elsewhere = config.desk(config.Settings(note_folder=str(tmp_path)))
    assert elsewhere.notes_dir == tmp_path and elsewhere.referral_log == isolated_home / "referrals.db"
    config.save(config.Settings(worker="保存済"))
    assert config.desk().worker == "保存済"  # none given: the saved settings


def test_counts_office_makes_the_id_only_when_counts_are_shared(isolated_home):
    assert config.counts_office() == ("", False) and not config.exists()
    config.save(config.Settings(share_counts=True))
    office, shared = config.counts_office()
    assert shared and office.startswith("office-") and config.load().office_id == office
    config.save(config.load().replace(share_counts=False))
    assert config.counts_office() == (office, False)  # still named, so its folder can be withdrawn
