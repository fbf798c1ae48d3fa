"""Editing one resource with exactly the import's rules (one code path: ``rows.RowReader``).

The form in the app, ``tsunagu edit --set`` and the verification worksheet all turn
typed text into a resource here. ``form_text`` gives a resource's fields as a person
reads and types them (area and need names, not codes); ``apply_fields`` validates the
fields that were typed and changes only those, as an import leaves alone the columns
a file lacks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.core.loading.rows import Problem, RowReader
from tui.core.models import COLUMNS, Resource, field_text
from tui.core.public import for_output
from tui.core.store.catalogue import Catalogue
from tui.core.store.changes import EditConflict

EDITABLE: tuple[str, ...] = tuple(column for column in COLUMNS if column != "id")


class UnknownField(ValueError):
    """A field name that is not one of the SPEC's columns (or is the id)."""


def form_text(resource: Resource, catalogue: Catalogue, lang: str = "ja") -> dict[str, str]:
    """Every editable field as text a person reads and could type back unchanged."""
    label = catalogue.gazetteer.label
    needs = catalogue.taxonomy.needs
    out: dict[str, str] = {}
    for column in EDITABLE:
        value = getattr(resource, column)
        if column == "area":
            text = label(value) if value else ""
        elif column == "serves":
            text = "; ".join(label(code) for code in value)
        elif column == "needs":
            text = "; ".join(needs[code].label(lang) if code in needs else code for code in value)
        else:
            text = field_text(value)
        out[column] = for_output(text)  # a form shows catalogue text too: no escape reaches the terminal
    return out


def field_name(text: str) -> str:
    """``phone``, ``電話`` or ``PHONE`` → ``phone``; raises ``UnknownField``."""
    from tui.core.loading.headers import HEADER
    from tui.core.text import fold

    column = HEADER.get(fold(text))
    if column is None or column == "id":
        raise UnknownField(
            f"項目が見つかりません (unknown field): {text!r} — 使える項目 (fields): {', '.join(EDITABLE)}"
        )
    return column


def apply_fields(
    catalogue: Catalogue, current: Resource | None, values: dict[str, str], *, file: str = "", number: int = 0,
    headers: dict[str, str] | None = None,
) -> tuple[Resource | None, list[Problem]]:
    """Validate ``values`` (column → typed text) as import does and apply them.

    ``current`` None makes a new resource from ``values`` (its id made as import makes
    one); otherwise only the columns in ``values`` change. Problems name the column
    (``Problem.column``), so a form can show each beside its field.
    """
    row = {column: text for column, text in values.items() if column in EDITABLE or column == "id"}
    too_long = typed_problems(row, file or "form", number, headers or {})
    if too_long:
        return None, too_long
    if current is not None:
        row.setdefault("name", current.name)  # the one required column, for a partial edit
        if "postal_code" in row and "area" not in row:
            row["area"] = catalogue.gazetteer.label(current.area) if current.area else ""
    resource, problems = RowReader(catalogue).resource(row, file or "form", number, headers)
    if resource is None:
        return None, problems
    if current is None:
        return resource, []
    changed = {column: getattr(resource, column) for column in values if column in EDITABLE}
    if "name_kana" in changed:
        changed["name_kana_generated"] = False
    return current.replace(**changed), []


def typed_problems(row: dict[str, str], file: str, number: int, headers: dict[str, str]) -> list[Problem]:
    """What a person may type but no import would take: a cell past the import's limit (an .xlsx cell's,
    refused, never cut), and a phone or fax with no digit at all (``phone=abc``)."""
    import re

    from tui.core.loading.importing import MAX_CELL

    problems = []
    for column, text in row.items():
        where = headers.get(column, column)
        if len(text) > MAX_CELL:
            problems.append(Problem(file, number, where, f"長すぎます ({len(text):,} 文字; {MAX_CELL:,} 文字まで) "
                                    f"(too long: {len(text):,} characters; at most {MAX_CELL:,})",
                                    "短くしてください (shorten it)"))
        elif column in ("phone", "fax") and text.strip():
            for item in re.split(r"[;；、,，/／\n]+", text):
                if item.strip() and not any(ch.isdigit() for ch in item):
                    problems.append(Problem(file, number, where,
                                            f"番号に数字がありません (no digits in the number): {item.strip()!r}",
                                            "例 (e.g.) 0154-23-5151、#8008、110"))
    return problems


@dataclass
class SaveOutcome:
    """What ``save_form`` did: the stored record, or why not."""

    resource: Resource | None = None
    problems: list[Problem] = field(default_factory=list)
    conflict: EditConflict | None = None


def save_form(
    catalogue: Catalogue, base: Resource | None, opened: dict[str, str], typed: dict[str, str], *, by: str,
    how: str = "edit",
) -> SaveOutcome:
    """Save what was typed in the form: only the fields that differ from what it opened with.

    ``base`` is the record the form opened (None: a new one), ``opened`` its ``form_text``.
    """
    values = typed if base is None else {c: v for c, v in typed.items() if v.strip() != opened.get(c, "").strip()}
    if base is not None and not values:
        return SaveOutcome(resource=base)
    edited, problems = apply_fields(catalogue, base, values)
    if edited is None:
        return SaveOutcome(problems=problems)
    try:
        return SaveOutcome(resource=catalogue.save(edited, base=base, by=by, how=how))
    except EditConflict as conflict:
        return SaveOutcome(conflict=conflict)


def after_conflict(
    catalogue: Catalogue, conflict: EditConflict, opened: dict[str, str], typed: dict[str, str], keep_mine: set[str],
    lang: str = "ja",
) -> tuple[Resource, dict[str, str], dict[str, str]]:
    """The form's next (base, opened, typed) once the worker chose, field by field, in a conflict.

    This worker's own changes stay; for a conflicting field not in ``keep_mine`` the other
    person's value wins; everything else is the catalogue's record as it is now.
    """
    mine = {c: v for c, v in typed.items() if v.strip() != opened.get(c, "").strip()}
    for clash in conflict.conflicts:
        if clash.field not in keep_mine:
            mine.pop(clash.field, None)
    now_opened = form_text(conflict.current, catalogue, lang)
    return conflict.current, now_opened, {**now_opened, **mine}
