"""Issue 20 item 7: a one-field edit pushes kilobytes, not the whole package. Two offices share a
repository served by a real `git daemon` on 127.0.0.1; a counting TCP proxy in front of it measures
the bytes office A sends when it pushes one edited field, beside the size of the services.csv blob
that a full pack would carry. Then office B receives the edit through the daemon (the thin pack was
completed by git's own receive-pack) and `git fsck` finds the repository whole."""

from __future__ import annotations

import hashlib
import socket
import subprocess
import threading

import pytest

from tui.core.models import Resource
from tui.core.sharing.sync import sync
from tui.core.store.catalogue import Catalogue

# Text that compresses about as badly as real descriptions do (a repeated sentence would shrink to nothing).
RESOURCES = [Resource(id=f"t-{n:04d}", name=f"テスト窓口{n}", needs=("food",), area="01206",
                      description=hashlib.sha256(str(n).encode()).hexdigest() * 3, phone=f"0154-00-{n:04d}")
             for n in range(1500)]


class CountingProxy:
    """127.0.0.1:port → the daemon; counts the bytes clients send. Stopped by the test."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.sent = 0
        self.lock = threading.Lock()
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.1)
        self.port = self.server.getsockname()[1]
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                client, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()

    def _pipe(self, source: socket.socket, target: socket.socket, count: bool) -> None:
        try:
            while data := source.recv(65536):
                if count:
                    with self.lock:
                        self.sent += len(data)
                target.sendall(data)
        except OSError:
            pass
        finally:
            try:
                target.shutdown(socket.SHUT_WR)  # pass the half-close on; the other direction carries on
            except OSError:
                pass

    def stop(self) -> None:
        self.stopped.set()
        self.server.close()
        self.thread.join()


@pytest.fixture
def proxy(git_daemon):
    counting = CountingProxy(git_daemon.port)
    yield counting
    counting.stop()


def test_a_one_field_edit_pushes_kilobytes(tmp_path, git_daemon, proxy, git_command):
    url = f"git://127.0.0.1:{proxy.port}/shared.git"
    with Catalogue.open(tmp_path / "a.db") as a, Catalogue.open(tmp_path / "b.db") as b:
        a.write(RESOURCES, how="edit")
        sync(a, author="a <>", remote=url)
        sync(b, author="b <>", remote=url)
        a.write([a.get("t-0700").replace(description="土日も開いています。")], how="edit")  # a services.csv line
        before = proxy.sent
        report = sync(a, author="a <>")
        pushed = proxy.sent - before
        assert report.pushed
        services = subprocess.run([git_command, "-C", str(git_daemon.base / "shared.git"), "cat-file", "-s",
                                   "main:services.csv"], capture_output=True, text=True, check=True)
        whole = int(services.stdout)
        assert whole > 300_000  # a full pack would carry this, compressed to well over 64 KB
        assert pushed < 64 * 1024, f"{pushed:,} bytes pushed for one field (services.csv is {whole:,})"
        assert sync(b, author="b <>").received == ["t-0700"]
        assert b.get("t-0700").description == "土日も開いています。"
    fsck = subprocess.run([git_command, "-C", str(git_daemon.base / "shared.git"), "fsck", "--strict"],
                          capture_output=True, text=True)
    assert fsck.returncode == 0, fsck.stdout + fsck.stderr


def test_a_received_edit_is_rebuilt_on_the_plain_copy_never_on_a_damaged_one(tmp_path, git_daemon, monkeypatch):
    """Receiving a one-field edit costs what changed: the thin pack's base and the new services.csv are
    both made from the plain copy of the package B holds, never inflated out of a pack; a plain copy
    that no longer hashes to its name is not used (the pack is read instead, and B gets the edit)."""
    from dulwich.pack import Pack

    from tui.core.sharing.state import repo_path

    url = f"git://127.0.0.1:{git_daemon.port}/shared.git"
    read_from_packs: list[bytes] = []
    get_raw = Pack.get_raw

    def spying(pack, sha):
        read_from_packs.append(sha if len(sha) == 40 else sha.hex().encode())
        return get_raw(pack, sha)

    def services_blob(repo: str) -> bytes:
        return subprocess.run(["git", "--git-dir", repo, "rev-parse", "main:services.csv"], capture_output=True,
                              check=True).stdout.strip()

    with Catalogue.open(tmp_path / "a.db") as a, Catalogue.open(tmp_path / "b.db") as b:
        a.write(RESOURCES, how="edit")
        sync(a, author="a <>", remote=url)
        sync(b, author="b <>", remote=url)
        monkeypatch.setattr(Pack, "get_raw", spying)
        for n, damaged in ((700, False), (701, True)):
            base = services_blob(str(git_daemon.base / "shared.git"))
            if damaged:
                copy = repo_path(b) / "tsunagu-plain" / base.decode()
                copy.write_bytes(copy.read_bytes().replace(b"t-0", b"x-0", 1))
            a.write([a.get(f"t-{n:04d}").replace(description=f"土日も開いています{n}。")], how="edit")
            sync(a, author="a <>")
            read_from_packs.clear()
            assert sync(b, author="b <>").received == [f"t-{n:04d}"]
            assert b.get(f"t-{n:04d}").description == f"土日も開いています{n}。"
            new = services_blob(str(git_daemon.base / "shared.git"))
            if damaged:
                assert base in read_from_packs  # the base came out of the pack, whole and right
            else:
                assert base not in read_from_packs and new not in read_from_packs
