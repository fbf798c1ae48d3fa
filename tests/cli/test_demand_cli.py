"""Issue 24's done-when: unmet local needs shared between two offices as counts only.

Two offices share one bare repository through a real `git daemon` (the sync fixture). Office A
(share_counts on) refers three clients from 厚岸町 and one from 浜中町 for food to a ★全道 line;
after both sync, office B's `coverage --demand --format json` shows 釧路 × food unmet 4, 厚岸町 3,
浜中町 suppressed — and no object in the repository holds a case reference, a note, a worker's
name or a town count below 3.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from dulwich.objects import Blob, Commit, Tree
from dulwich.repo import Repo

from tui import config
from tui.cli import cli
from tui.core.models import Resource
from tui.core.sharing.stats import HEADER
from tui.core.small_counts import SUPPRESSED
from tui.core.store.catalogue import Catalogue

ROOT = Path(__file__).resolve().parents[2]
HOTLINE = "jp-yorisoi-hotline"  # a ★全道 line in the shipped catalogue
CASES = ("C-2026-101", "C-2026-102", "C-2026-103", "C-2026-104")
NOTE = "ひみつの備考7731"
WORKER_A, WORKER_B = "山田ワーカーA", "佐藤ワーカーB"


@pytest.fixture
def offices(tmp_path, monkeypatch):
    made = {}
    for name, worker, share in (("a", WORKER_A, True), ("b", WORKER_B, False)):
        folder = tmp_path / name
        (folder / "home").mkdir(parents=True)
        shutil.copyfile(ROOT / "resources.db", folder / "resources.db")
        monkeypatch.setenv("TSUNAGU_HOME", str(folder / "home"))
        config.save(config.Settings(worker=worker, office=f"{name}相談室", share_counts=share))
        made[name] = folder
    return made


def run(office: Path, *args: str) -> tuple[int, str]:
    runner = CliRunner(env={"TSUNAGU_HOME": str(office / "home"), "LANG": "ja_JP.UTF-8"})
    result = runner.invoke(cli, [*args, "--db", str(office / "resources.db")])
    return result.exit_code, result.output


def objects(repo: Repo):
    store = repo.object_store
    for sha in store:
        yield store[sha]


def test_two_offices_share_unmet_needs_as_counts_only(offices, git_daemon):
    a, b = offices["a"], offices["b"]
    for office in (a, b):
        code, out = run(office, "sync", "--remote", git_daemon.url)
        assert code == 0, out
    for case, area in zip(CASES, ("厚岸町", "厚岸町", "厚岸町", "浜中町")):
        code, out = run(a, "refer", HOTLINE, "--case", case, "--area", area, "--need", "food", "--note", NOTE)
        assert code == 0, out
    for office in (a, b):
        code, out = run(office, "sync")
        assert code == 0, out

    code, out = run(b, "coverage", "--demand", "--format", "json", "--need", "food")
    assert code == 0, out
    areas = {area["name"]: area["counts"]["food"]["demand"] for area in json.loads(out)["areas"]}
    assert areas["釧路"] == {"unmet": 4, "referred": 4}
    assert areas["厚岸町"] == {"unmet": 3, "referred": 3}
    assert areas["浜中町"] == {"unmet": SUPPRESSED, "referred": SUPPRESSED}
    assert areas["根室市"] == {"unmet": SUPPRESSED, "referred": SUPPRESSED}  # a town's 0 looks like its 1–2
    assert areas["根室"] == {"unmet": 0, "referred": 0}

    # The table names the place where a new resource would help most.
    code, out = run(b, "coverage", "--demand", "--need", "food", "--area", "釧路")
    assert code == 0, out
    assert re.search(r"厚岸町 × 食料支援: 満たされなかった相談 3", out), out
    assert "浜中町 × 食料支援" not in out
    code, page = run(b, "coverage", "--demand", "--need", "food", "--format", "html")
    assert code == 0, page
    assert re.search(r">[^<]*▲4</text>", page) and "新しい資源が最も役立つところ" in page  # in the heat map itself
    assert "<script" not in page

    # B (not sharing) changes the catalogue and syncs: A's folder stays a folder in B's commit.
    with Catalogue.open(b / "resources.db") as catalogue:
        catalogue.write([catalogue.get(HOTLINE).replace(cost="テスト用の費用メモ（B）")], how="edit")
    code, out = run(b, "sync")
    assert code == 0, out
    code, out = run(a, "sync")
    assert code == 0, out
    code, out = run(a, "coverage", "--demand", "--format", "json", "--need", "food")
    assert {area["name"]: area["counts"]["food"]["demand"] for area in json.loads(out)["areas"]}["釧路"] == {
        "unmet": 4, "referred": 4}

    server = Repo(str(git_daemon.base / "shared.git"))
    head = server[server.refs[b"refs/heads/main"]]
    assert WORKER_B in head.author.decode()  # B's commit is the one on top (A had nothing new)
    stats_files = []
    for obj in objects(server):
        raw = obj.as_raw_string()
        text = raw.decode("utf-8", "replace")
        for secret in (*CASES, NOTE):
            assert secret not in text, (obj.type_name, secret)
        if isinstance(obj, (Blob, Tree)):  # commit authors name the worker by the sync's design (SPEC)
            for name in (WORKER_A, WORKER_B, "a相談室", "b相談室"):
                assert name not in text, (obj.type_name, name)
        if isinstance(obj, Blob) and text.startswith(",".join(HEADER)):
            stats_files.append(text)
            for row in csv.DictReader(io.StringIO(text)):
                for measure in ("referred", "unmet"):
                    value = row[measure]
                    if row["municipality"]:
                        assert value == SUPPRESSED or int(value) >= 3, row
                    else:
                        assert value in (SUPPRESSED, "0") or int(value) >= 3, row
        if isinstance(obj, Commit):
            assert NOTE not in obj.message.decode("utf-8", "replace")
    assert stats_files, "office A's counts were never published"
    # The office id is random, never the office's or worker's name; stats/ is a real folder.
    heads = server.refs[b"refs/heads/main"]
    root = server[server[heads].tree]
    folders = server[root[b"stats"][1]]
    assert [re.fullmatch(r"office-[0-9a-f]{10}", e.path.decode()) is not None for e in folders.items()] == [True]
    if shutil.which("git"):
        fsck = subprocess.run(["git", "fsck", "--strict"], cwd=git_daemon.base / "shared.git", capture_output=True,
                              text=True)
        assert fsck.returncode == 0, fsck.stdout + fsck.stderr


def test_office_b_does_not_publish_until_it_opts_in(offices, git_daemon):
    a, b = offices["a"], offices["b"]
    for office in (a, b):
        assert run(office, "sync", "--remote", git_daemon.url)[0] == 0
    assert run(b, "refer", HOTLINE, "--case", "K-1", "--area", "厚岸町", "--need", "food")[0] == 0
    assert run(b, "sync")[0] == 0
    server = Repo(str(git_daemon.base / "shared.git"))
    root = server[server[server.refs[b"refs/heads/main"]].tree]
    assert b"stats" not in root  # A has nothing yet to say beyond an empty log; B did not opt in
    assert not (b / "home" / "settings.toml").read_text(encoding="utf-8").count("office-")


def test_refer_from_tsukigata_to_iwamizawa_pairs_transport(tmp_path, monkeypatch):
    db = tmp_path / "r.db"
    shutil.copyfile(ROOT / "resources.db", db)
    monkeypatch.setenv("TSUNAGU_HOME", str(tmp_path / "home"))
    runner = CliRunner(env={"TSUNAGU_HOME": str(tmp_path / "home")})

    def refer(*args: str) -> str:
        result = runner.invoke(cli, ["refer", "hk-iwamizawa-link", "--db", str(db), *args])
        assert result.exit_code == 0, result.output
        return result.stdout

    out = refer("--case", "T-1", "--area", "月形町")
    assert "月形町を対象とする交通・移動の支援は登録されていません" in out
    assert "交通・移動の支援" not in refer("--case", "T-2", "--area", "岩見沢市")  # same town: nothing to pair
    with Catalogue.open(db) as catalogue:
        catalogue.write([Resource(id="t-bus", name="架空デマンドバス", needs=("transport",), area="01430",
                                  phone="0126-00-0000")], how="edit")
    out = refer("--case", "T-3", "--area", "月形町", "--lang", "en")
    assert "Transport help serving Tsukigata-cho:" in out and "架空デマンドバス" in out and "0126-00-0000" in out
