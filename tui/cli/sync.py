"""`tsunagu sync` and `tsunagu conflicts`: sharing the catalogue with other offices through git.

Exit codes (SPEC): 0 done; 1 the remote could not be reached or the sync could not complete
(the catalogue is consistent, local work goes on); 2 usage mistakes (no remote set, bad URL,
unknown conflict).
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import sys
from pathlib import Path

import click

from .common import EXIT_INPUT, UsageProblem, db_option, echo_err, open_catalogue

REMOTE_SCHEMES = ("ssh", "git+ssh", "https", "http", "git", "file")


def author_line() -> str:
    """The commit author: the worker and office from the settings."""
    from tui import config
    from tui.core.sharing.sync import author_line as line

    settings = config.load()
    return line(settings.worker, settings.office)


def timeouts():
    """How long a sync waits, from the settings (sync_connect_seconds, sync_read_seconds, sync_total_seconds)."""
    from tui import config
    from tui.core.sharing.exchange import Timeouts

    return Timeouts(*config.load().sync_timeouts())


def interactive() -> bool:
    """A person at a terminal (not a script, a pipe or cron): only then is a question asked."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def ask_share_counts_once(as_json: bool) -> None:
    """Issue 24: at the office's first sync in a terminal, ask once whether to share its counts
    (off until it says yes; a script or ``--json`` is never asked, and shares nothing)."""
    from tui import config
    from tui.demand import answer_share_question, share_question_due
    from tui.i18n import t

    if as_json or not share_question_due() or not interactive():
        return
    lang = config.choose_language()
    click.echo(t("demand.share_question", lang) + "\n")
    yes = click.confirm(t("demand.share_prompt", lang), default=False)
    answer_share_question(yes)
    click.echo(t("demand.share_yes" if yes else "demand.share_no", lang))


@click.command("sync")
@click.option("--remote", metavar="URL",
              help="Join a shared repository (ssh://, https://, git://, file:// or a path); remembered.")
@click.option("--bundle-out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write this office's changes to a bundle FILE (USB stick).")
@click.option("--bundle-in", type=click.Path(dir_okay=False, path_type=Path),
              help="Merge the changes in a bundle FILE from another office.")
@click.option("--json", "as_json", is_flag=True, help="Print what happened as JSON.")
@db_option
def sync_command(
    remote: str | None, bundle_out: Path | None, bundle_in: Path | None, as_json: bool, db: str | None
) -> None:
    """Exchange changes with the shared repository: fetch, merge, push.

    A field changed here and elsewhere to different values is a conflict: your value
    stays, theirs is kept beside it (see `tsunagu conflicts`). Referrals, case notes,
    settings and confidential addresses never leave this computer.
    """
    _check_sync_options(remote, bundle_in, bundle_out)
    with open_catalogue(db) as catalogue:
        from tui.core.sharing.state import state

        if not (remote or bundle_in or bundle_out or state(catalogue).get("remote")):
            raise UsageProblem("共有先が未設定です (no shared repository yet) — "
                               "tsunagu sync --remote URL で設定してください (join one with --remote URL)")
        from tui.demand import share_counts_in_sync

        ask_share_counts_once(as_json)
        share_counts_in_sync()  # issue 24: this office's counts, published only with share_counts = true
        report = _run_sync(catalogue, remote, bundle_in, bundle_out)
    _print_report(report, as_json, bundle_in, bundle_out)


def _check_sync_options(remote: str | None, bundle_in: Path | None, bundle_out: Path | None) -> None:
    """Every option checked before the sync starts: a usage problem, or a folder it cannot write."""
    if bundle_in is not None and not bundle_in.is_file():
        raise UsageProblem(f"ファイルがありません (file not found): {bundle_in}")
    if bundle_out is not None and not bundle_out.parent.is_dir():
        raise UsageProblem(f"フォルダがありません (folder does not exist): {bundle_out.parent}")
    if bundle_out is not None and not os.access(bundle_out.parent, os.W_OK):  # said before the sync moves on
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(bundle_out.parent))
    if remote is not None and not remote.strip():
        raise UsageProblem("--remote が空です (--remote is empty)")
    if remote is not None and "://" in remote and remote.split("://", 1)[0].lower() not in REMOTE_SCHEMES:
        raise UsageProblem(
            f"この共有先の形式は使えません (not a repository address Tsunagu can use): {remote} — "
            "ssh://、https://、git://、file:// かフォルダのパスを "
            "(use ssh://, https://, git://, file:// or a folder path)"
        )


def _run_sync(catalogue, remote: str | None, bundle_in: Path | None, bundle_out: Path | None):
    """The sync's report; each way it can stop said in both languages (exit 1, or a usage problem)."""
    from tui.core.public import for_output
    from tui.core.sharing import exchange, gitstore
    from tui.core.sharing.conformance import NotConforming
    from tui.core.sharing.lock import SyncBusy
    from tui.core.sharing.state import state
    from tui.core.sharing.sync import SyncError, sync
    from tui.i18n import t
    from tui.paths import backups_dir

    try:
        return sync(catalogue, author=author_line(), remote=remote, bundle_in=bundle_in, bundle_out=bundle_out,
                    backup_dir=backups_dir(), timeouts=timeouts())
    except SyncBusy:
        echo_err(f"{t('sync.busy', 'ja')} ({t('sync.busy', 'en')})")
    except exchange.Unreachable as e:
        echo_err(f"共有先に接続できません (cannot reach the shared repository): {e} — "
                 "オフラインのまま作業を続けられます。カタログは変わっていません "
                 "(work on offline; nothing changed)")
    except gitstore.Refused as e:
        echo_err(for_output(str(e), multiline=False))
    except exchange.BadRemote as e:
        raise UsageProblem(f"共有先が使えません (not a usable repository): {e}") from None
    except NotConforming as e:  # what was received departs from HSDS 3.0: named, nothing written
        echo_err(f"{bundle_in or remote or state(catalogue).get('remote')}: {e}")
    except SyncError as e:
        echo_err(f"同期を完了できませんでした (sync did not complete): {e} — "
                 "もう一度 tsunagu sync を (run it again)")
    sys.exit(EXIT_INPUT)


def _print_report(report, as_json: bool, bundle_in: Path | None, bundle_out: Path | None) -> None:
    from tui.core.public import for_output

    if as_json:
        click.echo(json.dumps({
            "head": report.head, "received": [for_output(rid) for rid in report.received], "sent": report.sent,
            "pushed": report.pushed, "open_conflicts": report.open_conflicts, "attempts": report.attempts,
            "rejected": [_rejected_json(bad) for bad in report.rejected],
            "settled": [{"id": for_output(d.id), "field": for_output(d.field), "value": for_output(d.value),
                         "by": for_output(d.by), "at": for_output(d.at)} for d in report.settled],
            "rejected_elsewhere": [dict(_rejected_json(bad), office=office)
                                   for office, bad in report.rejected_elsewhere],
        }, ensure_ascii=False))
        return
    click.echo(f"同期しました (synced): 受信 {len(report.received)} 件 (received), 送信 {report.sent} 件 (sent)"
               + ("" if report.pushed or bundle_in or bundle_out else " — 送る変更なし (nothing to send)"))
    if bundle_out:
        click.echo(f"バンドル (bundle): {bundle_out}")
    if report.open_conflicts:
        click.echo(f"競合 {report.open_conflicts} 件 (conflicts) — tsunagu conflicts で確認 (see tsunagu conflicts)")
    if report.rejected:
        click.echo(f"受け取らなかった行 {len(report.rejected)} 件 (rows kept out; the other rows were applied):")
        for bad in report.rejected:
            click.echo("  " + for_output(str(bad), multiline=False))
    if report.settled:
        from tui.core.sharing.decisions import said

        click.echo(f"他の事務所で解決された競合 {len(report.settled)} 件 (conflicts another office resolved; "
                   "その値にしました / taken here):")
        for decision in report.settled:
            click.echo("  " + said(decision))
    if report.rejected_elsewhere:
        click.echo(f"他の事務所が受け取らなかった行 {len(report.rejected_elsewhere)} 件 (rows other offices kept out — "
                   "送った事務所で直して同期してください; the office that sent them fixes them and syncs):")
        for office, bad in report.rejected_elsewhere:
            click.echo(f"  [{office}] " + for_output(str(bad), multiline=False))


def _rejected_json(bad) -> dict:
    from tui.core.public import for_output

    return {"file": bad.file, "row": bad.row, "column": for_output(bad.column, multiline=False),
            "reason": for_output(bad.reason, multiline=False), "id": for_output(bad.id, multiline=False)}


@click.command("conflicts")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of {id, field, mine, theirs, base}.")
@click.option("--take", nargs=3, metavar="mine|theirs ID FIELD", help="Resolve one conflict with your value or theirs.")
@db_option
def conflicts_command(as_json: bool, take: tuple[str, str, str] | None, db: str | None) -> None:
    """List the fields changed both here and in another office, or resolve one with --take."""
    from tui import config
    from tui.core.public import for_output
    from tui.core.sharing.conflicts import UnclearValue
    from tui.core.sharing.conflicts import take as take_side
    from tui.core.sharing.state import conflicts, rejected
    from tui.paths import backups_dir

    with open_catalogue(db) as catalogue:
        if take:
            side, resource_id, field_name = take
            if side not in ("mine", "theirs"):
                raise UsageProblem(f"--take は mine か theirs です (--take takes mine or theirs, not {side!r})")
            try:
                taken = take_side(catalogue, resource_id, field_name, side, by=config.load().worker,
                                  backup_dir=backups_dir())
            except UnclearValue as e:
                echo_err(f"{for_output(resource_id)} {field_name}: {e} — 何も変えていません (nothing changed)")
                sys.exit(EXIT_INPUT)
            if not taken:
                raise UsageProblem(f"その競合はありません (no such conflict): {resource_id} {field_name} — "
                                   "tsunagu conflicts で一覧 (list them with tsunagu conflicts)")
            click.echo(f"解決しました (resolved): {for_output(resource_id)} {field_name} → {side}; "
                       "次の同期で共有されます (shared at the next sync)")
            return
        found = conflicts(catalogue)
        names = {r.id: r for r in catalogue.get_many(c.id for c in found)}
        kept_out = rejected(catalogue)
    if kept_out and not as_json:  # the JSON stays the SPEC's array of conflicts; sync --json has "rejected"
        click.echo(
            f"受け取らなかった行 {len(kept_out)} 件 (received rows kept out; fixed by the office that sent them):"
        )
        for bad in kept_out:
            click.echo("  " + for_output(str(bad), multiline=False))
    if as_json:
        click.echo(json.dumps([{"id": for_output(c.id), "field": c.field, "mine": _shown(names, c, c.mine),
                                "theirs": _shown(names, c, c.theirs), "base": _shown(names, c, c.base),
                                "by": for_output(c.by), "at": for_output(c.at)} for c in found], ensure_ascii=False))
        return
    if not found:
        click.echo("競合はありません (no conflicts)")
        return
    for c in found:
        name = for_output(names[c.id].name, multiline=False) if c.id in names else c.id
        click.echo(f"{for_output(c.id)}  {name}  [{c.field}]  {for_output(c.by, multiline=False)} {for_output(c.at)}")
        click.echo(f"  こちら (mine):   {_shown(names, c, c.mine)}")
        click.echo(f"  先方 (theirs):   {_shown(names, c, c.theirs)}")
        click.echo(f"  元 (base):       {_shown(names, c, c.base)}")
    click.echo("解決 (resolve): tsunagu conflicts --take mine|theirs ID FIELD")


def _shown(names: dict, conflict, value: str) -> str:
    """A conflict's value as output may show it: a confidential place's private fields are withheld."""
    from tui.core.public import for_output, is_withheld

    if is_withheld(names.get(conflict.id), conflict.field):
        return ""
    return for_output(value)


def export_package(folder: Path, fmt: str, *, db: str | None, filtered: bool) -> None:
    """`tsunagu export DIR --format hsds|hsds-json` (called from transfer.py)."""
    from tui.core.sharing.folder import export_folder

    if filtered:
        raise UsageProblem("HSDS の書き出しは全件・非公開の住所なしです (an HSDS package holds the whole catalogue and "
                           "never a confidential address: --area, --need and --include-confidential don't apply)")
    if folder.exists() and not folder.is_dir():
        raise UsageProblem(f"フォルダを指定してください (give a folder, not a file): {folder}")
    if not folder.parent.is_dir():
        raise UsageProblem(f"フォルダがありません (folder does not exist): {folder.parent}")
    with open_catalogue(db) as catalogue:
        count = export_folder(catalogue, folder, fmt)
    click.echo(f"{folder}: {count} 件 (resources), {fmt}")


def import_package(paths: tuple[Path, ...], *, dry_run: bool, db: str | None) -> None:
    """`tsunagu import DIR | DIR/datapackage.json` (called from transfer.py)."""
    from tui import config
    from tui.core.sharing.folder import import_folder

    if len(paths) != 1:
        raise UsageProblem("HSDS パッケージは一度に一つです (import one HSDS package at a time)")
    path = paths[0]
    folder = path.parent if path.name == "datapackage.json" else path
    if not (folder / "datapackage.json").is_file() or not (folder / "services.csv").is_file():
        raise UsageProblem(f"HSDS パッケージではありません (not an HSDS package: "
                           f"no datapackage.json/services.csv): {folder}")
    from tui.core.sharing.conformance import NotConforming

    with open_catalogue(db) as catalogue:
        try:
            summary = import_folder(catalogue, path, by=config.load().worker, dry_run=dry_run)
        except NotConforming as e:  # named file by file, row by row, before anything was written
            echo_err(f"{folder}: {e}")
            sys.exit(EXIT_INPUT)
        except (ValueError, KeyError, UnicodeDecodeError) as e:
            echo_err(f"{folder}: パッケージを読めません (cannot read the package): {e} — "
                     "何も書き込んでいません (nothing written)")
            sys.exit(EXIT_INPUT)
        except sqlite3.IntegrityError as e:  # a row the catalogue refuses (unknown need): nothing written
            echo_err(f"{folder}: カタログに合わない行があります (a row does not fit the catalogue): {e} — "
                     "何も書き込んでいません (nothing written)")
            sys.exit(EXIT_INPUT)
    click.echo(f"{folder}: 追加 {len(summary.added)} (added), 更新 {len(summary.updated)} (updated), "
               f"変更なし {len(summary.unchanged)} (unchanged)" + (" — 試行のみ (dry run)" if dry_run else ""))
