"""Talking to the shared repository: fetch, push and USB-stick bundles, each bounded in time.

Every way of not reaching it (refused, unknown host, no answer, cut off, too slow) becomes
``Unreachable`` saying how far the exchange got; someone pushing first is ``Rejected`` (fetch
and merge again). Storing what was received is ``gitstore``'s.
"""

from __future__ import annotations

import errno
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

from dulwich.bundle import create_bundle_from_repo, read_bundle, write_bundle
from dulwich.client import get_transport_and_path
from dulwich.errors import GitProtocolError, HangupException, NotGitRepository
from dulwich.file import FileLocked
from dulwich.objects import Commit, ObjectID, Tree
from dulwich.refs import Ref
from dulwich.repo import Repo

from tui.core.files import atomic_write, shared_mode
from tui.core.sharing.gitstore import MAIN, THEIRS, Refused, set_ref, stale_locks

# How long the remote may take to answer a refs request before we call it unreachable.
CONNECT_TIMEOUT = 5.0
# A push's transfer runs on blocking sockets: dulwich writes a pack through an unbuffered socket
# file, and a socket with a timeout may accept only part of a large write (the server then sees a
# broken pack and resets the connection). It is bounded as a whole instead (Timeouts.total).
TRANSFER_TIMEOUT = None


@dataclass(frozen=True, slots=True)
class Timeouts:
    """How long a sync waits for the shared repository (seconds)."""

    connect: float = CONNECT_TIMEOUT  # to connect and read the branch list
    read: float = 60.0  # each read while receiving changes
    total: float = 600.0  # the whole exchange of one sync, every attempt included

    def deadline(self) -> float:
        return time.monotonic() + self.total


def _reached(steps: list[str]) -> str:
    return " → ".join(steps) or "接続前 (before connecting)"


def _within(deadline: float | None, remote: str, reached: list[str], work):
    """``work()`` in a thread of its own, given up (Unreachable, saying how far it got) at the
    deadline: a connection that stalls never holds the sync. A late answer changes nothing here."""
    if deadline is None:
        return work()
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = work()
        except BaseException as e:  # noqa: BLE001 — the edge: handed to the caller below
            box["error"] = e

    thread = threading.Thread(target=run, name="tsunagu-sync-network", daemon=True)
    thread.start()
    thread.join(max(deadline - time.monotonic(), 0.0))
    if thread.is_alive():
        raise Unreachable(f"{remote}: 時間内に終わりませんでした (no answer in time) — 済んだこと (reached): "
                          f"{_reached(reached)}")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box.get("value")


class Unreachable(Exception):
    """The shared repository could not be reached (no network, server down, cut off)."""


class Rejected(Exception):
    """Someone pushed since we fetched: fetch and merge again."""


class BadRemote(Exception):
    """The remote is not a repository we can use."""


_LOCAL = (errno.ENOSPC, errno.EDQUOT, errno.EROFS)  # writing what arrives here failed: not "unreachable"


@contextmanager
def _network(remote: str, timeout: float | None) -> Iterator[None]:
    """Talk to the remote with every socket giving up after ``timeout`` seconds of silence (None: never);
    every failure to reach it (refused, unknown host, no answer, cut off) becomes Unreachable."""
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(timeout)
    try:
        yield
    except OSError as e:
        if e.errno in _LOCAL:  # this computer's disk, not the network: said as what it is (faults.describe)
            raise
        raise Unreachable(f"{remote}: {e or type(e).__name__}") from e
    except (HangupException, GitProtocolError) as e:
        raise Unreachable(f"{remote}: {e or type(e).__name__}") from e
    finally:
        socket.setdefaulttimeout(previous)


def _client(remote: str):
    if "://" not in remote and not remote.startswith("git@"):
        path = Path(remote).expanduser()
        if not path.exists():  # a shared folder or USB stick: the first office makes the repository
            try:
                Repo.init_bare(str(path), mkdir=True)
            except OSError as e:  # its folder is not there (a share not mounted, a USB stick out): not reached
                raise Unreachable(f"{remote}: フォルダに届きません — 共有フォルダや USB メモリがつながっているか"
                                  f"確かめてください (the folder cannot be reached: is the share or stick there?) "
                                  f"[{e.strerror or e}]") from None
        remote = str(path.resolve())
    # GIT_SSH_COMMAND, as git reads it, for an office whose ssh needs more (a key, a jump host).
    ssh = os.environ.get("GIT_SSH_COMMAND") or f"ssh -o ConnectTimeout={int(CONNECT_TIMEOUT)} -o BatchMode=yes"
    try:
        return get_transport_and_path(remote, ssh_command=ssh)
    except ValueError as e:
        raise BadRemote(f"{remote}: {e}") from None


def fetch(repo: Repo, remote: str, timeouts: Timeouts | None = None, deadline: float | None = None,
          coming: Callable[[], None] | None = None) -> str | None:
    """Fetch the remote's main branch; its commit id (None: the remote is still empty). ``coming``
    is called (on the fetch's thread) once the branch list shows changes not here yet.

    Asking for the remote's refs first is the reachability check: it must answer within
    ``timeouts.connect``; each read of the transfer then within ``timeouts.read``, and the whole
    before ``deadline``."""
    timeouts = timeouts or Timeouts()
    client, path = _client(remote)
    reached: list[str] = []

    def work() -> str | None:
        try:
            with _network(remote, timeouts.connect):
                head = client.get_refs(path).refs.get(MAIN)
            reached.append("接続・ブランチ一覧 (connected, branch list read)")
            if head is not None and head not in repo.object_store:
                if coming is not None:
                    coming()
                wanted = [head]
                with _network(remote, timeouts.read):
                    client.fetch(path, repo, determine_wants=lambda refs, depth=None: wanted)
                reached.append("受信 (changes received)")
        except NotGitRepository as e:
            raise BadRemote(f"{remote}: not a git repository ({e})") from None
        except Unreachable as e:
            raise Unreachable(f"{e} — 済んだこと (reached): {_reached(reached)}") from e
        return head.decode() if head else None

    head = _within(deadline, remote, reached, work)
    set_ref(repo, THEIRS, head)
    return head


def push(repo: Repo, remote: str, commit_id: str, expected: str | None, deadline: float | None = None) -> None:
    """Move the remote's main from ``expected`` to ``commit_id``, or raise Rejected if it moved."""

    def update_refs(refs: dict[Ref, ObjectID]) -> dict[Ref, ObjectID]:
        current = refs.get(MAIN)
        if (current.decode() if current else None) != expected:
            raise Rejected(f"{remote}: main moved to {current!r}")
        return {**refs, MAIN: ObjectID(commit_id.encode())}

    client, path = _client(remote)
    reached = ["受信・マージ (received and merged)"]

    from dulwich.client import LocalGitClient

    from tui.core.sharing.thinpack import thin_pack_data

    # Over a wire, each changed file goes as a delta against the remote's copy (kilobytes for an edit).
    generate = repo.generate_pack_data if isinstance(client, LocalGitClient) else thin_pack_data(repo)

    def work():
        with _network(remote, TRANSFER_TIMEOUT):
            return client.send_pack(path, update_refs, generate)

    try:
        result = _within(deadline, remote, reached, work)
    except FileLocked as e:  # a shared folder: we see the lock ourselves
        lock = Path(os.fsdecode(e.args[1])) if len(e.args) > 1 else Path(path) / "refs" / "heads" / "main.lock"
        if lock in stale_locks(Path(os.fsdecode(path))):
            raise Refused(
                f"{remote}: 共有リポジトリに、止まった同期の古いロックがあります (a stale lock left by a sync that "
                f"was stopped) — 消すには (to clear it): rm {lock}"
            ) from None
        raise Rejected(f"{remote}: another office is writing") from None
    error = (result.ref_status or {}).get(MAIN)
    if error and b"lock" in (error if isinstance(error, bytes) else str(error).encode()):
        raise Refused(
            f"{remote}: 共有リポジトリの main をロックできません (the repository could not lock main: {error!r}) — "
            "1分以上続くなら、管理者がサーバーで rm <リポジトリ>/refs/heads/main.lock を (if it lasts over a "
            "minute, the keeper removes refs/heads/main.lock on the server)"
        )
    if error:
        raise Rejected(f"{remote}: {error}")
    set_ref(repo, THEIRS, commit_id)


def write_bundle_file(repo: Repo, commit_id: str, target: Path) -> None:
    """A bundle of the whole history up to ``commit_id`` (for a USB stick)."""
    set_ref(repo, MAIN, commit_id)
    bundle = create_bundle_from_repo(repo, refs=[MAIN])
    atomic_write(
        target, lambda f: write_bundle(cast(BinaryIO, f), bundle), mode=shared_mode(), text=False
    )  # whole or none


def read_bundle_file(repo: Repo, source: Path) -> str:
    """Store a bundle's objects; the commit its main points at.

    A file that is no bundle is a ``BadRemote`` (a usage mistake, as a bad URL); a damaged, cut-short or
    incremental one (it needs commits this office has not got) is ``Refused`` with what to do. Objects
    stored before the damage was found are unreferenced and harmless."""
    import struct
    import zlib

    from dulwich.errors import ApplyDeltaError, ChecksumMismatch
    from dulwich.pack import UnresolvedDeltas

    damaged = (ValueError, AssertionError, EOFError, KeyError, zlib.error, struct.error, ApplyDeltaError,
               ChecksumMismatch, TypeError, UnresolvedDeltas)
    again = ("送り元に tsunagu sync --bundle-out で作り直してもらってください "
             "(ask the other office to write it again with tsunagu sync --bundle-out)")
    with open(source, "rb") as f:
        try:
            bundle = read_bundle(f)
        except damaged as e:
            raise BadRemote(f"{source}: Tsunagu のバンドルとして読めません "
                            f"(not a bundle Tsunagu can read: {e})") from None
        with bundle:
            head = bundle.references.get(MAIN)
            if head is None:
                raise BadRemote(f"{source}: バンドルに main がありません (the bundle has no main branch)")
            missing = [sha for sha, _ in bundle.prerequisites if sha not in repo.object_store]
            if missing:
                raise Refused(f"{source}: このバンドルは、この事務所にまだ無い変更 ({missing[0].decode()[:12]}) "
                              "の続きです "
                              f"(an incremental bundle: it needs earlier changes this office does not have) — {again}")
            try:
                _store(bundle, repo)
            except damaged as e:
                raise Refused(f"{source}: バンドルが壊れているか途中で切れています "
                              f"(the bundle is damaged or cut short: {e}) — {again}") from None
    if not _whole(repo, ObjectID(head)):
        raise Refused(f"{source}: バンドルが壊れています。中身の一部がありません (the bundle is damaged: some of its "
                      f"contents are missing) — {again}")
    return head.decode()


def _store(bundle, repo: Repo) -> None:
    """The bundle's objects into the repository. ``git bundle create`` writes an incremental bundle as a
    thin pack (deltas against commits the receiver has): those bases are looked up here."""
    from dulwich.pack import PackData, PackInflater

    if not isinstance(bundle.pack_data, PackData):
        raise ValueError("the bundle holds no pack")
    store = repo.object_store
    for item in PackInflater.for_pack_data(bundle.pack_data, resolve_ext_ref=store.get_raw):
        store.add_object(item)


def _whole(repo: Repo, head: ObjectID) -> bool:
    """The head commit, its tree and everything the tree names are all in the object store."""
    store = repo.object_store
    if head not in store:
        return False
    commit = store[head]
    if not isinstance(commit, Commit):
        return False
    waiting = [commit.tree]
    while waiting:
        sha = waiting.pop()
        if sha not in store:
            return False
        item = store[sha]
        if isinstance(item, Tree):
            waiting.extend(entry.sha for entry in item.iteritems())
    return True
