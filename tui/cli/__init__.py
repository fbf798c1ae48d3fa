"""The ``tsunagu`` command: a click group whose bare form opens the app.

Subcommands live in their own modules and are imported only when called, so
``tsunagu --help`` and ``tsunagu areas`` never pay for Textual.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys

import click

# command name → "module:function" under tui.cli
COMMANDS = {
    "search": "search:search",
    "import": "transfer:import_command",
    "export": "transfer:export_command",
    "refer": "referrals:refer",
    "referrals": "referrals:referrals",
    "referral-status": "referrals:referral_status",
    "handout": "referrals:handout",
    "areas": "reference:areas",
    "needs": "reference:needs",
    "rebuild": "reference:rebuild",
    "edit": "upkeep:edit",
    "verify": "upkeep:verify",
    "history": "upkeep:history",
    "stale": "upkeep:stale",
    "letter": "upkeep:letter",
    "sync": "sync:sync_command",
    "conflicts": "sync:conflicts_command",
    "coverage": "coverage:coverage",
    "restore": "restore:restore_command",
}


class LazyGroup(click.Group):
    """Subcommands imported when called, and the one place a fault becomes a message."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        from .common import UsageProblem, japanese_first

        for arg in args:
            if any("\udc80" <= ch <= "\udcff" for ch in arg):  # bytes the OS could not decode as UTF-8
                shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                raise UsageProblem(
                    f"UTF-8 として読めない引数です (an argument that is not UTF-8 text): {shown!r} — "
                    "何も変えていません (nothing was changed); 端末を UTF-8 にしてください (set the terminal to UTF-8)"
                )
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            raise japanese_first(error) from None

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.UsageError as error:  # a subcommand's flags and arguments, or no such command
            from .common import japanese_first

            raise japanese_first(error) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # The reader went away (`tsunagu history ID | head`): not a fault of any file, so no
            # message; stdout goes to devnull so that the exit's own flush does not fail again.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(1)
        except Exception as error:  # noqa: BLE001 — the edge: every other fault: a message and an exit code, never a traceback
            from tui.faults import describe

            fault = describe(error, _language(ctx))
            click.echo(f"tsunagu: {fault.text}", err=True)
            ctx.exit(fault.code)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [
            name for name, target in COMMANDS.items() if importlib.util.find_spec(f"tui.cli.{target.split(':')[0]}")
        ]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attribute = target.split(":")
        return getattr(importlib.import_module(f"tui.cli.{module}"), attribute)


@click.group(cls=LazyGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db",
    type=click.Path(dir_okay=False),
    help="Catalogue file (default: TSUNAGU_DB, else the one in your data folder).",
)
@click.option("--lang", type=click.Choice(["ja", "en"]), help="Language of the app (default: from the locale).")
@click.version_option(package_name="tsunagu")
@click.pass_context
def cli(ctx: click.Context, db: str | None, lang: str | None) -> None:
    """Tsunagu (つなぐ): find community resources in Hokkaido and refer in one key.

    With no command, opens the finder.
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    ctx.obj["lang"] = lang
    if ctx.invoked_subcommand is None:
        if not has_terminal():
            from .common import UsageProblem

            raise UsageProblem(
                "画面を開くには端末が必要です (the app needs a terminal: its input or output is a file or a pipe) — "
                "スクリプトからは `tsunagu search 言葉` などのコマンドを使ってください (use a command such as "
                "`tsunagu search WORDS` from a script)"
            )
        from tui.ui.app import run

        sys.exit(run(db=db, lang=lang))


def has_terminal() -> bool:
    """Input and output are a terminal. Without one the app drew its screen into a file and waited
    for keys forever; Windows consoles are left to Textual, which cannot be tried here."""
    return os.name == "nt" or (sys.stdin.isatty() and sys.stdout.isatty())


def _language(ctx: click.Context) -> str:
    """The user's language for a fault message: --lang, settings, locale (never failing itself)."""
    try:
        from tui import config

        return config.choose_language((ctx.find_root().obj or {}).get("lang"), config.load())
    except Exception:  # noqa: BLE001 — the language of a fault message: never a second fault
        return "ja"


def main() -> None:
    cli(obj={})
