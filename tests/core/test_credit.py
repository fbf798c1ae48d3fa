"""Issue 19: each received change is credited to the commit that made it, not to the newest commit."""

from __future__ import annotations

import subprocess

from dulwich.repo import Repo

from tui.core.models import Resource
from tui.core.sharing.credit import credits
from tui.core.sharing.state import repo_path, state
from tui.core.sharing.sync import sync
from tui.core.store.catalogue import Catalogue

RESOURCES = [Resource(id=f"t-{n}", name=f"テスト窓口{n}", needs=("food",), area="01206") for n in range(1, 5)]


def test_each_resource_is_credited_to_the_office_that_changed_it(tmp_path):
    shared = tmp_path / "shared.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(shared)], check=True)
    with Catalogue.open(tmp_path / "a.db") as a, Catalogue.open(tmp_path / "b.db") as b, \
            Catalogue.open(tmp_path / "c.db") as c:
        a.write(RESOURCES, how="edit")
        for office, name in ((a, "佐藤"), (b, "鈴木"), (c, "高橋")):
            sync(office, author=f"{name} <>", remote=str(shared))
        known = state(a)["head"]
        b.write([b.get("t-1").replace(hours="月 9-12"), b.get("t-4").replace(cost="要予約")], how="edit")
        sync(b, author="鈴木 <>")
        c.write([c.get("t-2").replace(cost="無料")], how="edit")
        sync(c, author="高橋 <>")  # receives B's change and merges: the newest commit is C's
        c.write([c.get("t-3").replace(cost="100円")], how="edit")
        sync(c, author="高橋 <>")
        b.write([b.get("t-1").replace(hours="月 9-15")], how="edit")  # B again, last: t-1 is B's newest
        sync(b, author="鈴木 <>")
        theirs = state(b)["head"]
        repo = Repo(str(repo_path(a)))
        try:
            found = credits(repo_after_fetch(repo, shared, theirs), theirs, [known], ["t-1", "t-2", "t-3", "t-4"])
        finally:
            repo.close()
    # t-4: B's, though C's merge commit (which brought it in) is newer than B's commit
    assert {rid: info.author for rid, info in found.items()} == {"t-1": "鈴木", "t-2": "高橋", "t-3": "高橋",
                                                                 "t-4": "鈴木"}
    assert found["t-2"].id != found["t-3"].id  # two commits by one office, each credited to its own


def repo_after_fetch(repo: Repo, shared, theirs: str) -> Repo:
    """A's sync repository holding the shared history (what a fetch brings), A's catalogue untouched."""
    subprocess.run(["git", "--git-dir", repo.path, "fetch", "-q", str(shared), "main"], check=True)
    assert theirs.encode() in repo.object_store
    return repo


def test_the_receiving_office_history_names_who_made_each_change(tmp_path):
    from tui.core.store.changes import history

    shared = tmp_path / "shared.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(shared)], check=True)
    with Catalogue.open(tmp_path / "a.db") as a, Catalogue.open(tmp_path / "b.db") as b, \
            Catalogue.open(tmp_path / "c.db") as c:
        a.write(RESOURCES, how="edit")
        for office, name in ((a, "佐藤"), (b, "鈴木"), (c, "高橋")):
            sync(office, author=f"{name} <>", remote=str(shared))
        b.write([b.get("t-1").replace(hours="月 9-12")], how="edit")
        sync(b, author="鈴木 <>")
        c.write([c.get("t-2").replace(cost="無料")], how="edit")
        sync(c, author="高橋 <>")  # the newest commit: C's merge of B's change and its own
        assert sorted(sync(a, author="佐藤 <>").received) == ["t-1", "t-2"]
        assert [(ch.field, ch.by) for ch in history(a, "t-1")][:1] == [("hours", "鈴木")]
        assert [(ch.field, ch.by) for ch in history(a, "t-2")][:1] == [("cost", "高橋")]


def test_one_commit_after_what_this_office_had_is_credited_without_walking(tmp_path, monkeypatch):
    """The common receive (one other office's commit on top of this office's head) credits that commit's
    author, and reads no package to find it out: the newest commit made every change."""
    from tui.core.sharing import credit
    from tui.core.store.changes import history

    shared = tmp_path / "shared.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(shared)], check=True)
    with Catalogue.open(tmp_path / "a.db") as a, Catalogue.open(tmp_path / "b.db") as b:
        a.write(RESOURCES, how="edit")
        for office, name in ((a, "佐藤"), (b, "鈴木")):
            sync(office, author=f"{name} <>", remote=str(shared))
        b.write([b.get("t-3").replace(cost="無料")], how="edit")
        sync(b, author="鈴木 <>")
        monkeypatch.setattr(credit, "changed_ids", lambda *args: (_ for _ in ()).throw(AssertionError("walked")))
        assert sync(a, author="佐藤 <>").received == ["t-3"]
        assert [(ch.field, ch.by) for ch in history(a, "t-3")][:1] == [("cost", "鈴木")]
