"""`tsunagu areas`, `tsunagu needs`, and `tsunagu rebuild` (resources.db from seed/)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .common import UsageProblem, db_option, open_catalogue

_KIND_JA = {
    "prefecture": "全道", "subprefecture": "振興局", "city": "市", "town": "町", "village": "村", "ward": "区",
}


@click.command()
@click.argument("query", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@db_option
def areas(query: str | None, as_json: bool, db: str | None) -> None:
    """List Hokkaido's places, or resolve QUERY (name, kana, romaji, JIS or postal code).

    \b
    tsunagu areas              every municipality and ward with its subprefecture
    tsunagu areas 085-0015     → 釧路市 (01206) 釧路総合振興局
    """
    from tui.core.public import for_output
    from tui.core.reference.areas import UnknownArea

    with open_catalogue(db) as catalogue:
        gazetteer = catalogue.gazetteer
        if query is None:
            places = gazetteer.municipalities()
        else:
            places = gazetteer.resolve_all(query)
            if not places:
                raise UsageProblem(str(UnknownArea(query, gazetteer.suggest(query))))
        rows = []
        for place in places:
            sub = gazetteer.subprefecture_of(place.code)
            row = {
                "code": place.code, "name": place.name, "kana": place.kana, "romaji": place.romaji,
                "kind": place.kind, "subprefecture": sub.name if sub else "",
                "subprefecture_full": sub.full_name if sub else "",
            }
            rows.append({key: for_output(value, multiline=False) for key, value in row.items()})
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for n, row in enumerate(rows):
        kind = _KIND_JA.get(row["kind"], row["kind"])
        line = f"{row['code']:<13} {row['name']}（{row['kana']}） {row['romaji']}  {kind}"
        if row["subprefecture"]:
            line += f"  {row['subprefecture_full']}"
        if query is not None and n == 0 and len(rows) > 1:
            line += "  ← best match"
        click.echo(line)
    if query is None:
        click.echo(f"{len(rows)} places", err=True)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@db_option
def needs(as_json: bool, db: str | None) -> None:
    """List need codes, their Japanese and English labels, synonyms, and which are crisis needs."""
    from tui.core.public import for_output

    def safe(text: str) -> str:
        return for_output(text, multiline=False)

    with open_catalogue(db) as catalogue:
        taxonomy = list(catalogue.taxonomy)
    if as_json:
        click.echo(json.dumps(
            [{"code": safe(n.code), "label_ja": safe(n.label_ja), "label_en": safe(n.label_en),
              "synonyms": [safe(s) for s in n.synonyms], "crisis": n.crisis} for n in taxonomy],
            ensure_ascii=False, indent=1,
        ))
        return
    for need in taxonomy:
        crisis = "  [危機 crisis: 必ず窓口を表示 never empty]" if need.crisis else ""
        click.echo(f"{safe(need.code):<17} {safe(need.label_ja)} / {safe(need.label_en)}{crisis}")
        if need.synonyms:
            click.echo(f"{'':<17} {safe('、'.join(need.synonyms))}")


@click.command()
@click.option(
    "--seed",
    "seed_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Seed folder (default: seed/ of this checkout).",
)
@click.option("--out", "--db", "out", type=click.Path(dir_okay=False, path_type=Path), default="resources.db",
              show_default=True, help="Catalogue file to write (replaced whole).")
@click.option(
    "--force", is_flag=True, help="Replace a catalogue that is not an unchanged seed build (a backup is kept)."
)
def rebuild(seed_dir: Path | None, out: Path, force: bool) -> None:
    """Rebuild the shipped catalogue from seed/ (deterministic: same seed, same rows).

    A catalogue that is not an unchanged seed build (one you imported into or
    edited) is replaced only with --force, and a backup is kept first.
    """
    import sys

    from tui.core.loading.seed import SeedError, build, is_own_build
    from tui.core.store.backup import backup_catalogue
    from tui.core.store.catalogue import Catalogue
    from tui.paths import backups_dir

    from .common import EXIT_INPUT, echo_err

    if out.exists():
        if not force and not is_own_build(out):
            echo_err(f"tsunagu: {out} は seed から作ったままのカタログではありません。何も変えていません "
                     f"({out} is not an unchanged seed build: nothing was changed) — "
                     "置き換えるなら --force を付けてください。先にバックアップを取ります "
                     "(add --force to replace it; a backup is kept first)")
            sys.exit(EXIT_INPUT)
        with Catalogue.open(out) as current:
            saved = backup_catalogue(current.conn, current.path, backups_dir())
        click.echo(f"バックアップ (backup): {saved}")
    try:
        count = build(out, seed_dir)
    except SeedError as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"{out}: {count} resources")
