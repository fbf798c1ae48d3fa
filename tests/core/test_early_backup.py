"""The backup a receiving sync takes while others' changes are still arriving (``BeforeLanding``,
issue 20: the receive's wait no longer includes copying the catalogue). It is kept only when it is
the catalogue as the changes find it; otherwise a fresh one is taken, and one not needed is removed."""

from __future__ import annotations

import errno
import threading

import pytest

from tui.core.models import Resource
from tui.core.sharing import state as state_module
from tui.core.sharing.state import BeforeLanding
from tui.core.store.catalogue import Catalogue

FOOD = Resource(id="food-1", name="くしろフードバンク", needs=("food",), area="01206")


@pytest.fixture
def copies(monkeypatch):
    """Every copy made (the early one on its thread and any taken at the last moment)."""
    made: list = []
    copy = state_module.backup_catalogue

    def counting(*args, **kwargs):
        made.append(path := copy(*args, **kwargs))
        return path

    monkeypatch.setattr(state_module, "backup_catalogue", counting)
    return made


def names_in(path) -> set[str]:
    with Catalogue.open(path) as copy:
        return {r.name for r in copy.search("", limit=100)}


def test_the_copy_taken_while_changes_arrive_is_kept_when_nothing_was_written_since(empty_catalogue, tmp_path, copies):
    empty_catalogue.write([FOOD], how="edit")
    landing = BeforeLanding(empty_catalogue.path, tmp_path / "backups")
    landing.coming()
    landing.before(empty_catalogue)
    landing.discard()  # the sync ends: the copy it kept stays
    assert len(copies) == 1 and list((tmp_path / "backups").iterdir()) == copies
    assert names_in(copies[0]) == {"くしろフードバンク"} and "-sync-" in copies[0].name  # pruned as a sync's


def test_a_place_written_here_meanwhile_is_in_the_backup_that_is_kept(empty_catalogue, tmp_path, copies):
    landing = BeforeLanding(empty_catalogue.path, tmp_path / "backups")
    landing.coming()
    assert landing.early is not None
    landing.early._wait()  # the early copy is made; then a counsellor saves a place
    empty_catalogue.write([FOOD], how="edit")
    landing.before(empty_catalogue)
    landing.discard()
    [kept] = (tmp_path / "backups").iterdir()
    assert len(copies) == 2 and kept == copies[1]  # the early copy removed, the one taken now kept
    assert names_in(kept) == {"くしろフードバンク"} and "-sync-" in copies[0].name and "-sync-" in kept.name


def test_a_sync_that_lands_nothing_leaves_no_copy_and_a_late_answer_starts_none(empty_catalogue, tmp_path, copies):
    landing = BeforeLanding(empty_catalogue.path, tmp_path / "backups")
    landing.coming()
    landing.discard()
    assert len(copies) == 1 and not any((tmp_path / "backups").iterdir())
    landing.early = None
    landing.coming()  # a fetch given up on, answering after the sync ended
    assert landing.early is None and len(copies) == 1


def test_a_copy_that_fails_on_its_thread_is_taken_again_as_a_sync_always_did(empty_catalogue, tmp_path, monkeypatch):
    copy = state_module.backup_catalogue

    def full_on_the_thread(*args, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "backups"))
        return copy(*args, **kwargs)

    monkeypatch.setattr(state_module, "backup_catalogue", full_on_the_thread)
    empty_catalogue.write([FOOD], how="edit")
    landing = BeforeLanding(empty_catalogue.path, tmp_path / "backups")
    landing.coming()
    landing.before(empty_catalogue)
    landing.discard()
    [kept] = (tmp_path / "backups").iterdir()
    assert names_in(kept) == {"くしろフードバンク"}


def test_a_receiving_sync_keeps_the_copy_it_started_when_the_changes_were_seen_coming(tmp_path, monkeypatch, copies):
    from tui.core.sharing.sync import sync

    kept: list[bool] = []
    take = state_module.EarlyBackup.take
    monkeypatch.setattr(state_module.EarlyBackup, "take", lambda self, mark: kept.append(take(self, mark)) or kept[-1])
    shared = str(tmp_path / "shared.git")
    with Catalogue.open(tmp_path / "kushiro.db") as kushiro, Catalogue.open(tmp_path / "asahikawa.db") as asahikawa:
        sync(asahikawa, author="asahikawa <>", remote=shared)
        kushiro.write([FOOD], how="edit")
        sync(kushiro, author="kushiro <>", remote=shared)
        assert sync(asahikawa, author="asahikawa <>", backup_dir=tmp_path / "backups").received == ["food-1"]
    assert kept == [True] and len(copies) == 1  # started during the fetch, kept: no second copy
    assert names_in(copies[0]) == set()  # asahikawa as it was before kushiro's place landed
