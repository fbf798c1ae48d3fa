"""A push that costs what changed, not the whole catalogue (issue 20 item 7).

The package is a handful of CSV files; a one-field edit makes a new ``services.csv`` blob that
differs from the remote's by one line. Sent whole it is megabytes at 100k resources; sent as a
delta against the blob at the same path in the remote's commit (which the remote has, since it
is what it told us it has) it is kilobytes. git itself pushes such *thin* packs: the receiving
``git receive-pack`` completes them with ``index-pack --fix-thin``. A local folder remote gets
ordinary packs (dulwich stores those directly; there is no wire to save).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from dulwich.object_store import MissingObjectFinder
from dulwich.objects import Blob, Commit, ObjectID, Tree
from dulwich.pack import UnpackedObject, create_delta, full_unpacked_object
from dulwich.repo import Repo


def blobs_by_path(repo: Repo, commits: Iterable[ObjectID]) -> dict[bytes, ObjectID]:
    """path → blob id in the trees of ``commits`` that this repository holds (the remote's tips)."""
    store = repo.object_store
    found: dict[bytes, ObjectID] = {}
    for commit_id in commits:
        commit = store[commit_id] if commit_id in store else None
        if not isinstance(commit, Commit):
            continue
        waiting: list[tuple[bytes, ObjectID]] = [(b"", commit.tree)]
        while waiting:
            prefix, tree_id = waiting.pop()
            tree = store[tree_id] if tree_id in store else None
            if not isinstance(tree, Tree):
                continue
            for entry in tree.iteritems():
                path = prefix + entry.path
                if entry.mode & 0o170000 == 0o040000:
                    waiting.append((path + b"/", entry.sha))
                else:
                    found.setdefault(path, entry.sha)
    return found


def as_delta(base: bytes, target: Blob, base_id: ObjectID) -> UnpackedObject | None:
    """``target`` as a delta against ``base``, when that is less than half its size."""
    raw = target.as_raw_string()
    chunks: list[bytes] = []
    size = 0
    for chunk in create_delta(base, raw):
        size += len(chunk)
        if size * 2 >= len(raw):
            return None
        chunks.append(chunk)
    return UnpackedObject(target.type_num, sha=target.sha().digest(), delta_base=bytes.fromhex(base_id.decode()),
                          decomp_len=size, decomp_chunks=chunks)


def thin_pack_data(repo: Repo) -> Callable[..., tuple[int, Iterator[UnpackedObject]]]:
    """A ``generate_pack_data`` for ``send_pack`` that sends each changed file as a delta against the
    same file in what the remote has."""
    store = repo.object_store

    def generate(have: Iterable[ObjectID], want: Iterable[ObjectID], *, shallow: Any = None,
                 progress: Any = None, ofs_delta: bool = True) -> tuple[int, Iterator[UnpackedObject]]:
        have = list(have)
        missing = list(MissingObjectFinder(store, haves=have, wants=want, shallow=shallow, progress=progress))
        bases = blobs_by_path(repo, have)

        def objects() -> Iterator[UnpackedObject]:
            for object_id, hint in missing:
                item = store[object_id]
                path = hint[1] if hint else None
                base_id = bases.get(path) if path is not None else None
                if isinstance(item, Blob) and base_id is not None and base_id != object_id:
                    delta = as_delta(store[base_id].as_raw_string(), item, base_id)
                    if delta is not None:
                        yield delta
                        continue
                yield full_unpacked_object(item)

        return len(missing), objects()

    return generate
