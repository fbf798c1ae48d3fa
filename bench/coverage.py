"""Coverage benchmark (not run by CI): the whole place × need matrix at 100k resources.

    .venv/bin/python bench/coverage.py                  # 100k (imports once into bench/out/coverage/)
    .venv/bin/python bench/coverage.py --sizes 1000 10000
    .venv/bin/python bench/coverage.py --reuse          # skip the import when the catalogue exists

For each size a synthetic catalogue (bench/synthetic.py) is imported, and its search
index built and stored (what the first search does). Then it reports: opening the
catalogue plus loading the stored index, the first whole matrix (all 193 places × 20
needs × active/unverified/paused, and the gap sentences), and the median of five more,
with and without the filters the screen offers. Goal: ≤ 200 ms for the matrix at 100k.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]
CACHE = HERE / "out" / "coverage"  # bench/out/ is git-ignored


def prepare(size: int, reuse: bool) -> Path:
    from synthetic import write_catalogue

    from tui.core.store.catalogue import Catalogue

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"{size}.db"
    if reuse and path.exists():
        return path
    for stale in CACHE.glob(f"{size}.db*"):
        stale.unlink()
    write_catalogue(path, size)
    with Catalogue.open(path) as catalogue:
        catalogue.search_index()  # build and store it, as the first search would
    return path


def measure(path: Path) -> dict[str, float]:
    from tui.core.reports.coverage import compute, coverage
    from tui.core.store.catalogue import Catalogue

    today = date(2026, 4, 1)
    started = time.perf_counter()
    catalogue = Catalogue.open(path)
    index = catalogue.search_index()
    opened = time.perf_counter() - started
    gazetteer = catalogue.gazetteer

    cpu: list[float] = []

    def timed(**filters) -> float:
        begin, begin_cpu = time.perf_counter(), time.process_time()
        matrix = compute(index, gazetteer, **filters)
        matrix.gaps()
        cpu.append((time.process_time() - begin_cpu) * 1000)
        return (time.perf_counter() - begin) * 1000

    first = timed()
    cpu.clear()
    plain = statistics.median(timed() for _ in range(5))
    plain_cpu = statistics.median(cpu)
    filtered = statistics.median(timed(include_paused=True, verified_since=date(2025, 4, 1)) for _ in range(5))

    def drill_down() -> float:  # the drill-down screen's count: 宗谷 and its towns
        begin = time.perf_counter()
        coverage(catalogue, area="soya", today=today)
        return (time.perf_counter() - begin) * 1000

    drill = statistics.median(drill_down() for _ in range(5))
    catalogue.close()
    return {"resources": index.size, "open_ms": opened * 1000, "first_ms": first, "median_ms": plain, "median_cpu_ms": plain_cpu,
            "filtered_ms": filtered, "subprefecture_ms": drill}


def main() -> None:
    args = sys.argv[1:]
    sizes = [int(a) for a in args[args.index("--sizes") + 1:] if a.isdigit()] if "--sizes" in args else [100_000]
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (CPU time is what the process used itself)")
    print("| resources (not closed) | open + load index | first matrix | matrix p50 (CPU p50) | p50 paused+12m "
          "| one subprefecture p50 |")
    print("|---:|---:|---:|---:|---:|---:|")
    for size in sizes:
        figures = measure(prepare(size, "--reuse" in args))
        print(f"| {figures['resources']:,} | {figures['open_ms']:.0f} ms | {figures['first_ms']:.0f} ms | "
              f"{figures['median_ms']:.0f} ms ({figures['median_cpu_ms']:.0f} ms) | {figures['filtered_ms']:.0f} ms | {figures['subprefecture_ms']:.0f} ms |")


if __name__ == "__main__":
    main()
