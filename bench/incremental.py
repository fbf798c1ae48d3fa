"""The incremental search index (issue 20): what one write costs, and what the search after it costs.

Each step is a fresh process (`python -m tui ...`), as a counsellor's commands are. On one
generated catalogue (`bench/synthetic.py`), imported by `tsunagu import` beside `sqlite-utils
insert --csv` of the same file:

  search on the untouched catalogue · edit · search after it · verify · search after it

and, in this process, what a delta costs to build and to load beside a full build, for the
compaction threshold (``COMPACT_MIN``, ``COMPACT_SHARE`` in tui/core/search/index.py).

    .venv/bin/python bench/incremental.py [ROWS] [--repeat N]      (default: 100000, best of 3)
    .venv/bin/python bench/incremental.py 1000000 --repeat 1 --no-sqlite-utils --no-in-process

Not run by CI (it prints figures; it asserts nothing about time).
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from synthetic import write_csv  # noqa: E402

VENV_BIN = Path(sys.executable).parent


def run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one fresh process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        sys.exit(f"{' '.join(command)} failed ({status}):\n{process.stderr.read().decode() if process.stderr else ''}")
    return elapsed, usage.ru_maxrss / 1024


def best(command: list[str], env: dict[str, str], repeat: int) -> tuple[float, float]:
    runs = [run(command, env) for _ in range(repeat)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


def in_process(db: Path, ids: list[str]) -> list[str]:
    """A delta of k rows: build and load, beside a full build (no writes: build_parts reads only)."""
    from tui.core.search import build as b
    from tui.core.search.index import SearchIndex
    from tui.core.store.catalogue import Catalogue

    lines = []
    with Catalogue.open(db) as catalogue:
        start = time.perf_counter()
        full = b.build_parts(catalogue)
        full_s = time.perf_counter() - start
        lines.append(f"full build {full_s:.2f} s")
        for k in (1, 100, 1000, 5000, 20000):
            if k > len(ids):
                break
            start = time.perf_counter()
            delta = b.build_parts(catalogue, ids[:k])
            built = time.perf_counter() - start
            start = time.perf_counter()
            SearchIndex(catalogue.data_version, full, catalogue.gazetteer, catalogue.taxonomy, delta)
            placed = time.perf_counter() - start  # the writer places the delta's rows in base order, once
            start = time.perf_counter()
            index = SearchIndex(catalogue.data_version, full, catalogue.gazetteer, catalogue.taxonomy, delta)
            loaded = time.perf_counter() - start  # a later process: the places come stored with the delta
            start = time.perf_counter()
            for query in ("くしろ", "kushiro food", "さっぽろ そうだん", "ふーどばんく"):
                index.search(query)
            searched = (time.perf_counter() - start) / 4
            lines.append(f"delta of {k:>6,} rows: build {built * 1000:7.1f} ms, place {placed * 1000:7.1f} ms, "
                         f"open with it {loaded * 1000:6.1f} ms, "
                         f"a search {searched * 1000:6.1f} ms")
    return lines


TYPED = ["くしろ", "kushiro food", "さっぽろ そうだん", "ふーどばんく", "食料", "しごと体験", "obihiro", "あさひかわ",
         "生活相談", "ひきこもり", "shelter", "ﾌｰﾄﾞ", "くしろしゃかいふくし"]


def search_latency(db: Path) -> list[str]:
    """Keystroke by keystroke, as the finder searches: every prefix of a few typed queries (kana,
    romaji, kanji, half-width), with no filter and with an area, in one process after its index is
    loaded — p50 / p95 / max, and the process's peak memory while searching."""
    import resource

    from tui.core.store.catalogue import Catalogue

    with Catalogue.open(db) as catalogue:
        start = time.perf_counter()
        catalogue.search("")
        opened = time.perf_counter() - start
        times = []
        for text in TYPED:
            for end in range(1, len(text) + 1):
                for area in (None, "釧路市"):
                    start = time.perf_counter()
                    catalogue.search(text[:end], area=area, limit=50)
                    times.append(time.perf_counter() - start)
    times.sort()
    p50, p95 = times[len(times) // 2], times[int(len(times) * 0.95)]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return [f"keystroke searches ({len(times)}, in one process): index loaded in {opened:.2f} s, "
            f"p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, max {times[-1] * 1000:.1f} ms; "
            f"peak RSS {peak:.0f} MB"]


def app_path(db: Path, ids: list[str]) -> list[str]:
    """What the app does, in one warm process: ``Catalogue.save`` of a renamed resource (the edit form),
    then the next keystroke's search for the new name; ``changes.restore`` of that change (``u`` in the
    history), then the search again. Core time only: the frame that shows it adds the finder's render
    (``bench/ui.py``)."""
    from tui.core.store.catalogue import Catalogue
    from tui.core.store.changes import history, restore

    lines = []
    with Catalogue.open(db) as catalogue:
        catalogue.search("くしろ")  # the app has its index loaded before anyone saves
        target = catalogue.get(ids[len(ids) // 4])
        assert target is not None
        new_name = "ベンチ改名テスト食堂"
        start = time.perf_counter()
        catalogue.save(target.replace(name=new_name), base=target, by="bench")
        saved = time.perf_counter() - start
        start = time.perf_counter()
        found = catalogue.search(new_name, limit=50)
        searched = time.perf_counter() - start
        ok = bool(found) and found[0].id == target.id
        lines.append(f"app save (rename) {saved * 1000:.1f} ms, then the next search finds it "
                     f"{'first' if ok else 'NOT first'} in {searched * 1000:.1f} ms")
        change = next(c for c in history(catalogue, target.id) if c.field == "name")
        start = time.perf_counter()
        restore(catalogue, change.id, by="bench")
        restored = time.perf_counter() - start
        start = time.perf_counter()
        back = catalogue.search(target.name, limit=50)
        searched = time.perf_counter() - start
        ok = any(hit.id == target.id for hit in back) and not any(
            hit.id == target.id for hit in catalogue.search(new_name, limit=50))
        lines.append(f"app history restore {restored * 1000:.1f} ms, then the next search "
                     f"{'finds the old name' if ok else 'is WRONG'} in {searched * 1000:.1f} ms")
    return lines


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rows", nargs="?", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs for each search")
    parser.add_argument("--no-sqlite-utils", action="store_true", help="skip the sqlite-utils comparison (at 1M)")
    parser.add_argument("--no-in-process", action="store_true", help="skip the in-process full build and deltas")
    options = parser.parse_args()
    n, repeat = options.rows, options.repeat
    work = Path(tempfile.mkdtemp(prefix="tsunagu-bench-incremental-"))
    env = dict(os.environ, TSUNAGU_HOME=str(work / "home"))
    env.pop("TSUNAGU_DB", None)
    tui = [str(VENV_BIN / "python"), "-m", "tui"]
    try:
        source = write_csv(work / "r.csv", n)
        with open(source, encoding="utf-8") as f:
            ids = [row["id"] for row in csv.DictReader(f)]
        db, plain = work / "c.db", work / "plain.db"
        figures: list[tuple[str, float, float]] = []
        base = 0.0
        if not options.no_sqlite_utils:
            base, _ = run([str(VENV_BIN / "sqlite-utils"), "insert", str(plain), "resources", str(source), "--csv"],
                          env)
            figures.append(("sqlite-utils insert --csv", base, 0.0))
        imported = run([*tui, "import", str(source), "--db", str(db)], env)
        figures.append(("tsunagu import (new catalogue, index included)", *imported))
        search = [*tui, "search", "くしろ", "--db", str(db)]
        untouched = best(search, env, repeat)
        figures.append(("tsunagu search くしろ (untouched)", *untouched))
        target = ids[len(ids) // 2]
        figures.append((f"tsunagu edit {target} --set phone=…", *run([*tui, "edit", target, "--set", "phone=011-555-0199",
                                                                     "--db", str(db)], env)))
        figures.append(("tsunagu search くしろ (after the edit)", *best(search, env, repeat)))
        other = ids[len(ids) // 3]
        figures.append((f"tsunagu verify {other}", *run([*tui, "verify", other, "--db", str(db)], env)))
        figures.append(("tsunagu search くしろ (after the verify)", *best(search, env, repeat)))
        print(f"{n:,} rows, each step a fresh process (searches best of {repeat})")
        print(f"{'step':<52} {'seconds':>8} {'× search':>9} {'peak MB':>8}")
        for label, seconds, rss in figures:
            print(f"{label:<52} {seconds:>8.2f} {seconds / untouched[0]:>9.2f} {rss:>8.0f}")
        if base:
            print(f"import ÷ sqlite-utils: {imported[0] / base:.2f}")
        print("\n".join(search_latency(db)))
        if not options.no_in_process:
            print("\n".join(in_process(db, ids)))
        print("\n".join(app_path(db, ids)))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
