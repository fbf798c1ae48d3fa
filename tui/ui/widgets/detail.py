"""The detail pane: every field of the selected resource, contact first.

Built as ``rich.text.Text`` from cleaned values, so catalogue text is never markup.
A confidential resource (a DV shelter) shows 非公開 instead of its address.
"""

from __future__ import annotations

from datetime import date

from rich.cells import cell_len
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


def detail_text(resource: Resource, gazetteer: Gazetteer, taxonomy: Taxonomy, lang: str, today: date) -> Text:
    """The whole record as text: badges, contact, how to refer, then the rest."""
    out = Text(end="")
    out.append(clean(resource.name), style="bold")
    for badge in badges(resource, lang):
        out.append("  ")
        out.append(f"[{badge}]", style="reverse")
    if resource.organization:
        out.append("\n" + clean(resource.organization))
    rows: list[tuple[str, str]] = []
    if resource.confidential:
        rows.append(("address", t("detail.confidential_address", lang)))
    else:
        address = " ".join(x for x in (f"〒{resource.postal_code}" if resource.postal_code else "", resource.address) if x)
        rows.append(("address", address))
    rows += [("phone", resource.phone), ("fax", resource.fax), ("email", resource.email), ("url", resource.url),
             ("hours", resource.hours), ("how_to_refer", resource.how_to_refer), ("cost", resource.cost),
             ("capacity", resource.capacity), ("transport", resource.transport),
             ("eligibility", resource.eligibility)]
    rows.append(("needs", needs_label(taxonomy, resource.needs, lang, sep=", ")))
    rows.append(("area", area_label(gazetteer, resource.area)))
    rows.append(("serves", ", ".join(area_label(gazetteer, c) for c in resource.served_areas)))
    rows += [("languages", ", ".join(resource.languages)), ("description", resource.description),
             ("notes", resource.notes)]
    if resource.verified:
        verified = f"{clean(resource.last_verified)} ({verified_age(resource.last_verified, today, lang)})"
    else:
        verified = t("detail.unverified_warning", lang)
    rows += [("last_verified", verified), ("source", resource.source), ("id", resource.id)]
    labels = {key: t(f"field.{key}", lang) for key, _ in rows}
    width = max(cell_len(label) for label in labels.values()) + 2
    for key, value in rows:
        value = clean(value, multiline=True)
        if not value:
            continue
        label = labels[key]
        out.append("\n" + label + " " * (width - cell_len(label)), style="bold")
        # Continuation lines line up under the value, so a long note stays readable.
        out.append(value.replace("\n", "\n" + " " * width),
                   style="bold" if key == "last_verified" and not resource.verified else "")
    return out


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

    def compose(self):
        yield Static(id="detail-body", markup=False)

    def show(self, text: Text) -> None:
        self.query_one("#detail-body", Static).update(text)
        if self.scroll_y:  # a scroll request costs a layout pass of its own
            self.scroll_home(animate=False)
