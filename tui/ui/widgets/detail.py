"""The detail pane: every field of the selected resource, contact first.

Built as ``rich.text.Text`` from cleaned values, so catalogue text is never markup.
A confidential resource (a DV shelter) shows 非公開 instead of its address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.core.areas import Gazetteer
from tui.core.models import Resource
from tui.core.needs import Taxonomy
from tui.core.text import clean
from tui.i18n import t

from ..display import area_label, needs_label, verified_age


@dataclass(frozen=True)
class Details:
    """A resource as the pane shows it: a title line and (label, value) rows, all plain text."""

    title: Text
    rows: tuple[tuple[str, str, str], ...]  # (label, value, style)

    @property
    def plain(self) -> str:
        return "\n".join([self.title.plain, *(f"{label}  {value}" for label, value, _ in self.rows)])

    def lines(self, width: int) -> Text:
        """Laid out for ``width`` cells, as lines that need no more wrapping.

        Pure Rich work, safe in a worker thread: measuring a wrapped grid is the dearest
        part of showing a resource, so it is done off the event loop.
        """
        console = Console(width=max(20, width), color_system="truecolor", force_terminal=True, legacy_windows=False)
        rendered = console.render_lines(self.renderable(), console.options.update_width(max(20, width)), pad=False)
        out = Text(end="", no_wrap=True)
        for number, line in enumerate(rendered):
            if number:
                out.append("\n")
            for segment in line:
                if not segment.control:
                    out.append(segment.text, segment.style)
        return out

    def renderable(self) -> Group:
        # A two-column grid: long Japanese values wrap inside their column, under themselves.
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(ratio=1, overflow="fold")
        for label, value, style in self.rows:
            grid.add_row(Text(label), Text(value, style=style))
        return Group(self.title, grid)


def describe(resource: Resource, gazetteer: Gazetteer, taxonomy: Taxonomy, lang: str, today: date) -> Details:
    """The whole record: badges, contact first, how to refer, then the rest."""
    title = Text()
    title.append(clean(resource.name), style="bold")
    for badge in badges(resource, lang):
        title.append("  ")
        title.append(f"[{badge}]", style="reverse")
    if resource.organization:
        title.append("\n" + clean(resource.organization))
    rows: list[tuple[str, str]] = []
    contacts = (resource.phone, resource.fax, resource.email, resource.url, resource.address)
    if not any(clean(value) for value in contacts):
        rows.append(("contact", t("detail.no_contact", lang)))  # say so, rather than start with the description
    rows += [("phone", resource.phone), ("fax", resource.fax), ("email", resource.email), ("url", resource.url)]
    if resource.confidential:
        rows.append(("address", t("detail.confidential_address", lang)))
    else:
        address = " ".join(x for x in (f"〒{resource.postal_code}" if resource.postal_code else "", resource.address) if x)
        rows.append(("address", address))
    rows += [("hours", resource.hours), ("how_to_refer", resource.how_to_refer), ("cost", resource.cost),
             ("capacity", resource.capacity), ("transport", resource.transport),
             ("eligibility", resource.eligibility)]
    rows.append(("needs", needs_label(taxonomy, resource.needs, lang, sep=", ")))
    rows.append(("area", area_label(gazetteer, resource.area, lang)))
    rows.append(("serves", ", ".join(area_label(gazetteer, c, lang) for c in resource.served_areas)))
    rows += [("languages", ", ".join(resource.languages)), ("description", resource.description),
             ("notes", resource.notes)]
    if resource.verified:
        verified = f"{clean(resource.last_verified)} ({verified_age(resource.last_verified, today, lang)})"
    else:
        verified = t("detail.unverified_warning", lang)
    rows += [("last_verified", verified), ("source", resource.source), ("id", resource.id)]
    shown = []
    for key, value in rows:
        value = clean(value, multiline=True)
        if value:
            style = "bold" if key == "last_verified" and not resource.verified else ""
            shown.append((t(f"field.{key}", lang), value, style))
    return Details(title, tuple(shown))


def badges(resource: Resource, lang: str) -> list[str]:
    found = []
    if resource.status in ("paused", "closed"):
        found.append(t(f"status.{resource.status}", lang))
    if resource.confidential:
        found.append(t("common.confidential", lang))
    if not resource.verified:
        found.append(t("common.unverified", lang))
    return found


class DetailPane(VerticalScroll, can_focus=True):
    """Scrollable details of one resource (``enter`` maximises it, ``escape`` goes back)."""

    BINDINGS = [Binding("escape", "screen.focus_results", "Back", show=False, id="detail_pane.close")]
    ALLOW_MAXIMIZE = True  # containers opt out by default

    plain = ""
    """What the pane shows, as plain text (tests, and a hook for copying)."""

    def compose(self):
        yield Static(id="detail-body", markup=False)

    @property
    def text_width(self) -> int:
        """Cells a line of details may use (the scrollbar gutter is kept, see app.tcss)."""
        return self.scrollable_content_region.width

    def show(self, details: Details | Text, laid_out: Text | None = None, width: int = 0) -> None:
        """Show details; ``laid_out`` (from ``Details.lines(width)``) is used while the width still fits."""
        self.plain = details.plain
        body = self.query_one("#detail-body", Static)
        if isinstance(details, Text):
            body.update(details)
        elif laid_out is not None and width == self.text_width:
            body.update(laid_out)
        else:
            body.update(details.renderable())
        if self.scroll_y:  # a scroll request costs a layout pass of its own
            self.scroll_home(animate=False)
