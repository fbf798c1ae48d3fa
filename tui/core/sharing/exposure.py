"""Saying the truth when a place that was shared publicly becomes confidential (issue 19 #8).

From then on its private fields are never sent (``public.py``), but what was shared before — the
address, the access notes — stays in the shared repository's history, in every office's clone and
every bundle. This module answers one question, so the fronts can say so at that moment."""

from __future__ import annotations

from tui.core.sharing.gitstore import TreeFiles
from tui.core.sharing.hsds import COLUMNS
from tui.core.sharing.hsds_read import PackageReader
from tui.core.sharing.state import repo_path, state
from tui.core.store.catalogue import Catalogue


def shared_publicly(catalogue: Catalogue, resource_id: str) -> bool:
    """Was ``resource_id`` in the shared repository as a public place at this catalogue's last sync?"""
    head = state(catalogue).get("head")
    folder = repo_path(catalogue)
    if not head or not (folder / "objects").is_dir():
        return False
    from dulwich.repo import Repo

    repo = Repo(str(folder))
    try:
        rows = PackageReader(TreeFiles(repo, head, {}), lenient=True).table("services.csv")
    finally:
        repo.close()
    columns = COLUMNS["services.csv"]
    at_id, at_flag = columns.index("tsunagu_id"), columns.index("tsunagu_confidential")
    return any(row[at_id] == resource_id and row[at_flag] != "yes" for row in rows)


def made_confidential(catalogue: Catalogue, before, after) -> bool:
    """``before`` → ``after`` made a once publicly shared place confidential: warn the person."""
    return (before is not None and after is not None and after.confidential and not before.confidential
            and shared_publicly(catalogue, after.id))
