"""Issue 19 #9: a bundle off a USB stick that is cut short, bit-flipped or incremental (it needs
changes this office has not got) is refused with what to do — exit 1, the catalogue unchanged, and
the whole bundle still received afterwards."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tui import config
from tui.cli import cli
from tui.core.models import Resource
from tui.core.sharing.state import repo_path
from tui.core.store.catalogue import Catalogue

RESOURCES = [Resource(id=f"t-{n}", name=f"テスト窓口{n}", needs=("food",), area="01206", description="説明" * 40)
             for n in range(30)]


@pytest.fixture
def offices(tmp_path, monkeypatch):
    made = []
    for name in ("a", "b"):
        folder = tmp_path / name
        (folder / "home").mkdir(parents=True)
        monkeypatch.setenv("TSUNAGU_HOME", str(folder / "home"))
        config.save(config.Settings(worker=f"worker-{name}"))
        with Catalogue.open(folder / "resources.db") as catalogue:
            if name == "a":
                catalogue.write(RESOURCES, how="edit")
        made.append(folder)
    return made


def run(office: Path, *args: str) -> tuple[int, str]:
    runner = CliRunner(env={"TSUNAGU_HOME": str(office / "home")})
    result = runner.invoke(cli, [*args, "--db", str(office / "resources.db")])
    return result.exit_code, result.output


def names(office: Path) -> list[str]:
    with Catalogue.open(office / "resources.db") as catalogue:
        return sorted(r.name for r in catalogue.resources())


def bundle_out(office: Path, target: Path) -> Path:
    code, out = run(office, "sync", "--bundle-out", str(target))
    assert code == 0, out
    return target


@pytest.mark.parametrize("damage,code,says", [
    (lambda data: data[: len(data) // 2], 1, "途中で切れて"),
    (lambda data: data[:-30], 1, "途中で切れて"),
    (lambda data: data[:200], 1, "バンドル"),
    (lambda data: data[: len(data) // 2] + bytes([data[len(data) // 2] ^ 0xFF]) + data[len(data) // 2 + 1:], 1,
     "壊れて"),
    (lambda data: b"not a bundle at all\n", 2, "読めません"),  # the wrong file given: a usage mistake, as a bad URL
])
def test_a_damaged_bundle_is_refused_and_the_whole_one_still_arrives(offices, tmp_path, damage, code, says):
    a, b = offices
    whole = bundle_out(a, tmp_path / "whole.bundle")
    bad = tmp_path / "bad.bundle"
    bad.write_bytes(damage(whole.read_bytes()))
    exit_code, out = run(b, "sync", "--bundle-in", str(bad))
    assert exit_code == code and says in out and "予期しない" not in out and "Traceback" not in out, out
    assert names(b) == []
    code, out = run(b, "sync", "--bundle-in", str(whole))
    assert code == 0, out
    assert names(b) == names(a)


def test_an_incremental_bundle_says_it_needs_the_earlier_changes(offices, tmp_path, git_command):
    a, b = offices
    first = bundle_out(a, tmp_path / "first.bundle")
    with Catalogue.open(a / "resources.db") as catalogue:
        catalogue.write([catalogue.get("t-1").replace(hours="土日 9:00-12:00")], how="edit")
        repo = repo_path(catalogue)
    bundle_out(a, tmp_path / "second.bundle")
    before = subprocess.run([git_command, "-C", str(repo), "rev-parse", "main~1"], capture_output=True, text=True,
                            check=True).stdout.strip()
    incremental = tmp_path / "incremental.bundle"
    subprocess.run([git_command, "-C", str(repo), "bundle", "create", str(incremental), "main", f"^{before}"],
                   check=True, capture_output=True)
    code, out = run(b, "sync", "--bundle-in", str(incremental))
    assert code == 1 and "続きです" in out and before[:12] in out, out
    assert names(b) == []
    for bundle in (first, incremental):  # in order, both arrive
        code, out = run(b, "sync", "--bundle-in", str(bundle))
        assert code == 0, out
    with Catalogue.open(b / "resources.db") as catalogue:
        assert catalogue.get("t-1").hours == "土日 9:00-12:00"


def test_a_bundle_missing_the_files_its_commit_names_is_refused(offices, tmp_path, git_command):
    """A well-formed bundle whose pack holds the commit but not its tree (a bundle put together by hand)."""
    a, b = offices
    bundle_out(a, tmp_path / "whole.bundle")
    with Catalogue.open(a / "resources.db") as catalogue:
        repo = repo_path(catalogue)
    head = subprocess.run([git_command, "-C", str(repo), "rev-parse", "main"], capture_output=True, text=True,
                          check=True).stdout.strip()
    pack = subprocess.run([git_command, "-C", str(repo), "pack-objects", "--stdout"], input=(head + "\n").encode(),
                          capture_output=True, check=True).stdout
    hollow = tmp_path / "hollow.bundle"
    hollow.write_bytes(f"# v2 git bundle\n{head} refs/heads/main\n\n".encode() + pack)
    code, out = run(b, "sync", "--bundle-in", str(hollow))
    assert code == 1 and "中身の一部がありません" in out, out
    assert names(b) == []
