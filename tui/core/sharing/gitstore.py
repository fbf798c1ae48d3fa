"""Git as storage for the shared package, through dulwich (no system git); talking to the
shared repository (fetch, push, bundles) is ``exchange.py``'s.

Each catalogue keeps a bare repository beside it (``resources.db`` → ``resources.db.sync``)
holding the package's history. Git stores (here) and moves (exchange.py); Tsunagu merges records (sync.py).
Nothing here knows about resources: files in, files out.
"""

from __future__ import annotations

import binascii
import hashlib
import time
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from dulwich.graph import can_fast_forward, find_merge_base
from dulwich.objects import Blob, Commit, ObjectID, Tree
from dulwich.pack import REF_DELTA, apply_delta
from dulwich.refs import Ref
from dulwich.repo import Repo

MAIN = Ref(b"refs/heads/main")
THEIRS = Ref(b"refs/remotes/origin/main")
class Refused(Exception):
    """The shared repository holds something that is not a Tsunagu package: nothing was written."""


# A package's entries: plain files with plain names at the top (no folders, links, hidden names).
_REGULAR = (0o100644, 0o100755)
PACKAGE_FILES = ("datapackage.json", "services.csv")
STATS_FOLDER = "stats"  # the offices' shared monthly counts (issue 24), the one folder a package may hold
_FOLDER = 0o040000


def check_package(repo: Repo, commit_id: str | None, where: str) -> None:
    """Refuse, by name, a tree that is not a Tsunagu package or holds entries that are not plain
    files in known places (a symlink, a folder, ``.git/…``, ``../x``) — before anything is written."""
    if not commit_id:
        return
    commit = repo[commit_id.encode()]
    assert isinstance(commit, Commit)
    tree = repo[commit.tree]
    assert isinstance(tree, Tree)
    entries = {entry.path.decode("utf-8", "replace"): entry.mode for entry in tree.items()}
    missing = [name for name in PACKAGE_FILES if name not in entries]  # (a folder named so counts as there)
    if missing:
        raise Refused(f"{where}: つなぐのパッケージではありません (not a Tsunagu package: no {', '.join(missing)}) — "
                      "別のリポジトリを指定してください (give the shared repository's address); 何も書き込んでいません "
                      "(nothing written)")
    wrong = [name for name, mode in entries.items()
             if not (name == STATS_FOLDER and mode == _FOLDER)
             and (mode not in _REGULAR or name.startswith(".") or "/" in name or "\\" in name
                  or not (name.endswith((".csv", ".json", ".md", ".txt")) or name in ("LICENSE",)))]
    if STATS_FOLDER in entries and entries[STATS_FOLDER] == _FOLDER:
        wrong += _wrong_stats(repo, tree, STATS_FOLDER)
    if wrong:
        kinds = {0o120000: "symlink", 0o040000: "folder", 0o160000: "submodule"}
        named = ", ".join(
            f"{name!r} ({kinds.get(entries[name], 'not a plain file')})"
            if name in entries and entries[name] not in _REGULAR
            else repr(name)
            for name in sorted(wrong)[:5]
        )
        raise Refused(
            f"{where}: パッケージにない種類の項目があります (entries that are not plain package files): {named} — "
            "共有リポジトリの管理者が取り除いてください (the repository's keeper removes them); 何も書き込んでいません"
        )


def _wrong_stats(repo: Repo, tree: Tree, folder: str) -> list[str]:
    """``stats/OFFICE/YYYY-MM.csv`` (the offices' shared counts, issue 24): one level of office
    folders holding plain .csv files, nothing else."""
    wrong: list[str] = []
    stats_tree = repo[tree[folder.encode()][1]]
    assert isinstance(stats_tree, Tree)
    for office in stats_tree.items():
        office_name = office.path.decode("utf-8", "replace")
        if office.mode != _FOLDER or office_name.startswith(".") or "\\" in office_name:
            wrong.append(f"{folder}/{office_name}")
            continue
        inner = repo[office.sha]
        assert isinstance(inner, Tree)
        for entry in inner.items():
            name = entry.path.decode("utf-8", "replace")
            if entry.mode not in _REGULAR or name.startswith(".") or not name.endswith(".csv"):
                wrong.append(f"{folder}/{office_name}/{name}")
    return wrong


@dataclass(frozen=True, slots=True)
class CommitInfo:
    id: str
    author: str
    time: str


# A ref lock older than this was left by a git process that was stopped (a lock lives milliseconds).
STALE_LOCK = 60.0


def stale_locks(path: Path) -> list[Path]:
    now = time.time()
    found = []
    for lock in (path / "refs").rglob("*.lock") if (path / "refs").is_dir() else ():
        try:
            if now - lock.stat().st_mtime > STALE_LOCK:
                found.append(lock)
        except OSError:
            continue
    return found


def open_repo(path: Path) -> Repo:
    """The catalogue's own bare repository (made on first use). A stale ref lock in it, left by a
    sync of ours that was stopped, is cleared (no one else writes this repository)."""
    for lock in stale_locks(path):
        lock.unlink(missing_ok=True)
    if not (path / "objects").is_dir():
        path.mkdir(parents=True, exist_ok=True)
        repo = Repo.init_bare(str(path))
        config = repo.get_config()
        # CSVs of tens of MB: fast compression costs a little space here and saves seconds per sync.
        config.set((b"core",), b"compression", b"1")
        config.write_to_path()
        repo.close()
    repo = Repo(str(path))
    _plain_first(repo)
    return repo


def _checked_copy(folder: Path, hexsha: bytes) -> bytes | None:
    """The plain copy of this blob in ``folder``, if there is one and it still hashes to its name."""
    try:
        data: bytes | None = (folder / hexsha.decode()).read_bytes()
    except OSError:
        data = None
    return data if data is not None and _blob_id(data) == hexsha else None


def _blob_id(data: bytes) -> bytes:
    """The id git gives these bytes as a blob (hex), without copying them into a Blob."""
    check = hashlib.sha1(b"blob %d\x00" % len(data))
    check.update(data)
    return check.hexdigest().encode()


def _delta_on_plain_copy(repo: Repo, sha: ObjectID) -> bytes | None:
    """A blob stored as a delta against one we keep a plain copy of — what a received one-field
    edit is — rebuilt from the copy and the delta: kilobytes inflated instead of the tens of MB
    of its base, which the pack holds compressed. None when it is stored otherwise."""
    for pack in repo.object_store.packs:
        if sha in pack:
            unpacked = pack.get_unpacked_object(sha)
            if unpacked.pack_type_num != REF_DELTA or not isinstance(unpacked.delta_base, bytes):
                return None
            base = _checked_copy(_plain_copies(repo), binascii.hexlify(unpacked.delta_base))
            if base is None:
                return None
            data = apply_delta(base, unpacked.decomp_chunks)  # the delta the pack's index named ``sha``
            return b"".join(data) if isinstance(data, list) else data
    return None


def _plain_first(repo: Repo) -> None:
    """Let the object store read a blob of the last synced package from its plain copy. A received
    thin pack's deltas are against exactly those blobs, and dulwich reads each base twice (to index
    the pack, then to append the base so the pack stands alone): from the pack that is inflating a
    delta chain of tens of MB each time; from the copy, a file read. The copy is checked against
    its id first, since what is read here is written into the repository for good, and the last one
    checked is kept for dulwich's second read. (The store is held weakly: a store holding itself
    would outlive the sync with its packs open.)"""
    folder, store = _plain_copies(repo), weakref.ref(repo.object_store)
    packed = type(repo.object_store).get_raw
    last: dict[bytes, bytes] = {}

    def get_raw(name: bytes) -> tuple[int, bytes]:
        hexsha = name if len(name) == 40 else binascii.hexlify(name)
        data = last.get(hexsha)
        if data is None and (data := _checked_copy(folder, hexsha)) is not None:
            last.clear()
            last[hexsha] = data
        return (Blob.type_num, data) if data is not None else packed(store(), name)  # type: ignore[arg-type]

    repo.object_store.get_raw = get_raw  # type: ignore[method-assign]


class TreeFiles(Mapping[str, bytes]):
    """The package at a commit, file name → bytes, each blob read only when asked for
    (and once, through ``cache``, when two commits share it)."""

    def __init__(self, repo: Repo, commit_id: str | None, cache: dict[ObjectID, bytes]):
        self.repo = repo
        self.cache = cache
        self.ids: dict[str, ObjectID] = {}
        if commit_id:
            commit = repo[commit_id.encode()]
            assert isinstance(commit, Commit)
            tree = repo[commit.tree]
            assert isinstance(tree, Tree)
            self.ids = {entry.path.decode(): entry.sha for entry in tree.items()}

    def __getitem__(self, name: str) -> bytes:
        sha = self.ids[name]
        if sha not in self.cache:
            self.cache[sha] = _from_plain_copy(self.repo, sha) or self._inflate(sha)
        return self.cache[sha]

    def _inflate(self, sha: ObjectID) -> bytes:
        on_copy = _delta_on_plain_copy(self.repo, sha)
        if on_copy is not None:
            return on_copy
        blob = self.repo[sha]
        assert isinstance(blob, Blob)
        return blob.as_raw_string()

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def same_as(self, other: TreeFiles) -> list[str]:
        """Files whose blob is the same in both (no need to read them)."""
        return [name for name, sha in self.ids.items() if other.ids.get(name) == sha]


def tree_id(repo: Repo, commit_id: str | None) -> str | None:
    if not commit_id:
        return None
    commit = repo[commit_id.encode()]
    assert isinstance(commit, Commit)
    return commit.tree.decode()


def _plain_copies(repo: Repo) -> Path:
    return Path(repo.controldir()) / "tsunagu-plain"


def _from_plain_copy(repo: Repo, sha: ObjectID) -> bytes | None:
    """A blob of the last synced package, kept uncompressed beside the repository (written whole
    by rename, named by its id): reading it is a file read instead of inflating tens of MB."""
    try:
        return (_plain_copies(repo) / sha.decode()).read_bytes()
    except OSError:
        return None


def keep_plain_copies(repo: Repo, files: TreeFiles, changes: Mapping[str, bytes]) -> None:
    """Keep the package at the new head uncompressed (what we hold in memory), drop older copies."""
    folder = _plain_copies(repo)
    folder.mkdir(exist_ok=True)
    known = {sha: files.cache[sha] for name, sha in files.ids.items() if name not in changes and sha in files.cache}
    known.update((Blob.from_string(data).id, data) for data in changes.values())
    keep = {sha.decode() for name, sha in files.ids.items() if name not in changes} | {s.decode() for s in known}
    for old in folder.iterdir():
        if old.name not in keep:
            old.unlink()
    for sha, data in known.items():
        target = folder / sha.decode()
        if not target.exists():
            partial = folder / (sha.decode() + ".partial")
            partial.write_bytes(data)
            partial.replace(target)


def write_tree(repo: Repo, unchanged: Mapping[str, ObjectID], changes: Mapping[str, bytes]) -> str:
    """Store a flat tree: ``unchanged`` (name → blob id) with ``changes`` (name → bytes) written over it."""
    tree = Tree()
    store = repo.object_store
    entries = dict(unchanged)
    for name, data in changes.items():
        blob = Blob.from_string(data)
        if blob.id not in store:
            store.add_object(blob)
        entries[name] = blob.id
    for name in sorted(entries):
        tree.add(name.encode(), 0o100644, entries[name])
    store.add_object(tree)
    return tree.id.decode()


def new_head(repo: Repo, tree: str, head: str | None, theirs: str | None, author: str, message: str) -> str:
    """Theirs or ours when the tree is already theirs or ours (no empty commit), else a new commit on both."""
    if theirs and tree == tree_id(repo, theirs):
        return theirs
    if head and tree == tree_id(repo, head) and (not theirs or is_ancestor(repo, theirs, head)):
        return head
    parents = [p for p in (theirs, head) if p]
    if theirs and head and is_ancestor(repo, head, theirs):
        parents = [theirs]
    return write_commit(repo, tree, list(dict.fromkeys(parents)), author, message)


def write_commit(repo: Repo, tree: str, parents: list[str], author: str, message: str) -> str:
    commit = Commit()
    commit.tree = ObjectID(tree.encode())
    commit.parents = [ObjectID(p.encode()) for p in parents]
    commit.author = commit.committer = author.encode("utf-8")
    commit.author_time = commit.commit_time = int(time.time())
    commit.author_timezone = commit.commit_timezone = 9 * 3600  # Japan
    commit.encoding = b"UTF-8"
    commit.message = message.encode("utf-8")
    repo.object_store.add_object(commit)
    return commit.id.decode()


def commit_info(repo: Repo, commit_id: str) -> CommitInfo:
    commit = repo[commit_id.encode()]
    assert isinstance(commit, Commit)
    author = commit.author.decode("utf-8", "replace").split(" <")[0]
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S+09:00", time.gmtime(commit.author_time + 9 * 3600))
    return CommitInfo(commit_id, author, stamp)


def merge_base(repo: Repo, mine: str | None, theirs: str | None) -> str | None:
    if not mine or not theirs:
        return None
    bases = find_merge_base(repo, [ObjectID(mine.encode()), ObjectID(theirs.encode())])
    return bases[0].decode() if bases else None


def is_ancestor(repo: Repo, older: str, newer: str) -> bool:
    return older == newer or can_fast_forward(repo, ObjectID(older.encode()), ObjectID(newer.encode()))


def set_ref(repo: Repo, ref: Ref, commit_id: str | None) -> None:
    if commit_id:
        repo.refs[ref] = ObjectID(commit_id.encode())
