"""The catalogue file: created with reference data, migrated, written all-or-nothing."""

from __future__ import annotations

import sqlite3

import pytest

from tui.core.db import SchemaTooNew
from tui.core.models import Resource
from tui.core.store.catalogue import Catalogue
from tui.core.store.schema import SCHEMA_VERSION


def sample(**changes) -> Resource:
    base = Resource(
        id="r1", name="スパロウハウス", organization="NPO法人ワークフェア", needs=("shelter", "food"),
        area="01208", serves=("okhotsk",), phone="0157-00-0000; 0157-00-0001", fax="0157-00-0002",
        languages=("日本語", "English"), description="一行目\n二行目", confidential=True, last_verified="2026-04-01",
    )
    return base.replace(**changes)


def test_new_catalogue_holds_areas_and_needs(tmp_path):
    path = tmp_path / "new.db"
    with Catalogue.open(path) as catalogue:
        assert catalogue.count() == 0
        assert len(catalogue.gazetteer.municipalities()) == 189
        assert len(catalogue.taxonomy) == 20
        assert catalogue.conn.execute("SELECT count(*) FROM postal_codes").fetchone()[0] == 7974 + 1236
        assert catalogue.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert catalogue.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert catalogue.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    # opening again neither duplicates nor fails
    with Catalogue.open(path) as catalogue:
        assert catalogue.conn.execute("SELECT count(*) FROM areas").fetchone()[0] == 189


def test_round_trip_of_every_field(empty_catalogue):
    resource = sample()
    assert empty_catalogue.write([resource]).added == ("r1",)
    assert empty_catalogue.get("r1") == resource
    assert [tuple(row) for row in empty_catalogue.conn.execute("PRAGMA integrity_check")] == [("ok",)]
    assert empty_catalogue.get("missing") is None


def test_writing_the_same_rows_again_changes_nothing(empty_catalogue):
    empty_catalogue.write([sample(), sample(id="r2", name="別の場所")])
    version = empty_catalogue.data_version
    summary = empty_catalogue.write([sample(), sample(id="r2", name="別の場所")])
    assert summary.unchanged == ("r1", "r2") and not summary.added and not summary.updated
    assert empty_catalogue.data_version == version


def test_update_replaces_lists(empty_catalogue):
    empty_catalogue.write([sample()])
    summary = empty_catalogue.write([sample(needs=("housing",), serves=(), phone="")])
    assert summary.updated == ("r1",)
    stored = empty_catalogue.get("r1")
    assert stored.needs == ("housing",) and stored.serves == () and stored.phone == ""
    assert stored.served_areas == ("01208",)


def test_a_bad_row_leaves_nothing_written(empty_catalogue):
    empty_catalogue.write([sample()])
    before = list(empty_catalogue.resources())
    with pytest.raises(sqlite3.IntegrityError):
        # the second row names a need the taxonomy does not have: the whole write rolls back
        empty_catalogue.write([sample(id="r1", name="changed"), sample(id="r9", needs=("no-such-need",))])
    assert list(empty_catalogue.resources()) == before


def test_dry_run_reports_without_writing(empty_catalogue):
    summary = empty_catalogue.write([sample()], dry_run=True)
    assert summary.added == ("r1",)
    assert empty_catalogue.count() == 0


def test_get_many_keeps_the_order_asked(empty_catalogue):
    empty_catalogue.write([sample(id=f"r{n}", name=f"場所{n}") for n in range(5)])
    assert [r.id for r in empty_catalogue.get_many(["r3", "r0", "nope", "r4"])] == ["r3", "r0", "r4"]


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "future.db"
    Catalogue.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(SchemaTooNew):
        Catalogue.open(path)
