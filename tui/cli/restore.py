"""`tsunagu restore BACKUP`: put a backup back as the catalogue (issue 18).

What is there now is kept first (a copy in the backups folder, or — when SQLite cannot read
it — the file itself moved there), and the backup is written through SQLite's backup API, so
an app that has the catalogue open sees the restored one. Exit 0 restored; 1 the backup is
not a sound catalogue (nothing changed); 2 no such file.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import EXIT_INPUT, UsageProblem, db_option, echo_err


@click.command("restore")
@click.argument("backup", type=click.Path(dir_okay=False, path_type=Path))
@db_option
def restore_command(backup: Path, db: str | None) -> None:
    """Restore the catalogue from BACKUP (a file in the backups folder); the current one is kept first."""
    from tui.core.store.backup import UnusableBackup, restore
    from tui.paths import backups_dir, catalogue_path

    if not backup.is_file():
        raise UsageProblem(f"ファイルがありません (file not found): {backup}")
    target = catalogue_path(db)
    if target.is_dir():
        raise UsageProblem(f"--db がフォルダを指しています (names a folder, not a catalogue file): {target}")
    if not target.parent.is_dir():
        raise UsageProblem(f"フォルダがありません (folder does not exist): {target.parent}")
    if backup.resolve() == target.resolve():
        raise UsageProblem(f"バックアップと戻す先が同じファイルです (the backup is the catalogue itself): {backup}")
    try:
        saved = restore(backup, target, backups_dir())
    except UnusableBackup as e:
        echo_err(f"tsunagu: {backup} はカタログのバックアップとして使えません（{e.detail}）— 何も変えていません "
                 f"({backup} is not a usable catalogue backup: nothing was changed) — "
                 "backups フォルダの別のファイルを指定してください (name another file in the backups folder)")
        sys.exit(EXIT_INPUT)
    click.echo(f"戻しました (restored): {target} ← {backup}")
    if saved is not None:
        click.echo(f"戻す前のカタログ (the catalogue before): {saved}")
