"""Resolving a conflict another office's change left: keep ours, take theirs, or type a value,
through the import's row rules; the result is a traced change the next sync sends."""

from __future__ import annotations

from pathlib import Path

from tui.core.db import transaction
from tui.core.errors import ReadOnlyCatalogue
from tui.core.models import Resource
from tui.core.sharing import decisions
from tui.core.sharing.merge import record, resource
from tui.core.sharing.state import backup_before, conflicts
from tui.core.store.catalogue import Catalogue


class UnclearValue(ValueError):
    """A value typed to resolve a conflict that the import's rules refuse (the message says why)."""


def _checked(catalogue: Catalogue, current: Resource, field_name: str, value: str) -> Resource | None:
    """``current`` with ``field_name`` set to the typed ``value`` through the import's row rules
    (an area or need by name, a date in any accepted style...); None for a field they do not cover."""
    from tui.core.loading.editing import EDITABLE, apply_fields

    if field_name not in EDITABLE:
        return None
    if field_name == "confidential" and current.confidential and not value.strip():
        raise UnclearValue(
            "空欄では公開になりません — 公開にするなら no (a blank does not make a place public: type no)"
        )
    edited, problems = apply_fields(catalogue, current, {field_name: value}, file="conflicts")
    if edited is None:
        raise UnclearValue("; ".join(p.message + (f" → {p.fix}" if p.fix else "") for p in problems))
    return edited


def take(
    catalogue: Catalogue, resource_id: str, field_name: str, side: str, *, by: str, value: str | None = None,
    backup_dir: Path | None = None,
) -> bool:
    """Resolve a conflict: ``mine`` keeps the catalogue's value, ``theirs`` takes the other office's,
    ``edit`` sets ``value``. The result is a traced change that the next sync sends. False: no such conflict.
    With ``backup_dir``, the catalogue is copied there first (kind ``conflict``)."""
    found = [c for c in conflicts(catalogue) if c.id == resource_id and c.field == field_name]
    if not found:
        return False
    if not catalogue.read_only:
        backup_before(catalogue, backup_dir, "conflict")
    conflict = found[0]
    current = catalogue.get(resource_id)
    if catalogue.read_only:
        raise ReadOnlyCatalogue(catalogue.path)
    if (field_name == "confidential" and side == "theirs" and current is not None and current.confidential
            and conflict.theirs != "yes"):
        raise UnclearValue("非公開の場所は「先方」の値では公開になりません — 公開にするなら、この事務所で "
                           f"tsunagu edit {resource_id} --set confidential=no を (a confidential place is not made "
                           "public by another office's value; a person here does it with edit --set confidential=no)")
    typed = _checked(catalogue, current, field_name, value or "") if side == "edit" and current is not None else None
    with catalogue.lock, transaction(catalogue.conn):
        chosen = current
        if current is not None and side in ("theirs", "edit"):
            if typed is not None:
                chosen = typed
            else:
                rec = record(current)
                rec[field_name] = conflict.theirs if side == "theirs" else (value or "")
                chosen = resource(resource_id, rec)
            catalogue.write([chosen], by=by, how="edit")
        if chosen is not None:  # told to the other offices at the next sync (sharing/decisions.py)
            decisions.remember(catalogue.conn, resource_id, field_name, record(chosen)[field_name], by)
        catalogue.conn.execute("DELETE FROM sync_conflicts WHERE resource_id = ? AND field = ?",
                               (resource_id, field_name))
        # Mark it changed here, so the next sync sends the chosen value.
        catalogue.conn.execute("DELETE FROM sync_pending WHERE resource_id = ?", (resource_id,))
        catalogue.conn.execute("INSERT INTO sync_pending(resource_id) VALUES (?)", (resource_id,))
    if current is not None and side in ("theirs", "edit"):
        catalogue.store_index()  # after the commit (write stores nothing inside a transaction)
    return True
