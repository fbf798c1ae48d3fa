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
    from tui.core.areas import UnknownArea

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
            rows.append(
                {
                    "code": place.code, "name": place.name, "kana": place.kana, "romaji": place.romaji,
                    "kind": place.kind, "subprefecture": sub.name if sub else "",
                    "subprefecture_full": sub.full_name if sub else "",
                }
            )
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for n, row in enumerate(rows):
        line = f"{row['code']:<13} {row['name']}（{row['kana']}） {row['romaji']}  {_KIND_JA[row['kind']]}"
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
    with open_catalogue(db) as catalogue:
        taxonomy = list(catalogue.taxonomy)
    if as_json:
        click.echo(json.dumps(
            [{"code": n.code, "label_ja": n.label_ja, "label_en": n.label_en, "synonyms": list(n.synonyms),
              "crisis": n.crisis} for n in taxonomy],
            ensure_ascii=False, indent=1,
        ))
        return
    for need in taxonomy:
        crisis = "  [危機 crisis: 必ず窓口を表示 never empty]" if need.crisis else ""
        click.echo(f"{need.code:<17} {need.label_ja} / {need.label_en}{crisis}")
        if need.synonyms:
            click.echo(f"{'':<17} {'、'.join(need.synonyms)}")


@click.command()
@click.option("--seed", "seed_dir", type=click.Path(file_okay=False, exists=True, path_type=Path), help="Seed folder (default: seed/ of this checkout).")
@click.option("--out", "--db", "out", type=click.Path(dir_okay=False, path_type=Path), default="resources.db",
              show_default=True, help="Catalogue file to write (replaced whole).")
def rebuild(seed_dir: Path | None, out: Path) -> None:
    """Rebuild the shipped catalogue from seed/ (deterministic: same seed, same rows)."""
    from tui.core.seed import SeedError, build

    try:
        count = build(out, seed_dir)
    except SeedError as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"{out}: {count} resources")
