"""The detail pane: every field of the selected resource, contact first.

Built as ``rich.text.Text`` from cleaned values, so catalogue text is never markup.
A confidential resource (a DV shelter) shows 非公開 instead of its address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from tui.core.linebreak import cell_width
from tui.core.models import Resource
from tui.core.public import for_output, public_view
from tui.core.reference.areas import Gazetteer
from tui.core.reference.needs import Taxonomy
from tui.i18n import t

from ..display import area_label, needs_label, verified_age, wrap_text


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

        Labels in a column, values wrapped beside them at Japanese phrase boundaries with
        禁則 (``tui.core.linebreak``). Cheap and pure, so a worker can do it ahead and the
        pane can redo it on every resize.
        """
        width = max(12, width)
        label_width = max((cell_width(label) for label, _, _ in self.rows), default=0)
        if width - label_width - 2 < 12:  # too narrow for a column of labels: values go under them
            label_width = -2
        value_width = width - label_width - 2
        out = Text(end="", no_wrap=True)
        lines = wrap_text(self.title, width)
        for label, value, style in self.rows:
            for number, line in enumerate(wrap_text(Text(value, style=style), value_width)):
                if label_width < 0:
                    if number == 0:
                        lines.append(Text(label, style="bold"))
                    lines.append(line)
                    continue
                head = Text(label if number == 0 else "", style="bold")
                head.pad_right(label_width + 2 - head.cell_len)
                lines.append(head + line)
        for number, line in enumerate(lines):
            if number:
                out.append("\n")
            out.append_text(line)
        return out


def describe(resource: Resource, gazetteer: Gazetteer, taxonomy: Taxonomy, lang: str, today: date,
             getting_there: str = "") -> Details:
    """The whole record, from the public view: badges, contact first, how to refer, then the rest.

    ``getting_there``: for a place in another town than the client's area, the transport schemes
    serving that area, or that none is known (``referrals.notes.paired_transport``)."""
    resource = public_view(resource)
    clean = for_output
    title = Text()
    title.append(clean(resource.name, multiline=False), style="bold")
    for badge in badges(resource, lang):
        title.append("  ")
        title.append(f"[{badge}]", style="reverse")
    if resource.organization:
        title.append("\n" + clean(resource.organization, multiline=False))
    rows: list[tuple[str, str]] = []
    contacts = (resource.phone, resource.fax, resource.email, resource.url, resource.address)
    if not any(clean(value) for value in contacts):
        # Say so, rather than start with the description; 未確認 only when nobody has checked.
        rows.append(("contact", t("detail.no_contact" if resource.verified else "detail.no_contact_unverified", lang)))
    rows += [("phone", resource.phone), ("fax", resource.fax), ("email", resource.email), ("url", resource.url)]
    if not resource.verified:
        rows.append(("source", resource.source))  # unchecked by any office: where the contact comes from, beside it
    address = " ".join(x for x in (f"〒{resource.postal_code}" if resource.postal_code else "", resource.address) if x)
    rows.append(("address", t("detail.confidential_address", lang) if resource.confidential else address))
    rows += [("hours", resource.hours), ("how_to_refer", resource.how_to_refer), ("cost", resource.cost),
             ("capacity", resource.capacity), ("transport", resource.transport),
             ("getting_there", getting_there), ("eligibility", resource.eligibility)]
    rows.append(("needs", needs_label(taxonomy, resource.needs, lang, sep=", ")))
    rows.append(("area", area_label(gazetteer, resource.area, lang)))
    rows.append(("serves", ", ".join(area_label(gazetteer, c, lang) for c in resource.served_areas)))
    rows += [("languages", ", ".join(resource.languages)), ("description", resource.description),
             ("notes", resource.notes)]
    if resource.verified:
        verified = (
            f"{clean(resource.last_verified, multiline=False)} ({verified_age(resource.last_verified, today, lang)})"
        )
    else:
        verified = t("detail.unverified_warning", lang)
    rows += [("last_verified", verified), ("source", resource.source if resource.verified else ""), ("id", resource.id)]
    shown = []
    for key, value in rows:
        value = clean(value, multiline=True).strip()
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


class DetailPane(ScrollView, can_focus=True):
    """Scrollable details of one resource (``enter`` maximises it, ``escape`` goes back).

    Lines already broken for the pane's width, drawn as they are (Textual's line API). A new
    resource repaints the pane and never asks for a layout of the whole screen: the pane's own
    size is fixed by the stylesheet, and the length of the details is only its scrollable
    (virtual) height, set without the layout that reactive would ask for. A layout was the slow
    part of a keystroke at 100k (``Static.update``: 8 ms typical, 34 ms p95, on 9 keys in 10;
    a body that grew or shrank with the details: one key in ten, 20–30 ms).
    """

    BINDINGS = [Binding("escape", "screen.focus_results", "Back", show=False, id="detail_pane.close")]
    # The bar is always there: one that came and went with each hit's length would change the
    # text width, and the lines are broken for that width ahead of time, in a worker.
    DEFAULT_CSS = "DetailPane { overflow-y: scroll; overflow-x: hidden; }"

    plain = ""
    """What the pane shows, as plain text (tests, and a hook for copying)."""
    _details: Details | Text | None = None
    _width = 0

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._lines: list[Text] = []
        self._strips: dict[int, Strip] = {}
        self._base: Style | None = None  # rich_style walks the DOM: once per style change, not per line

    @property
    def content(self) -> Text:
        """The lines shown, as laid out for the pane's width."""
        return Text("\n").join(self._lines)

    @property
    def text_width(self) -> int:
        """Cells a line of details may use (the scrollbar gutter is kept, see app.tcss)."""
        return self.scrollable_content_region.width

    def show(self, details: Details | Text, laid_out: Text | None = None, width: int = 0) -> None:
        """Show details; ``laid_out`` (from ``Details.lines(width)``) is used while the width still fits."""
        if details is self._details and self._width == self.text_width and self._lines:
            return  # the same resource again (typing on kept the best hit): its lines are on screen
        self.plain = details.plain
        self._details = details
        self._width = self.text_width
        if isinstance(details, Text):
            text = Text("\n").join(wrap_text(details, max(12, self._width)))
        elif laid_out is not None and width == self._width:
            text = laid_out
        else:
            text = details.lines(self._width)
        self._lines = list(text.split("\n", allow_blank=True))
        self._strips.clear()
        # Details shorter than the pane scroll no more than a pane-high page would: kept at the
        # pane's height, the scrollbar does not redraw (2 ms at 120×40) for every new resource.
        size = Size(self._width, max(len(self._lines), self.scrollable_content_region.height))
        if size != self.virtual_size:
            # Only the scroll range depends on it: no layout (the reactive would ask for one).
            self.set_reactive(Widget.virtual_size, size)
            self._scroll_update(size)
        if self.scroll_y:
            self.scroll_to(y=0, animate=False)
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._base = None
        self._strips.clear()

    def on_resize(self) -> None:
        self._strips.clear()
        # Lines were broken for the old width: break them again for this one.
        if self._details is not None and self.text_width != self._width:
            self.show(self._details)

    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        if index not in self._strips:
            width = self.text_width
            if self._base is None:
                self._base = self.rich_style
            base = self._base
            line = self._lines[index] if index < len(self._lines) else Text()
            segments = list(line.render(self.app.console)) if line else []
            self._strips[index] = Strip(segments).apply_style(base).extend_cell_length(width, base).crop(0, width)
        return self._strips[index]
