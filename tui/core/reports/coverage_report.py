"""The coverage matrix as people read it: cell labels, gap sentences, JSON, CSV/.xlsx rows, HTML.

Only counts, place names and need labels appear: no resource, case or note ever does.
Labels go through ``for_output``; spreadsheet cells through the importer's formula guard.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

from tui.core import report_html as h
from tui.core.desk import Translate
from tui.core.files import atomic_write, shared_mode, write_text
from tui.core.linebreak import cell_width
from tui.core.loading.readers import guard
from tui.core.public import for_output
from tui.core.reference.areas import Gazetteer, english_name
from tui.core.reference.needs import Taxonomy
from tui.core.reports.coverage import Counts, Coverage, Gap
from tui.core.reports.demand import Demand, most_needed

FORMATS = ("table", "csv", "xlsx", "json", "html")


@dataclass(frozen=True)
class Labels:
    """How places and needs are named in one language, and the words around them (``t``: a front's
    ``tui.i18n.t``; the core keeps no word lists)."""

    gazetteer: Gazetteer
    taxonomy: Taxonomy
    lang: str
    t: Translate

    def place(self, code: str) -> str:
        """石狩, 釧路市; in English the gazetteer's romaji: Ishikari, Kushiro-shi."""
        place = self.gazetteer.places.get(code)
        if place is None:
            return for_output(code, multiline=False)
        return for_output(english_name(place, short=True) if self.lang == "en" else place.name, multiline=False)

    def need(self, code: str) -> str:
        need = self.taxonomy.needs.get(code)
        return for_output(need.label(self.lang) if need else code, multiline=False)

    def short_need(self, code: str) -> str:
        """食料支援 rather than 食料支援・…; Food rather than Food and …: for narrow columns."""
        return self.need(code).split("・")[0].split(" and ")[0]


def cell_label(counts: Counts, labels: Labels, *, include_paused: bool = False, short: bool = False) -> str:
    """`3 (未確認2)`, `空白`; with paused included `3 (未確認2、休止1)`; short (narrow cells): `3 未2`."""
    t, lang = labels.t, labels.lang
    shown = counts.help(include_paused)
    if not shown:
        return t("coverage.blank", lang)
    prefix = "short_" if short else "cell_"
    extra = []
    if counts.unverified:
        extra.append(t(f"coverage.{prefix}unverified", lang, u=counts.unverified))
    if include_paused and counts.paused:
        extra.append(t(f"coverage.{prefix}paused", lang, p=counts.paused))
    if not extra:
        return str(shown)
    if short:
        return " ".join([str(shown), *extra])
    return f"{shown} ({('、' if lang == 'ja' else ', ').join(extra)})"


def gap_sentence(gap: Gap, labels: Labels) -> str:
    t = labels.t
    if gap.subprefecture:
        return t("coverage.gap_sub", labels.lang, sub=labels.place(gap.subprefecture), need=labels.need(gap.need),
                 missing=gap.missing, total=gap.municipalities)
    return t("coverage.gap_need", labels.lang, need=labels.need(gap.need), empty=gap.empty_subprefectures,
             missing=gap.missing, total=gap.municipalities)


def filter_words(coverage: Coverage, labels: Labels, today: date) -> str:
    t, lang = labels.t, labels.lang
    words = [t("coverage.filter_paused" if coverage.include_paused else "coverage.filter_active", lang)]
    if coverage.verified_since is not None:
        words.append(t("coverage.filter_verified", lang, days=(today - coverage.verified_since).days))
    return "、".join(words) if lang == "ja" else ", ".join(words)


# -- JSON, CSV, xlsx -----------------------------------------------------------------


def to_json(coverage: Coverage, labels: Labels, demand: Demand | None = None) -> dict[str, object]:
    """The SPEC's shape: {"needs": [codes], "areas": [{code, name, kind, subprefecture, counts}]};
    with ``demand``, each count gains "demand": {"unmet": n | "suppressed", "referred": ...}."""
    areas = []
    for code in coverage.places:
        sub = coverage.subprefecture_of[code]
        counts: dict[str, dict[str, object]] = {}
        for need in coverage.needs:
            cell = coverage.cell(code, need)
            counts[need] = {"active": cell.active, "unverified": cell.unverified, "paused": cell.paused}
            if demand is not None:
                shown = demand.get(code, need)
                counts[need]["demand"] = {"unmet": shown["unmet"], "referred": shown["referred"]}
        areas.append({"code": code, "name": labels.place(code),
                      "kind": "subprefecture" if sub == code else "municipality",
                      "subprefecture": sub, "counts": counts})
    return {"needs": list(coverage.needs), "areas": areas}


def table_rows(coverage: Coverage, labels: Labels) -> list[list[object]]:
    """A header and one row per place: three numbers per need (active, unverified, paused)."""
    t, lang = labels.t, labels.lang
    header: list[object] = ["code", t("coverage.place", lang), t("coverage.subprefecture", lang), "kind"]
    for need in coverage.needs:
        label = labels.need(need)
        header += [f"{label} {t('coverage.column_active', lang)}", f"{label} {t('coverage.column_unverified', lang)}",
                   f"{label} {t('coverage.column_paused', lang)}"]
    rows: list[list[object]] = [header]
    for code in coverage.places:
        sub = coverage.subprefecture_of[code]
        kind = t("coverage.kind_subprefecture" if sub == code else "coverage.kind_municipality", lang)
        row: list[object] = [code, labels.place(code), labels.place(sub), kind]
        for need in coverage.needs:
            cell = coverage.cell(code, need)
            row += [cell.active, cell.unverified, cell.paused]
        rows.append(row)
    return rows


def write(coverage: Coverage, labels: Labels, path: Path, kind: str, *, today: date,
          demand: Demand | None = None) -> None:
    """Write csv, xlsx, json or html to ``path``, whole or not at all."""
    mode = shared_mode()  # counts and place names only (small ones suppressed): a file to share
    if kind == "json":
        write_text(path, json.dumps(to_json(coverage, labels, demand), ensure_ascii=False, indent=1) + "\n",
                   mode=mode)
    elif kind == "csv":
        def write_csv(f: IO) -> None:
            writer = csv.writer(f)
            writer.writerows([_safe(v) for v in row] for row in table_rows(coverage, labels))

        atomic_write(path, write_csv, mode=mode, encoding="utf-8-sig", newline="")  # BOM: Excel reads it as UTF-8
    elif kind == "xlsx":
        def write_xlsx(f: IO) -> None:
            from openpyxl import Workbook

            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet("coverage")
            for row in table_rows(coverage, labels):
                sheet.append([_safe(v) for v in row])
            gaps = workbook.create_sheet("gaps")
            for gap in coverage.gaps():
                gaps.append([_safe(gap_sentence(gap, labels)), gap.missing, gap.municipalities])
            workbook.save(f)

        atomic_write(path, write_xlsx, mode=mode, text=False)
    elif kind == "html":
        write_text(path, to_html(coverage, labels, today=today, demand=demand), mode=mode)
    else:
        raise ValueError(f"unknown format {kind!r}")


def _safe(value: object) -> object:
    return guard(value) if isinstance(value, str) else value


# -- HTML ------------------------------------------------------------------------------


def demand_mark(demand: Demand | None, place: str, need: str) -> str:
    """` ▲4` (unmet local needs), ` ▲*` (a subprefecture's 1 or 2, not shown), or nothing
    (none, or a town's count under 3: a town's 0 and its 1–2 look the same)."""
    if demand is None:
        return ""
    unmet = demand.get(place, need)["unmet"]
    if isinstance(unmet, int):
        return f" ▲{unmet}" if unmet else ""
    return "" if place[:1].isdigit() else " ▲*"


def marked(counts: list[str], marks: list[str]) -> list[str]:
    """One column's cells, each count with its ▲ mark (``demand_mark``) and every mark padded to the
    column's widest: cells are centred or right-aligned, and a row with ▲4 stood its count a
    column or two off the rows above and below it."""
    room = max(map(cell_width, marks), default=0)
    return [count + mark + " " * (room - cell_width(mark)) for count, mark in zip(counts, marks)]


def opportunity_lines(coverage: Coverage, labels: Labels, demand: Demand, limit: int = 10) -> list[str]:
    """The "where a new resource would help most" sentences."""
    t = labels.t
    return [t("demand.line_one_resource" if o.resources == 1 else "demand.line", labels.lang,
              place=labels.place(o.place), need=labels.need(o.need), unmet=o.unmet, resources=o.resources)
            for o in most_needed(coverage, demand, limit)]


def to_html(coverage: Coverage, labels: Labels, *, today: date, gap_limit: int = 40,
            demand: Demand | None = None) -> str:
    """The handout: heat map of subprefectures × needs, municipalities' gaps per subprefecture, sentences."""
    t, lang = labels.t, labels.lang
    blank = t("coverage.blank", lang)
    subs = coverage.subprefectures()
    needs = list(coverage.needs)

    def grid(places: list[str]) -> str:
        cells = [[(coverage.cell(p, n).help(coverage.include_paused),
                   cell_label(coverage.cell(p, n), labels, include_paused=coverage.include_paused, short=True))
                  for n in needs] for p in places]
        marks = [[demand_mark(demand, p, n) for n in needs] for p in places] if demand is not None else None
        return h.heat_map([labels.place(p) for p in places], [labels.short_need(n) for n in needs], cells, blank,
                          cell_width=(36 if len(needs) > 12 else 48) + (16 if demand is not None else 0), marks=marks)

    sections = [f"<h2>{h.esc(t('coverage.subprefecture', lang))} × {h.esc(t('column.needs', lang))}</h2>",
                grid(subs) if subs else "",
                h.legend(blank, ("1", "2", "3–4", "5–9", "10+")),
                f'<p class="note">{h.esc(t("coverage.legend", lang))}</p>']
    if demand is not None:
        lines = opportunity_lines(coverage, labels, demand)
        items_ = "".join(f"<li>{h.esc(line)}</li>" for line in lines)
        sections += [f'<p class="note">{h.esc(t("demand.legend", lang))}</p>',
                     f"<h2>{h.esc(t('demand.title', lang))}</h2>",
                     f"<ol>{items_}</ol>" if lines else f"<p>{h.esc(t('demand.none', lang))}</p>"]
    towns = coverage.municipalities()
    if towns and len(subs) == 1:  # one subprefecture asked for: its towns too
        sections += [f"<h2>{h.esc(t('coverage.title_sub', lang, sub=labels.place(subs[0])))}</h2>", grid(towns)]
    gaps = coverage.gaps()
    items = "".join(f"<li>{h.esc(gap_sentence(g, labels))}</li>" for g in gaps[:gap_limit])
    more = f'<p class="note">{h.esc(t("coverage.more_gaps", lang, n=len(gaps) - gap_limit))}</p>' if len(
        gaps) > gap_limit else ""
    sections += [f"<h2>{h.esc(t('coverage.gaps_title', lang))}</h2>",
                 f"<ol>{items}</ol>{more}" if gaps else f"<p>{h.esc(t('coverage.no_gaps', lang))}</p>"]
    meta = [t("coverage.made", lang, date=today.isoformat()), t("coverage.size", lang, n=coverage.resources),
            t("coverage.filters", lang, filters=filter_words(coverage, labels, today))]
    return h.page(t("coverage.title", lang), lang, meta, sections)
