"""The incremental search index (issue 20): a write stores a small delta, never a full rebuild,
and the index it gives returns exactly what a full build of the same data returns.

The property test applies seeded random edits, verifications, additions, closings and
deletions to the relevance suite's catalogue, and after each step compares every relevance
query, random prefixes, filters and the empty query, hit by hit (id, score, field, order).
"""

from __future__ import annotations

import importlib.util
import random
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from tui.core.db import transaction
from tui.core.models import Resource
from tui.core.search import build as search_build
from tui.core.search import stored as search_stored
from tui.core.search import typos
from tui.core.search.index import SearchIndex
from tui.core.search.stored import load_or_build, store
from tui.core.store.catalogue import Catalogue

_spec = importlib.util.spec_from_file_location("relevance_cases", Path(__file__).with_name("test_relevance.py"))
assert _spec is not None and _spec.loader is not None
relevance = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(relevance)

AREAS = ["釧路市", "札幌市中央区", "帯広市", "函館市", "旭川市", "網走市", "小平町", "平取町", "厚岸町", "浦河町"]
NEEDS = ["food", "consultation", "shelter", "employment", "care", "child", "legal", "transport", "health"]
DATES = ["", "2024-05-01", "2025-06-01", "2025-11-01", "2026-03-01", "2026-03-01", "2026-04-01"]


def full_build(catalogue: Catalogue) -> SearchIndex:
    return SearchIndex(catalogue.data_version, search_build.build_parts(catalogue), catalogue.gazetteer,
                       catalogue.taxonomy)


def answers(index: SearchIndex, queries) -> list:
    out = []
    for query, area, needs in queries:
        hits = index.search(query, area=area, needs=needs, limit=12)
        out.append((query, area, needs, [(h.id, h.score, h.matched, h.status, h.last_verified) for h in hits]))
    return out


def queries_for(catalogue: Catalogue, rng: random.Random) -> list[tuple[str, str | None, tuple[str, ...]]]:
    queries: list[tuple[str, str | None, tuple[str, ...]]] = [(q, None, ()) for q, *_ in relevance.CASES]
    names = [r.name for r in catalogue.resources()] + [r.name_kana for r in catalogue.resources() if r.name_kana]
    for _ in range(25):  # random prefixes and inner pieces of the names as they are now
        name = rng.choice(names)
        start = rng.randrange(len(name)) if rng.random() < 0.3 else 0
        queries.append((name[start : start + rng.randint(1, 5)], None, ()))
    area = catalogue.gazetteer.resolve
    queries += [("", None, ()), ("", area("釧路市").code, ()), ("", None, ("food",)),
                ("くしろ", area("釧路市").code, ()), ("相談", None, ("consultation",)), ("ふーど", area("札幌市").code, ("food",)),
                ("kushro", None, ()), ("おびひる", None, ())]
    return queries


def random_name(rng: random.Random) -> tuple[str, str]:
    pieces = [("釧路", "くしろ"), ("フード", "ふーど"), ("生活", "せいかつ"), ("相談", "そうだん"), ("札幌", "さっぽろ"),
              ("ひだまり", "ひだまり"), ("支援", "しえん"), ("センター", "せんたー"), ("スパロウ", "すぱろう"), ("帯広", "おびひろ")]
    chosen = rng.sample(pieces, rng.randint(1, 3))
    return "".join(p[0] for p in chosen), ("".join(p[1] for p in chosen) if rng.random() < 0.7 else "")


def mutate(catalogue: Catalogue, rng: random.Random, step: int) -> str:
    """One random write, through the same paths the commands use."""
    live = [r for r in catalogue.resources()]
    kind = rng.choice(["edit", "edit", "verify", "verify", "add", "close", "delete", "reopen"])
    target = rng.choice(live)
    gazetteer = catalogue.gazetteer
    if kind == "edit":
        name, kana = random_name(rng)
        changes = rng.choice([
            {"name": name, "name_kana": kana}, {"organization": rng.choice(["", "NPO法人くしろ食の輪", "北の若者会"])},
            {"needs": tuple(rng.sample(NEEDS, rng.randint(1, 2)))}, {"area": gazetteer.resolve(rng.choice(AREAS)).code},
            {"status": rng.choice(["active", "paused"])}, {"phone": f"011-000-{step:04d}"},
        ])
        catalogue.save(replace(target, **changes), base=target, how="edit")
    elif kind == "verify":
        catalogue.save(replace(target, last_verified=rng.choice(DATES)), base=target, how="verify")
    elif kind == "add":
        name, kana = random_name(rng)
        catalogue.write([Resource(id=f"new{step}", name=name, name_kana=kana, needs=(rng.choice(NEEDS),),
                                  area=gazetteer.resolve(rng.choice(AREAS)).code, status=rng.choice(["active", "paused"]),
                                  last_verified=rng.choice(DATES))])
    elif kind == "close":
        catalogue.save(replace(target, status="closed"), base=target, how="edit")
    elif kind == "reopen":
        catalogue.save(replace(target, status="active"), base=target, how="edit")
    else:  # nothing deletes a resource today; the index must still follow one that goes
        with catalogue.lock, transaction(catalogue.conn):
            catalogue.conn.execute("DELETE FROM resources WHERE id = ?", (target.id,))
            catalogue._bump_version()
        catalogue.store_index()
    return kind


# The last seed keeps only 3 typo candidates instead of 300, so which rows make the cut (live
# ones only, ties in rank order) shows at this catalogue's size.
@pytest.mark.parametrize(("seed", "rerank"), [(1, typos.RERANK), (2, typos.RERANK), (3, typos.RERANK), (4, 3), (5, 3), (6, 3)])
def test_the_incremental_index_answers_as_a_full_build_does(tmp_path, monkeypatch, seed, rerank):
    monkeypatch.setattr(typos, "RERANK", rerank)
    rng = random.Random(seed)
    kinds = set()
    with_delta = 0
    with relevance.build(tmp_path / "c.db") as catalogue:
        for step in range(14):
            kinds.add(mutate(catalogue, rng, step))
            incremental = catalogue.search_index()
            with_delta += incremental.size > incremental.base_size or not incremental.alive.all()
            queries = queries_for(catalogue, rng)
            expected = answers(full_build(catalogue), queries)
            assert answers(incremental, queries) == expected
            if step % 5 == 4:  # another process: the stored base and delta, loaded
                with Catalogue.open(tmp_path / "c.db") as other:
                    assert answers(other.search_index(), queries) == expected
    assert {"edit", "verify", "add"} <= kinds
    assert with_delta >= 12  # a delta is what was compared, not a full build


def test_a_write_stores_a_delta_and_catching_up_never_rebuilds_whole(tmp_path, monkeypatch):
    path = tmp_path / "c.db"
    with relevance.build(path) as catalogue:
        catalogue.conn.execute("SELECT 1")
    calls: list = []
    real = search_build.build_parts

    def counted(catalogue, ids=None):
        calls.append(ids)
        return real(catalogue, ids)

    monkeypatch.setattr(search_build, "build_parts", counted)
    with Catalogue.open(path) as catalogue:
        kfood = catalogue.get("kfood")
        assert kfood is not None
        catalogue.save(replace(kfood, name="釧路フードバンク本部"), base=kfood)
        parts = {p for (p,) in catalogue.conn.execute("SELECT part FROM search_index")}
        assert "delta:meta" in parts and "base:meta" in parts
    assert calls == [["kfood"]]
    # A write whose index could not be stored: the next process catches up from search_pending.
    monkeypatch.setenv("TSUNAGU_FAULT", "index-disk-full")
    with Catalogue.open(path) as catalogue:
        sparrow = catalogue.get("sparrow")
        assert sparrow is not None
        catalogue.save(replace(sparrow, name="スパロウ荘みなみ"), base=sparrow)
        assert catalogue.index_unstored
    monkeypatch.delenv("TSUNAGU_FAULT")
    calls.clear()
    with Catalogue.open(path) as catalogue:
        assert catalogue.search("すぱろう荘みなみ")[0].id == "sparrow" or catalogue.search("スパロウ荘みなみ")[0].id == "sparrow"
        assert catalogue.get("sparrow").name == "スパロウ荘みなみ"  # the data was never at risk
    assert calls and all(ids is not None for ids in calls)  # only deltas: never the whole catalogue


def test_a_write_in_a_process_that_has_not_searched_reads_no_stored_part(tmp_path, monkeypatch, request):
    """A CLI write (``tsunagu edit``, a received sync) stores its delta without reading the base's
    parts (100 MB at 100k); a process that has searched keeps the index it searches next."""
    path = tmp_path / "c.db"
    with relevance.build(path) as catalogue:
        catalogue.conn.execute("SELECT 1")
    read = request.getfixturevalue("segments_read")  # spied from here on, after the build above
    with Catalogue.open(path) as catalogue:
        kfood = catalogue.get("kfood")
        assert kfood is not None
        catalogue.save(replace(kfood, name="釧路フードバンク本部"), base=kfood)
        assert read == []
        assert catalogue.search("釧路フードバンク本部")[0].id == "kfood"  # loads the stored base and delta
        assert read == ["base", "delta"]
        sparrow = catalogue.get("sparrow")
        assert sparrow is not None
        catalogue.save(replace(sparrow, name="スパロウ荘みなみ"), base=sparrow)
        assert read == ["base", "delta"]  # the base in hand is the stored one: not read again
        assert catalogue._index is not None and catalogue._index.data_version == catalogue.data_version
        assert catalogue.search("スパロウ荘みなみ")[0].id == "sparrow"
    with Catalogue.open(path) as catalogue:
        assert catalogue.search("釧路フードバンク本部")[0].id == "kfood"
        assert catalogue.search("スパロウ荘みなみ")[0].id == "sparrow"


def test_the_base_in_hand_is_used_again_only_while_it_is_the_stored_one(tmp_path, monkeypatch):
    """A process holding an index (the app) takes a new stored base when another program compacted:
    its own base, older, would hide that program's changes (they left search_pending with it)."""
    monkeypatch.setattr(search_stored, "COMPACT_ROWS", 2)
    monkeypatch.setattr(search_stored, "COMPACT_MIN", 1)
    path = tmp_path / "c.db"
    with relevance.build(path) as catalogue:
        catalogue.conn.execute("SELECT 1")
    with Catalogue.open(path) as app, Catalogue.open(path) as other:
        app.search("")
        for n, rid in enumerate(("kfood", "sparrow", "legal")):  # the third write compacts: a new base
            current = other.get(rid)
            assert current is not None
            other.save(replace(current, name=f"別の窓口{n}号"), base=current)
        assert other.conn.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 0
        assert app.search("別の窓口2号")[0].id == "legal"
        current = app.get("sparrow")
        assert current is not None
        app.save(replace(current, phone="011-000-0003"), base=current)
        assert app.search("別の窓口0号")[0].id == "kfood"
        assert app.search("別の窓口1号")[0].id == "sparrow"


def test_past_the_threshold_a_write_compacts(tmp_path, monkeypatch):
    monkeypatch.setattr(search_stored, "COMPACT_ROWS", 2)
    with relevance.build(tmp_path / "c.db") as catalogue:
        for rid in ("kfood", "sparrow", "legal"):
            current = catalogue.get(rid)
            assert current is not None
            catalogue.save(replace(current, phone="011-000-0000"), base=current)
        parts = {p for (p,) in catalogue.conn.execute("SELECT part FROM search_index")}
        assert "delta:meta" not in parts
        assert catalogue.conn.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 0
        assert catalogue.search_index().size == catalogue.search_index().base_size


def test_with_a_builder_elsewhere_the_index_in_hand_serves_until_the_full_build_is_adopted(tmp_path, monkeypatch):
    """The app's compaction (issue 20): past the threshold neither a search nor a save builds the whole
    index; each asks ``build_elsewhere`` once and the index in hand keeps answering. The full build,
    on a connection of its own, is adopted only at the data's version."""
    monkeypatch.setattr(search_stored, "COMPACT_ROWS", 2)
    monkeypatch.setattr(search_stored, "COMPACT_MIN", 1)
    path = tmp_path / "c.db"
    with relevance.build(path) as catalogue:
        catalogue.conn.execute("SELECT 1")
    full_builds: list[None] = []
    real = search_build.build_parts

    def counted(catalogue, ids=None, progress=None):
        if ids is None:
            full_builds.append(None)
        return real(catalogue, ids, progress)

    monkeypatch.setattr(search_build, "build_parts", counted)
    with Catalogue.open(path) as catalogue, Catalogue.open(path) as other:
        asked: list[None] = []
        catalogue.build_elsewhere = lambda: asked.append(None)
        before = catalogue.search_index()
        # Another program changes three rows (past two) and has not stored its index yet (as while it
        # builds, or when its disk was full): what this one finds stored is a base three rows behind.
        monkeypatch.setenv("TSUNAGU_FAULT", "index-disk-full")
        for n, rid in enumerate(("kfood", "sparrow", "legal")):
            current = other.get(rid)
            assert current is not None
            other.save(replace(current, name=f"改名{n}テスト窓口"), base=current)
        monkeypatch.delenv("TSUNAGU_FAULT")
        full_builds.clear()  # the other program's own
        assert catalogue.search_index() is before and catalogue.index_behind  # the index in hand serves
        assert not catalogue.search("改名0テスト窓口") or catalogue.search("改名0テスト窓口")[0].id != "kfood"
        current = catalogue.get("sparrow")
        assert current is not None
        catalogue.save(replace(current, phone="011-000-0001"), base=current)  # a save here builds nothing either
        assert asked == [None] and full_builds == []
        stale = catalogue.build_whole()
        assert len(full_builds) == 1
        other.save(replace(other.get("legal"), phone="011-000-0002"), base=other.get("legal"))
        assert not catalogue.adopt_index(stale)  # built before the last write: not taken
        assert catalogue.search_index() is before
        fresh = catalogue.build_whole()
        assert catalogue.adopt_index(fresh) and not catalogue.index_behind
        assert catalogue.search("改名0テスト窓口")[0].id == "kfood"
        assert catalogue.search("改名2テスト窓口")[0].id == "legal"
        assert asked == [None]
        parts = {p for (p,) in catalogue.conn.execute("SELECT part FROM search_index")}
        assert "delta:meta" not in parts  # the build elsewhere stored a new base
    with Catalogue.open(path) as catalogue:  # without a builder elsewhere: as before, built in place
        assert catalogue.search("改名1テスト窓口")[0].id == "sparrow"


def test_the_index_is_never_stored_inside_a_callers_transaction(tmp_path):
    with relevance.build(tmp_path / "c.db") as catalogue:
        conn = catalogue.conn
        index = load_or_build(catalogue, rebuild=True)
        with catalogue.lock, transaction(conn):
            with pytest.raises(RuntimeError):
                store(index, conn)


def test_a_full_disk_while_storing_the_index_never_breaks_the_callers_transaction(tmp_path, monkeypatch):
    """A sync applies its merge in one transaction that calls ``write``. SQLITE_FULL while storing
    the index there used to roll the whole transaction back and be swallowed, so what followed
    autocommitted: half a merge. Now the index is not stored inside it at all."""
    monkeypatch.setenv("TSUNAGU_FAULT", "index-disk-full")
    with relevance.build(tmp_path / "c.db") as catalogue:
        conn = catalogue.conn
        before = catalogue.data_version
        with pytest.raises(ZeroDivisionError), catalogue.lock, transaction(conn):
            catalogue.write([Resource(id="merged", name="合流テスト", area="hokkaido")])
            conn.execute("INSERT INTO sync_state(key, value) VALUES ('half', 'merge')")
            raise ZeroDivisionError  # the merge fails after the write: all of it must go
        assert catalogue.get("merged") is None
        assert conn.execute("SELECT count(*) FROM sync_state WHERE key = 'half'").fetchone()[0] == 0
        assert catalogue.data_version == before
        with catalogue.lock, transaction(conn):
            catalogue.write([Resource(id="merged", name="合流テスト", area="hokkaido")])
            conn.execute("INSERT INTO sync_state(key, value) VALUES ('whole', 'merge')")
        assert catalogue.get("merged") is not None
        monkeypatch.delenv("TSUNAGU_FAULT")
        assert [h.id for h in catalogue.search("合流テスト")] == ["merged"]


def test_a_store_that_fails_is_said_once_and_leaves_the_data(tmp_path, monkeypatch, caplog):
    with relevance.build(tmp_path / "c.db") as catalogue:
        monkeypatch.setenv("TSUNAGU_FAULT", "index-disk-full")
        for rid in ("kfood", "sparrow"):
            current = catalogue.get(rid)
            assert current is not None
            catalogue.save(replace(current, phone="011-000-0001"), base=current)
        assert [r.getMessage() for r in caplog.records].count(next(r.getMessage() for r in caplog.records)) == 1
        assert len([r for r in caplog.records if "search index" in r.getMessage()]) == 1
        assert catalogue.get("sparrow").phone == "011-000-0001"
        assert not catalogue.conn.in_transaction
        with pytest.raises(sqlite3.OperationalError):  # the fault point is real: the store does fail
            store(load_or_build(catalogue, rebuild=True), catalogue.conn)


def test_coverage_counts_each_resource_once_with_a_delta(tmp_path):
    from datetime import date

    from tui.core.reports.coverage import compute

    rng = random.Random(7)
    with relevance.build(tmp_path / "c.db") as catalogue:
        for step in range(8):
            mutate(catalogue, rng, step)
        incremental, full = catalogue.search_index(), full_build(catalogue)
        assert not incremental.alive.all()  # dead slots are there to be left out
        for since in (None, date(2025, 1, 1)):
            mine = compute(incremental, catalogue.gazetteer, include_paused=True, verified_since=since)
            theirs = compute(full, catalogue.gazetteer, include_paused=True, verified_since=since)
            assert mine.resources == theirs.resources == catalogue.count(include_closed=False)
            assert (mine.counts == theirs.counts).all()


def test_a_change_that_bumps_no_version_is_still_caught_up(tmp_path):
    """Rows changed by hand (or by a tool that bumps no data_version) are in search_pending all the
    same: a stored index that has not covered every pending change is not taken as current."""
    path = tmp_path / "c.db"
    with relevance.build(path) as catalogue:
        kfood = catalogue.get("kfood")
        assert kfood is not None
        catalogue.save(replace(kfood, phone="011-000-0002"), base=kfood)  # a stored delta, at this version
    renamed_behind_its_back_is_found(path)


def renamed_behind_its_back_is_found(path) -> None:
    """A row renamed by a tool that bumps no version (search_pending has it) is found by its new name
    and no longer by its old one."""
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE resources SET name = '根室フードバンク' WHERE id = 'sparrow'")
    conn.close()
    with Catalogue.open(path) as catalogue:
        assert [h.id for h in catalogue.search("根室フードバンク")][:1] == ["sparrow"]
        assert "sparrow" not in [h.id for h in catalogue.search("スパロウ荘")]
