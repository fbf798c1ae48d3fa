"""Whose change was it? Each received resource credited to the commit that changed it (issue 19).

A sync may bring several offices' commits at once; the change log names, for each resource, the
author and time of the newest of those commits that changed its rows — not the author of the
newest commit overall. A commit changed a resource when its package differs from every parent's
there (a merge commit that only brings both sides together changed nothing itself).
"""

from __future__ import annotations

from collections.abc import Iterable

from dulwich.objects import Commit, ObjectID
from dulwich.repo import Repo

from tui.core.sharing.gitstore import CommitInfo, TreeFiles, commit_info
from tui.core.sharing.layout import Received
from tui.core.sharing.splice import changed_ids

WALK_AT_MOST = 50  # commits read for credit in one sync; older changes fall back to the newest commit


def credits(repo: Repo, theirs: str | None, known: Iterable[str], ids: Iterable[str],
            cache: dict[ObjectID, bytes] | None = None) -> dict[str, CommitInfo]:
    """For each of ``ids``, the newest commit after ``known`` (commits this office had) up to ``theirs``
    that changed it. Ids no walked commit changed are left out (the caller falls back to the newest).
    ``cache``: blobs already read (the sync's), so a file is not inflated twice."""
    wanted = set(ids)
    if not theirs or not wanted:
        return {}
    exclude = [ObjectID(c.encode()) for c in known if c]
    newest = repo[ObjectID(theirs.encode())]
    assert isinstance(newest, Commit)
    if newest.parents and set(newest.parents) <= set(exclude):
        return {}  # one commit after what this office had: it made every change, the newest is right
    cache = {} if cache is None else cache
    laid_out: dict = {}
    found: dict[str, CommitInfo] = {}
    walker = repo.get_walker(include=[ObjectID(theirs.encode())], exclude=exclude or None, max_entries=WALK_AT_MOST)
    for entry in walker:  # newest first
        commit = entry.commit
        assert isinstance(commit, Commit)
        here = TreeFiles(repo, commit.id.decode(), cache)
        parents = [TreeFiles(repo, p.decode(), cache) for p in commit.parents] or [TreeFiles(repo, None, cache)]
        changed: set[str] | None = None
        for parent in parents:
            differs = changed_ids(Received(parent, laid_out), Received(here, laid_out), parent.same_as(here)) & wanted
            changed = differs if changed is None else changed & differs
        for rid in (changed or set()) - found.keys():
            found[rid] = commit_info(repo, commit.id.decode())
        if found.keys() >= wanted:
            break
    return found


class Credit:
    """Who made each received change: the commit ``credits`` found for it, else the newest commit."""

    def __init__(self, newest: CommitInfo, found: dict[str, CommitInfo] | None = None):
        self.newest: CommitInfo = newest
        self.found = found or {}

    def of(self, resource_id: str) -> CommitInfo:
        return self.found.get(resource_id, self.newest)

    def group(self, resources: list) -> list[tuple[str, list]]:
        """The resources by the author credited with each, in their order (one change-log write each)."""
        by: dict[str, list] = {}
        for item in resources:
            by.setdefault(self.of(item.id).author, []).append(item)
        return list(by.items())
