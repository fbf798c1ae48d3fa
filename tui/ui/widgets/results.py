"""The results list: a header line and one line per hit, drawn with Textual's line API.

A DataTable re-renders every visible cell through Rich whenever one changes, and that
was most of a keystroke's time at 100k resources (STYLE.md, last section). Here each
row is rendered once into a cached ``Strip`` for the current column widths, only the
rows on screen are ever rendered, and moving the cursor repaints two lines. Column
widths come from ``columns.column_widths`` over the rows on screen. With no hits the
same widget shows why and what to try, so it never hides and focus never jumps away.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from tui.core.models import Hit

from ..display import wrap_text
from .columns import GAP, column_widths, fit, fit_plain

COLUMN_KEYS = ("name", "organization", "area", "needs", "phone", "verified")

RowCells = tuple[Text, ...]
KEEP = 2000  # drawn rows kept across result lists (a few screens of typing)


class ResultsTable(Widget, can_focus=True):
    """Search hits, best first; the cursor row is the selected resource."""

    BINDINGS = [
        Binding("up", "cursor(-1)", show=False, id="results.up"),
        Binding("down", "cursor(1)", show=False, id="results.down"),
        Binding("pageup", "page(-1)", show=False, id="results.page_up"),
        Binding("pagedown", "page(1)", show=False, id="results.page_down"),
        Binding("home", "jump(0)", show=False, id="results.home"),
        Binding("end", "jump(-1)", show=False, id="results.end"),
        Binding("enter", "select", show=False, id="results.select"),
    ]
    COMPONENT_CLASSES = {"results--header", "results--cursor"}
    DEFAULT_CSS = """
    ResultsTable {
        background: $surface;
        color: $foreground;
        & > .results--header { text-style: bold; background: $panel; color: $foreground; }
        & > .results--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .results--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """

    class Highlighted(Message):
        """The cursor moved to another hit (or there is none)."""

        def __init__(self, hit: Hit | None) -> None:
            super().__init__()
            self.hit = hit

    class Selected(Message):
        """``enter`` (or a click on the cursor row): show the hit's details."""

        def __init__(self, hit: Hit) -> None:
            super().__init__()
            self.hit = hit

    def __init__(self, headers: dict[str, str], render_row: Callable[[Hit], RowCells], **kwargs) -> None:
        super().__init__(**kwargs)
        self._headers = headers
        self._render_row = render_row
        self.hits: list[Hit] = []
        self.cursor_row = 0
        self.top = 0  # index of the hit on the first row line
        self.empty_text = Text()
        # Drawn lines are kept by what they show, not where: typing on and deleting back (くしろ →
        # くし → くしろ) finds most rows drawn already. Cleared when the widths, the styles or what
        # the cells say (``context``) change, and when they grow past ``KEEP``.
        self._cells: dict[Hit, RowCells] = {}
        # (hit or None for the header, is cursor, column widths): a list that changes the widths and
        # the next that changes them back find their lines drawn (and none is thrown away on the way).
        self._strips: dict[tuple[Hit | None, bool, tuple[int, ...]], Strip] = {}
        self._fitted: dict[tuple[Hit, int, int], list[Segment]] = {}  # (hit, column, width): a cell as drawn
        self._row_context: object = None
        self._styles: tuple[Style, Style] | None = None  # (base, cursor): rich_style walks the DOM
        self._widths: tuple[int, ...] = ()
        self._focused = False

    # -- what is shown ------------------------------------------------------------

    @property
    def page_size(self) -> int:
        """How many hits fit under the header (a screenful when not laid out yet)."""
        return max(1, (self.size.height or 24) - 1)

    @property
    def row_count(self) -> int:
        return len(self.hits)

    @property
    def selected(self) -> Hit | None:
        return self.hits[self.cursor_row] if 0 <= self.cursor_row < len(self.hits) else None

    @property
    def widths(self) -> tuple[int, ...]:
        """Cells per column (0: hidden) as last laid out."""
        return self._widths

    def get_row_at(self, index: int) -> RowCells:
        """The cells of hit ``index`` as rendered (before fitting to a column)."""
        return self._row(index)

    def show(self, hits: Sequence[Hit], empty_text: Text | None = None, context: object = None) -> bool:
        """Show new results with the best one selected; False when nothing visible changed.

        ``context`` is whatever else the row renderer reads (the need filtered on, say): a new one
        redraws every row."""
        if context != self._row_context:
            self._row_context = context
            self._forget()
        before = [self._row(i) for i in range(self.top, min(len(self.hits), self.top + self.page_size))]
        old_ids = [hit.id for hit in self.hits[self.top:self.top + self.page_size]]
        old_empty = self.empty_text
        self.hits = list(hits)
        self.empty_text = empty_text or Text()
        moved = self.cursor_row != 0 or self.top != 0
        self.cursor_row = 0
        self.top = 0
        new_ids = [hit.id for hit in self.hits[:self.page_size]]
        after = [self._row(i) for i in range(min(len(self.hits), self.page_size))]
        changed = moved or new_ids != old_ids or before != after or (not self.hits and old_empty != self.empty_text)
        if changed:
            self._relayout()
        return changed

    def select_id(self, resource_id: str) -> bool:
        for index, hit in enumerate(self.hits):
            if hit.id == resource_id:
                self.move_cursor(index)
                return True
        return False

    def move_cursor(self, row: int) -> None:
        if not self.hits:
            return
        row = max(0, min(len(self.hits) - 1, row))
        old_row, old_top = self.cursor_row, self.top
        self.cursor_row = row
        if row < self.top:
            self.top = row
        elif row >= self.top + self.page_size:
            self.top = row - self.page_size + 1
        if self.top != old_top:
            self._relayout()
        else:
            self.refresh_line(old_row - self.top + 1)
            self.refresh_line(row - self.top + 1)
        if row != old_row:
            self.post_message(self.Highlighted(self.selected))

    # -- keys and mouse -----------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step)

    def action_page(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step * self.page_size)

    def action_jump(self, row: int) -> None:
        self.move_cursor(row if row >= 0 else len(self.hits) - 1)

    def action_select(self) -> None:
        if self.selected is not None:
            self.post_message(self.Selected(self.selected))

    def on_click(self, event: events.Click) -> None:
        row = self.top + event.y - 1
        if event.y >= 1 and 0 <= row < len(self.hits):
            if row == self.cursor_row:
                self.action_select()
            self.move_cursor(row)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self.move_cursor(self.cursor_row + 3)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self.move_cursor(self.cursor_row - 3)

    def on_focus(self) -> None:
        self._restyle()

    def on_blur(self) -> None:
        self._restyle()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None
        self._strips.clear()  # the theme or focus changed the styles the lines were drawn with

    def on_resize(self) -> None:
        self._strips.clear()
        if self.cursor_row >= self.top + self.page_size:
            self.top = self.cursor_row - self.page_size + 1
        self._relayout()

    # -- drawing ------------------------------------------------------------------

    def _row(self, index: int) -> RowCells:
        hit = self.hits[index]
        cells = self._cells.get(hit)
        if cells is None:
            if len(self._cells) >= KEEP:
                self._forget()
            cells = self._cells[hit] = self._render_row(hit)
        return cells

    def _forget(self) -> None:
        self._cells.clear()
        self._strips.clear()
        self._fitted.clear()

    def _relayout(self) -> None:
        visible = [[cell.plain for cell in self._row(i)]
                   for i in range(self.top, min(len(self.hits), self.top + self.page_size))]
        headers = [self._headers[key] for key in COLUMN_KEYS]
        widths = column_widths(max(0, self.size.width - 2), headers, COLUMN_KEYS, visible)
        self._widths = widths
        self.refresh()

    def refresh_line(self, y: int) -> None:
        """Repaint one line (a cursor move repaints two, not the whole list)."""
        self.refresh(Region(0, y, self.size.width, 1))

    def _restyle(self) -> None:
        self._styles = None
        self._strips = {key: strip for key, strip in self._strips.items() if not key[1]}
        if self.selected is not None:
            self.refresh_line(self.cursor_row - self.top + 1)

    def _line(self, cells: Sequence[Text], style: Style, hit: Hit | None = None) -> Strip:
        """One line: each cell fitted to its column and rendered once per width (a new result list
        often changes one column's width and keeps the others)."""
        console = self.app.console
        segments = [Segment(" ")]
        gap = Segment(" " * GAP)
        number = 0
        for column, (cell, width) in enumerate(zip(cells, self._widths)):
            if not width:
                continue
            if number:
                segments.append(gap)
            number += 1
            if hit is None:  # the header: drawn once per width anyway
                segments.extend(_drawn(cell, width, console))
                continue
            key = (hit, column, width)
            fitted = self._fitted.get(key)
            if fitted is None:
                if len(self._fitted) >= KEEP * len(COLUMN_KEYS):
                    self._fitted.clear()
                fitted = self._fitted[key] = _drawn(cell, width, console)
            segments.extend(fitted)
        width = self.size.width
        # Merged where the styles meet, the line writes as few style changes as one drawn whole.
        return Strip(segments).apply_style(style).simplify().extend_cell_length(width, style).crop(0, width)

    def _base_styles(self) -> tuple[Style, Style]:
        if self._styles is None:
            base = self.rich_style
            self._styles = (base, base + self.get_component_rich_style("results--cursor"))
        return self._styles

    def render_line(self, y: int) -> Strip:
        base, cursor_style = self._base_styles()
        width = self.size.width
        if not self.hits:
            lines = wrap_text(self.empty_text, max(1, width - 4)) if self.empty_text else []
            index = y - 1
            if 0 <= index < len(lines):
                text = Text("  ", end="").append_text(lines[index])
                return Strip(list(text.render(self.app.console))).apply_style(base).extend_cell_length(
                    width, base).crop(0, width)
            return Strip([Segment(" " * width, base)], width)
        if len(self._strips) >= KEEP:
            self._strips.clear()
        if y == 0:
            key: tuple[Hit | None, bool, tuple[int, ...]] = (None, False, self._widths)
            if key not in self._strips:
                style = base + self.get_component_rich_style("results--header")
                self._strips[key] = self._line([Text(self._headers[k]) for k in COLUMN_KEYS], style)
            return self._strips[key]
        index = self.top + y - 1
        if index >= len(self.hits):
            return Strip([Segment(" " * width, base)], width)
        cursor = index == self.cursor_row
        key = (self.hits[index], cursor, self._widths)
        if key not in self._strips:
            self._strips[key] = self._line(self._row(index), cursor_style if cursor else base, key[0])
        return self._strips[key]


def _drawn(cell: Text, width: int, console: Console) -> list[Segment]:
    """``cell`` fitted to ``width`` cells, as segments. One without spans (most) is a string and its
    style: Rich's ``Text.render`` would drop that style (its console rendering adds it back later)."""
    if cell.spans:
        return list(fit(cell, width).render(console))
    style = console.get_style(cell.style, default=Style.null()) if cell.style else None
    return [Segment(fit_plain(cell.plain, width), style)]
