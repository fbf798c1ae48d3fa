"""`tsunagu search`: the finder's search from a script or a terminal."""

from __future__ import annotations

import json

import click

from .common import UsageProblem, db_option, open_catalogue


@click.command()
@click.argument("query", required=False, default="")
@click.option(
    "--area", "area", metavar="A", help="Only resources serving this area (name, kana, romaji, JIS or postal code)."
)
@click.option(
    "--need",
    "needs",
    metavar="N",
    multiple=True,
    help="Only resources for this need (code, label or synonym); repeat for any of several.",
)
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="At most this many results.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array (id, name, score, area, needs, …).")
@db_option
def search(query: str, area: str | None, needs: tuple[str, ...], limit: int, as_json: bool, db: str | None) -> None:
    """Find resources: QUERY in kana, kanji, romaji or half-width; several words narrow.

    \b
    tsunagu search "くしろ ふーど"
    tsunagu search kushiro --need food --json
    tsunagu search "" --area 085-0015          everything serving that postal code's town
    """
    from tui.core.public import for_output
    from tui.core.reference.areas import UnknownArea
    from tui.core.reference.needs import UnknownNeed
    from tui.core.search.crisis import answered_by, search_with_fallback
    from tui.core.search.places import area_value, split_place

    with open_catalogue(db) as catalogue:
        typed = None
        if not area:  # a place word in the query filters as --area does (網走 シェルター)
            typed, query = split_place(catalogue.gazetteer, query)
            if typed is not None:
                area = area_value(typed)
                if not as_json:
                    label = for_output(catalogue.gazetteer.label(typed.code), multiline=False)
                    click.echo(f"地域: {label} (入力から) (area from the query: {typed.romaji})", err=True)
        try:
            hits = search_with_fallback(catalogue, query, area=area, needs=list(needs), limit=limit)
        except (UnknownArea, UnknownNeed) as e:
            raise UsageProblem(str(e)) from None
        gazetteer, taxonomy = catalogue.gazetteer, catalogue.taxonomy
        rows = [
            {
                key: for_output(value, multiline=False) if isinstance(value, str) else value
                for key, value in _row(hit, gazetteer).items()
            }
            for hit in hits
        ]
        labels = {n.code: for_output(n.label_ja, multiline=False) for n in taxonomy}
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    _print_rows(rows, labels, answered_by(hits), area)


def _print_rows(rows: list[dict], labels: dict[str, str], answered: str, area: str | None) -> None:
    """The hits as text: local offices grouped by the step that found them, then the lines serving all Hokkaido."""
    from tui.core.public import for_output
    from tui.core.search.crisis import STEP_LABELS

    local = [row for row in rows if not row["fallback"]]
    step = ""
    for row in local:
        row_step = str(row["step"])
        if row_step and row_step != step and any(r["step"] != row_step for r in local):
            step = row_step  # an urgent search widened: say where each group of offices comes from
            ja, en = STEP_LABELS[step]
            click.echo(f"── {ja} ({en}) ──")
        _echo_row(row, labels, for_output)
    if not local:
        click.echo("見つかりませんでした (no matches)", err=True)
    if answered and area:
        ja, en = STEP_LABELS[answered]
        click.echo(f"電話できる窓口: {ja} (someone to call: {en})", err=True)
    if len(local) < len(rows):
        # A crisis need found nobody to call here: the lines serving all Hokkaido follow, marked.
        if not local and area:
            click.echo(
                f"「{for_output(area)}」には登録がありません — --area を広げるか、下の全道の窓口へ"
                f" (nothing registered in {for_output(area)}: widen --area, or call a line serving all Hokkaido)",
                err=True,
            )
        click.echo("── 全道の窓口 (lines serving all Hokkaido) ──")
        for row in rows[len(local):]:
            _echo_row(row, labels, for_output)


def _echo_row(row: dict, labels: dict[str, str], for_output) -> None:
    status = "  [休止中 paused]" if row["status"] == "paused" else ""
    mark = "  [全道 fallback]" if row["fallback"] else ""
    verified = row["last_verified"] or "未確認"
    click.echo(f"{row['score']:5.1f}  {for_output(row['name'])}{status}{mark}")
    needs_text = "、".join(labels.get(code, code) for code in row["needs"])
    details = "  ".join(x for x in (row["organization"], row["area"], needs_text, row["phone"]) if x)
    click.echo(f"       {for_output(details)}  確認日 {for_output(verified)}  ({for_output(row['id'])})")


def _row(hit, gazetteer) -> dict[str, object]:
    """One hit as ``--json`` prints it (hits hold no private field: see ``public.PRIVATE_FIELDS``)."""
    return {
        "id": hit.id,
        "name": hit.name,
        "score": hit.score,
        "area": gazetteer.label(hit.area) if hit.area else "",
        "area_code": hit.area,
        "needs": list(hit.needs),
        "organization": hit.organization,
        "phone": hit.phone,
        "status": hit.status,
        "last_verified": hit.last_verified,
        "matched": hit.matched,
        "fallback": hit.fallback,
        "step": hit.step,
    }
