"""Many resources written at once note their ids as waiting (to be sent, to be indexed) in one
statement per list instead of one trigger run per row (``schema.noted_at_once``, issue 20: the 100k
import). The lists must be what the triggers would have made — the same ids in the same order — the
triggers must be back afterwards, and a write that fails must leave them and the lists as they were."""

from __future__ import annotations

import sqlite3

import pytest

from tui.core.models import Resource
from tui.core.store import catalogue as catalogue_module
from tui.core.store.catalogue import Catalogue

TRIGGERS = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"


def places(ids, suffix=""):
    return [Resource(id=i, name=f"窓口{i}{suffix}", needs=("food",), area="01206") for i in ids]


def waiting(catalogue: Catalogue) -> tuple[list[str], list[str]]:
    conn = catalogue.conn
    return ([r[0] for r in conn.execute("SELECT resource_id FROM sync_pending ORDER BY rowid")],
            [r[0] for r in conn.execute("SELECT resource_id FROM search_pending ORDER BY seq")])


def written(tmp_path, name: str, at_once: int, monkeypatch, ran: list[str]) -> tuple[list[str], list[str]]:
    monkeypatch.setattr(catalogue_module, "AT_ONCE", at_once)
    with Catalogue.open(tmp_path / f"{name}.db") as catalogue:
        catalogue.write(places(["c", "a", "b"]), how="edit")  # waiting already: moved to the end when written again
        catalogue.conn.set_authorizer(lambda *action: ran.append(action[4] or "") or sqlite3.SQLITE_OK)
        catalogue.write(places(["b", "z", "a", "m"], " 改"), how="import")  # two already there, two new
        catalogue.conn.set_authorizer(None)  # (it named the trigger of every statement it was asked about)
        catalogue.write(places(["q"]), how="edit")  # one row: the triggers, which must be back
        return waiting(catalogue)


def test_writing_at_once_notes_the_same_ids_in_the_same_order_as_the_triggers(tmp_path, monkeypatch):
    by_trigger: list[str] = []
    at_once: list[str] = []
    by_row = written(tmp_path, "by-row", 10**9, monkeypatch, by_trigger)
    assert written(tmp_path, "at-once", 2, monkeypatch, at_once) == by_row
    assert "sync_pending_insert" in by_trigger and not {"sync_pending_insert", "search_pending_insert"} & set(at_once)
    sent, indexed = by_row  # what the triggers make: c untouched first, the import's four moved after it, q last
    assert sent[0] == "c" and sorted(sent[1:5]) == ["a", "b", "m", "z"] and sent[5] == "q"
    assert indexed[-5:] == sent[1:]  # (the first write's ids were indexed by a full build, which clears them)


def test_a_write_that_fails_at_once_leaves_the_triggers_and_the_lists_as_they_were(empty_catalogue, monkeypatch):
    monkeypatch.setattr(catalogue_module, "AT_ONCE", 2)
    empty_catalogue.write(places(["a"]), how="edit")
    triggers, before = empty_catalogue.conn.execute(TRIGGERS).fetchall(), waiting(empty_catalogue)
    bad = places(["x", "y"]) + [Resource(id="z", name="", area="01206")]  # the name is required: the row fails
    with pytest.raises(Exception):  # noqa: B017 — whichever the store raises, nothing may change
        empty_catalogue.write(bad, how="import")
    assert empty_catalogue.conn.execute(TRIGGERS).fetchall() == triggers and waiting(empty_catalogue) == before
    assert empty_catalogue.get("x") is None
