"""`tsunagu refer`, `tsunagu referrals`, `tsunagu referral-status` and `tsunagu handout`.

`refer` calls the same ``tui.core.referrals.log.refer`` as the app's ``r`` key, so the
same resource, case and filters give the same note and the same kind of log row.
"""

from __future__ import annotations

import shutil
import sys
from datetime import date
from pathlib import Path

import click

from .common import UsageProblem, check_folder, db_option, echo_err, open_catalogue, today

_LANG = click.Choice(["ja", "en"])


_WORDS = {
    "ja": {"count": "{n}件", "follow_up": "次回確認", "by_need": "種別ごと:", "by_area": "地域ごと:",
           "by_status": "状態ごと:"},
    "en": {"count": "{n} referral(s)", "follow_up": "follow-up", "by_need": "by need:", "by_area": "by area:",
           "by_status": "by status:"},
}


def _pad(text: str, cells: int) -> str:
    """Pad to a width in terminal cells: a kanji or kana takes two."""
    import unicodedata

    width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, cells - width)


def _language(explicit: str | None, settings) -> str:
    """--lang, else the group's --lang, else the settings, else the locale (as the app does)."""
    from tui import config

    root = click.get_current_context().find_root().obj or {}
    return config.choose_language(explicit or root.get("lang"), settings)


def _open_log(catalogue=None):
    """The referral log (read under ``catalogue``'s current privacy rule); a log written by a
    newer Tsunagu is a usage problem, not a traceback."""
    from tui import paths
    from tui.core.db import SchemaTooNew
    from tui.core.referrals.log import ReferralLog

    try:
        return ReferralLog.open(paths.referral_log(), catalogue=catalogue)
    except SchemaTooNew as e:
        raise UsageProblem(str(e)) from None


def _date(value: str | None, flag: str) -> date | None:
    from tui.core.referrals.log import parse_date

    try:
        return parse_date(value) if value else None
    except ValueError as e:
        raise UsageProblem(f"{flag}: {e}") from None


@click.command()
@click.argument("resource_id")
@click.option("--case", "case_ref", default="", help="Anonymous case reference, e.g. C-2026-014 (never a name).")
@click.option("--note", "remarks", default="", help="A line of remarks added to the note and the log.")
@click.option("--need", "needs", multiple=True, help="Need filter in force (code or label); repeatable.")
@click.option("--area", help="Area filter in force (name, kana, romaji, JIS or postal code).")
@click.option("--lang", type=_LANG, help="Language of the note (default: settings, then locale).")
@db_option
def refer(resource_id: str, case_ref: str, remarks: str, needs: tuple[str, ...], area: str | None,
          lang: str | None, db: str | None) -> None:
    """Refer RESOURCE_ID: print the note, log it and append it to the case's note file.

    \b
    tsunagu refer r-1a2b3c4d5e --case C-2026-014
    tsunagu refer r-1a2b3c4d5e --case C-2026-014 --need food --area 釧路 --note "明日同行"
    """
    from tui import config
    from tui.core.db import SchemaTooNew
    from tui.core.reference.areas import UnknownArea
    from tui.core.reference.needs import UnknownNeed
    from tui.core.referrals.log import InvalidCaseRef, UnknownResource
    from tui.core.referrals.log import refer as refer_resource
    from tui.i18n import t

    settings = config.load()
    with open_catalogue(db) as catalogue:
        try:
            outcome = refer_resource(catalogue, resource_id, case_ref=case_ref, needs=list(needs), area=area,
                                     remarks=remarks, lang=_language(lang, settings), desk=config.desk(settings), t=t)
        except (UnknownResource, InvalidCaseRef, UnknownNeed, UnknownArea, SchemaTooNew) as e:
            raise UsageProblem(str(e)) from None
    click.echo(outcome.note)
    where = f" → {outcome.note_file}" if outcome.note_file else ""
    echo_err(f"紹介 #{outcome.referral_id} を記録しました (referral logged){where}")
    if outcome.warning:
        echo_err(f"注意: ケースメモに書けませんでした (note file not written): {outcome.warning}")


@click.command()
@click.option("--since", help="Only referrals on or after this date (2026-11-01, 2026/11/1).")
@click.option("--until", help="Only referrals on or before this date.")
@click.option("--month", help="Only this month (YYYY-MM); also the month the counts are for.")
@click.option(
    "--status", help="Only this status (sent, used, not_eligible, no_capacity, declined, no_contact, or 紹介済…)."
)
@click.option("--case", "case_ref", help="Only this case reference.")
@click.option("--overdue", is_flag=True, help="Only referrals whose follow-up date has passed with no outcome.")
@click.option("--export", "export_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the rows as CSV for Excel (UTF-8 with BOM).")
@click.option("--chart", is_flag=True, help="Also draw referrals per month by outcome and by need (counts only).")
@click.option("--format", "format_", type=click.Choice(["text", "html"]), default="text", show_default=True,
              help="html: write the chart report (counts only) as one printable HTML file.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), help="File for --format html.")
@click.option("--lang", type=_LANG, help="Language of labels (default: settings, then locale).")
@db_option
def referrals(since: str | None, until: str | None, month: str | None, status: str | None, case_ref: str | None,
              overdue: bool, export_file: Path | None, chart: bool, format_: str, out: Path | None, lang: str | None,
              db: str | None) -> None:
    """List referrals, export them, and count the month by need, area and status.

    The counts are for --month (default: this month), over the rows the other
    filters keep. A referral counts under each need filter in force when it was
    made (or the resource's own needs) and the area filter (or the resource's area).
    --chart draws every month the kept rows span; --format html --out FILE writes
    the same charts as a printable page. Charts hold counts only: never a case
    reference, a note or a name.
    """
    from tui import config
    from tui.core.referrals.record import STATUSES, status_code, status_label
    from tui.core.referrals.report import export_csv, monthly_counts

    since_date, until_date = _date(since, "--since"), _date(until, "--until")
    check_folder(out, "--out")
    check_folder(export_file, "--export")
    if month and not _is_month(month):
        raise UsageProblem(f"--month: 月として読めません (not a month): {month!r} — "
                           "2026-11 のように書いてください (write 2026-11)")
    try:
        status = status_code(status) if status else None
    except ValueError:
        raise UsageProblem(f"--status: {_unknown_status(status or '')}") from None
    lang = _language(lang, config.load())
    words = _WORDS[lang]
    with open_catalogue(db) as catalogue, _open_log(catalogue) as log:
        rows = log.find(case_ref=case_ref, status=status, since=since_date, until=until_date, month=month)
        need_label = _need_labeller(catalogue, lang)
        area_label = _area_labeller(catalogue)
        gazetteer = catalogue.gazetteer
    if overdue:
        rows = [r for r in rows if r.overdue()]
    if format_ == "html":
        _chart_html(rows, lang, need_label, out)
        return
    if export_file:
        count = export_csv(rows, export_file, lang=lang, need_label=need_label, area_label=area_label)
        echo_err(f"{export_file}: " + words["count"].format(n=count))
    elif not chart:  # --chart: counts only, never the case list above it
        _list_rows(rows, lang)

    report_month = month or date.today().strftime("%Y-%m")
    counts = monthly_counts(r for r in rows if r.created_at.startswith(report_month))
    total = sum(counts["status"].values())
    say = (lambda s: echo_err(s)) if export_file else click.echo
    say("")
    say(f"== {report_month}: " + words["count"].format(n=total) + " ==")
    for key, label in (("need", need_label), ("area", area_label)):
        say(words[f"by_{key}"])
        for code, n in counts[key].most_common():
            say(f"  {label(code) if code else '-'}\t{n}")
    say(words["by_status"])  # every status, zeros too: a report form has a line for each
    for code in STATUSES:
        say(f"  {status_label(code, lang)}\t{counts['status'][code]}")
    _say_unmet(say, rows, report_month, gazetteer, need_label, area_label, lang)
    if chart:
        from tui.core.referrals.report import chart_lines, monthly_series
        from tui.i18n import t

        say("")
        width = min(shutil.get_terminal_size().columns, 120) if sys.stdout.isatty() else 80
        for line in chart_lines(monthly_series(rows), t=t, lang=lang, need_label=need_label, width=width):
            say(line)


def _list_rows(rows, lang: str) -> None:
    """One line a referral (the case list), and how many."""
    from tui.core.referrals.record import status_label

    words = _WORDS[lang]
    for r in rows:
        flag = " !" if r.overdue() else ""
        follow = f" {words['follow_up']} {r.follow_up}{flag}" if r.follow_up else ""
        click.echo(f"#{r.id:<5} {r.created_at[:16].replace('T', ' ')}  {_pad(r.case_ref or '-', 14)} "
                   f"{_pad(status_label(r.status, lang), 16)} {r.resource_name} [{_safe(r.resource_id)}]{follow}")
    echo_err(words["count"].format(n=len(rows)))


def _say_unmet(say, rows, month: str, gazetteer, need_label, area_label, lang: str) -> None:
    """The month's unmet local needs beside the referrals: area × need counts, nothing else.
    This office's own screen: exact numbers (the small-number rule is for what is shared)."""
    from tui.core.referrals.unmet import month_unmet
    from tui.i18n import t

    found = month_unmet(rows, gazetteer, month)
    say(t("demand.month_title", lang, month=month))
    for (area, need), n in sorted(found.items(), key=lambda item: (-item[1], item[0])):
        say(f"  {area_label(area)} × {need_label(need)}\t{n}")
    if not found:
        say("  " + t("demand.month_none", lang))


def _chart_html(rows, lang: str, need_label, out_file: Path | None) -> None:
    """The chart report as HTML: to --out (0600 is not needed: it holds counts only), else stdout."""
    from tui.core.referrals.report import chart_html, monthly_series
    from tui.i18n import t

    page = chart_html(monthly_series(rows), t=t, lang=lang, need_label=need_label, today=today().isoformat())
    if out_file is None:
        click.echo(page, nl=False)
        return
    from tui.core.files import shared_mode, write_text

    write_text(out_file, page, mode=shared_mode())
    echo_err(t("coverage.written", lang, path=out_file))


@click.command("referral-status")
@click.argument("referral_id", type=int)
@click.argument("status")
@click.option("--follow-up", help="When to check again: 2026-12-01, 2026/12/1, or +7 (days); '' clears it.")
def referral_status(referral_id: int, status: str, follow_up: str | None) -> None:
    """Record how referral REFERRAL_ID went: STATUS is sent, used, not_eligible,
    no_capacity, declined or no_contact (or 紹介済, 利用につながった, 対象外, 空きなし,
    本人が希望せず, 連絡不通).
    """
    from tui.core.referrals.record import status_label

    follow = "" if follow_up == "" else _date(follow_up, "--follow-up")
    with _open_log() as log:
        try:
            row = log.set_status(referral_id, status, follow_up=follow)
        except ValueError:
            raise UsageProblem(_unknown_status(status)) from None
        except KeyError:
            raise UsageProblem(f"紹介 #{referral_id} がありません (no referral #{referral_id}) — "
                               "番号は `tsunagu referrals` で見られます (see `tsunagu referrals`)") from None
    follow_text = f", follow-up {row.follow_up}" if row.follow_up else ""
    click.echo(f"#{row.id} {row.resource_name}: {row.status} {status_label(row.status)}{follow_text}")


@click.command()
@click.option("--case", "case_ref", required=True, help="The case reference whose referrals to list.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True,
              help="Folder for handout-CASE.txt and handout-CASE.html.")
@click.option("--lang", type=_LANG, help="Language of the handout (default: settings, then locale).")
@db_option
def handout(case_ref: str, out_dir: Path, lang: str | None, db: str | None) -> None:
    """Write a printable handout (text and HTML) of every place referred for a case."""
    from tui import config
    from tui.core.referrals.handout import make_handout, write_handout
    from tui.i18n import t

    settings = config.load()
    lang = _language(lang, settings)
    with open_catalogue(db) as catalogue, _open_log(catalogue) as log:
        sheet = make_handout(log, case_ref, t=t, catalogue=catalogue, lang=lang, office=settings.back_to())
        cases = log.cases()
    if not sheet.places:
        logged = ", ".join(c for c in cases if c)[:200]
        known = f" — 記録にあるケース (cases in the log): {logged}" if logged else ""
        raise UsageProblem(f"ケース {case_ref!r} の紹介がありません (no places to hand out for case {case_ref!r})"
                           + known)
    text_file, html_file = write_handout(sheet, out_dir)
    click.echo(text_file)
    click.echo(html_file)


def _unknown_status(text: str) -> str:
    from tui.core.referrals.record import STATUSES

    return (f"状態がわかりません (unknown status): {text!r} — 使えるもの (use one of): "
            + ", ".join(f"{labels[0]} ({code})" for code, labels in STATUSES.items()))


def _safe(text: str) -> str:
    from tui.core.public import for_output

    return for_output(text, multiline=False)


def _is_month(text: str) -> bool:
    try:
        date.fromisoformat(text + "-01")
    except ValueError:
        return False
    return len(text) == 7


def _need_labeller(catalogue, lang: str):
    from tui.core.public import for_output

    names = {n.code: for_output(n.label(lang), multiline=False) for n in catalogue.taxonomy}
    return lambda code: names.get(code, code)


def _area_labeller(catalogue):
    from tui.core.public import for_output

    label = catalogue.gazetteer.label
    return lambda code: for_output(label(code), multiline=False)
