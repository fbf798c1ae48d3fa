"""What a catalogue remembers of sharing, in its own tables: the sync state (remote, head,
rows kept out), the changes waiting to be sent, and the conflicts waiting for a person.
Read by the fronts' status lines and the conflicts screen; written by ``sync`` and ``take``."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
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


_log = logging.getLogger(__name__)
_MARK = "SELECT (SELECT coalesce(max(id), 0) FROM changes), (SELECT coalesce(max(rowid), 0) FROM sync_pending)"


class BeforeLanding:
    """A sync's backup before received changes land (kind ``sync``), in ``folder`` (None: none).
    ``coming`` starts it while they are still arriving (``EarlyBackup``); ``before`` keeps that
    copy when no resource was written here since, else takes one then; ``discard`` removes a
    copy the sync did not need."""

    def __init__(self, path: Path, folder: Path | None):
        self.path, self.folder = path, folder
        self.early: EarlyBackup | None = None

    def coming(self) -> None:
        if self.folder is not None and self.early is None:
            self.early = EarlyBackup(self.path, self.folder, "sync")

    def before(self, catalogue: Catalogue) -> None:
        if self.early is not None:
            early, self.early = self.early, None  # used once: a second attempt's apply takes its own
            with catalogue.lock:
                mark = tuple(catalogue.conn.execute(_MARK).fetchone())
            if early.take(mark):
                return
        backup_before(catalogue, self.folder, "sync")

    def discard(self) -> None:
        self.folder = None  # a fetch given up on that answers late starts nothing
        if self.early is not None:
            self.early.discard()


class EarlyBackup:
    """The backup a receiving sync needs, taken on a thread of its own while the changes are still
    arriving (SQLite copies without holding Python's lock, so it costs the other core, not the
    wait). It stands for the backup before the changes land only if no resource was written here
    since: the copy's change log and waiting changes end where the catalogue's do."""

    def __init__(self, path: Path, folder: Path, kind: str):
        self._done: dict[str, object] = {}
        self._thread = threading.Thread(target=self._copy, args=(path, folder, kind), name="tsunagu-sync-backup",
                                        daemon=True)
        self._thread.start()

    def _copy(self, path: Path, folder: Path, kind: str) -> None:
        try:
            conn = sqlite3.connect(path, timeout=30)  # a reader of its own: WAL, so it waits for no one
            try:
                conn.execute("PRAGMA query_only = 1")
                self._done["path"] = backup_catalogue(conn, path, folder, kind=kind)
            finally:
                conn.close()
            copy = sqlite3.connect(self._done["path"])  # type: ignore[call-overload]
            try:
                self._done["mark"] = tuple(copy.execute(_MARK).fetchone())
            finally:
                copy.close()
        except Exception as error:  # noqa: BLE001 — not the sync's error: it copies as it always did, and fails if that does
            _log.warning("sync: the backup copied while changes arrived failed (%s); copying again", error)

    def _wait(self) -> Path | None:
        """The copy, once made (None if it could not be: ``backup_catalogue`` removes a partial one)."""
        self._thread.join()
        return self._done.get("path")  # type: ignore[return-value]

    def take(self, mark: tuple[int, ...]) -> bool:
        """Is the copy the catalogue as it is now (then it is the backup the sync keeps)? If not, it is removed."""
        path = self._wait()
        if path is not None and self._done.get("mark") == mark:
            return True
        self.discard()
        return False

    def discard(self) -> None:
        """Remove the copy (a sync that applied nothing needs none)."""
        path = self._wait()
        if path is not None:
            path.unlink(missing_ok=True)
