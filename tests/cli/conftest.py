"""A real shared repository for the sync tests: a bare git repository served by `git daemon`
on 127.0.0.1, started on a free port and stopped by its PID."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class GitDaemon:
    base: Path
    port: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"git://127.0.0.1:{self.port}/shared.git"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["git", "daemon", "--verbose", "--reuseaddr", "--export-all", "--enable=receive-pack",
             "--listen=127.0.0.1", f"--port={self.port}", f"--base-path={self.base}", str(self.base)],
            stderr=subprocess.PIPE, text=True,
        )
        assert self.process.stderr is not None
        for line in self.process.stderr:  # waits for the daemon to say it listens; no sleeping
            if "Ready to rumble" in line:
                break
        else:
            raise RuntimeError("git daemon did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            self.process.wait()
            if self.process.stderr:
                self.process.stderr.close()
        self.process = None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def git_daemon(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("the git command serves the test repository")
    base = tmp_path / "server"
    base.mkdir()
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(base / "shared.git")], check=True)
    daemon = GitDaemon(base, free_port())
    daemon.start()
    yield daemon
    daemon.stop()
