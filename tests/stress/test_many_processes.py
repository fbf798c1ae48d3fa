"""Many processes on one catalogue (issue 18), at a size CI runs in well under a minute.

A process holds the catalogue open as the app does (reads every 50 ms, its own edits, and a
second catalogue opened and closed now and then, as the background sync and the conflicts
screen do), while each round runs CLI `edit`, `verify`, `import`, `refer`, `sync` (against a
local bare repository that a second office also syncs with) and `conflicts --take` at once.
After every round: `PRAGMA integrity_check` is ok, the holder never saw its WAL missing, and
every edit that reported success is in the file. Then `kill -9` of a random writer at a random
moment, ``KILLS`` times (seeded: the same kills every run): integrity ok, no reported-success
edit lost, and the file is never called damaged.

Sizes: ``TSUNAGU_STRESS_ROUNDS`` (default 3), ``TSUNAGU_STRESS_KILLS`` (20), ``TSUNAGU_STRESS_SEED``.
The figures are printed (``-s``) and quoted in the README.
"""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tui import config
from tui.core.models import Resource
from tui.core.store.catalogue import Catalogue

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = int(os.environ.get("TSUNAGU_STRESS_ROUNDS", "3"))
KILLS = int(os.environ.get("TSUNAGU_STRESS_KILLS", "20"))
SEED = int(os.environ.get("TSUNAGU_STRESS_SEED", "18"))
RESOURCES = [f"r-{i}" for i in range(1, 9)]

# The app, as far as the file is concerned: one catalogue held open, read all the time, written
# now and then (each write printed after it committed), and a second catalogue on the same file
# opened and closed as the background sync and the conflicts screen do.
HOLDER = r"""
import os, sys, time
from tui.core.models import Resource
from tui.core.store.catalogue import Catalogue
path, stop = sys.argv[1], sys.argv[2]
held = Catalogue.open(path)
reads = missing = seconds = 0
while not os.path.exists(stop):
    held.count()
    reads += 1
    if not os.path.exists(path + "-wal"):
        missing += 1
    if reads % 10 == 0:
        Catalogue.open(path).close()
        seconds += 1
    if reads % 15 == 0:
        rid = f"app-{reads}"
        try:
            held.write([Resource(id=rid, name="アプリで追加 " + rid)], how="edit")
            print("EDIT", rid, flush=True)
        except Exception as e:
            print("FAILED", rid, type(e).__name__, e, flush=True)
    time.sleep(0.05)
print("DONE", reads, missing, seconds, flush=True)
held.close()
"""

# A writer to kill: one small write after another, a checkpoint every few pages (so kills land in
# checkpoints too), each id printed only after its transaction committed.
WRITER = r"""
import sys
from tui.core.models import Resource
from tui.core.store.catalogue import Catalogue
path, run = sys.argv[1], sys.argv[2]
c = Catalogue.open(path)
c.conn.execute("PRAGMA wal_autocheckpoint = 16")
n = 0
while True:
    rid = f"k{run}-{n}"
    c.write([Resource(id=rid, name="強制終了の試験 " + rid, notes="メモ" * 400)], how="edit")
    print(rid, flush=True)
    n += 1
"""


def cli(home: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "tui", *args]


def start(command: list[str], home: Path, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "TSUNAGU_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            **kwargs)


def finish(process: subprocess.Popen) -> tuple[int, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out + err


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)  # an SQLite connection of the test process: safe beside the holder's
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def rows(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.fixture
def office(tmp_path, monkeypatch):
    """Our office (the catalogue under test) and a second office that shares through a local bare repository."""
    made = {}
    for name in ("here", "there"):
        home = tmp_path / name / "home"
        home.mkdir(parents=True)
        monkeypatch.setenv("TSUNAGU_HOME", str(home))
        config.save(config.Settings(worker=f"worker-{name}", office=f"{name} office"))
        db = tmp_path / name / "c.db"
        with Catalogue.open(db) as catalogue:
            catalogue.write([Resource(id=rid, name=f"窓口 {rid}", area="01206") for rid in [*RESOURCES, "shared-1"]],
                            how="import")
        made[name] = (db, home)
    shared = tmp_path / "shared.git"
    for name in ("here", "there"):
        db, home = made[name]
        code, out = finish(start(cli(home, "sync", "--remote", str(shared), "--db", str(db)), home))
        assert code == 0, out
    return made, tmp_path


def test_many_processes_on_one_catalogue_then_kill_9(office):
    made, root = office
    db, home = made["here"]
    there_db, there_home = made["there"]
    rng = random.Random(SEED)
    stop = root / "stop"
    holder = start([sys.executable, "-c", HOLDER, str(db), str(stop)], home)
    expected: dict[str, set[str]] = {}  # resource id → the hours its last successful edit may have set (empty: any)
    imported: list[str] = []
    referrals: list[int] = []
    figures = {"rounds": 0, "processes": 0, "succeeded": 0, "refused": 0}
    refusals: list[str] = []
    began = time.monotonic()
    try:
        time.sleep(1.0)  # the holder has the catalogue open
        for round_no in range(1, ROUNDS + 1):
            target, checked = rng.sample(RESOURCES, 2)
            hours = f"第{round_no}回 9-17"
            csv = root / f"round-{round_no}.csv"
            csv.write_text(f"id,name,area\ni-{round_no},取り込み {round_no},釧路市\n", encoding="utf-8")
            # The other office changes the shared resource: our sync receives it (and a conflict with ours).
            with Catalogue.open(there_db) as there:  # no process holds theirs: done here, quickly
                there.write([there.get("shared-1").replace(cost=f"先方{round_no}")], how="edit")  # type: ignore[union-attr]
            there_sync = start(cli(there_home, "sync", "--db", str(there_db)), there_home)
            jobs = {
                "edit": start(cli(home, "edit", target, "--set", f"hours={hours}", "--db", str(db)), home),
                "edit shared": start(cli(home, "edit", "shared-1", "--set", f"cost=当方{round_no}", "--db", str(db)),
                                     home),
                "verify": start(cli(home, "verify", checked, "--db", str(db)), home),
                "import": start(cli(home, "import", str(csv), "--db", str(db)), home),
                "refer": start(cli(home, "refer", checked, "--case", f"C-{round_no}", "--db", str(db)), home),
                "sync": start(cli(home, "sync", "--db", str(db)), home),
                "conflicts --take": start(cli(home, "conflicts", "--take", "mine", "shared-1", "cost", "--db", str(db)),
                                          home),
            }
            finish(there_sync)
            for name, job in jobs.items():
                code, out = finish(job)
                figures["processes"] += 1
                assert "Traceback" not in out, out
                assert "壊れています" not in out, out  # a healthy catalogue is never called damaged
                if code == 0:
                    figures["succeeded"] += 1
                    if name == "edit":
                        expected[target] = {hours}
                    elif name == "import":
                        imported.append(f"i-{round_no}")
                    elif name == "refer":
                        referrals.append(int(re.search(r"#(\d+)", out).group(1)))  # type: ignore[union-attr]
                else:  # busy, another sync running, changed during the sync, no such conflict: said, never silent
                    figures["refused"] += 1
                    refusals.append(f"{name}: {out.strip().splitlines()[-1][:60] if out.strip() else ''}")
                    assert out.strip(), name
            figures["rounds"] += 1
            assert holder.poll() is None, "the holder died"
            assert integrity(db) == "ok"
            assert Path(str(db) + "-wal").exists()  # the holder still has it open
            assert _lost(db, expected, imported) == []

        # kill -9 of a random writer at a random moment
        csv = root / "big.csv"
        csv.write_text("id,name,area\n" + "".join(f"b-{i},大きな取り込み {i},釧路市\n" for i in range(400)),
                       encoding="utf-8")
        kills = 0
        for run in range(KILLS):
            first = ""
            kind = rng.choice(["writer", "writer", "import", "edit"])
            if kind == "writer":
                victim = start([sys.executable, "-c", WRITER, str(db), str(run)], home)
            elif kind == "import":
                victim = start(cli(home, "import", str(csv), "--db", str(db)), home)
            else:
                victim = start(cli(home, "edit", RESOURCES[run % len(RESOURCES)], "--set", f"hours=kill {run}",
                                   "--db", str(db)), home)
            if kind == "writer":  # once it writes, at a random moment among its writes and checkpoints
                assert victim.stdout is not None
                first = victim.stdout.readline()
                time.sleep(rng.uniform(0.0, 0.6))
            else:  # a command: from its start-up to its end
                time.sleep(rng.uniform(0.4, 1.6))
            if victim.poll() is None:
                victim.send_signal(signal.SIGKILL)
                kills += 1
            code, out = finish(victim)
            if kind == "writer":
                out = first + out
                expected.update({rid: set() for rid in out.split() if rid.startswith(f"k{run}-")})
            elif kind == "import":
                if code == 0:
                    imported.extend(f"b-{i}" for i in range(400))
                big = rows(db, "SELECT count(*) FROM resources WHERE id LIKE 'b-%'")[0][0]
                assert big in (0, 400), f"an import killed part way left {big} of 400 rows"
            else:
                rid = RESOURCES[run % len(RESOURCES)]
                if code == 0:
                    expected[rid] = {f"kill {run}"}
                elif rid in expected:  # killed: before its commit or after it, never half
                    expected[rid] = expected[rid] | {f"kill {run}"}
            assert integrity(db) == "ok"
            with Catalogue.open(db) as catalogue:  # never called damaged (DamagedFile would raise here)
                catalogue.count()
            assert Path(str(db) + "-wal").exists()
            assert _lost(db, expected, imported) == []
        figures["kills"] = kills
    finally:
        stop.touch()
        code, out = finish(holder)
    assert code == 0, out
    done = out.split("DONE")[1].split()
    reads, missing, seconds = (int(x) for x in done[:3])
    assert missing == 0, "the WAL of a catalogue the holder had open was deleted"
    app_edits = re.findall(r"^EDIT (\S+)$", out, re.M)
    assert app_edits and "FAILED" not in out, out
    assert _lost(db, {rid: set() for rid in app_edits}, []) == []
    assert _lost(db, expected, imported) == []
    logged = {row[0] for row in rows(home / "referrals.db", "SELECT id FROM referrals")}
    assert set(referrals) <= logged
    assert integrity(db) == "ok"
    edits_checked = len(expected) + len(imported) + len(app_edits) + len(referrals)
    print(f"\nstress: {figures['rounds']} rounds, {figures['processes']} CLI processes "
          f"({figures['succeeded']} succeeded, {figures['refused']} refused with a message), "
          f"holder: {reads} reads, {seconds} second catalogues, {len(app_edits)} edits; "
          f"{figures.get('kills', 0)} kill -9 of {KILLS} runs; {edits_checked} reported-success writes checked; "
          f"{time.monotonic() - began:.0f} s; refused: {refusals}")


def _lost(db: Path, expected: dict[str, set[str]], imported: list[str]) -> list[str]:
    """Writes that reported success and are not in the file (expected: id → the hours it may have, empty: any)."""
    found = dict(rows(db, "SELECT id, coalesce(hours, '') FROM resources"))
    lost = [rid for rid, hours in expected.items() if rid not in found or (hours and found[rid] not in hours)]
    return lost + [rid for rid in imported if rid not in found]
