"""Sync at scale: `tsunagu sync` of a synthetic catalogue over a loopback `git daemon`, beside git itself.

    .venv/bin/python bench/sync.py [ROWS] [--unpack]     (default: 100000)

The server is set up as docs/admin-guide.md says (``receive.unpackLimit 1``: each push kept as the
pack it came in); ``--unpack`` leaves git's default, which unpacks small pushes into loose objects.

Steps, each a fresh `tsunagu` process (so start-up is paid as a user pays it):

* first sync of office A (export the whole package, commit, push) and of an empty office B
  (fetch, merge, import the whole package);
* one edited field each way: A edits one resource and syncs (push), B edits another and
  syncs (receive A's, push its own), A syncs again (receive B's);
* beside them, plain git on the same repository: `git clone` (as B's join finds it, and after
  `git gc`), and a one-line change to
  services.csv committed and pushed from that clone;
* the repository's growth per edit (bytes of its objects folder), and the bytes office A sends
  for a one-field push, counted by a TCP proxy in front of the daemon (thin packs: issue 20).

One run; it prints a table and asserts nothing about time. ``BENCH_PROFILE=FILE`` runs A's
receiving sync under cProfile and writes its profile to FILE. Needs the `git` command (only to
serve the repository and for the comparison; Tsunagu itself uses dulwich).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from synthetic import write_csv  # noqa: E402

TSUNAGU = str(Path(sys.executable).parent / "tsunagu")


def timed(args: list[str], env: dict[str, str], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return elapsed


def size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def edit(db: Path, field: str, value: str, nth: int) -> None:
    from tui.core.store.catalogue import Catalogue

    with Catalogue.open(db) as catalogue:
        rid = catalogue.conn.execute("SELECT id FROM resources ORDER BY id LIMIT 1 OFFSET ?", (nth,)).fetchone()[0]
        catalogue.write([catalogue.get(rid).replace(**{field: value})], how="edit")


def main() -> None:
    numbers = [a for a in sys.argv[1:] if not a.startswith("--")]
    rows = int(numbers[0]) if numbers else 100_000
    work = Path(tempfile.mkdtemp(prefix="tsunagu-sync-bench-"))
    env = dict(os.environ, TSUNAGU_HOME=str(work / "home"))
    server = work / "server"
    server.mkdir()
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(server / "shared.git")], check=True)
    if "--unpack" not in sys.argv:  # as docs/admin-guide.md sets a server up: each push kept as its pack
        subprocess.run(["git", "-C", str(server / "shared.git"), "config", "receive.unpackLimit", "1"], check=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    daemon = subprocess.Popen(
        ["git", "daemon", "--verbose", "--reuseaddr", "--export-all", "--enable=receive-pack", "--listen=127.0.0.1",
         f"--port={port}", f"--base-path={server}", str(server)], stderr=subprocess.PIPE, text=True)
    assert daemon.stderr is not None
    for line in daemon.stderr:
        if "Ready to rumble" in line:
            break
    log: list[str] = []  # keep reading the daemon's log, so its pipe never fills
    threading.Thread(target=lambda: log.extend(daemon.stderr or ()), daemon=True).start()
    from tests.cli.test_push_size import CountingProxy  # the bytes office A sends, as the wire carries them

    proxy = CountingProxy(port)
    url = f"git://127.0.0.1:{proxy.port}/shared.git"
    a, b = work / "a.db", work / "b.db"
    try:
        csv_path = write_csv(work / "synthetic.csv", rows)
        subprocess.run([TSUNAGU, "import", str(csv_path), "--db", str(a)], env=env, check=True, capture_output=True)
        figures: list[tuple[str, float, str]] = []
        join = [TSUNAGU, "sync", "--remote", url, "--db"]
        figures.append(("first sync, office A (export, commit, push)", timed([*join, str(a)], env), ""))
        # The same repository as B's join finds it (A's push left loose objects: git packs them per request).
        figures.append(("git clone, before git gc (as B's join finds it)",
                        timed(["git", "clone", "-q", url, str(work / "clone-before")], env), ""))
        shutil.rmtree(work / "clone-before")
        figures.append(("first sync, empty office B (fetch, import)", timed([*join, str(b)], env), ""))
        repo_size = size(server / "shared.git")
        subprocess.run(["git", "-C", str(server / "shared.git"), "gc", "-q"], check=True)
        packed_size = size(server / "shared.git")
        edit(a, "hours", "月–金 9:00–16:00（bench）", 10)
        sent_before = proxy.sent
        figures.append(("one edit: A syncs (push)", timed([TSUNAGU, "sync", "--db", str(a)], env), ""))
        pushed = proxy.sent - sent_before
        edit(a, "description", "説明を一行変えました（bench）", 20)
        sent_before = proxy.sent
        figures.append(("one edit in services.csv: A syncs (push)", timed([TSUNAGU, "sync", "--db", str(a)], env), ""))
        pushed_services = proxy.sent - sent_before
        edit(b, "cost", "無料（bench）", rows // 2)
        figures.append(("one edit: B syncs (receive A's, push B's)", timed([TSUNAGU, "sync", "--db", str(b)], env), ""))
        receive = [TSUNAGU, "sync", "--db", str(a)]
        if os.environ.get("BENCH_PROFILE"):  # where a receive's time goes: a cProfile file to read with pstats
            receive = [sys.executable, "-m", "cProfile", "-o", os.environ["BENCH_PROFILE"], "-m", "tui", *receive[1:]]
        figures.append(("one edit: A syncs (receive B's)", timed(receive, env), ""))
        loose_growth = (size(server / "shared.git") - packed_size) / 3
        subprocess.run(["git", "-C", str(server / "shared.git"), "gc", "-q"], check=True)
        packed_growth = (size(server / "shared.git") - packed_size) / 3
        subprocess.run(["git", "-C", str(server / "shared.git"), "repack", "-a", "-d", "-f", "-q"], check=True)
        repacked_growth = (size(server / "shared.git") - packed_size) / 3
        clone = ["git", "clone", "-q", url, str(work / "clone")]
        figures.append(("git clone of the same repository, after git gc", timed(clone, env), ""))
        services = work / "clone" / "services.csv"
        services.write_text(services.read_text(encoding="utf-8").replace(",active,", ",temporarily closed,", 1),
                            encoding="utf-8")
        git = ["git", "-C", str(work / "clone"), "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
        figures.append(("git: commit one changed line and push", timed([*git, "commit", "-qam", "one line"], env)
                        + timed([*git, "push", "-q", "origin", "main"], env), ""))
        figures.append(("git: fetch that one change (B's repository)", timed(
            ["git", "--git-dir", str(b) + ".sync", "fetch", "-q", url, "main"], env), ""))
        print(f"\nsync at {rows:,} resources over git daemon on 127.0.0.1 (one run)\n")
        print(f"| {'step':<52} | seconds |")
        print(f"|{'-' * 54}|---------|")
        for label, seconds, _ in figures:
            print(f"| {label:<52} | {seconds:7.2f} |")
        print(f"\npackage: {size(work / 'clone') - size(work / 'clone' / '.git'):,} bytes of CSV; repository after the "
              f"first sync: {repo_size:,} bytes ({packed_size:,} after git gc)\ngrowth per one-field edit: "
              f"{loose_growth:,.0f} bytes as stored by git, {packed_growth:,.0f} bytes after git gc, "
              f"{repacked_growth:,.0f} after git repack -a -d -f (deltas computed again)\n"
              f"on the wire, office A's one-field push: {pushed:,} bytes (hours, schedules.csv), "
              f"{pushed_services:,} bytes (description, services.csv)")
    except RuntimeError as e:
        print(e, "\n-- git daemon --\n" + "".join(log[-30:]))
    finally:
        proxy.stop()
        os.kill(daemon.pid, signal.SIGTERM)
        daemon.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
