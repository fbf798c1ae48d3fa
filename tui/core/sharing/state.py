"""What a catalogue remembers of sharing, in its own tables: the sync state (remote, head,
rows kept out), the changes waiting to be sent, and the conflicts waiting for a person.
Read by the fronts' status lines and the conflicts screen; written by ``sync`` and ``take``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from tui.core.sharing.hsds_read import BadRow
from tui.core.store.backup import backup_catalogue
from tui.core.store.catalogue import Catalogue
from tui.core.store.schema import connect


@dataclass(frozen=True, slots=True)
class StoredConflict:
    id: str
    field: str
    mine: str
    theirs: str
    base: str
    by: str = ""
    at: str = ""


def state(catalogue: Catalogue) -> dict[str, str]:
    """remote, head (last commit this catalogue holds), synced_at, ..."""
    with catalogue.lock:
        return {k: v for k, v in catalogue.conn.execute("SELECT key, value FROM sync_state")}


def set_state(catalogue: Catalogue, **values: str) -> None:
    catalogue.conn.executemany(
        "INSERT INTO sync_state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        values.items(),
    )


def rejected(catalogue: Catalogue) -> list[BadRow]:
    """Received rows kept out (stored by the syncs that found them, until a later version is read)."""
    with catalogue.lock:
        row = catalogue.conn.execute("SELECT value FROM sync_state WHERE key = 'rejected'").fetchone()
    return [BadRow(**item) for item in json.loads(row[0])] if row else []


def pending_count(catalogue: Catalogue) -> int:
    """Resources changed here since the last sync (the status line's "changes waiting")."""
    with catalogue.lock:
        return catalogue.conn.execute("SELECT count(*) FROM sync_pending").fetchone()[0]


def conflicts(catalogue: Catalogue) -> list[StoredConflict]:
    with catalogue.lock:
        rows = catalogue.conn.execute(
            "SELECT resource_id, field, mine, theirs, base, by, at FROM sync_conflicts ORDER BY resource_id, field"
        ).fetchall()
    return [StoredConflict(*row) for row in rows]


def sharing_status(path: Path) -> tuple[dict[str, str], int, int]:
    """(state, changes waiting, open conflicts) of the catalogue file at ``path``, read through a
    connection of its own without loading the catalogue (for the app's status line)."""
    conn = connect(path)
    try:
        saved = {k: v for k, v in conn.execute("SELECT key, value FROM sync_state")}
        waiting = conn.execute("SELECT count(*) FROM sync_pending").fetchone()[0]
        open_conflicts = conn.execute("SELECT count(*) FROM sync_conflicts").fetchone()[0]
    finally:
        conn.close()
    return saved, waiting, open_conflicts


def repo_path(catalogue: Catalogue) -> Path:
    return catalogue.path.with_name(catalogue.path.name + ".sync")


def backup_before(catalogue: Catalogue, folder: Path | None, kind: str) -> None:
    """A copy of the catalogue before other offices' changes land (pruned per kind, like the import backups)."""
    if folder is not None:
        with catalogue.lock:
            backup_catalogue(catalogue.conn, catalogue.path, folder, kind=kind)
