"""The results table: one row per hit, drawn only as far as the screen shows.

Redrawing a DataTable dominates keystroke latency (clear() + 50 rows costs tens of
milliseconds), so rows are slots keyed "0", "1", …: new results update the cells that
changed, add or remove slots at the end, and leave the table alone when nothing
visible changed. More rows are drawn when the cursor reaches the last one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.widgets import DataTable

from tui.core.models import Hit

COLUMN_KEYS = ("name", "organization", "area", "needs", "phone", "verified")
# Fixed widths (cells) of the narrow columns; name and organisation share the rest.
FIXED_WIDTHS = {"area": 8, "needs": 10, "phone": 12, "verified": 8}

RowCells = tuple[Text, ...]


class ResultsTable(DataTable):
    """Search hits, best first; the cursor row is the selected resource."""

    def __init__(self, headers: dict[str, str], render_row: Callable[[Hit], RowCells], **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)
        self._headers = headers
        self._render_row = render_row
        self.hits: list[Hit] = []
        self._drawn: list[tuple[str, RowCells]] = []  # (hit id, cells) per slot

    def on_mount(self) -> None:
        for key in COLUMN_KEYS:
            self.add_column(Text(self._headers[key]), key=key, width=FIXED_WIDTHS.get(key, 12))
        self._fit_columns()

    def on_resize(self) -> None:
        self._fit_columns()
        # Drawn before layout (or the terminal changed size): draw what fits now.
        self._draw(min(len(self.hits), max(self.page_size, self.cursor_row + 1)))

    def _fit_columns(self) -> None:
        width = self.size.width or 80
        padding = 2 * self.cell_padding * len(COLUMN_KEYS)
        rest = max(20, width - 2 - padding - sum(FIXED_WIDTHS.values()))
        widths = dict(FIXED_WIDTHS, name=rest - rest * 2 // 5, organization=rest * 2 // 5)
        for key, column in self.columns.items():
            column.width = widths[key.value or ""]
        self._require_update_dimensions = True
        self.refresh()

    @property
    def page_size(self) -> int:
        """How many rows fit (a screenful when not laid out yet)."""
        return max(1, (self.size.height or 24) - 1)

    @property
    def selected(self) -> Hit | None:
        if not self._drawn or not 0 <= self.cursor_row < len(self._drawn):
            return None
        return self.hits[self.cursor_row]

    def show(self, hits: Sequence[Hit]) -> bool:
        """Show new results with the best one selected; False when nothing visible changed."""
        self.hits = list(hits)
        changed = self._draw(min(len(self.hits), self.page_size))
        if changed or self.cursor_row != 0:
            self.move_cursor(row=0, animate=False, scroll=True)
        return changed

    def select_id(self, resource_id: str) -> bool:
        for index, hit in enumerate(self.hits):
            if hit.id == resource_id:
                if index >= len(self._drawn):
                    self._draw(index + 1)
                self.move_cursor(row=index, animate=False)
                return True
        return False

    def _draw(self, count: int) -> bool:
        """Make slots 0..count-1 show hits[0..count-1], touching only what differs."""
        wanted = [(hit.id, self._render_row(hit)) for hit in self.hits[:count]]
        changed = False
        for slot, (row, old) in enumerate(zip(wanted, self._drawn)):
            if row == old:
                continue
            changed = True
            for key, new_cell, old_cell in zip(COLUMN_KEYS, row[1], old[1]):
                if new_cell != old_cell:
                    self.update_cell(str(slot), key, new_cell)
        for slot in range(len(self._drawn) - 1, count - 1, -1):
            self.remove_row(str(slot))
            changed = True
        for slot in range(len(self._drawn), count):
            self.add_row(*wanted[slot][1], key=str(slot))
            changed = True
        self._drawn = wanted
        return changed

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        # Reaching the last drawn row draws the next screenful, so every hit is reachable.
        if event.cursor_row >= len(self._drawn) - 1 and len(self._drawn) < len(self.hits):
            self._draw(min(len(self.hits), len(self._drawn) + self.page_size))
