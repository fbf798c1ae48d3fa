"""How wide each results column is: a pure function of the width and the rows on screen.

Width goes to what people read. Every column first gets a small share (or its whole
text when that is shorter); then the name, up to ten Japanese characters; then the
phone and age whole, four characters each of the area, the organisation and the needs,
five of the needs and the organisation, the area whole and six characters of the organisation;
then the name up to twenty characters, twelve of the organisation and of the needs (so one very
long name does not starve them at 200 columns); then the rest
of the name, the organisation and the needs, in that order. A column that is empty in
every visible row takes no room at all. Cells are measured in terminal cells
(``rich.cells.cell_len``) and every cell cut short ends in ``…`` (see ``fit``).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text

GAP = 1  # cells between two columns

# The first share of each column (or its whole text when shorter).
FIRST = {"name": 10, "organization": 6, "area": 4, "needs": 4, "phone": 6, "verified": 4}
# Then spare width is handed out in this order, each column up to its text's width or the
# cap given (None: no cap): ten characters of the name, the phone and the age whole, four
# characters each of the area, the organisation and the needs (so at 120 columns neither the
# organisation nor the needs is starved for a whole ward name), five of the needs and the
# organisation, the area whole, six of the organisation, twenty of the name, twelve of the
# organisation and the needs, then the rest of the name, the organisation and the needs.
STEPS: tuple[tuple[str, int | None], ...] = (
    ("name", 21), ("phone", 14), ("verified", 8), ("area", 8), ("organization", 8), ("needs", 8),
    ("needs", 10), ("organization", 10), ("area", 12), ("organization", 12),
    ("name", 41), ("organization", 24), ("needs", 24),
    ("name", None), ("organization", None), ("needs", None),
)


def column_widths(width: int, headers: Sequence[str], keys: Sequence[str],
                  rows: Sequence[Sequence[str]]) -> tuple[int, ...]:
    """Cells per column (0: hidden) for ``width`` cells showing ``rows`` (plain cell texts).

    The widths plus one gap between shown columns never exceed ``width``; when even the
    first shares do not fit, the rightmost columns go first.
    """
    natural = []
    for index, header in enumerate(headers):
        longest = max((cell_len(row[index]) for row in rows if row[index]), default=0)
        natural.append(max(longest, cell_len(header)) if longest else 0)
    shown = [i for i, n in enumerate(natural) if n]
    widths = [0] * len(keys)

    def room() -> int:
        used = sum(widths[i] for i in shown) + GAP * max(0, len(shown) - 1)
        return width - used

    for i in shown:
        widths[i] = min(natural[i], FIRST.get(keys[i], 4))
    while shown and room() < 0:  # too narrow even for the first shares: drop from the right
        dropped = shown.pop()
        if not shown:  # the last column left takes what there is
            shown.append(dropped)
            widths[dropped] = max(0, width)
            break
        widths[dropped] = 0
    for key, cap in STEPS:
        i = keys.index(key) if key in keys else -1
        if i in shown:
            goal = natural[i] if cap is None else min(natural[i], cap)
            widths[i] += max(0, min(goal - widths[i], room()))
    spare = room()
    if spare > 0 and shown:  # still room: the name column takes it, so the table fills the width
        widths[keys.index("name") if keys.index("name") in shown else shown[0]] += spare
    return tuple(widths)


def fit_plain(plain: str, width: int) -> str:
    """``fit`` for a string: the same cells, without Rich's copies (most cells are one plain string)."""
    if width <= 0:
        return ""
    size = cell_len(plain)
    if size <= width:
        return plain + " " * (width - size)
    cut, used = 0, 0
    for char in plain:
        char_width = cell_len(char)
        if used + char_width > width - 1:
            break
        used += char_width
        cut += 1
    out = plain[:cut].rstrip() + "…"
    return out + " " * (width - cell_len(out))


def fit(text: Text, width: int) -> Text:
    """``text`` in exactly ``width`` cells: padded, or cut with ``…`` as its last visible cell."""
    if width <= 0:
        return Text("", end="")
    size = text.cell_len
    if size <= width:
        out = text.copy()
        out.end = ""
        out.pad_right(width - size)
        return out
    cut, used = 0, 0
    for char in text.plain:
        char_width = cell_len(char)
        if used + char_width > width - 1:
            break
        used += char_width
        cut += 1
    out = text[:cut]
    out.end = ""
    out.rstrip()
    out.append("…")
    out.pad_right(width - out.cell_len)
    return out
