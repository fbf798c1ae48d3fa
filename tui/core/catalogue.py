"""The catalogue: one SQLite file of resources plus the reference data they point at.

``Catalogue.open(path)`` gives a catalogue ready to search; a path that does not
exist becomes a new, empty catalogue that already holds Hokkaido's areas and the
need taxonomy. Writes go through ``write``: one transaction, all rows or none.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from .areas import HOKKAIDO, Gazetteer, read_csv
from .models import Resource
from .needs import Taxonomy
from .schema import connect, transaction

# The reference data shipped with the project (seed/ beside the package).
SEED_DIR = Path(__file__).resolve().parents[2] / "seed"


@dataclass(frozen=True, slots=True)
class WriteSummary:
    """What a write did (or, on a dry run, would do), by resource id."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()


class Catalogue:
    """A catalogue file, its gazetteer and taxonomy, and its search index."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.path = path
        self.conn = conn
        # One connection shared by the UI's worker threads; writes and reads take turns.
        self.lock = threading.RLock()
        self.gazetteer = Gazetteer.from_rows(
            self._rows("SELECT * FROM subprefectures"),
            self._rows("SELECT * FROM areas ORDER BY jis_code"),
            conn.execute("SELECT postal_code, jis_code FROM postal_codes"),
        )
        self.taxonomy = Taxonomy.from_rows(self._rows("SELECT * FROM needs ORDER BY position"))
        self._index = None

    # -- opening -----------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, seed_dir: Path | None = None) -> Catalogue:
        """Open (or create) the catalogue at ``path``, migrated and ready to search."""
        path = Path(path)
        conn = connect(path)
        if conn.execute("SELECT count(*) FROM areas").fetchone()[0] == 0:
            load_reference(conn, seed_dir or SEED_DIR)
        return cls(conn, path)

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
            needs = _grouped(self.conn.execute(f"SELECT resource_id, need_code FROM resource_needs {scope} ORDER BY position", params))
            serves = _grouped(self.conn.execute(f"SELECT resource_id, place_code FROM service_areas {scope} ORDER BY position", params))
            phones: dict[tuple[str, str], list[str]] = defaultdict(list)
            for rid, kind, number in self.conn.execute(
                f"SELECT resource_id, kind, number FROM phones {scope} ORDER BY position", params
            ):
                phones[rid, kind].append(number)
        return [
            Resource(
                id=row["id"], name=row["name"], name_kana=row["name_kana"], organization=row["organization"],
                description=row["description"], needs=tuple(needs.get(row["id"], ())), area=row["area"],
                serves=tuple(serves.get(row["id"], ())), address=row["address"], postal_code=row["postal_code"],
                phone="; ".join(phones.get((row["id"], "voice"), ())), fax="; ".join(phones.get((row["id"], "fax"), ())),
                email=row["email"], url=row["url"], hours=row["hours"], eligibility=row["eligibility"],
                cost=row["cost"], how_to_refer=row["how_to_refer"], capacity=row["capacity"],
                transport=row["transport"], languages=tuple(x for x in row["languages"].split(";") if x),
                notes=row["notes"], last_verified=row["last_verified"], status=row["status"],
                confidential=bool(row["confidential"]), source=row["source"],
                name_kana_generated=bool(row["name_kana_generated"]),
            )
            for row in rows
        ]

    # -- writing -----------------------------------------------------------------

    def write(
        self, resources: Iterable[Resource], *, dry_run: bool = False, before_write: Callable[[], object] | None = None
    ) -> WriteSummary:
        """Upsert resources by id in one transaction: every row lands, or none does.

        A row identical to the stored one is left alone, so writing the same rows
        twice changes nothing. ``dry_run`` reports without writing.
        ``before_write`` runs just before anything changes (the import's backup).
        """
        incoming = {r.id: r for r in resources}
        existing = {r.id: r for r in self.get_many(incoming)}
        added = [i for i in incoming if i not in existing]
        updated = [i for i in incoming if i in existing and existing[i] != incoming[i]]
        unchanged = [i for i in incoming if i in existing and existing[i] == incoming[i]]
        summary = WriteSummary(tuple(added), tuple(updated), tuple(unchanged))
        if dry_run or not (added or updated):
            return summary
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
                    if updated:
                        self._delete_children(updated)
                    self._insert(changed)
                    self.conn.execute(
                        "INSERT INTO meta(key, value) VALUES ('data_version', '1') "
                        "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
                    )
            finally:
                self.conn.execute(f"PRAGMA cache_size = {int(cache_size)}")
        self._index = None
        return summary

    def _delete_children(self, ids: Sequence[str]) -> None:
        for table in ("resource_needs", "service_areas", "phones"):
            self.conn.executemany(f"DELETE FROM {table} WHERE resource_id = ?", [(i,) for i in ids])

    def _insert(self, resources: Sequence[Resource]) -> None:
        orgs = {organization_id(r.organization): r.organization for r in resources if r.organization}
        self.conn.executemany("INSERT OR IGNORE INTO organizations(id, name) VALUES (?, ?)", orgs.items())
        self.conn.executemany(
            """INSERT INTO resources(id, name, name_kana, name_kana_generated, organization_id, description, area,
                   address, postal_code, email, url, hours, eligibility, cost, how_to_refer, capacity, transport,
                   languages, notes, last_verified, status, confidential, source)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
               ON CONFLICT(id) DO UPDATE SET name=excluded.name, name_kana=excluded.name_kana,
                   name_kana_generated=excluded.name_kana_generated, organization_id=excluded.organization_id,
                   description=excluded.description, area=excluded.area, address=excluded.address,
                   postal_code=excluded.postal_code, email=excluded.email, url=excluded.url, hours=excluded.hours,
                   eligibility=excluded.eligibility, cost=excluded.cost, how_to_refer=excluded.how_to_refer,
                   capacity=excluded.capacity, transport=excluded.transport, languages=excluded.languages,
                   notes=excluded.notes, last_verified=excluded.last_verified, status=excluded.status,
                   confidential=excluded.confidential, source=excluded.source""",
            [
                (
                    r.id, r.name, r.name_kana, int(r.name_kana_generated),
                    organization_id(r.organization) if r.organization else None, r.description, r.area, r.address,
                    r.postal_code, r.email, r.url, r.hours, r.eligibility, r.cost, r.how_to_refer, r.capacity,
                    r.transport, ";".join(r.languages), r.notes, r.last_verified, r.status, int(r.confidential),
                    r.source,
                )
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

    # -- searching ---------------------------------------------------------------

    def search(self, query: str = "", *, area: str | None = None, needs: Sequence[str] = (), limit: int = 50):
        """Resources matching ``query`` inside the area and needs filters, best first.

        ``area`` is any name the gazetteer resolves (raises ``UnknownArea``);
        ``needs`` are codes, labels or synonyms (raises ``UnknownNeed``).
        """
        place = self.gazetteer.resolve(area).code if area else None
        if place == HOKKAIDO:
            place = None  # 全道 keeps every resource, as no filter does (Gazetteer.overlaps)
        need_codes = [self.taxonomy.resolve(n).code for n in needs]
        return self.search_index().search(query, area=place, needs=need_codes, limit=limit)

    def search_index(self):
        """The search index at the current data_version (loaded or built when stale); coverage uses its masks."""
        from .search import SearchIndex

        with self.lock:
            if self._index is None or self._index.data_version != self.data_version:
                self._index = SearchIndex.load_or_build(self)
            return self._index


def organization_id(name: str) -> str:
    """A stable id for an organisation, from its name."""
    return "org-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:12]


def _grouped(rows: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for key, value in rows:
        out[key].append(value)
    return out


def load_reference(conn: sqlite3.Connection, folder: Path) -> None:
    """Fill the reference tables of a new catalogue from the seed CSVs."""
    db = sqlite_utils.Database(conn)
    with transaction(conn):
        db["subprefectures"].insert_all(read_csv(folder / "subprefectures.csv"))
        areas = read_csv(folder / "areas.csv")
        for row in areas:
            row["parent_jis_code"] = row["parent_jis_code"] or None
        # Cities before their wards, so the parent exists when a ward arrives.
        db["areas"].insert_all(sorted(areas, key=lambda r: (r["kind"] == "ward", r["jis_code"])))
        for name, office in (("postal_codes.csv", 0), ("postal_codes_office.csv", 1)):
            db["postal_codes"].insert_all(dict(row, office=office) for row in read_csv(folder / name))
        db["needs"].insert_all(dict(row, position=n) for n, row in enumerate(read_csv(folder / "needs.csv")))
