"""One self-contained, A4-printable HTML page for a meeting handout, and the SVG in it.

No scripts, no fonts or images fetched: the page is text, inline CSS and inline SVG,
so it opens the same offline, in a browser or printed. Every value put in goes
through ``html.escape`` (attributes too).
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Sequence

from tui.core.public import for_output

# Sequential single-hue-family shades (ColorBrewer YlGnBu): read in order by people with any
# colour vision, and in grey print. Level 0 is a light grey that always carries the word 空白 too.
HEAT = ("#eeeeee", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")
HEAT_TEXT = ("#000000", "#000000", "#000000", "#000000", "#ffffff", "#ffffff")
HEAT_STEPS = (1, 2, 3, 5, 10)  # a count reaches level k+1 at HEAT_STEPS[k]
# In a terminal 空白 keeps the terminal's own background (a grey block on a dark screen glares)
# and is written in bold Okabe–Ito orange, apart from the blue-green scale for every colour vision.
TERMINAL_BLANK = "bold #E69F00"


def terminal_style(shade: int) -> str:
    """A heat-map cell's style in a terminal (Rich style string)."""
    return TERMINAL_BLANK if not shade else f"{HEAT_TEXT[shade]} on {HEAT[shade]}"


# Okabe–Ito colours for categories (outcomes, needs): distinct for every kind of colour vision.
CATEGORY = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")

CSS = (
    "@page{size:A4;margin:12mm}"
    "body{font-family:'Noto Sans CJK JP','Noto Sans JP','Hiragino Sans','Yu Gothic',sans-serif;"
    "color:#111;margin:0 auto;max-width:186mm;font-size:10pt;line-height:1.45}"
    "h1{font-size:15pt;margin:0 0 2mm}h2{font-size:12pt;margin:5mm 0 2mm;break-after:avoid}"
    ".meta{color:#333;margin:0 0 3mm}.meta span{margin-right:5mm}"
    "svg{display:block;max-width:100%;height:auto;break-inside:avoid}"
    "ol,ul{margin:1mm 0;padding-left:6mm}li{break-inside:avoid}"
    ".note{font-size:9pt;color:#333}"
)


def esc(value: object) -> str:
    return html.escape(for_output(value), quote=True)


def page(title: str, lang: str, meta: Sequence[str], sections: Sequence[str]) -> str:
    """The whole document: a title, a line of facts (date, size, filters), then the sections."""
    facts = "".join(f"<span>{esc(m)}</span>" for m in meta)
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width"><title>{esc(title)}</title>\n'
        f"<style>{CSS}</style></head>\n<body>\n<h1>{esc(title)}</h1>\n<p class=\"meta\">{facts}</p>\n"
        + "\n".join(sections) + "\n</body></html>\n"
    )


def level(count: int) -> int:
    """The heat-map shade of a count: 0 (空白), 1, 2, 3–4, 5–9, 10 or more."""
    return sum(1 for step in HEAT_STEPS if count >= step)


def text_width(text: str) -> int:
    """Width in half-width units: a kanji or kana counts two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def heat_map(rows: Sequence[str], columns: Sequence[str], cells: Sequence[Sequence[tuple[int, str]]],
             blank: str, *, cell_width: int = 44, cell_height: int = 20, font: int = 9,
             marks: Sequence[Sequence[str]] | None = None) -> str:
    """A heat map as inline SVG: ``cells[r][c]`` is (count, label); column labels stand rotated.
    ``marks[r][c]``, when given, is added after the label (a blank cell's too): the demand."""
    label_width = max((text_width(r) for r in rows), default=4) * font * 0.55 + 8
    header = max((text_width(c) for c in columns), default=4) * font * 0.55 + 10
    # Labels stand at 60°: the last one reaches about half its length past its column.
    width = label_width + cell_width * len(columns) + 2 + header * 0.5
    height = header + cell_height * len(rows) + 2
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
           f'width="{width:.0f}" height="{height:.0f}" font-size="{font}" role="img">')]
    for c, column in enumerate(columns):
        x = label_width + cell_width * c + cell_width / 2
        out.append(f'<text transform="translate({x:.1f},{header - 4:.1f}) rotate(-60)">{esc(column)}</text>')
    for r, row in enumerate(rows):
        y = header + cell_height * r
        out.append(
            f'<text x="{label_width - 4:.1f}" y="{y + cell_height * 0.68:.1f}" text-anchor="end">{esc(row)}</text>'
        )
        for c, (count, label) in enumerate(cells[r]):
            x = label_width + cell_width * c
            shade = level(count)
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell_width}" height="{cell_height}" '
                       f'fill="{HEAT[shade]}" stroke="#ffffff"/>')
            shown = (label if count else blank) + (marks[r][c] if marks is not None else "")
            weight = ' font-weight="bold"' if not count else ""
            size = f' font-size="{font - 1.5:.1f}"' if text_width(shown) * font * 0.55 > cell_width - 2 else ""
            out.append(f'<text x="{x + cell_width / 2:.1f}" y="{y + cell_height * 0.68:.1f}" text-anchor="middle" '
                       f'fill="{HEAT_TEXT[shade]}"{weight}{size}>{esc(shown)}</text>')
    out.append("</svg>")
    return "".join(out)


def legend(blank: str, labels: Sequence[str], *, font: int = 9) -> str:
    """The shades in order, each with its range, as a small SVG strip."""
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {len(HEAT) * 62} 20" width="{len(HEAT) * 62}" '
           f'height="20" font-size="{font}">')]
    for n, (colour, label) in enumerate(zip(HEAT, (blank, *labels))):
        out.append(f'<rect x="{n * 62}" y="2" width="60" height="16" fill="{colour}"/>'
                   f'<text x="{n * 62 + 30}" y="14" text-anchor="middle" fill="{HEAT_TEXT[n]}">{esc(label)}</text>')
    out.append("</svg>")
    return "".join(out)


def stacked_bars(categories: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], *, font: int = 9,
                 bar_width: int = 34, height: int = 160) -> str:
    """Bars per category (months), each stacked by series (needs, outcomes), with a legend below."""
    totals = [sum(values[i] for _, values in series) for i in range(len(categories))]
    top = max(totals, default=0) or 1
    left, bottom = 30, 20
    width = max(left + (bar_width + 10) * max(len(categories), 1) + 10, left + min(3, len(series)) * 170)
    legend_rows = (len(series) + 2) // 3
    full_height = height + bottom + 10 + legend_rows * 14
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {full_height}" width="{width}" '
           f'height="{full_height}" font-size="{font}" role="img">'),
           f'<line x1="{left}" y1="{height}" x2="{width - 5}" y2="{height}" stroke="#333"/>',
           f'<text x="{left - 4}" y="{font + 2}" text-anchor="end">{top}</text>',
           f'<text x="{left - 4}" y="{height}" text-anchor="end">0</text>']
    for i, category in enumerate(categories):
        x = left + 6 + (bar_width + 10) * i
        y = float(height)
        for n, (_, values) in enumerate(series):
            if values[i]:
                h = (height - font - 4) * values[i] / top
                y -= h
                out.append(f'<rect x="{x}" y="{y:.1f}" width="{bar_width}" height="{h:.1f}" '
                           f'fill="{CATEGORY[n % len(CATEGORY)]}" stroke="#ffffff" stroke-width="0.5"/>')
        out.append(f'<text x="{x + bar_width / 2}" y="{y - 2:.1f}" text-anchor="middle">{totals[i]}</text>')
        out.append(f'<text x="{x + bar_width / 2}" y="{height + 12}" text-anchor="middle">{esc(category)}</text>')
    for n, (name, _) in enumerate(series):
        x = left + (n % 3) * 170
        y = height + bottom + 6 + (n // 3) * 14
        out.append(f'<rect x="{x}" y="{y - 8}" width="10" height="10" fill="{CATEGORY[n % len(CATEGORY)]}"/>'
                   f'<text x="{x + 14}" y="{y + 1}">{esc(name)}</text>')
    out.append("</svg>")
    return "".join(out)


def share_bar(parts: Sequence[tuple[str, int]], *, width: int = 600, font: int = 9) -> str:
    """One horizontal bar split by share (each part labelled with its percentage), legend below."""
    total = sum(n for _, n in parts) or 1
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 64" width="{width}" height="64" '
           f'font-size="{font}" role="img">')]
    x = 0.0
    for n, (name, count) in enumerate(parts):
        w = (width - 2) * count / total
        colour = CATEGORY[n % len(CATEGORY)]
        if count:
            out.append(f'<rect x="{x:.1f}" y="2" width="{w:.1f}" height="24" fill="{colour}" stroke="#ffffff"/>')
            if w > 30:
                out.append(f'<text x="{x + w / 2:.1f}" y="18" text-anchor="middle" fill="#ffffff" '
                           f'font-weight="bold">{round(100 * count / total)}%</text>')
        x += w
        lx, ly = (n % 3) * (width // 3), 42 + (n // 3) * 14
        out.append(f'<rect x="{lx}" y="{ly - 8}" width="10" height="10" fill="{colour}"/>'
                   f'<text x="{lx + 14}" y="{ly + 1}">{esc(name)} {count}</text>')
    out.append("</svg>")
    return "".join(out)
