"""The monthly report on referrals: counts by need, area and status, and the rows as
CSV for Excel — support that never becomes a formal plan still gets counted."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from tui.core.desk import Translate
from tui.core.files import atomic_write
from tui.core.loading.readers import guard
from tui.core.public import for_output
from tui.core.referrals.record import Referral, status_label


def monthly_counts(referrals: Iterable[Referral]) -> dict[str, Counter]:
    """Counts by need, area and status: what a monthly report asks for.

    A referral counts once under each need in force when it was made (else under
    the resource's own needs), and under the area filter in force (else the resource's area).
    """
    counts: dict[str, Counter[str]] = {"need": Counter(), "area": Counter(), "status": Counter()}
    for referral in referrals:
        counts["need"].update(referral.report_needs())
        counts["area"][referral.report_area()] += 1
        counts["status"][referral.status] += 1
    return counts


EXPORT_COLUMNS = ("id", "created_at", "case_ref", "worker", "office", "resource_id", "resource_name", "organization",
                  "contact", "needs", "area", "status", "status_label", "follow_up", "remarks", "note")


def spreadsheet_safe(value: object) -> object:
    """Text with no control characters, and a leading apostrophe on a cell a spreadsheet would run."""
    return guard(for_output(value)) if isinstance(value, str) else value


def export_csv(referrals: Iterable[Referral], path: Path, *, lang: str = "ja",
               need_label: Callable[[str], str] = str, area_label: Callable[[str], str] = str) -> int:
    """Write the rows as CSV that Excel opens as UTF-8 (BOM); returns the number of rows.

    0600 whatever file was there before (the rows carry case references), written beside
    the target and renamed, so a full disk never leaves a 0-byte or half-written report.
    """
    rows = list(referrals)

    def write(f) -> None:
        writer = csv.writer(f)
        writer.writerow(EXPORT_COLUMNS)
        for r in rows:
            values = {
                **asdict(r),
                "needs": ";".join(need_label(c) for c in r.report_needs() if c),
                "area": area_label(r.report_area()) if r.report_area() else "",
                "status_label": status_label(r.status, lang),
            }
            writer.writerow([spreadsheet_safe(values[c]) for c in EXPORT_COLUMNS])

    atomic_write(path, write, encoding="utf-8-sig", newline="")
    return len(rows)


# -- charts: referrals per month by need and by outcome (counts only) ------------------

# Outcomes in the order a report reads them; "sent" is a referral whose outcome nobody has recorded yet.
OUTCOMES = ("used", "not_eligible", "no_capacity", "declined", "no_contact", "sent")
# Support that was asked for and did not happen: what Room 4 says is never counted.
UNREALISED = ("not_eligible", "no_capacity", "declined", "no_contact")
OUTCOME_GLYPHS = {"used": "█", "not_eligible": "▓", "no_capacity": "▒", "declined": "░", "no_contact": ":",
                  "sent": "."}
SPARK = "▁▂▃▄▅▆▇█"
TOP_NEEDS = 7  # needs drawn one by one; the rest are summed as "other"


@dataclass(frozen=True)
class MonthlySeries:
    """Referrals per month (every month from the first to the last, empty ones too)."""

    months: tuple[str, ...]
    by_need: dict[str, tuple[int, ...]]  # need code ("" = none recorded) → count per month, biggest first
    by_outcome: dict[str, tuple[int, ...]]  # every status in OUTCOMES order → count per month
    total: int

    def outcome_totals(self) -> dict[str, int]:
        return {code: sum(values) for code, values in self.by_outcome.items()}

    def unrealised(self) -> int:
        return sum(sum(self.by_outcome[code]) for code in UNREALISED)


def monthly_series(referrals: Iterable[Referral]) -> MonthlySeries:
    """Count referrals per month by need (each need in force once) and by outcome; nothing else is kept."""
    need_counts: Counter = Counter()
    outcome_counts: Counter = Counter()
    months: set[str] = set()
    total = 0
    for referral in referrals:
        month = referral.created_at[:7]
        months.add(month)
        total += 1
        outcome_counts[referral.status, month] += 1
        for need in referral.report_needs():
            need_counts[need, month] += 1
    ordered = _month_range(min(months), max(months)) if months else ()
    needs: Counter = Counter()
    for (need, _), n in need_counts.items():
        needs[need] += n
    by_need = {need: tuple(need_counts[need, m] for m in ordered) for need, _ in needs.most_common()}
    by_outcome = {code: tuple(outcome_counts[code, m] for m in ordered) for code in OUTCOMES}
    return MonthlySeries(ordered, by_need, by_outcome, total)


def _month_range(first: str, last: str) -> tuple[str, ...]:
    year, month = int(first[:4]), int(first[5:7])
    out: list[str] = []
    while f"{year:04d}-{month:02d}" <= last and len(out) < 600:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(out)


def top_needs(series: MonthlySeries, other: str = "other") -> list[tuple[str, tuple[int, ...]]]:
    """The biggest needs one by one, the rest summed under ``other``."""
    items = list(series.by_need.items())
    if len(items) <= TOP_NEEDS + 1:
        return items
    rest = [sum(values[i] for _, values in items[TOP_NEEDS:]) for i in range(len(series.months))]
    return items[:TOP_NEEDS] + [(other, tuple(rest))]


def _cells(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    """``text`` in exactly ``width`` cells: padded, or cut with ``…`` as its last cell."""
    if _cells(text) > width:
        while text and _cells(text) > width - 1:
            text = text[:-1]
        text += "…"
    return text + " " * (width - _cells(text))


def chart_lines(series: MonthlySeries, *, t: Translate, lang: str, need_label: Callable[[str], str],
                width: int = 80) -> list[str]:
    """The chart as plain lines for a terminal (block characters; no colour needed to read it), in ``t``'s words."""
    from tui.core.public import for_output

    if not series.total:
        return [t("referral_chart.none", lang)]
    lines = [t("referral_chart.title", lang) + "  " + t("referral_chart.period", lang, first=series.months[0],
                                                         last=series.months[-1]), ""]
    # By outcome: one stacked bar per month, each outcome its own texture.
    lines.append(t("referral_chart.by_outcome", lang))
    totals = [sum(values[i] for values in series.by_outcome.values()) for i in range(len(series.months))]
    room = max(10, width - 8 - 6)
    top = max(totals) or 1
    for i, month in enumerate(series.months):
        bar, done, running = "", 0, 0
        for code in OUTCOMES:
            running += series.by_outcome[code][i]
            upto = round(running * room / top)  # cumulative rounding: the bar's length is the month's total
            bar += OUTCOME_GLYPHS[code] * (upto - done)
            done = upto
        lines.append(f"{month} {bar} {totals[i]}")
    outcome_totals = series.outcome_totals()
    legend = [f"{OUTCOME_GLYPHS[code]} {status_label(code, lang)} {outcome_totals[code]} "
              f"({round(100 * outcome_totals[code] / series.total)}%)" for code in OUTCOMES]
    lines += _wrap(legend, width)
    lines.append(t("referral_chart.unrealised", lang, n=series.unrealised(), total=series.total,
                   pct=round(100 * series.unrealised() / series.total)))
    lines.append("")
    # By need: one row per need, one spark per month, and the total.
    lines.append(t("referral_chart.by_need", lang) + f"  ({series.months[0]} → {series.months[-1]})")
    needs = top_needs(series, other=t("referral_chart.other", lang))
    labels = [for_output(need_label(need) if need else "-", multiline=False) for need, _ in needs]
    # As wide as the longest label, between 16 cells and a quarter of the line.
    label_width = min(max(16, width // 4), max([16, *map(_cells, labels)]))
    slot = 3 if len(series.months) * 3 <= width - label_width - 6 else 1  # "▆▆ " per month when there is room
    shown = series.months[-max(1, (width - label_width - 6) // slot):]
    if slot == 3:  # month numbers above the bars
        lines.append(" " * (label_width + 1) + "".join(m[5:7] + " " for m in shown).rstrip())
    for (_, values), label in zip(needs, labels):
        part = values[-len(shown):]
        peak = max(part) or 1
        marks = [" " if not v else SPARK[min(len(SPARK) - 1, (v * len(SPARK) - 1) // peak)] for v in part]
        spark = "".join(m * 2 + " " for m in marks) if slot == 3 else "".join(marks)
        lines.append(f"{_pad(label, label_width)} {spark.rstrip():<{len(spark)}}{sum(values)}")
    lines.append(t("referral_chart.counts_only", lang))
    return lines


def _wrap(items: list[str], width: int) -> list[str]:
    lines, line = [], ""
    for item in items:
        if line and _cells(line) + 2 + _cells(item) > width:
            lines.append(line)
            line = ""
        line = f"{line}  {item}" if line else f"  {item}"
    return lines + ([line] if line else [])


def chart_html(series: MonthlySeries, *, t: Translate, lang: str, need_label: Callable[[str], str], today: str) -> str:
    """The HTML report beside the coverage one: stacked bars by outcome and by need, and the outcome share."""
    from tui.core import report_html as h

    meta = [t("coverage.made", lang, date=today), t("referral_chart.counts_only", lang)]
    if not series.total:
        return h.page(t("referral_chart.title", lang), lang, meta, [f"<p>{h.esc(t('referral_chart.none', lang))}</p>"])
    meta.insert(1, t("referral_chart.period", lang, first=series.months[0], last=series.months[-1]))
    months = [m[2:].replace("-", "/") for m in series.months]  # 26/04: short enough under a bar
    outcomes = [(status_label(code, lang), series.by_outcome[code]) for code in OUTCOMES]
    needs = [(need_label(code) if code else "-", values)
             for code, values in top_needs(series, other=t("referral_chart.other", lang))]
    totals = series.outcome_totals()
    share = "".join(f"<li>{h.esc(status_label(code, lang))}: {totals[code]} "
                    f"({round(100 * totals[code] / series.total)}%)</li>" for code in OUTCOMES)
    unrealised = t("referral_chart.unrealised", lang, n=series.unrealised(), total=series.total,
                   pct=round(100 * series.unrealised() / series.total))
    sections = [
        f"<h2>{h.esc(t('referral_chart.by_outcome', lang))}</h2>", h.stacked_bars(months, outcomes),
        f"<h2>{h.esc(t('referral_chart.outcome_share', lang))}</h2>",
        h.share_bar([(status_label(code, lang), totals[code]) for code in OUTCOMES]),
        f"<p><strong>{h.esc(unrealised)}</strong></p><ul>{share}</ul>",
        f'<p class="note">{h.esc(t("referral_chart.unrealised_note", lang))}</p>',
        f"<h2>{h.esc(t('referral_chart.by_need', lang))}</h2>", h.stacked_bars(months, needs),
    ]
    return h.page(t("referral_chart.title", lang), lang, meta, sections)
