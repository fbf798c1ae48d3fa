"""The one privacy rule, and text cleaning for everything Tsunagu shows or writes.

Every output — the detail pane, ``c``, the referral note and its log snapshot,
exports, handouts, ``search --json``, coverage, the shared HSDS package — takes a
resource through ``public_view`` and its text through ``for_output``. The private
fields are named here once; a field added later as private is added here only.
"""

from __future__ import annotations

import re

from tui.core.models import Resource
from tui.core.text import clean

# Anything ``clean`` would remove: escape sequences start with ESC or CSI, the rest are controls.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# What a confidential place (a DV shelter) must never show outside the catalogue:
# where it is and how to get there, and free notes that may say either.
PRIVATE_FIELDS: tuple[str, ...] = ("address", "postal_code", "transport", "notes")


def public_view(resource: Resource) -> Resource:
    """The resource as any output may show it: a confidential one loses its private fields."""
    if not resource.confidential:
        return resource
    return resource.replace(**{field: "" for field in PRIVATE_FIELDS})


def is_private(field: str) -> bool:
    """Is ``field`` one that a confidential place never shows?"""
    return field in PRIVATE_FIELDS


def is_withheld(resource: Resource | None, field: str) -> bool:
    """Must ``field`` of ``resource`` be withheld from any output? (A conflict, a change, a form.)"""
    return resource is not None and resource.confidential and field in PRIVATE_FIELDS


def private_values(resource: Resource) -> tuple[str, ...]:
    """What a confidential place keeps to itself: the values to redact from free text."""
    return tuple(getattr(resource, field) for field in PRIVATE_FIELDS)


def keep_private(incoming: Resource, stored: Resource, *, blanks_only: bool = True) -> Resource:
    """``incoming`` with the private fields this catalogue holds for ``stored``.

    A package, a worksheet or a spreadsheet without the private fields never erases
    them (``blanks_only``: only what arrives blank is kept); a sync keeps them all,
    since they never left this catalogue.
    """
    kept = {field: getattr(stored, field) for field in PRIVATE_FIELDS
            if not blanks_only or not getattr(incoming, field)}
    return incoming.replace(**kept) if kept else incoming


def withheld_fields(resource: Resource) -> tuple[str, ...]:
    """The private fields that ``public_view`` blanked and that held something."""
    if not resource.confidential:
        return ()
    return tuple(field for field in PRIVATE_FIELDS if getattr(resource, field))


def needs_cleaning(text: str) -> bool:
    """Would ``for_output`` drop anything from ``text``? (One search over many values joined by newlines.)"""
    return _UNSAFE.search(text) is not None


def for_output(value: object, *, multiline: bool = True) -> str:
    """Catalogue text made safe for a terminal, clipboard, note, handout or log:
    escape sequences and control characters dropped (a catalogue edited with
    ``sqlite3`` may hold them; import strips them, but the file may not be ours).
    Without ``multiline`` a line break becomes a space, so a value never cuts a line."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if not _UNSAFE.search(text) and (multiline or "\n" not in text):
        return text  # the common case: nothing to drop, and spacing kept as it is
    return clean(text, multiline=multiline)
