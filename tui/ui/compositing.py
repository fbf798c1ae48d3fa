"""Wide characters are never torn where one widget's edge lies under another widget.

Textual's compositor cuts every line of the screen at every widget's left and right edge
("cuts"), divides each widget's line at those cuts and keeps, for each piece, the topmost
widget's. A notification at 120 columns lies over the list/detail divider: its line was
cut at the divider's column, and a double-width character standing across that column
(Rich cannot halve it) became two spaces — ``紹介しまし  : フードバンクくしろ``. The same
happened to the details under a dialog's edge.

Here a piece whose cut would halve a wide character is kept whole when the same widget
owns both sides of the cut (nothing above it there): the left piece carries the whole
character and the right piece starts one cell later (an empty piece at the cut). Every
way Textual draws the chops (a full frame, a partial update, a screenshot) joins them
end to end or writes each at its own column, so both stay right.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import cast

from rich.cells import cell_len
from textual import screen as textual_screen
from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip

_EMPTY = Strip([], 0)


def torn_cuts(strip: Strip, cuts: Iterable[int]) -> set[int]:
    """Which of ``cuts`` (cell offsets in ``strip``) fall inside a double-width character."""
    wanted = set(cuts)
    if not wanted:
        return set()
    torn: set[int] = set()
    x = 0
    for segment in strip:
        text = segment.text
        width = cell_len(text)
        if width != len(text) and any(x < cut < x + width for cut in wanted):  # wide characters here
            for char in text:
                char_width = cell_len(char)
                if char_width == 2 and x + 1 in wanted:
                    torn.add(x + 1)
                x += char_width
        else:
            x += width
    return torn


class WholeCharCompositor(Compositor):
    def _render_chops(self, crop: Region, is_rendered_line: Callable[[int], bool]) -> Sequence[Mapping[int, Strip]]:
        # Textual 8's _render_chops, with the torn cuts kept whole (see the module's docstring).
        cuts = self.cuts
        chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
        for region, clip, strips in self._get_renders(crop):
            render_region = region.intersection(clip)
            render_x = render_region.x
            first_cut, last_cut = render_region.column_span
            for y, strip in zip(render_region.line_range, strips):
                if not is_rendered_line(y):
                    continue
                chops_line = chops[y]
                final_cuts = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
                inner = [cut - render_x for cut in final_cuts[1:-1]]
                torn = torn_cuts(strip, inner) if inner else set()
                # Kept whole only where this widget is the top one on both sides of the cut.
                whole = {
                    cut for index, cut in enumerate(final_cuts[1:-1], 1)
                    if cut - render_x in torn and chops_line.get(cut) is None
                    and chops_line.get(final_cuts[index - 1]) is None
                }
                divide_at = [cut - render_x for cut in final_cuts[1:] if cut not in whole]
                pieces = iter(strip.divide(divide_at))
                get = chops_line.get
                for cut in final_cuts[:-1]:
                    if cut in whole:
                        chops_line[cut] = _EMPTY  # its cells went with the piece before
                        continue
                    piece = next(pieces, None)
                    if piece is None:
                        break
                    if get(cut) is None:
                        chops_line[cut] = piece
        return cast("Sequence[Mapping[int, Strip]]", chops)


def install() -> None:
    """Every screen made from now on composes with ``WholeCharCompositor``."""
    textual_screen.Compositor = WholeCharCompositor  # type: ignore[misc]
