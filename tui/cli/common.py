"""What every subcommand shares: --db, opening the catalogue, errors and exit codes.

Exit codes (SPEC): 0 success; 1 the input had problems (nothing written);
2 usage errors (unknown area or need, missing file, bad flag).
"""

from __future__ import annotations

import functools
import os
import sys
from datetime import date

import click

EXIT_INPUT = 1
EXIT_USAGE = 2


class UsageProblem(click.ClickException):
    """A mistake in what was asked (unknown area, missing file): exit 2, no traceback."""

    exit_code = EXIT_USAGE

    def show(self, file=None) -> None:
        click.echo(f"tsunagu: {self.format_message()}", err=True)


def db_option(command):
    """``--db PATH`` on a subcommand; falls back to the group's --db."""

    @click.option("--db", "db", type=click.Path(dir_okay=False), help="Catalogue file.")
    @functools.wraps(command)
    def wrapper(*args, db=None, **kwargs):
        ctx = click.get_current_context()
        root = (ctx.find_root().obj or {}) if ctx.find_root() else {}
        return command(*args, db=db or root.get("db"), **kwargs)

    return wrapper


def open_catalogue(db: str | None):
    from tui.core.db import SchemaTooNew
    from tui.core.store.catalogue import Catalogue
    from tui.paths import catalogue_path

    path = catalogue_path(db)
    if path.is_dir():
        named = "--db" if db else "TSUNAGU_DB" if os.environ.get("TSUNAGU_DB") else "the catalogue"
        raise UsageProblem(
            f"{named} がフォルダを指しています (names a folder, not a catalogue file): {path} — "
            "何も変えていません (nothing was changed); resources.db などのファイル名にしてください (name a file)"
        )
    if path.parent and not path.parent.exists():
        raise UsageProblem(f"フォルダがありません (folder does not exist): {path.parent}")
    try:
        return Catalogue.open(path)
    except SchemaTooNew as e:
        raise UsageProblem(f"{path}: {e}") from None


def echo_err(message: str) -> None:
    click.echo(message, err=True)


def is_tty_stderr() -> bool:
    return sys.stderr.isatty()


def today() -> date:
    """``TSUNAGU_TODAY`` (ISO) freezes "today" for demos and tests, as in the app."""
    try:
        return date.fromisoformat(os.environ.get("TSUNAGU_TODAY") or "")
    except ValueError:
        return date.today()


def check_folder(path, flag: str) -> None:
    """A file to write whose folder is missing is a usage problem (exit 2), said before any work."""
    if path is not None and path.parent and not path.parent.exists():
        raise UsageProblem(f"{flag}: フォルダがありません (folder does not exist): {path.parent}")


# click's own usage errors, most specific first: what is wrong, in Japanese.
_USAGE_WORDS: tuple[tuple[type[click.UsageError], str], ...] = (
    (click.NoSuchOption, "そのオプションはありません (no such option)"),
    (click.MissingParameter, "引数かオプションが足りません (something is missing)"),
    (click.BadParameter, "値が正しくありません (invalid value)"),
    (click.UsageError, "使い方が違います (usage error)"),
)


def japanese_first(error: click.UsageError) -> click.UsageError:
    """A wrong flag or a missing argument is reported by click, in English only: put a line in
    Japanese before its usage and message (``tsunagu: そのオプションはありません …``)."""
    if isinstance(error, click.exceptions.NoArgsIsHelpError) or hasattr(error, "said_in_japanese"):
        return error
    words = next(words for kind, words in _USAGE_WORDS if isinstance(error, kind))
    command = error.ctx.command_path if error.ctx else "tsunagu"
    show_in_english = error.show

    def show(file=None) -> None:
        click.echo(f"tsunagu: {words} — `{command} --help` で使い方を見られます (see --help)", file=file, err=True)
        show_in_english(file)

    error.show = show  # type: ignore[method-assign]
    error.said_in_japanese = True  # type: ignore[attr-defined]
    return error
