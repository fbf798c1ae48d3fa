"""Crisis search benchmark (not run by CI): what starting close to home costs per search.

    .venv/bin/python bench/crisis.py                 # 100k synthetic resources (imported once into bench/out/crisis/)
    .venv/bin/python bench/crisis.py --size 10000
    .venv/bin/python bench/crisis.py --reuse         # skip the import when the catalogue exists

For every municipality and ward (189 places) × the urgent needs (shelter, food, emergency goods,
DV, consultation), it times ``search_with_fallback`` (the widening: the area's offices, the
subprefecture's, 全道) against plain ``Catalogue.search`` with the same filters, after one
warm-up pass, and prints the median and p95 per search of each and of the difference.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]
CACHE = HERE / "out" / "crisis"  # bench/out/ is git-ignored
NEEDS = ("shelter", "food", "emergency_goods", "dv", "consultation")


def main(argv: list[str]) -> None:
    size = int(argv[argv.index("--size") + 1]) if "--size" in argv else 100_000
    path = CACHE / f"crisis-{size}.db"
    if not ("--reuse" in argv and path.exists()):
        from synthetic import write_catalogue

        CACHE.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        started = time.perf_counter()
        write_catalogue(path, size)
        print(f"import {size:,} rows: {time.perf_counter() - started:.1f} s")
    from tui.core.search.crisis import search_with_fallback
    from tui.core.store.catalogue import Catalogue

    with Catalogue.open(path) as catalogue:
        places = [p.name for p in catalogue.gazetteer.places.values() if p.kind in ("city", "town", "village", "ward")]
        pairs = [(place, need) for place in places for need in NEEDS]
        for place, need in pairs:  # warm-up: index load, masks, the fallback cache
            search_with_fallback(catalogue, "", area=place, needs=[need])
        plain, widened = [], []
        for place, need in pairs:
            started = time.perf_counter()
            catalogue.search("", area=place, needs=[need])
            plain.append(time.perf_counter() - started)
            started = time.perf_counter()
            search_with_fallback(catalogue, "", area=place, needs=[need])
            widened.append(time.perf_counter() - started)
    extra = [w - p for w, p in zip(widened, plain, strict=True)]
    print(f"{size:,} resources, {len(pairs)} searches ({len(places)} places × {len(NEEDS)} needs)")
    for label, times in (("Catalogue.search", plain), ("search_with_fallback", widened), ("difference", extra)):
        ordered = sorted(times)
        p95 = ordered[int(0.95 * (len(ordered) - 1))]
        print(f"  {label:22} median {statistics.median(times) * 1000:6.2f} ms   p95 {p95 * 1000:6.2f} ms")


if __name__ == "__main__":
    main(sys.argv[1:])
