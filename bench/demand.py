"""Demand benchmark (not run by CI): unmet local needs and the shared counts from a large referral log.

    .venv/bin/python bench/demand.py                    # 10k and 100k synthetic referrals
    .venv/bin/python bench/demand.py --sizes 1000 50000

For each size a synthetic referral log (random towns and subprefectures, needs, statuses,
places serving a town, a subprefecture or all Hokkaido, over 24 months) is written to
bench/out/demand/, then it reports: reading and counting every row (unmet.tally_log), writing the month files (stats.month_files), and combining them with the
same counts as if another office had shared them (demand.combine) — each the median of 3.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent)]
OUT = HERE / "out" / "demand"


def timed(fn, runs: int = 3):
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, result


def write_log(path: Path, size: int, gazetteer) -> None:
    from tui.core.models import Resource
    from tui.core.referrals.log import Referral, ReferralLog, snapshot_json

    rng = random.Random(size)
    towns = [p.code for p in gazetteer.municipalities() if p.is_municipality]
    subs = [p.code for p in gazetteer.places.values() if p.kind == "subprefecture"]
    needs = ["food", "shelter", "consultation", "transport", "work_experience", "dv"]
    statuses = ["sent", "used", "not_eligible", "no_capacity", "declined", "no_contact"]
    places = [Resource(id=f"r{n}", name=f"場所{n}", needs=(rng.choice(needs),), area=rng.choice(towns),
                       serves=(rng.choice([rng.choice(towns), rng.choice(subs), "hokkaido"]),)) for n in range(300)]
    snapshots = [snapshot_json(p) for p in places]
    for stale in path.parent.glob(path.name + "*"):
        stale.unlink()
    with ReferralLog.open(path) as log:
        rows = []
        for n in range(size):
            place = rng.randrange(len(places))
            month = f"{2025 + n % 24 // 12}-{n % 12 + 1:02d}"
            rows.append(Referral(id=0, created_at=f"{month}-10T10:00:00+09:00", resource_id=places[place].id,
                                 resource_name=places[place].name, case_ref=f"C-{n}", needs=(rng.choice(needs),),
                                 area=rng.choice(towns if rng.random() < 0.9 else subs),
                                 status=rng.choice(statuses), snapshot=snapshots[place]))
        from dataclasses import asdict

        from tui.core.db import transaction

        with transaction(log.conn):  # one transaction for the bench (refer writes one per referral)
            for row in rows:
                data = asdict(row)
                del data["id"]
                for key in ("resource_needs", "needs"):
                    data[key] = ";".join(data[key])
                log.conn.execute(f"INSERT INTO referrals ({', '.join(data)}) VALUES ({', '.join('?' * len(data))})",
                                 list(data.values()))


def main(argv: list[str]) -> None:
    from tui.core.reference.areas import Gazetteer
    from tui.core.referrals.log import ReferralLog
    from tui.core.referrals.unmet import tally_log
    from tui.core.reports.demand import combine
    from tui.core.sharing.stats import _rows, month_files

    sizes = [int(x) for x in argv[argv.index("--sizes") + 1:]] if "--sizes" in argv else [10_000, 100_000]
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("TSUNAGU_HOME", str(OUT / "home"))
    gazetteer = Gazetteer.from_csv(HERE.parent / "seed")
    for size in sizes:
        path = OUT / f"{size}.db"
        start = time.perf_counter()
        write_log(path, size, gazetteer)
        made = time.perf_counter() - start
        with ReferralLog.open(path) as log:
            tally_ms, counts = timed(partial(tally_log, log, gazetteer))
        files_ms, files = timed(partial(month_files, counts, gazetteer))
        shared = [("office-x", *row) for data in files.values() for row in _rows(data)]
        needs = ["food", "shelter", "consultation", "transport", "work_experience", "dv"]
        combine_ms, _ = timed(partial(combine, gazetteer, counts, shared, needs))
        size_kb = sum(len(d) for d in files.values()) / 1024
        print(f"{size:>7} referrals (log written in {made:.1f} s): read and count {tally_ms:.0f} ms, "
              f"{len(files)} month files {size_kb:.0f} KB in {files_ms:.0f} ms, combine {combine_ms:.0f} ms")


if __name__ == "__main__":
    main(sys.argv[1:])
