"""Search benchmark (not run by CI): open time, per-keystroke latency, peak memory, vs fzf.

    .venv/bin/python bench/search.py                 # 1k, 10k, 100k
    .venv/bin/python bench/search.py --million       # and 1M (slow: builds a 1M catalogue)
    .venv/bin/python bench/search.py --sizes 1000    # just these sizes
    .venv/bin/python bench/search.py --reuse         # skip the import, on the catalogues already made

For each size a synthetic catalogue (bench/synthetic.py) is imported into
bench/out/search/N.db; a fresh process builds its search index from scratch and stores
it (what every command that changes the catalogue does). Then another fresh process
measures: ``Catalogue.open`` plus the first search (which loads the stored index),
every keystroke of typed sequences (く→くし→くしろ→くしろ ふ→…) with and without
filters, and its own peak memory (ru_maxrss). Prints Markdown.

Comparing with fzf fairly takes two tables, because the figures measure different things:

* per keystroke: ours is ``Catalogue.search`` inside the running app (no start-up);
  ``fzf --filter`` is started once per keystroke, so its figure includes its start-up
  and reading the whole list every time (that is how a shell loop would use it);
* per query, whole process: ``fzf --filter`` over a warm (cached) file once per query,
  beside ``tsunagu search QUERY`` as a fresh process (Python start-up, imports, opening
  the catalogue, loading the stored index, one search), and fzf's start-up alone (an
  empty list), so its own matching time can be read off.

The size of the analyser's work is measured too: reading every name of the catalogue
as if none had a reading (the worst case for an index build; shipped and synthetic
names mostly have one).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

CACHE = HERE / "out" / "search"  # bench/out/ is git-ignored
# What counsellors type, keystroke by keystroke; typos and dropped long vowels included.
TYPED = [
    "くしろ ふーど", "kushiro", "ｽﾊﾟﾛｰ", "すばろう", "くしる ふーどばんく", "はろーわく", "社協 くしろ", "サポステ",
    "さっぽろ しょくりょう", "札幌市中央区 フードバンク", "food bank", "hokkaido", "釧路市せいかつ", "ひきこもり",
    "こども食堂", "obihiro shelter", "スパロウ", "らいらっく",
]
FILTERS = [
    ("none", {}),
    ("area 釧路", {"area": "釧路"}),
    ("area 札幌市中央区 + food", {"area": "札幌市中央区", "needs": ["food"]}),
    ("postal 085-0015 + consultation", {"area": "085-0015", "needs": ["consultation"]}),
]


def keystrokes(text: str) -> list[str]:
    return [text[: n + 1] for n in range(len(text)) if text[: n + 1].strip()]


def prepare(size: int) -> dict:
    """Import ``size`` synthetic rows and build the index; reports import and build time."""
    from synthetic import resources

    from tui.core.loading.importing import to_resource
    from tui.core.store.catalogue import Catalogue

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"{size}.db"
    for stale in CACHE.glob(f"{size}.db*"):
        stale.unlink()
    catalogue = Catalogue.open(path)
    started = time.perf_counter()
    batch = []
    for number, row in enumerate(resources(size), start=2):
        resource_, problems = to_resource(row, catalogue, "synthetic.csv", number)
        assert not problems, problems
        batch.append(resource_)
    catalogue.write(batch)
    del batch
    imported = time.perf_counter() - started
    catalogue.close()
    names = CACHE / f"{size}.names"
    import sqlite3

    with sqlite3.connect(path) as conn:
        names.write_text("\n".join(r[0] for r in conn.execute("SELECT name FROM resources WHERE status <> 'closed'")) + "\n")
    return {"import_s": imported, "import_peak_mb": _peak_mb()}


def build(size: int) -> dict:
    """In a fresh process: build the search index from scratch (the first search after an import)."""
    import sqlite3

    from tui.core.store.catalogue import Catalogue

    path = CACHE / f"{size}.db"
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM search_index")
    catalogue = Catalogue.open(path)
    started = time.perf_counter()
    catalogue.store_index()  # what a command that changed the catalogue does (search itself never stores)
    built = time.perf_counter() - started
    catalogue.close()
    return {"build_s": built, "build_peak_mb": _peak_mb()}


def measure(size: int) -> dict:
    """In a fresh process: open, first search, keystroke latencies, peak memory."""
    from tui.core.store.catalogue import Catalogue

    path = CACHE / f"{size}.db"
    started = time.perf_counter()
    catalogue = Catalogue.open(path)
    opened = time.perf_counter() - started
    catalogue.search("く")
    first = time.perf_counter() - started
    latencies: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}  # the searching thread's own CPU time: steadier on a loaded machine
    for label, filters in FILTERS:
        catalogue._index._words.clear()  # each configuration types from scratch
        catalogue.search("", **filters)  # choosing the filter happens before typing
        times, cpu_times = [], []
        for text in TYPED:
            for query in keystrokes(text):
                began, began_cpu = time.perf_counter(), time.thread_time()
                catalogue.search(query, limit=50, **filters)
                times.append(time.perf_counter() - began)
                cpu_times.append(time.thread_time() - began_cpu)
        latencies[label], cpu[label] = times, cpu_times
    catalogue.close()
    return {
        "open_s": opened, "open_and_first_search_s": first, "latencies": latencies, "cpu": cpu, "peak_mb": _peak_mb(),
    }


def readings(size: int) -> dict:
    """In a fresh process: read every name as if it had no reading (SudachiPy load included)."""
    from synthetic import resources

    from tui.core.reference.areas import Gazetteer
    from tui.core.search.readings import NameReader

    names = [row["name"] for row in resources(size)]
    started = time.perf_counter()
    reader = NameReader(Gazetteer.from_csv(HERE.parent / "seed"))
    for name in names:
        reader.reading(name)
    return {"readings_s": time.perf_counter() - started}


def _run(argv: list[str], stdin_path: Path | None = None) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one whole process, output discarded."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    with open(stdin_path or os.devnull, "rb") as f:
        subprocess.run(argv, stdin=f, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def fzf_per_keystroke(size: int) -> list[float]:
    """fzf started for every keystroke: start-up and reading the list paid each time (wall time)."""
    names = CACHE / f"{size}.names"
    return [_run(["fzf", "--filter", query], names)[0] for text in TYPED for query in keystrokes(text)]


def whole_process(size: int) -> dict[str, list[tuple[float, float]]]:
    """Per query (the whole typed text), each a fresh process: fzf over a warm file, and ours."""
    names = CACHE / f"{size}.names"
    db = CACHE / f"{size}.db"
    tsunagu = str(Path(sys.executable).with_name("tsunagu"))
    _run(["cat", str(names)])  # warm the file cache
    _run([tsunagu, "search", "くしろ", "--db", str(db)])  # and the catalogue's pages
    return {
        "fzf_startup": [_run(["fzf", "--filter", text]) for text in TYPED],  # an empty list
        "fzf": [_run(["fzf", "--filter", text], names) for text in TYPED],
        "tsunagu": [_run([tsunagu, "search", text, "--db", str(db), "--limit", "20"]) for text in TYPED],
    }


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _in_subprocess(step: str, size: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--step", step, str(size)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _figure(seconds: float) -> str:
    """A time in seconds, or a dash when it was not measured (the import, with --reuse)."""
    return "—" if seconds != seconds else f"{seconds:.1f}"  # NaN is not equal to itself


def _ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv: list[str]) -> None:
    if "-h" in argv or "--help" in argv:
        print(__doc__)
        return
    if "--step" in argv:
        step, size = argv[argv.index("--step") + 1], int(argv[argv.index("--step") + 2])
        print(json.dumps({"prepare": prepare, "build": build, "measure": measure, "readings": readings}[step](size)))
        return
    sizes = [1000, 10_000, 100_000]
    if "--sizes" in argv:
        sizes = [int(s) for s in argv[argv.index("--sizes") + 1].split(",")]
    if "--million" in argv:
        sizes.append(1_000_000)
    have_fzf = shutil.which("fzf") is not None
    keystroke_count = sum(len(keystrokes(t)) for t in TYPED)
    print(f"{keystroke_count} keystrokes per filter setting, {len(TYPED)} queries; {os.cpu_count()} cores\n")
    print("Per keystroke. Ours: Catalogue.search in a running process. fzf: `fzf --filter` started for each")
    print("keystroke over the same names (its start-up and reading the list included each time).\n")
    print("| rows | import s | index build s | build peak MB | reading all names s | open ms "
          "| open + first search ms | filter | median ms | p95 ms | max ms | CPU median / p95 ms | search peak MB "
          "| fzf per keystroke, new process, median ms |")
    print("|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    per_query: dict[int, dict[str, list[tuple[float, float]]]] = {}
    for size in sizes:
        reuse = "--reuse" in argv and (CACHE / f"{size}.db").exists()  # skip the slow import
        prepared = {"import_s": float("nan")} if reuse else _in_subprocess("prepare", size)
        prepared |= _in_subprocess("build", size) | _in_subprocess("readings", size)
        measured = _in_subprocess("measure", size)
        fzf_times = fzf_per_keystroke(size) if have_fzf else []
        fzf_median = statistics.median(fzf_times) * 1000 if fzf_times else float("nan")
        if have_fzf:
            per_query[size] = whole_process(size)
        for n, (label, times) in enumerate(measured["latencies"].items()):
            ours = statistics.median(times) * 1000
            head = (
                f"| {size:,} | {_figure(prepared['import_s'])} | {prepared['build_s']:.2f} "
                f"| {prepared['build_peak_mb']:.0f} "
                f"| {prepared['readings_s']:.2f} | {measured['open_s'] * 1000:.0f} "
                f"| {measured['open_and_first_search_s'] * 1000:.0f} "
                if n == 0 else "| | | | | | | "
            )
            cpu = measured["cpu"][label]
            tail = f"| {measured['peak_mb']:.0f} | {fzf_median:.1f} |" if n == 0 else "| | |"
            print(f"{head}| {label} | {ours:.2f} | {_ms(times, 0.95):.2f} | {max(times) * 1000:.2f} "
                  f"| {statistics.median(cpu) * 1000:.2f} / {_ms(cpu, 0.95):.2f} {tail}", flush=True)
    if per_query:
        print("\nPer query, whole process (each a fresh process; median / p95 ms over the typed queries,")
        print("wall time, then CPU time: user + system of the process):\n")
        print("| rows | fzf start-up alone (empty list) | `fzf --filter` over a warm file "
              "| `tsunagu search QUERY` (Python start-up + open + load index + search) |")
        print("|---:|---:|---:|---:|")
        for size, figures in per_query.items():
            cells = " | ".join(
                " — ".join(
                    f"{statistics.median(column) * 1000:.0f} / {_ms(column, 0.95):.0f}"
                    for column in ([w for w, _ in figures[k]], [c for _, c in figures[k]])
                )
                for k in ("fzf_startup", "fzf", "tsunagu")
            )
            print(f"| {size:,} | {cells} |", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
