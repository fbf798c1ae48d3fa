"""`tsunagu edit`, `verify`, `history`, `stale` and `letter`: keeping the catalogue true.

Every change goes through the core (``tui.core.loading.editing``, ``curation``, ``changes``)
and lands with its change-log rows in one transaction. The worker is ``--by``, else
the name in the settings. Exit codes (SPEC): 0 done; 1 a value had problems (nothing
written); 2 usage mistakes (unknown id, field, area or need, bad flag).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .common import EXIT_INPUT, UsageProblem, check_folder, db_option, echo_err, open_catalogue

BY_HELP = "Who did it, for the change log (default: the worker name in your settings)."


def worker(by: str | None) -> str:
    from tui import config

    return (by or "").strip() or config.load().worker


@click.command("edit")
@click.argument("resource_id")
@click.option("--set", "assignments", metavar="FIELD=VALUE", multiple=True, required=True,
              help="A column and its new value (repeatable); FIELD may be English or Japanese (phone, 電話).")
@click.option("--by", metavar="NAME", help=BY_HELP)
@db_option
def edit(resource_id: str, assignments: tuple[str, ...], by: str | None, db: str | None) -> None:
    """Change fields of one resource, with the same checks as import.

    Only the named fields change. A bad value is reported with the fix (exit 1, nothing written).
    """
    from tui.core.loading.editing import UnknownField, apply_fields, field_name
    from tui.core.store.changes import EditConflict

    values: dict[str, str] = {}
    for assignment in assignments:
        name, equals, value = assignment.partition("=")
        if not equals:
            raise UsageProblem(f"--set は FIELD=VALUE の形で書いてください (write --set FIELD=VALUE): {assignment!r}")
        try:
            values[field_name(name.strip())] = value
        except UnknownField as e:
            raise UsageProblem(str(e)) from None
    with open_catalogue(db) as catalogue:
        current = catalogue.get(resource_id)
        if current is None:
            raise UsageProblem(f"資源が見つかりません (no such resource): {resource_id}")
        if current.confidential and "confidential" in values and not values["confidential"].strip():
            # As in an import, a blank is not a decision: a place becomes public only by saying so.
            echo_err("[confidential] 空欄では公開になりません (a blank does not make a place public): "
                     "公開にするなら --set confidential=no (say no to make it public)")
            echo_err("何も書き込んでいません (nothing was written)")
            sys.exit(EXIT_INPUT)
        edited, problems = apply_fields(catalogue, current, values, file="--set")
        if edited is None:
            for problem in problems:
                echo_err(f"{problem.reason}")
            echo_err("何も書き込んでいません (nothing was written)")
            sys.exit(EXIT_INPUT)
        try:
            saved = catalogue.save(edited, base=current, by=worker(by), how="edit")
        except EditConflict as conflict:
            echo_err(
                f"ほかの人が同時に変更しました (changed by someone else meanwhile): {conflict} — "
                "もう一度試してください (try again)"
            )
            sys.exit(EXIT_INPUT)
        from tui.core.sharing.exposure import made_confidential

        exposed = made_confidential(catalogue, current, saved)
    changed = [f for f in values if getattr(saved, f) != getattr(current, f)]
    if exposed:  # issue 19 #8: said at the moment it matters
        from tui.i18n import t

        echo_err(f"{t('sharing.exposed', 'ja')}\n({t('sharing.exposed', 'en')})")
    if changed:
        click.echo(f"{resource_id}: 変更しました (changed): {', '.join(changed)}")
    else:
        click.echo(f"{resource_id}: 変更はありません (nothing changed)")


@click.command("verify")
@click.argument("resource_ids", nargs=-1, required=True)
@click.option(
    "--how", "how", metavar="TEXT", default="", help="How it was checked, e.g. 電話で確認 / 訪問 / 先方から連絡."
)
@click.option("--by", metavar="NAME", help=BY_HELP)
@db_option
def verify(resource_ids: tuple[str, ...], how: str, by: str | None, db: str | None) -> None:
    """Record that the details of RESOURCE_ID... were checked today."""
    from tui.core.public import for_output
    from tui.core.upkeep.curation import UnknownResource, today
    from tui.core.upkeep.curation import verify as verify_resources

    with open_catalogue(db) as catalogue:
        try:
            done = verify_resources(catalogue, list(resource_ids), today=today(), by=worker(by), how=how)
        except UnknownResource as e:
            raise UsageProblem(f"資源が見つかりません (no such resource): {e}") from None
    for resource in done:
        click.echo(f"{for_output(resource.id, multiline=False)}: 確認日 (verified) {resource.last_verified}")


@click.command("history")
@click.argument("resource_id")
@click.option(
    "--json", "as_json", is_flag=True, help="Print a JSON array of {field, old, new, at, by, how}, newest first."
)
@click.option("--include-confidential", is_flag=True, help="Also show a confidential resource's address and notes.")
@db_option
def history(resource_id: str, as_json: bool, include_confidential: bool, db: str | None) -> None:
    """Every change to one resource, newest first: what, from, to, when, who, how."""
    from tui.core.public import for_output
    from tui.core.store.changes import history as read_history
    from tui.core.upkeep.curation import readable

    with open_catalogue(db) as catalogue:
        changes = read_history(catalogue, resource_id, reveal=include_confidential)
        if not changes and catalogue.get(resource_id) is None:
            raise UsageProblem(f"資源が見つかりません (no such resource): {resource_id}")
        if as_json:  # the codes, as stored
            click.echo(json.dumps([c.as_json() for c in changes], ensure_ascii=False, indent=1))
            return
        if not changes:
            click.echo("変更の記録はありません (no changes recorded)")
        lines = [(c, [for_output(readable(catalogue, c.field, v), multiline=False) for v in (c.old, c.new)])
                 for c in changes]
    for c, (old, new) in lines:
        who = for_output(c.by, multiline=False) or "—"
        click.echo(
            f"{c.at}  {who}  {for_output(c.how, multiline=False)}  {c.field}: {old or '（空 blank）'} → "
            f"{new or '（空 blank）'}"
        )


@click.command("stale")
@click.option("--area", metavar="A", help="Only resources serving this area.")
@click.option("--need", "needs", metavar="N", multiple=True, help="Only resources with this need (repeatable).")
@click.option("--older-than", "older_than", metavar="12m",
              help="Due when verified longer ago than this (12m, 6m, 1y, 90d; default: the setting, 12m).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of lines.")
@click.option("--export", "export", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a worksheet for the phone round (.csv or .xlsx); import it back once filled.")
@db_option
def stale(area: str | None, needs: tuple[str, ...], older_than: str | None, as_json: bool, export: Path | None,
          db: str | None) -> None:
    """Resources due for verification: never verified, or longer ago than the interval. Oldest first."""
    from tui import config
    from tui.core.public import for_output
    from tui.core.reference.areas import UnknownArea
    from tui.core.reference.needs import UnknownNeed
    from tui.core.upkeep.curation import BadInterval, due, parse_interval, today, write_worksheet

    interval = older_than or config.load().verify_interval or "12m"
    try:
        parse_interval(interval)
    except BadInterval as e:
        raise UsageProblem(str(e)) from None
    if export is not None and export.suffix.lower() not in (".csv", ".xlsx"):
        raise UsageProblem(f"{export.name}: .csv か .xlsx にしてください (the worksheet is .csv or .xlsx)")
    check_folder(export, "--export")  # said before the catalogue is read, as coverage --out does
    with open_catalogue(db) as catalogue:
        try:
            hits = due(catalogue, today=today(), interval=interval, area=area, needs=needs)
        except (UnknownArea, UnknownNeed) as e:
            raise UsageProblem(str(e)) from None
        if export is not None:
            count = write_worksheet(catalogue, hits, export)
            click.echo(
                f"{export}: {count} 件 (resources) — 記入後 `tsunagu import {export.name}` で反映 "
                "(import it when filled)"
            )
            return
        label = catalogue.gazetteer.label
        if as_json:
            rows = [
                {
                    "id": h.id,
                    "name": h.name,
                    "organization": h.organization,
                    "area": label(h.area) if h.area else "",
                    "area_code": h.area,
                    "needs": list(h.needs),
                    "phone": h.phone,
                    "status": h.status,
                    "last_verified": h.last_verified,
                }
                for h in hits
            ]
            # JSON escapes C0 controls but not C1 (an 8-bit CSI): clean every value, as search --json does
            rows = [{k: for_output(v, multiline=False) if isinstance(v, str)
                     else [for_output(x, multiline=False) for x in v] if isinstance(v, list) else v
                     for k, v in row.items()} for row in rows]
            click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
            return
    if not hits:
        click.echo("確認が必要な資源はありません (nothing is due)")
    for h in hits:
        when = h.last_verified or "未確認 never"
        shown = (for_output(x, multiline=False) for x in (h.name, label(h.area) if h.area else "", h.phone))
        click.echo(f"{for_output(when, multiline=False):<12}  {for_output(h.id, multiline=False)}  " + "  ".join(shown))
    click.echo(f"{len(hits)} 件 (due)", err=True)


@click.command("letter")
@click.argument("organization", required=False)
@click.option("--area", metavar="A", help="Every organisation with a resource serving this area.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True,
              help="Folder for letter-ORG.txt and letter-ORG.html.")
@db_option
def letter(organization: str | None, area: str | None, out: Path, db: str | None) -> None:
    """A confirm-or-correct letter (text + HTML) for ORGANISATION, or for each one in --area."""
    from tui import config
    from tui.core.reference.areas import UnknownArea
    from tui.core.upkeep.curation import today
    from tui.core.upkeep.letters import NothingToSend, letters, write_files

    if bool(organization) == bool(area):
        raise UsageProblem("団体名か --area のどちらかを指定してください (give an ORGANISATION or --area, not both)")
    with open_catalogue(db) as catalogue:
        try:
            found = letters(catalogue, organization=organization, area=area, today=today(), office=config.load().office)
        except UnknownArea as e:
            raise UsageProblem(str(e)) from None
        except NothingToSend:
            raise UsageProblem(f"該当する団体がありません (no organisation found): {organization or area}") from None
    for path in write_files(found, out):
        click.echo(str(path))


def import_worksheet(path: Path, db: str | None, dry_run: bool) -> None:
    """``tsunagu import`` of a filled worksheet (it has a 確認者 column): corrections and verifications."""
    from tui.core.upkeep.curation import apply_worksheet, today

    with open_catalogue(db) as catalogue:
        report = apply_worksheet(catalogue, path, today=today(), dry_run=dry_run)
    for problem in report.problems:
        echo_err(str(problem))
    if report.problems:
        echo_err(
            f"{len(report.problems)} 件の問題があります。何も書き込んでいません (problems found: nothing was written)"
        )
        sys.exit(EXIT_INPUT)
    corrected = sum(len(v) for v in report.corrected.values())
    click.echo(f"{path.name}: 確認 (verified) {len(report.verified)}, 訂正した項目 (fields corrected) {corrected}, "
               f"未記入の行 (rows not signed) {report.skipped}" + (" — 試行のみ (dry run)" if dry_run else ""))
