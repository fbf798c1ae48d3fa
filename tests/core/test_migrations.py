"""A catalogue made at schema 1 — the first shipped one, with places, needs and a resource in
it — opened by this Tsunagu: every migration runs, the data is all still there, and the file
ends up as a new one is. And a migration that is a function (a column change through sqlite-utils,
``db.table(...).add_column``) runs inside its version's transaction: all of it, or none."""

from __future__ import annotations

import sqlite3

import pytest

from tests.conftest import ROOT
from tui.core import db
from tui.core.reference.data import load_reference
from tui.core.store.catalogue import Catalogue
from tui.core.store.schema import MIGRATIONS, SCHEMA_VERSION

SEED = ROOT / "seed"
CRISIS = {"consultation", "food", "shelter", "dv", "health"}


def _schema_one(path) -> None:
    """The file as the first Tsunagu made it: migration 1 only, the reference data, one resource."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        db.migrate(conn, MIGRATIONS[:1])
        load_reference(conn, SEED)  # copies the columns schema 1 has (needs had no crisis yet)
        with db.transaction(conn):
            conn.execute("INSERT INTO organizations (id, name) VALUES ('org-1', '架空福祉会')")
            conn.execute(
                "INSERT INTO resources (id, name, name_kana, organization_id, area, address, postal_code, hours,"
                " last_verified, status, confidential, notes) VALUES ('r-1', '架空フードバンク釧路', 'かくうふーどばんく',"
                " 'org-1', '01206', '釧路市架空町1-1', '085-0000', '平日 9-17', '2026-01-10', 'active', 0, '内部メモ')")
            conn.executemany("INSERT INTO resource_needs (resource_id, need_code, position) VALUES ('r-1', ?, ?)",
                             [("food", 0), ("consultation", 1)])
            conn.execute("INSERT INTO service_areas (resource_id, place_code, position) VALUES ('r-1', '01206', 0)")
            conn.executemany("INSERT INTO phones (resource_id, kind, position, number) VALUES ('r-1', ?, 0, ?)",
                             [("voice", "0154-00-0000"), ("fax", "0154-00-0001")])
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    finally:
        conn.close()


def _layout(conn: sqlite3.Connection) -> dict[str, object]:
    """Every table's columns (name, type, not null, default, key) and every index and trigger."""
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    tables = {name: [tuple(c) for c in conn.execute(f"PRAGMA table_info({name})")] for name in names}
    others = sorted(tuple(r) for r in conn.execute(
        "SELECT type, name, tbl_name FROM sqlite_master WHERE type IN ('index', 'trigger')"))
    return {"tables": tables, "others": others}


def test_every_migration_from_schema_one_keeps_the_data(tmp_path):
    old, fresh = tmp_path / "old.db", tmp_path / "fresh.db"
    _schema_one(old)
    with Catalogue.open(old, seed_dir=SEED) as catalogue:
        assert catalogue.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == len(MIGRATIONS)
        r = catalogue.get("r-1")
        assert r is not None
        assert (r.name, r.name_kana, r.organization, r.area, r.address, r.postal_code, r.hours, r.last_verified,
                r.status, r.confidential, r.notes) == (
            "架空フードバンク釧路", "かくうふーどばんく", "架空福祉会", "01206", "釧路市架空町1-1", "085-0000", "平日 9-17",
            "2026-01-10", "active", False, "内部メモ")
        assert (r.needs, r.serves, r.phone, r.fax) == (("food", "consultation"), ("01206",), "0154-00-0000",
                                                       "0154-00-0001")
        # Migration 5: the column, then the shipped marks.
        assert {n.code for n in catalogue.taxonomy if n.crisis} == CRISIS
        crisis = [c[1:] for c in catalogue.conn.execute("PRAGMA table_info(needs)") if c[1] == "crisis"]
        assert crisis == [("crisis", "INTEGER", 1, "0", 0)]  # NOT NULL DEFAULT 0, as the SQL said
        assert [h.id for h in catalogue.search("ふーどばんく")] == ["r-1"]  # 2 and 6: the index, built and kept
        catalogue.write([r.replace(hours="平日 9-16")], by="テスト", how="edit")
        assert [tuple(row) for row in catalogue.conn.execute("SELECT resource_id FROM sync_pending")] == [("r-1",)]
        assert catalogue.conn.execute("SELECT count(*) FROM changes WHERE resource_id = 'r-1'").fetchone()[0] == 1  # 3
        migrated = _layout(catalogue.conn)
    with Catalogue.open(fresh, seed_dir=SEED) as catalogue:
        assert _layout(catalogue.conn) == migrated  # the same columns, defaults, indexes and triggers as a new file
    assert (tmp_path / "old.db.schema1.bak").exists()  # kept as it was before the upgrade


def _log_table(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE log (id INTEGER PRIMARY KEY, note TEXT NOT NULL)")
    conn.execute("INSERT INTO log (note) VALUES ('first')")


def _add_kind(conn: sqlite3.Connection) -> None:
    db.table(conn, "log").add_column("kind", str, not_null_default="sent")


def test_a_column_migration_through_sqlite_utils_keeps_rows_and_gets_its_default(tmp_path):
    conn = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    assert db.migrate(conn, [_log_table, _add_kind]) == 2
    assert conn.execute("SELECT id, note, kind FROM log").fetchall() == [(1, "first", "sent")]
    assert [c[1:5] for c in conn.execute("PRAGMA table_info(log)")][-1] == ("kind", "TEXT", 1, "'sent'")
    assert not conn.in_transaction and conn.execute("PRAGMA user_version").fetchone()[0] == 2


def test_a_migration_that_fails_leaves_its_version_undone(tmp_path):
    def add_then_fail(conn: sqlite3.Connection) -> None:
        _add_kind(conn)
        raise sqlite3.OperationalError("disk I/O error")

    conn = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    with pytest.raises(sqlite3.OperationalError):
        db.migrate(conn, [_log_table, add_then_fail])
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1  # version 1 committed, 2 rolled back
    assert [c[1] for c in conn.execute("PRAGMA table_info(log)")] == ["id", "note"]
    assert not conn.in_transaction
