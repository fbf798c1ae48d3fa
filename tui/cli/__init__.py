"""The ``tsunagu`` command: a click group whose bare form opens the app.

Subcommands live in their own modules and are imported only when called, so
``tsunagu --help`` and ``tsunagu areas`` never pay for Textual.
"""

from __future__ import annotations

import importlib
import importlib.util
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
    "coverage": "coverage:coverage",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name, target in COMMANDS.items() if importlib.util.find_spec(f"tui.cli.{target.split(':')[0]}")]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attribute = target.split(":")
        return getattr(importlib.import_module(f"tui.cli.{module}"), attribute)


@click.group(cls=LazyGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db", type=click.Path(dir_okay=False), help="Catalogue file (default: TSUNAGU_DB, ./resources.db, or your data folder).")
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
        from tui.ui.app import run

        sys.exit(run(db=db, lang=lang))


def main() -> None:
    cli(obj={})
