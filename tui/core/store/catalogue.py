"""The catalogue: one SQLite file of resources plus the reference data they point at.

``Catalogue.open(path)`` gives a catalogue ready to search; a path that does not
exist becomes a new, empty catalogue that already holds Hokkaido's areas and the
need taxonomy. Writes go through ``write``: one transaction, all rows or none.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.db import check_file, opening, transaction
from tui.core.errors import DamagedFile, ReadOnlyCatalogue
from tui.core.files import fault
from tui.core.models import Resource, plain_text_columns
from tui.core.reference.areas import Gazetteer
from tui.core.reference.data import load_reference, refresh_reference
from tui.core.reference.needs import Taxonomy
from tui.core.store.changes import EditConflict, merge_edit
from tui.core.store.changes import record as record_changes
from tui.core.store.indexed import IndexKeeping
from tui.core.store.schema import connect, connect_read_only, create, noted_at_once

if TYPE_CHECKING:
    from tui.core.search.index import SearchIndex

# The resources row, derived from the Resource dataclass: a plain text column added there
# (and to the schema) is read and written here with no further edit.
_PLAIN = plain_text_columns()
_ROW = (*_PLAIN, "name_kana_generated", "organization_id", "languages", "confidential")
_UPSERT_RESOURCE = (
    f"INSERT INTO resources({', '.join(_ROW)}) VALUES ({', '.join('?' * len(_ROW))}) "
    f"ON CONFLICT(id) DO UPDATE SET {', '.join(f'{c}=excluded.{c}' for c in _ROW if c != 'id')}"
)

_log = logging.getLogger(__name__)

AT_ONCE = 1000  # rows written in one go from which the waiting lists are noted per statement, not per row

# The reference data shipped with the project (seed/ beside the package).
SEED_DIR = Path(__file__).resolve().parents[3] / "seed"


@dataclass(frozen=True, slots=True)
class WriteSummary:
    """What a write did (or, on a dry run, would do), by resource id."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()


class Catalogue(IndexKeeping):
    """A catalogue file, its gazetteer and taxonomy, and its search index."""

    def __init__(self, conn: sqlite3.Connection, path: Path, *, read_only: bool = False):
        self.path = path
        self.conn = conn
        self.read_only = read_only  # a shared or write-protected file: it searches, it never changes
        # One connection shared by the UI's worker threads; writes and reads take turns.
        self.lock = threading.RLock()
        self.gazetteer = Gazetteer.from_rows(
            self._rows("SELECT * FROM subprefectures"),
            self._rows("SELECT * FROM areas ORDER BY jis_code"),
            conn.execute("SELECT postal_code, jis_code FROM postal_codes"),
        )
        self.taxonomy = Taxonomy.from_rows(self._rows("SELECT * FROM needs ORDER BY position"))
        self._index: SearchIndex | None = None
        self.index_unstored = ""  # why the search index could not be stored, once it could not
        # The app: a full build (compaction, or many rows changed by another program) is asked of this
        # and runs in its worker while the index in hand serves, behind by those changes (``adopt_index``).
        self.build_elsewhere: Callable[[], None] | None = None
        self.index_behind = False  # the index in hand is older than the data; a build elsewhere is on its way

    # -- opening -----------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, seed_dir: Path | None = None) -> Catalogue:
        """Open (or create) the catalogue at ``path``, migrated and ready to search.

        A new catalogue is built beside ``path`` and renamed into place, so a failure
        leaves no file behind; an existing file that is empty, truncated or not SQLite
        raises ``DamagedFile`` (never taken for a new catalogue); one we may not write
        opens read-only.
        """
        path = Path(path)
        # Made, checked and connected as one step for this process (tui/core/db.py: no
        # descriptor of ours ever opens, or closes, on a file SQLite holds here).
        with opening(path):
            if not path.exists():
                create(path, seed_dir or SEED_DIR)
            check_file(path, "catalogue")
            read_only = not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))
            try:
                conn = connect_read_only(path) if read_only else connect(path)
            except sqlite3.OperationalError:
                raise
            except sqlite3.DatabaseError as e:
                raise DamagedFile(path, "catalogue", str(e)) from None
        try:
            if not read_only:
                if conn.execute("SELECT count(*) FROM areas").fetchone()[0] == 0:
                    load_reference(conn, seed_dir or SEED_DIR)
                else:  # areas or needs that moved on since this file was made
                    refresh_reference(conn, seed_dir or SEED_DIR)
            return cls(conn, path, read_only=read_only)
        except sqlite3.OperationalError:
            conn.close()
            raise
        except sqlite3.DatabaseError as e:
            conn.close()
            raise DamagedFile(path, "catalogue", str(e)) from None

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    def __enter__(self) -> Catalogue:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _rows(self, sql: str, params: Sequence = ()) -> list[dict]:
        with self.lock:
            return [dict(row) for row in self.conn.execute(sql, params)]

    # -- meta --------------------------------------------------------------------

    @property
    def data_version(self) -> int:
        """Goes up with every write; a search index built for another version is stale."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
        return int(row[0]) if row else 0

    def count(self, *, include_closed: bool = True) -> int:
        sql = "SELECT count(*) FROM resources" + ("" if include_closed else " WHERE status <> 'closed'")
        with self.lock:
            return self.conn.execute(sql).fetchone()[0]

    # -- reading -----------------------------------------------------------------

    def get(self, resource_id: str) -> Resource | None:
        found = self.get_many([resource_id])
        return found[0] if found else None

    def get_many(self, ids: Iterable[str]) -> list[Resource]:
        """The resources with these ids, in the order asked (missing ones left out)."""
        ids = list(dict.fromkeys(ids))
        by_id: dict[str, Resource] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for resource in self._read(f"WHERE r.id IN ({marks})", chunk):
                by_id[resource.id] = resource
        return [by_id[i] for i in ids if i in by_id]

    def resources(self) -> Iterator[Resource]:
        """Every resource (closed ones too), in id order."""
        yield from self._read("", ())

    def ids(self) -> list[str]:
        with self.lock:
            return [row[0] for row in self.conn.execute("SELECT id FROM resources ORDER BY id")]

    def _read(self, where: str, params: Sequence) -> list[Resource]:
        with self.lock:
            rows = self.conn.execute(
                f"SELECT r.*, coalesce(o.name, '') AS organization FROM resources r "
                f"LEFT JOIN organizations o ON o.id = r.organization_id {where} ORDER BY r.id",
                params,
            ).fetchall()
            if not rows:
                return []
            scope = f"WHERE resource_id IN (SELECT r.id FROM resources r {where})" if where else ""
            needs = _grouped(
                self.conn.execute(
                    f"SELECT resource_id, need_code FROM resource_needs {scope} ORDER BY position", params
                )
            )
            serves = _grouped(
                self.conn.execute(
                    f"SELECT resource_id, place_code FROM service_areas {scope} ORDER BY position", params
                )
            )
            phones: dict[tuple[str, str], list[str]] = defaultdict(list)
            for rid, kind, number in self.conn.execute(
                f"SELECT resource_id, kind, number FROM phones {scope} ORDER BY position", params
            ):
                phones[rid, kind].append(number)
        return [
            Resource(
                **{column: row[column] for column in _PLAIN},
                organization=row["organization"],
                needs=tuple(needs.get(row["id"], ())),
                serves=tuple(serves.get(row["id"], ())),
                phone="; ".join(phones.get((row["id"], "voice"), ())),
                fax="; ".join(phones.get((row["id"], "fax"), ())),
                languages=tuple(x for x in row["languages"].split(";") if x),
                confidential=bool(row["confidential"]),
                name_kana_generated=bool(row["name_kana_generated"]),
            )
            for row in rows
        ]

    # -- writing -----------------------------------------------------------------

    def write(
        self,
        resources: Iterable[Resource],
        *,
        dry_run: bool = False,
        before_write: Callable[[], object] | None = None,
        by: str = "",
        how: str = "import",
    ) -> WriteSummary:
        """Upsert resources by id in one transaction: every row lands, or none does.

        A row identical to the stored one is left alone, so writing the same rows
        twice changes nothing. ``dry_run`` reports without writing.
        ``before_write`` runs just before anything changes (the import's backup).
        Each changed field goes to the change log with ``by`` (the worker) and ``how``
        (``import FILE``, ``sync``, ``edit``, ``verify``...), in the same transaction.
        """
        incoming = {r.id: r for r in resources}
        existing = {r.id: r for r in self.get_many(incoming)}
        added = [i for i in incoming if i not in existing]
        updated = [i for i in incoming if i in existing and existing[i] != incoming[i]]
        unchanged = [i for i in incoming if i in existing and existing[i] == incoming[i]]
        summary = WriteSummary(tuple(added), tuple(updated), tuple(unchanged))
        if dry_run or not (added or updated):
            return summary
        if self.read_only:
            raise ReadOnlyCatalogue(self.path)
        changed = [incoming[i] for i in (*added, *updated)]
        if before_write is not None:
            before_write()
        with self.lock:
            # A bulk write fits in a 64 MB page cache instead of spilling to the WAL page by page.
            cache_size = self.conn.execute("PRAGMA cache_size").fetchone()[0]
            if len(changed) > 1000:
                self.conn.execute("PRAGMA cache_size = -65536")
            try:
                with transaction(self.conn):
                    self._store(changed, existing, by=by, how=how)
            finally:
                self.conn.execute(f"PRAGMA cache_size = {int(cache_size)}")
        self.store_index()
        return summary

    def save(self, resource: Resource, *, base: Resource | None, by: str = "", how: str = "edit") -> Resource:
        """Save one resource edited from ``base`` (what the form opened with; None for a new one).

        Read, check and write happen in one transaction: fields someone else changed since
        ``base`` and this edit leaves alone keep their value; a field both changed raises
        ``changes.EditConflict`` and nothing is written. Returns the record as stored.
        """
        if self.read_only:
            raise ReadOnlyCatalogue(self.path)
        with self.lock, transaction(self.conn):
            current = self.get(resource.id)
            merged, conflicts = merge_edit(base, resource, current)
            if conflicts:
                assert current is not None
                raise EditConflict(conflicts, current)
            if merged == current:
                return merged
            self._store([merged], {current.id: current} if current else {}, by=by, how=how)
        self.store_index()
        return merged

    def _store(self, changed: Sequence[Resource], existing: dict[str, Resource], *, by: str, how: str) -> None:
        """Write ``changed`` and their change-log rows (inside a transaction)."""
        updated = [r.id for r in changed if r.id in existing]
        if updated:
            self._delete_children(updated)
        self._insert(changed)
        fault("after-insert")
        record_changes(self.conn, ((existing.get(r.id), r) for r in changed), by=by, how=how)
        try:
            fault("disk-full")  # tests: the disk fills inside the transaction, which is rolled back
        except OSError as error:
            error.filename = str(self.path)
            raise
        self._bump_version()

    def _bump_version(self) -> None:
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES ('data_version', '1') "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    def _delete_children(self, ids: Sequence[str]) -> None:
        for table in ("resource_needs", "service_areas", "phones"):
            self.conn.executemany(f"DELETE FROM {table} WHERE resource_id = ?", [(i,) for i in ids])

    def _insert(self, resources: Sequence[Resource]) -> None:
        if len(resources) < AT_ONCE:
            self._insert_rows(resources)
            return
        with noted_at_once(self.conn, [r.id for r in resources]):
            self._insert_rows(resources)

    def _insert_rows(self, resources: Sequence[Resource]) -> None:
        orgs = {organization_id(r.organization): r.organization for r in resources if r.organization}
        self.conn.executemany("INSERT OR IGNORE INTO organizations(id, name) VALUES (?, ?)", orgs.items())
        plain = attrgetter(*_PLAIN)
        self.conn.executemany(
            _UPSERT_RESOURCE,
            [
                (*plain(r), int(r.name_kana_generated), organization_id(r.organization) if r.organization else None,
                 ";".join(r.languages), int(r.confidential))
                for r in resources
            ],
        )
        self.conn.executemany(
            "INSERT INTO resource_needs(resource_id, need_code, position) VALUES (?, ?, ?)",
            [(r.id, code, n) for r in resources for n, code in enumerate(dict.fromkeys(r.needs))],
        )
        self.conn.executemany(
            "INSERT INTO service_areas(resource_id, place_code, position) VALUES (?, ?, ?)",
            [(r.id, code, n) for r in resources for n, code in enumerate(dict.fromkeys(r.serves))],
        )
        self.conn.executemany(
            "INSERT INTO phones(resource_id, kind, number, position) VALUES (?, ?, ?, ?)",
            [
                (r.id, kind, number, n)
                for r in resources
                for kind, text in (("voice", r.phone), ("fax", r.fax))
                for n, number in enumerate(x.strip() for x in text.split(";") if x.strip())
            ],
        )


def organization_id(name: str) -> str:
    """A stable id for an organisation, from its name."""
    return "org-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:12]


def _grouped(rows: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for key, value in rows:
        out[key].append(value)
    return out
