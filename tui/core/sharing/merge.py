"""The three-way merge of one resource, per field: pure, no git, no database.

``base`` is the resource as both offices last agreed (the package at the merge base),
``mine`` this catalogue's (public view), ``theirs`` the shared repository's. A field
changed on one side only takes that side's value; changed on both to the same value,
that value; ``last_verified`` changed on both takes the later date (two offices checking a
place is no disagreement); any other field changed on both to different values is a conflict: the local value stays
in the catalogue, the package keeps theirs, and a person chooses. Nothing is dropped.

Two more cases are flagged as conflicts on purpose:

* closed on one side and edited on the other — the resource stays, its status is the
  conflict (each side keeps its own status until a person looks);
* made non-confidential by the other office while it is confidential here — this office
  keeps it confidential until a person decides (its private fields never left here).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from tui.core.models import LIST_COLUMNS, Resource, field_text

Record = dict[str, str]
# Fields where both sides' changes are facts in time, not choices: the later (ISO dates sort) wins.
LATER_WINS = frozenset({"last_verified"})
# Fields the merge compares (id is the key; name_kana_generated follows name_kana).
FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Resource) if f.name != "id")


@dataclass(frozen=True, slots=True)
class Conflict:
    """A field changed in both places to different values."""

    id: str
    field: str
    mine: str
    theirs: str
    base: str


@dataclass(slots=True)
class Merged:
    """One resource after the merge: what the package says and what this catalogue keeps."""

    shared: Record
    local: Record
    conflicts: list[Conflict] = field(default_factory=list)


def record(resource: Resource) -> Record:
    """A resource as field → text (lists joined with ';'), the merge's unit."""
    out: Record = {}
    for name in FIELDS:
        out[name] = field_text(getattr(resource, name), separator=";")
    return out


def resource(resource_id: str, rec: Mapping[str, str]) -> Resource:
    """The resource a record describes."""
    values: dict[str, object] = {"id": resource_id}
    for name in FIELDS:
        text = rec.get(name, "")
        if name in LIST_COLUMNS:
            values[name] = tuple(x for x in text.split(";") if x)
        elif name in ("confidential", "name_kana_generated"):
            values[name] = text == "yes"
        else:
            values[name] = text
    if not values["status"]:
        values["status"] = "active"
    return Resource(**values)  # type: ignore[arg-type]


def merge(resource_id: str, base: Record | None, mine: Record | None, theirs: Record | None) -> Merged:
    """Merge one resource three ways (None: the side does not have it)."""
    if theirs is None or theirs == mine:
        kept = dict(mine if mine is not None else theirs or {})
        return Merged(shared=kept, local=dict(kept))
    if mine is None:
        return Merged(shared=dict(theirs), local=dict(theirs))
    base = base or {}
    shared: Record = {}
    local: Record = {}
    conflicts: list[Conflict] = []
    for name in FIELDS:
        b, m, t = base.get(name, ""), mine.get(name, ""), theirs.get(name, "")
        if m == t or t == b:
            shared[name] = local[name] = m
        elif m == b:
            shared[name] = local[name] = t
        elif name in LATER_WINS:  # both checked it: the later check is what both now know
            shared[name] = local[name] = max(m, t)
        else:
            shared[name], local[name] = t, m
            conflicts.append(Conflict(resource_id, name, m, t, b))
    _closed_versus_edited(resource_id, base, mine, theirs, shared, local, conflicts)
    _keep_confidential(resource_id, base, mine, theirs, shared, local, conflicts)
    return Merged(shared=shared, local=local, conflicts=conflicts)


def _edited(base: Mapping[str, str], side: Mapping[str, str]) -> bool:
    return any(side.get(f, "") != base.get(f, "") for f in FIELDS if f != "status")


def _closed_versus_edited(
    rid: str, base: Record, mine: Record, theirs: Record, shared: Record, local: Record, conflicts: list[Conflict]
) -> None:
    b = base.get("status", "")
    closed_here = mine.get("status") == "closed" != b and theirs.get("status") != "closed" and _edited(base, theirs)
    closed_there = theirs.get("status") == "closed" != b and mine.get("status") != "closed" and _edited(base, mine)
    if (closed_here or closed_there) and not any(c.field == "status" for c in conflicts):
        shared["status"], local["status"] = theirs.get("status", ""), mine.get("status", "")
        conflicts.append(Conflict(rid, "status", mine.get("status", ""), theirs.get("status", ""), b))


def _keep_confidential(
    rid: str, base: Record, mine: Record, theirs: Record, shared: Record, local: Record, conflicts: list[Conflict]
) -> None:
    if mine.get("confidential") == "yes" and theirs.get("confidential") != "yes" and local.get("confidential") != "yes":
        local["confidential"] = "yes"
        if not any(c.field == "confidential" for c in conflicts):
            conflicts.append(Conflict(rid, "confidential", "yes", theirs.get("confidential", ""),
                                      base.get("confidential", "")))
