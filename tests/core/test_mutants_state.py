"""What a catalogue remembers of sharing (``sharing/state.py``, issue 25: mutmut on it): the sync
state, the rows kept out, the changes waiting, the open conflicts in a stable order, the status
line's figures read without loading the catalogue, and the backup before a sync or a resolution.
Each test was seen failing on a mutmut survivor of ``tui/core/sharing/state.py`` (docs/mutation.md)."""

from __future__ import annotations

import json
from dataclasses import asdict

from tui.core.db import transaction
from tui.core.models import Resource
from tui.core.sharing.hsds_read import BadRow
from tui.core.sharing.state import (
    StoredConflict,
    backup_before,
    conflicts,
    pending_count,
    rejected,
    repo_path,
    set_state,
    sharing_status,
    state,
)


def test_the_state_is_kept_and_overwritten_by_key(empty_catalogue):
    with transaction(empty_catalogue.conn):
        set_state(empty_catalogue, remote="/srv/a.git", head="abc")
        set_state(empty_catalogue, head="def")
    assert state(empty_catalogue) == {"remote": "/srv/a.git", "head": "def"}


def test_rows_kept_out_come_back_as_they_were_stored(empty_catalogue):
    assert rejected(empty_catalogue) == []
    kept_out = [BadRow("resources.csv", 3, "phone", "番号に数字がありません", "x-1"), BadRow("services.csv", 9, "", "?")]
    with transaction(empty_catalogue.conn):
        set_state(empty_catalogue, rejected=json.dumps([asdict(b) for b in kept_out]))
    assert rejected(empty_catalogue) == kept_out


def test_conflicts_are_listed_by_resource_then_field_and_the_status_counts_them(empty_catalogue):
    empty_catalogue.write([Resource(id="b", name="B食堂", needs=("food",), area="01214")])
    with transaction(empty_catalogue.conn):
        for rid, field in [("b", "phone"), ("a", "phone"), ("a", "hours"), ("b", "hours")]:
            empty_catalogue.conn.execute("INSERT INTO sync_conflicts(resource_id, field, mine, theirs, base, by, at) "
                                         "VALUES (?, ?, '1', '2', '0', '他', 'T')", (rid, field))
        set_state(empty_catalogue, head="abc")
    assert conflicts(empty_catalogue) == [StoredConflict(rid, field, "1", "2", "0", "他", "T") for rid, field in
                                          [("a", "hours"), ("a", "phone"), ("b", "hours"), ("b", "phone")]]
    assert pending_count(empty_catalogue) == 1  # the place written here
    assert sharing_status(empty_catalogue.path) == ({"head": "abc"}, 1, 4)


def test_the_sync_folder_sits_beside_the_catalogue(empty_catalogue):
    assert repo_path(empty_catalogue) == empty_catalogue.path.parent / (empty_catalogue.path.name + ".sync")


def test_a_backup_is_made_only_when_a_folder_is_given(empty_catalogue, tmp_path):
    backup_before(empty_catalogue, None, "sync")
    assert not (tmp_path / "backups").exists()
    backup_before(empty_catalogue, tmp_path / "backups", "sync")
    [copy] = (tmp_path / "backups").iterdir()
    assert "sync" in copy.name and copy.stat().st_size > 0
