"""`tsunagu sync` and `tsunagu conflicts` against a real `git daemon`: three offices, conflicts,
a cut connection, bundles, no network, and nothing private in the repository's history."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tui import config
from tui.cli import cli
from tui.core.models import Resource
from tui.core.public import public_view
from tui.core.sharing import exchange
from tui.core.sharing.merge import record
from tui.core.store.catalogue import Catalogue

ROOT = Path(__file__).resolve().parents[2]
OFFICES = ("kushiro", "asahikawa", "hakodate")


@pytest.fixture
def offices(tmp_path, monkeypatch):
    """Three offices, each with its own copy of the shipped catalogue and its own data folder."""
    made = {}
    for name in OFFICES:
        folder = tmp_path / name
        (folder / "home").mkdir(parents=True)
        shutil.copyfile(ROOT / "resources.db", folder / "resources.db")
        monkeypatch.setenv("TSUNAGU_HOME", str(folder / "home"))
        config.save(config.Settings(worker=f"worker-{name}", office=f"{name} office"))
        made[name] = folder
    return made


def run(office: Path, *args: str) -> tuple[int, str]:
    """A command as the office's worker would run it (their data folder and settings)."""
    runner = CliRunner(env={"TSUNAGU_HOME": str(office / "home")})
    result = runner.invoke(cli, [*args, "--db", str(office / "resources.db")])
    return result.exit_code, result.output


def edit(office: Path, resource_id: str, **changes) -> None:
    with Catalogue.open(office / "resources.db") as catalogue:
        current = catalogue.get(resource_id)
        catalogue.write([current.replace(**changes) if current else Resource(id=resource_id, **changes)], how="edit")


def public(office: Path) -> dict[str, dict[str, str]]:
    with Catalogue.open(office / "resources.db") as catalogue:
        return {r.id: record(public_view(r)) for r in catalogue.resources()}


def conflicts(office: Path) -> list[dict]:
    code, out = run(office, "conflicts", "--json")
    assert code == 0, out
    return json.loads(out)


def test_three_offices_converge_and_a_conflict_is_resolved_from_one(offices, git_daemon):
    kushiro, asahikawa, hakodate = (offices[n] for n in OFFICES)
    for office in (kushiro, asahikawa, hakodate):
        code, out = run(office, "sync", "--remote", git_daemon.url)
        assert code == 0, out
    ids = sorted(public(kushiro))
    same, other, third = ids[0], ids[1], ids[2]
    edit(kushiro, same, hours="月–金 9:00–17:00")
    edit(asahikawa, same, hours="火–土 10:00–16:00")  # the same field: a conflict
    edit(asahikawa, other, cost="無料（要予約）")
    edit(hakodate, third, status="paused")
    edit(hakodate, "new-hakodate-1", name="函館テスト窓口", needs=("food",), area="01202")
    for office in (kushiro, asahikawa, hakodate, kushiro, asahikawa):
        code, out = run(office, "sync")
        assert code == 0, out
    states = {name: public(offices[name]) for name in OFFICES}
    assert states["kushiro"] == states["hakodate"]
    differing = {(rid, f) for rid, rec in states["asahikawa"].items() for f, v in rec.items()
                 if states["kushiro"].get(rid, {}).get(f) != v}
    assert differing == {(same, "hours")}
    assert states["kushiro"][same]["hours"] == "月–金 9:00–17:00"
    assert states["kushiro"][other]["cost"] == "無料（要予約）"
    assert states["kushiro"][third]["status"] == "paused"
    assert states["asahikawa"]["new-hakodate-1"]["name"] == "函館テスト窓口"
    found = conflicts(asahikawa)
    assert [(c["id"], c["field"], c["mine"], c["theirs"]) for c in found] == [
        (same, "hours", "火–土 10:00–16:00", "月–金 9:00–17:00")]
    assert conflicts(kushiro) == [] and conflicts(hakodate) == []
    code, out = run(asahikawa, "conflicts", "--take", "mine", same, "hours")
    assert code == 0, out
    for office in (asahikawa, kushiro, hakodate):
        assert run(office, "sync")[0] == 0
    states = [public(offices[n]) for n in OFFICES]
    assert states[0] == states[1] == states[2]
    assert states[0][same]["hours"] == "火–土 10:00–16:00"
    assert all(conflicts(offices[n]) == [] for n in OFFICES)


def test_taking_theirs_resolves_with_the_other_value(offices, git_daemon):
    kushiro, asahikawa = offices["kushiro"], offices["asahikawa"]
    for office in (kushiro, asahikawa):
        assert run(office, "sync", "--remote", git_daemon.url)[0] == 0
    rid = sorted(public(kushiro))[0]
    edit(kushiro, rid, cost="A")
    edit(asahikawa, rid, cost="B")
    assert run(kushiro, "sync")[0] == 0
    assert run(asahikawa, "sync")[0] == 0
    assert run(asahikawa, "conflicts", "--take", "theirs", rid, "cost")[0] == 0
    assert run(asahikawa, "sync")[0] == 0 and run(kushiro, "sync")[0] == 0
    assert public(asahikawa) == public(kushiro) and public(kushiro)[rid]["cost"] == "A"
    assert run(asahikawa, "conflicts", "--take", "theirs", rid, "cost")[0] == 2


def test_the_daemon_stopped_mid_sync_and_the_next_sync_completes(offices, git_daemon, monkeypatch):
    kushiro, asahikawa = offices["kushiro"], offices["asahikawa"]
    assert run(kushiro, "sync", "--remote", git_daemon.url)[0] == 0
    assert run(asahikawa, "sync", "--remote", git_daemon.url)[0] == 0
    rid = sorted(public(kushiro))[0]
    edit(kushiro, rid, hours="朝だけ")
    real_push = exchange.push

    def cut_then_push(*args, **kwargs):
        git_daemon.stop()  # the server goes away after the fetch, before the push
        return real_push(*args, **kwargs)

    monkeypatch.setattr(exchange, "push", cut_then_push)
    code, out = run(kushiro, "sync")
    assert code == 1 and "cannot reach" in out
    monkeypatch.setattr(exchange, "push", real_push)
    assert public(kushiro)[rid]["hours"] == "朝だけ"  # the catalogue is whole
    git_daemon.start()
    assert run(kushiro, "sync")[0] == 0
    assert run(asahikawa, "sync")[0] == 0
    assert public(asahikawa)[rid]["hours"] == "朝だけ"
    assert public(asahikawa) == public(kushiro)


def test_no_network_fails_with_exit_1_and_changes_nothing(offices, git_daemon):
    kushiro = offices["kushiro"]
    assert run(kushiro, "sync", "--remote", git_daemon.url)[0] == 0
    edit(kushiro, "new-1", name="新しい窓口")
    before = (kushiro / "resources.db").read_bytes()
    git_daemon.stop()
    code, out = run(kushiro, "sync")
    assert code == 1
    assert "共有先に接続できません" in out and "Traceback" not in out
    assert (kushiro / "resources.db").read_bytes() == before
    code, out = run(offices["asahikawa"], "sync")
    assert code == 2 and "--remote" in out


def test_a_usb_stick_bundle_carries_changes_both_ways(offices, tmp_path):
    kushiro, hakodate = offices["kushiro"], offices["hakodate"]
    stick = tmp_path / "stick"
    stick.mkdir()
    edit(kushiro, "k-1", name="釧路の新しい窓口")
    assert run(kushiro, "sync", "--bundle-out", str(stick / "kushiro.bundle"))[0] == 0
    assert run(hakodate, "sync", "--bundle-in", str(stick / "kushiro.bundle"))[0] == 0
    edit(hakodate, "h-1", name="函館の新しい窓口")
    assert run(hakodate, "sync", "--bundle-out", str(stick / "hakodate.bundle"))[0] == 0
    assert run(kushiro, "sync", "--bundle-in", str(stick / "hakodate.bundle"))[0] == 0
    assert public(kushiro) == public(hakodate)
    assert public(kushiro)["h-1"]["name"] == "函館の新しい窓口"


def test_a_shared_folder_path_works_as_a_remote(offices, tmp_path):
    shared = tmp_path / "shared-folder" / "catalogue.git"
    shared.parent.mkdir()
    kushiro, hakodate = offices["kushiro"], offices["hakodate"]
    edit(kushiro, "k-2", name="フォルダ経由")
    assert run(kushiro, "sync", "--remote", str(shared))[0] == 0
    code, out = run(hakodate, "sync", "--remote", str(shared), "--json")
    assert code == 0 and json.loads(out)["received"] == ["k-2"]


def test_nothing_private_ever_enters_the_repository(offices, git_daemon):
    kushiro, asahikawa = offices["kushiro"], offices["asahikawa"]
    secrets = ["札幌市北区秘密通7-7-7", "001-0099", "裏の駐車場から", "DV避難中のかた専用",
               "C-2026-0417", "本人は夫から逃れて", "ケース記録ひみつ"]
    edit(kushiro, "dv-shelter", name="北のシェルター", needs=("shelter", "dv"), area="01100", confidential=True,
         address=secrets[0], postal_code=secrets[1], transport=secrets[2], notes=secrets[3], phone="011-555-0199")
    assert run(kushiro, "sync", "--remote", git_daemon.url)[0] == 0
    code, out = run(kushiro, "refer", "dv-shelter", "--case", secrets[4], "--note", secrets[5])
    assert code == 0, out
    with Catalogue.open(kushiro / "resources.db") as catalogue:
        rid = catalogue.ids()[0]
    code, out = run(kushiro, "refer", rid, "--case", secrets[4], "--note", secrets[6])
    assert code == 0, out
    edit(kushiro, "dv-shelter", hours="24時間", notes=secrets[3] + "（更新）")
    assert run(kushiro, "sync")[0] == 0
    assert run(asahikawa, "sync", "--remote", git_daemon.url)[0] == 0
    edit(asahikawa, "dv-shelter", cost="無料")
    assert run(asahikawa, "sync")[0] == 0
    assert run(kushiro, "sync")[0] == 0
    with Catalogue.open(kushiro / "resources.db") as catalogue:
        assert catalogue.get("dv-shelter").address == secrets[0]  # still here, locally
        assert catalogue.get("dv-shelter").cost == "無料"
    repository = git_daemon.base / "shared.git"
    objects = subprocess.run(["git", "-C", str(repository), "rev-list", "--all", "--objects"],
                             capture_output=True, text=True, check=True).stdout.split()
    blobs = [o for o in objects if len(o) == 40]
    texts = [subprocess.run(["git", "-C", str(repository), "cat-file", "-p", o], capture_output=True,
                            check=True).stdout.decode("utf-8", "replace") for o in blobs]
    assert any("北のシェルター" in t for t in texts)  # the package is there
    worker_settings = (kushiro / "home" / "settings.toml").read_text(encoding="utf-8")
    for secret in secrets:
        assert not any(secret in t for t in texts), secret
    assert not any(worker_settings in t for t in texts)


def test_an_open_conflict_follows_the_other_office_and_closes_when_they_agree(offices, tmp_path):
    shared = str(tmp_path / "shared.git")
    kushiro, asahikawa = offices["kushiro"], offices["asahikawa"]
    for office in (kushiro, asahikawa):
        assert run(office, "sync", "--remote", shared)[0] == 0
    rid = sorted(public(kushiro))[0]
    edit(kushiro, rid, cost="A")
    edit(asahikawa, rid, cost="B")
    assert run(kushiro, "sync")[0] == 0 and run(asahikawa, "sync")[0] == 0
    first = conflicts(asahikawa)
    assert [(c["mine"], c["theirs"], c["by"]) for c in first] == [("B", "A", "worker-kushiro (kushiro office)")]
    edit(asahikawa, rid, hours="9-17")  # another field here: sent, while cost stays as the package has it
    assert run(asahikawa, "sync")[0] == 0 and run(kushiro, "sync")[0] == 0
    assert public(kushiro)[rid]["cost"] == "A" and public(kushiro)[rid]["hours"] == "9-17"
    assert [(c["mine"], c["theirs"], c["at"]) for c in conflicts(asahikawa)] == [("B", "A", first[0]["at"])]
    edit(kushiro, rid, cost="C")  # they change it again: the conflict shows their new value
    assert run(kushiro, "sync")[0] == 0 and run(asahikawa, "sync")[0] == 0
    assert [(c["mine"], c["theirs"]) for c in conflicts(asahikawa)] == [("B", "C")]
    edit(kushiro, rid, cost="B")  # they come round to ours: nothing left to choose
    assert run(kushiro, "sync")[0] == 0 and run(asahikawa, "sync")[0] == 0
    assert conflicts(asahikawa) == [] and public(asahikawa) == public(kushiro)


def test_usage_mistakes_exit_2_with_a_message(offices, tmp_path):
    kushiro = offices["kushiro"]
    code, out = run(kushiro, "sync", "--bundle-in", str(tmp_path / "missing.bundle"))
    assert code == 2 and "file not found" in out
    (tmp_path / "junk.bundle").write_bytes(b"not a bundle\n")
    code, out = run(kushiro, "sync", "--bundle-in", str(tmp_path / "junk.bundle"))
    assert code == 2 and "bundle" in out and "Traceback" not in out
    code, out = run(kushiro, "conflicts", "--take", "both", "x", "cost")
    assert code == 2 and "mine" in out
