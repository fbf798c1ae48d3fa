"""The worker's settings: who they are, their office, language and note folder.

Saved as TOML at ``tui.paths.settings_file()`` (the data folder, or ``TSUNAGU_HOME``).
Nothing here touches the disk at import; ``load`` returns the defaults when there is
no file yet (first run) and ``save`` creates the data folder only-user-readable.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

import tomli_w

from tui import paths
from tui.core.desk import Desk

LANGUAGES = ("", "ja", "en")
BOOLEANS = ("share_counts", "share_counts_asked")  # settings that are true or false in the file


@dataclass(frozen=True, slots=True)
class Settings:
    """What Tsunagu needs to know about the person using it (never about a client)."""

    worker: str = ""
    """The worker's name or initials, stored with every referral they make."""

    office: str = ""
    """The office or organisation, e.g. 釧路生活相談支援センター; stored with every referral."""

    office_phone: str = ""
    """The office's phone number, printed on handouts as the place to come back to."""

    language: str = ""
    """``ja`` or ``en`` for screens and notes; blank follows the computer's locale."""

    note_folder: str = ""
    """Where the case note files go; blank means ``notes`` in the data folder."""

    verify_interval: str = "12m"
    """How often each resource is re-verified (``12m``, ``6m``, ``1y``, ``90d``): older ones are due."""
    sync_minutes: str = "15"
    """Minutes between the app's background syncs when a shared repository is set; 0 turns them off."""

    sync_connect_seconds: str = "5"
    """Seconds a sync waits to reach the shared repository and read its branch list."""
    sync_read_seconds: str = "60"
    """Seconds a sync waits for each answer while receiving changes."""
    sync_total_seconds: str = "600"
    """Seconds one whole sync may take (every retry included) before it stops and says how far it got."""

    share_counts: bool = False
    """Publish this office's monthly referral and unmet-need counts (counts only, small ones
    suppressed) in the shared repository at each sync; off unless the office turns it on."""

    share_counts_asked: bool = False
    """The office was asked once whether to share counts (at its first sync), whatever it said."""

    office_id: str = ""
    """The office's id in shared counts (``stats/OFFICE_ID/``): random, made once, never a name."""

    @property
    def share_counts_decided(self) -> bool:
        """Asked already, or turned on by hand in the file: the question is not asked (again)."""
        return self.share_counts or self.share_counts_asked

    def sync_interval(self) -> float:
        """Seconds between background syncs (0: none)."""
        try:
            return max(float(self.sync_minutes), 0.0) * 60
        except ValueError:
            return 15 * 60.0

    def back_to(self) -> str:
        """The office (and its number) a handout names as the place to come back to; '' when not set."""
        if self.office.strip() and self.office_phone.strip():
            return f"{self.office.strip()}（{self.office_phone.strip()}）"
        return self.office.strip() or self.office_phone.strip()

    def sync_timeouts(self) -> tuple[float, float, float]:
        """(connect, read, total) seconds for a sync; a value that is not a positive number keeps its default."""
        out, defaults = [], Settings()
        for name in ("sync_connect_seconds", "sync_read_seconds", "sync_total_seconds"):
            try:
                seconds = float(getattr(self, name))
            except ValueError:
                seconds = 0.0
            out.append(seconds if 0 < seconds < 86400 else float(getattr(defaults, name)))
        return out[0], out[1], out[2]

    def notes_dir(self) -> Path:
        """The folder of case note files (not created here)."""
        return Path(self.note_folder).expanduser() if self.note_folder.strip() else paths.home() / "notes"

    def note_language(self, fallback: str = "ja") -> str:
        return self.language if self.language in ("ja", "en") else fallback

    def replace(self, **changes) -> Settings:
        return replace(self, **changes)


class SettingsError(ValueError):
    """A settings value that cannot be saved (e.g. an unknown language)."""


def exists(path: Path | None = None) -> bool:
    """Has the worker saved settings yet? If not, the app offers the first-run prompt."""
    return (path or paths.settings_file()).is_file()


def load(path: Path | None = None) -> Settings:
    """The saved settings, or the defaults when there is no file.

    A file that is not valid TOML gives the defaults too, rather than stopping the
    app at start-up; it is only replaced when the worker saves again.
    """
    path = path or paths.settings_file()
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except (FileNotFoundError, IsADirectoryError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return Settings()
    known = {f.name for f in fields(Settings)}
    values: dict[str, object] = {key: str(value) for key, value in data.items()
                                 if key in known and isinstance(value, str) and key not in BOOLEANS}
    values.update((key, data[key] is True or str(data[key]).strip().lower() in ("true", "yes", "1"))
                  for key in BOOLEANS if key in data)
    if values.get("language") not in LANGUAGES:
        values.pop("language", None)
    return Settings(**values)  # type: ignore[arg-type]


def save(settings: Settings, path: Path | None = None) -> Path:
    """Write the settings (0600, in a 0700 folder); returns the file written."""
    if settings.language not in LANGUAGES:
        raise SettingsError(f"language must be ja, en or blank, not {settings.language!r}")
    path = path or paths.settings_file()
    paths.ensure_private_dir(path.parent)
    text = tomli_w.dumps({key: value.strip() if isinstance(value, str) else value
                          for key, value in asdict(settings).items()})
    # Write beside the file and rename, so a crash never leaves half a settings file.
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(partial, path)
    try:
        path.chmod(0o600)
    except OSError:
        pass
    return path



def with_office_id(settings: Settings | None = None, path: Path | None = None) -> Settings:
    """The settings with an office id, made once (random hex, never a name) and saved."""
    settings = settings or load(path)
    if settings.office_id:
        return settings
    import secrets

    settings = settings.replace(office_id="office-" + secrets.token_hex(5))
    save(settings, path)
    return settings


def desk(settings: Settings | None = None) -> Desk:
    """The worker and their folders for the core (``tui.core.desk``): the saved settings when none are given."""
    settings = settings or load()
    return Desk(home=paths.home(), notes_dir=settings.notes_dir(), worker=settings.worker, office=settings.office)


def counts_office() -> tuple[str, bool]:
    """For a sync's shared counts (``sharing.stats.count_with``): this office's id, and whether its counts
    are shared; the id is made (and saved) the first time they are."""
    settings = load()
    if not settings.share_counts:
        return settings.office_id, False
    return with_office_id(settings).office_id, True


def choose_language(explicit: str | None = None, settings: Settings | None = None) -> str:
    """``--lang``, else the settings file's language, else the locale (Japanese first)."""
    from tui.i18n import language_from_locale

    if explicit in ("ja", "en"):
        return explicit
    chosen = (settings or load()).language
    return chosen if chosen in ("ja", "en") else language_from_locale()
