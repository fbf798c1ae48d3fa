"""The search index's update path (``tui/core/search/stored.py``): the cases its mutants showed
untested (issue 25). A stored index that is current is loaded, not built; a change the stored
base does not cover is caught up; past a quarter of the base a write compacts; a base built with
another need list is never extended by a delta; the app's question "is a full build due?" reads
only the meta. Each test was seen failing on its mutant (docs/mutation.md)."""

from __future__ import annotations

import importlib.util
import shutil
from dataclasses import replace
from pathlib import Path

from tests.core.test_incremental_index import renamed_behind_its_back_is_found
from tui.core.db import transaction
from tui.core.search import build as search_build
from tui.core.search import stored as search_stored
from tui.core.search.index import SearchIndex
from tui.core.search.stored import load_or_build, store
from tui.core.store.catalogue import SEED_DIR, Catalogue

_spec = importlib.util.spec_from_file_location("relevance_cases", Path(__file__).with_name("test_relevance.py"))
assert _spec is not None and _spec.loader is not None
relevance = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(relevance)


def built(tmp_path: Path) -> Path:
    """The relevance suite's catalogue: its one write stored a full build, nothing is pending."""
    path = tmp_path / "c.db"
    with relevance.build(path) as catalogue:
        catalogue.conn.execute("SELECT 1")
    return path


def stored_parts(catalogue: Catalogue) -> list[tuple[str, int]]:
    return [tuple(row) for row in catalogue.conn.execute("SELECT part, data_version FROM search_index ORDER BY part")]


def counted_builds(monkeypatch) -> list:
    """Every ``build_parts`` call from now on: the ids asked for (None: the whole catalogue)."""
    calls: list = []
    real = search_build.build_parts

    def counted(catalogue, ids=None, progress=None):
        calls.append(ids)
        return real(catalogue, ids, progress)

    monkeypatch.setattr(search_build, "build_parts", counted)
    return calls


def test_a_current_stored_index_is_loaded_and_nothing_is_built_or_stored(tmp_path, monkeypatch):
    path = built(tmp_path)
    with Catalogue.open(path) as catalogue:
        before = stored_parts(catalogue)
        builds = counted_builds(monkeypatch)
        catalogue.store_index()  # a process that has not searched, with nothing changed
        assert catalogue.search("釧路フードバンク")[0].id == "kfood"
        assert builds == []  # not even an empty delta
        assert stored_parts(catalogue) == before


def test_a_delta_the_app_stored_is_loaded_by_the_next_process_as_it_is(tmp_path, monkeypatch):
    """A save in a process that has searched (the app) builds its delta from the index in hand and
    stores it with the last change it covers: the next process loads base and delta, builds nothing."""
    path = built(tmp_path)
    with Catalogue.open(path) as app:
        app.search("")
        kfood = app.get("kfood")
        assert kfood is not None
        app.save(replace(kfood, name="釧路フードバンク本部"), base=kfood)
        assert ("delta:meta", app.data_version) in stored_parts(app)
    builds = counted_builds(monkeypatch)
    with Catalogue.open(path) as other:
        assert other.search("釧路フードバンク本部")[0].id == "kfood"
    assert builds == []


def test_an_index_is_stored_once(tmp_path):
    with Catalogue.open(built(tmp_path)) as catalogue:
        index = load_or_build(catalogue, rebuild=True)
        assert store(index, catalogue.conn) is True
        before = stored_parts(catalogue)
        assert store(index, catalogue.conn) is False  # nothing left to store: nothing written
        assert stored_parts(catalogue) == before


def test_a_row_changed_behind_a_stored_base_is_caught_up(tmp_path):
    """Only the base is stored (no delta), at the current version, and a row changed by a tool that
    bumps no version: search_pending has it, so the base is not current."""
    path = built(tmp_path)
    renamed_behind_its_back_is_found(path)


def test_a_write_compacts_once_more_than_a_quarter_of_the_base_has_changed(tmp_path, monkeypatch):
    monkeypatch.setattr(search_stored, "COMPACT_MIN", 1)  # the quarter alone decides at this size
    with relevance.build(tmp_path / "c.db") as catalogue:
        base_size = catalogue.search_index().base_size
        quarter = base_size // 4
        live = [r for r in catalogue.resources() if r.status != "closed"]
        assert quarter >= 2 and len(live) > quarter
        for n, resource in enumerate(live[: quarter + 1]):
            catalogue.save(replace(resource, phone=f"011-000-{n:04d}"), base=resource)
            parts = {part for part, _ in stored_parts(catalogue)}
            if n + 1 <= quarter:  # a quarter changed: still a delta over the base
                assert "delta:meta" in parts, n
            else:
                assert "delta:meta" not in parts  # one more: a full build replaced base and delta
                assert catalogue.conn.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 0
        index = catalogue.search_index()
        assert index.size == index.base_size  # searches use the new base alone


def test_a_base_built_with_another_need_list_is_built_again_not_extended(tmp_path):
    """A new need in the shipped taxonomy renumbers the needs: a delta over the old base would file
    every place of the base under its neighbour's need."""
    seed = tmp_path / "seed"
    shutil.copytree(SEED_DIR, seed)
    path = tmp_path / "c.db"
    Catalogue.open(path, seed_dir=seed).close()
    with relevance.build(path) as catalogue:
        expected = [h.id for h in catalogue.search("", needs=["food"])]
    needs = (seed / "needs.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    needs.insert(2, "pets,ペットの相談,ぺっとのそうだん,Pets,,ペットの預かりなど,\n")  # before food
    (seed / "needs.csv").write_text("".join(needs), encoding="utf-8")
    with Catalogue.open(path, seed_dir=seed) as catalogue:
        assert list(catalogue.taxonomy.needs)[1] == "pets"
        assert [h.id for h in catalogue.search("", needs=["food"])] == expected
        assert catalogue.search("", needs=["pets"]) == []


def test_the_app_builds_a_small_delta_itself_reading_no_stored_part_it_holds(tmp_path, monkeypatch, request):
    """With a builder elsewhere (the app), each search asks whether a full build is due (``plan``).
    For a row another program changed (its index unstored: a full disk) it is not: the delta is
    built here, from the base in hand, and the question reads only the stored meta."""
    path = built(tmp_path)
    with Catalogue.open(path) as app, Catalogue.open(path) as other:
        asked: list[None] = []
        app.build_elsewhere = lambda: asked.append(None)
        app.search("")
        monkeypatch.setenv("TSUNAGU_FAULT", "index-disk-full")
        kfood = other.get("kfood")
        assert kfood is not None
        other.save(replace(kfood, name="釧路フードバンク本部"), base=kfood)
        monkeypatch.delenv("TSUNAGU_FAULT")
        read = request.getfixturevalue("segments_read")  # spied from here on, after the writes above
        assert app.search("釧路フードバンク本部")[0].id == "kfood"
        assert asked == [] and not app.index_behind
        assert read == []


def test_a_full_build_says_how_far_it_is(tmp_path, monkeypatch):
    monkeypatch.setattr(search_build, "PROGRESS_EVERY", 10)
    path = built(tmp_path)
    seen: list[tuple[int, int]] = []
    with Catalogue.open(path) as catalogue:
        live = catalogue.count(include_closed=False)
        index = load_or_build(catalogue, rebuild=True, progress=lambda done, total: seen.append((done, total)))
        assert isinstance(index, SearchIndex) and index.size == live
    assert [done for done, _ in seen] == list(range(0, live, 10))
    assert {total for _, total in seen} == {live}


def test_a_catalogue_without_the_change_list_is_built_whole(tmp_path):
    """Before migration 6 there is no search_pending (and no stored index of this format): a read-only
    catalogue from then is searched through a full build."""
    path = built(tmp_path)
    with Catalogue.open(path) as catalogue:
        conn = catalogue.conn
        with catalogue.lock, transaction(conn):
            for trigger in ("insert", "update", "delete"):
                conn.execute(f"DROP TRIGGER search_pending_{trigger}")
            conn.execute("DROP TABLE search_pending")
            conn.execute("DELETE FROM search_index")
        index = load_or_build(catalogue)
        assert isinstance(index, SearchIndex) and index.size == catalogue.count(include_closed=False)
        assert index.search("スパロウ荘")[0].id == "sparrow"
