"""How catalogue values are shown: always as plain text, never as markup or terminal codes.

Everything here returns ``rich.text.Text`` (or ``str`` meant for ``Text``) built from
``for_output`` values, so a name like ``[@click=app.quit]`` or ``\\x1b[2J`` is just letters.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from rich.text import Text

from tui.core.linebreak import wrap_spans
from tui.core.public import for_output, public_view
from tui.core.reference.areas import HOKKAIDO, Gazetteer, Place, english_name
from tui.core.reference.needs import Taxonomy
from tui.core.search.places import area_value
from tui.i18n import t


def cell(value: object, style: str = "") -> Text:
    """One table cell: control characters and line breaks gone, no markup."""
    return Text(for_output(value, multiline=False), style=style, no_wrap=True, overflow="ellipsis", end="")


def area_label(gazetteer: Gazetteer, code: str, lang: str = "ja") -> str:
    """A place as shown; 全道 reads "All Hokkaido" in English, a town its romaji (Kushiro-shi)."""
    if code == HOKKAIDO:
        return t("finder_more.hokkaido", lang)
    place = gazetteer.places.get(code)
    if lang == "en" and place is not None:
        return for_output(english_name(place), multiline=False)
    return for_output(gazetteer.label(code), multiline=False) if code else ""


def short_area_label(gazetteer: Gazetteer, code: str, lang: str = "ja") -> str:
    """For a narrow column: オホーツク rather than オホーツク総合振興局."""
    place = gazetteer.places.get(code)
    if place is not None and place.kind == "subprefecture":
        return for_output(english_name(place, short=True) if lang == "en" else place.name, multiline=False)
    return area_label(gazetteer, code, lang)


def needs_label(taxonomy: Taxonomy, codes: tuple[str, ...] | list[str], lang: str, sep: str = "") -> str:
    """Need labels in one line, joined by ``sep`` (default: the language's list mark, ・ or ", ")."""
    sep = sep or t("common.sep", lang)
    labels = [taxonomy.needs[c].label(lang) if c in taxonomy.needs else c for c in codes]
    return for_output(sep.join(labels), multiline=False)


def short_need_label(taxonomy: Taxonomy, code: str, lang: str) -> str:
    """The first part of a need label (食料支援, 総合相談): enough for a narrow column."""
    need = taxonomy.needs.get(code)
    if need is None:
        return code
    return need.label(lang).split("・")[0].split(" and ")[0]


def parse_day(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10])
    except (TypeError, ValueError):
        return None


def verified_age(last_verified: str, today: date, lang: str) -> str:
    """How long ago the details were checked: 未確認 / never when nobody has (short: a column)."""
    if not last_verified:
        return t("age.never", lang)
    day = parse_day(last_verified)
    if day is None:
        return for_output(last_verified, multiline=False)
    days = max(0, (today - day).days)
    if days == 0:
        return t("age.today", lang)
    if days < 31:
        return t("age.days", lang, n=days)
    if days < 365:
        return t("age.months", lang, n=days // 30)
    return t("age.years", lang, n=days // 365)


def place_filter_value(place: Place) -> str:
    """What to pass to ``Catalogue.search(area=...)`` so it means exactly this place (one rule,
    in ``tui.core.search.places``: the finder, the pickers and ``tsunagu search`` agree)."""
    return area_value(place)


def contact_text(resource, lang: str) -> str:
    """What ``c`` copies: name and how to reach it, from the public view (never a confidential address)."""
    shown = public_view(resource)
    lines = [for_output(shown.name, multiline=False)]
    if shown.organization:
        lines.append(for_output(shown.organization, multiline=False))
    for key in ("address", "phone", "fax", "email", "url", "hours"):
        value = for_output(getattr(shown, key), multiline=False)
        if key == "address" and value and shown.postal_code:
            value = f"〒{for_output(shown.postal_code, multiline=False)} {value}"
        if value:
            lines.append(f"{t(f'field.{key}', lang)}: {value}")
    if shown.confidential:
        lines.append(t("detail.confidential_address", lang))
    if not has_contact(shown):
        lines.append(f"{t('field.contact', lang)}: {t('detail.no_contact', lang)}")
    return "\n".join(lines)


def has_contact(resource) -> bool:
    """Is there any way to reach it on record (phone, FAX, email, web, a shown address)?"""
    shown = public_view(resource)
    return any(for_output(value).strip() for value in (shown.phone, shown.fax, shown.email, shown.url, shown.address))


def wrap_text(text: Text, width: int, spans: Callable[[str, int], list[tuple[int, int]]] = wrap_spans) -> list[Text]:
    """``text`` broken into lines of at most ``width`` cells (BudouX phrases, 禁則), styles kept."""
    return [text[start:end] for start, end in spans(text.plain, width)]
