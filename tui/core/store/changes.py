"""The change log: who changed which field of which resource, when, how, from what to what.

``Catalogue.write`` and ``Catalogue.save`` call ``record`` inside the transaction that
changes the resource, so a change and its log row land together or not at all. One
row per changed field (needs, serves, languages and phones count as one field each);
a new resource gets one row, field ``resource``. ``how`` says where it came from:
``edit``, ``verify`` (plus the worker's one line, e.g. ``verify 電話で確認``),
``import FILE``, ``sync``, ``restore``.

Readable views (``history``) mask the private fields of a confidential resource
(``public.PRIVATE_FIELDS``) unless the caller passes ``reveal=True``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from tui.core.models import COLUMNS, LIST_COLUMNS, Resource, field_text
from tui.core.public import for_output, is_private

if TYPE_CHECKING:
    from tui.core.store.catalogue import Catalogue

# Every column a person can change (the id is what a change is about, not a field of it).
LOGGED_FIELDS: tuple[str, ...] = tuple(column for column in COLUMNS if column != "id")
CREATED = "resource"  # the field of the one row a new resource gets
WITHHELD = "（非公開 withheld）"  # what a masked value reads as


@dataclass(frozen=True, slots=True)
class Change:
    """One row of the change log. ``old`` and ``new`` are text (see ``as_text``)."""

    id: int
    resource_id: str
    field: str
    old: str
    new: str
    at: str  # local time, ISO 8601 with offset, to the second
    by: str
    how: str

    def as_json(self) -> dict[str, str]:
        """What ``history --json`` prints for it: JSON escapes C0 controls but not C1 (8-bit CSI), so clean."""
        return {
            "field": self.field,
            **{key: for_output(getattr(self, key)) for key in ("old", "new", "at", "by", "how")},
        }


@dataclass(frozen=True, slots=True)
class FieldConflict:
    """A field this edit changes that someone else changed too since the form opened."""

    field: str
    base: object  # what the form opened with
    mine: object  # what this worker typed
    theirs: object  # what the catalogue holds now


class EditConflict(Exception):
    """A save stopped because it would overwrite someone else's newer change (nothing written)."""

    def __init__(self, conflicts: Sequence[FieldConflict], current: Resource):
        super().__init__(", ".join(c.field for c in conflicts))
        self.conflicts = tuple(conflicts)
        self.current = current  # the catalogue's record now: the base for a second try


def now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def as_text(resource: Resource, field: str) -> str:
    """A field's value as the log stores it: lists joined with "; ", confidential as yes or ""."""
    return field_text(getattr(resource, field))


def from_text(field: str, text: str) -> object:
    """The inverse of ``as_text``: the value to put back into the resource."""
    if field in LIST_COLUMNS:
        return tuple(item for item in (x.strip() for x in text.split(";")) if item)
    if field == "confidential":
        return text == "yes"
    return text


def diff(before: Resource, after: Resource) -> list[tuple[str, str, str]]:
    """(field, old text, new text) for every field that differs."""
    out = []
    for field in LOGGED_FIELDS:
        old, new = getattr(before, field), getattr(after, field)
        if old != new:
            out.append((field, as_text(before, field), as_text(after, field)))
    return out


def record(
    conn: sqlite3.Connection, pairs: Iterable[tuple[Resource | None, Resource]], *, by: str, how: str, at: str = ""
) -> int:
    """Write the log rows for (before, after) pairs; call inside the write's transaction."""
    at = at or now()
    rows: list[tuple[str, str, str, str, str, str, str]] = []
    for before, after in pairs:
        if before is None:
            rows.append((after.id, CREATED, "", after.name, at, by, how))
        else:
            rows.extend((after.id, field, old, new, at, by, how) for field, old, new in diff(before, after))
    conn.executemany("INSERT INTO changes(resource_id, field, old, new, at, by, how) VALUES (?,?,?,?,?,?,?)", rows)
    return len(rows)


def merge_edit(base: Resource | None, mine: Resource, current: Resource | None) -> tuple[Resource, list[FieldConflict]]:
    """Apply the fields this edit changed (``mine`` against ``base``) to ``current``.

    A field someone else changed since ``base`` is kept as they left it unless this edit
    changes it too to something else: that is a conflict for a person to settle.
    ``base`` None is a new resource; one that exists already conflicts on every field
    both sides filled in differently.
    """
    if current is None:
        return mine, []
    reference = base if base is not None else Resource(id=mine.id, name="")
    changed: dict[str, object] = {}
    conflicts: list[FieldConflict] = []
    for field in LOGGED_FIELDS:
        was, typed, now_held = getattr(reference, field), getattr(mine, field), getattr(current, field)
        if typed == was:
            continue
        if now_held != was and now_held != typed:
            conflicts.append(FieldConflict(field, was, typed, now_held))
        changed[field] = typed
    if "name_kana" in changed:
        changed["name_kana_generated"] = mine.name_kana_generated
    return current.replace(**changed), conflicts


def ever_confidential(catalogue: Catalogue, resource_id: str) -> bool:
    """Is (or was) the resource confidential? Its private fields stay masked in the log either way."""
    resource = catalogue.get(resource_id)
    if resource is not None and resource.confidential:
        return True
    with catalogue.lock:
        row = catalogue.conn.execute(
            "SELECT 1 FROM changes WHERE resource_id = ? AND field = 'confidential' AND (old = 'yes' OR new = 'yes')",
            (resource_id,),
        ).fetchone()
    return row is not None


def history(catalogue: Catalogue, resource_id: str, *, reveal: bool = False, limit: int | None = None) -> list[Change]:
    """The resource's changes, newest first; a confidential one's private fields masked unless ``reveal``."""
    sql = "SELECT * FROM changes WHERE resource_id = ? ORDER BY id DESC" + (f" LIMIT {int(limit)}" if limit else "")
    with catalogue.lock:
        rows = catalogue.conn.execute(sql, (resource_id,)).fetchall()
    changes = [
        Change(r["id"], r["resource_id"], r["field"], r["old"], r["new"], r["at"], r["by"], r["how"]) for r in rows
    ]
    if reveal or not changes or not ever_confidential(catalogue, resource_id):
        return changes
    return [masked(c) for c in changes]


def masked(change: Change) -> Change:
    if not is_private(change.field):
        return change
    return Change(change.id, change.resource_id, change.field, WITHHELD if change.old else "",
                  WITHHELD if change.new else "", change.at, change.by, change.how)


def get_change(catalogue: Catalogue, change_id: int) -> Change | None:
    with catalogue.lock:
        r = catalogue.conn.execute("SELECT * FROM changes WHERE id = ?", (change_id,)).fetchone()
    return Change(r["id"], r["resource_id"], r["field"], r["old"], r["new"], r["at"], r["by"], r["how"]) if r else None


class CannotRestore(ValueError):
    """The change is not one a value can be put back from (the resource's creation, or it is gone)."""


def restore(catalogue: Catalogue, change_id: int, *, by: str = "") -> Resource:
    """Put back the value a field had before change ``change_id``: itself a traced change (how ``restore``)."""
    change = get_change(catalogue, change_id)
    if change is None or change.field not in LOGGED_FIELDS:
        raise CannotRestore(f"変更 {change_id} は元に戻せません (change {change_id} cannot be restored)")
    current = catalogue.get(change.resource_id)
    if current is None:
        raise CannotRestore(f"資源がありません (no such resource): {change.resource_id}")
    restored = current.replace(**{change.field: from_text(change.field, change.old)})
    if current.confidential and not restored.confidential:  # issue 19 #7: never public by undoing a change
        raise CannotRestore(
            f"非公開の場所は「元に戻す」では公開になりません — 公開にするなら tsunagu edit {change.resource_id} "
            "--set confidential=no を (a confidential place is not made public by a restore; a person does it "
            "with edit --set confidential=no)")
    return catalogue.save(restored, base=current, by=by, how="restore")
