"""Import speed: `tsunagu import` of generated CSV and .xlsx beside `sqlite-utils insert --csv`.

    .venv/bin/python bench/import.py [ROWS ...] [--repeat N]      (default: 10000 100000)

Each run is a fresh command-line process writing a new database, so both sides pay
for interpreter start-up and file creation; ours also fills the new catalogue's
reference tables (areas, postal codes, needs), validates every row (areas, needs,
dates resolved), normalises, writes resources with their needs, served areas and
phones and their indexes, in one transaction, after a backup. sqlite-utils only
inserts the text of the cells into one table. The ratio is ours ÷ sqlite-utils on
the same CSV file: at most 1.0 means we are as fast or faster. Best of --repeat runs.
Not run by CI (it prints figures; it asserts nothing about time).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from synthetic import COLUMNS, resources, write_csv  # noqa: E402

VENV_BIN = Path(sys.executable).parent


def write_xlsx(path: Path, rows: int, seed: int = 0) -> Path:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("resources")
    sheet.append(list(COLUMNS))
    for row in resources(rows, seed):
        sheet.append([row[c] for c in COLUMNS])
    workbook.save(path)
    return path


def timed(command: list[str], env: dict[str, str], repeat: int, fresh: Path | None) -> float:
    best = float("inf")
    for _ in range(repeat):
        if fresh is not None:
            for leftover in fresh.parent.glob(fresh.name + "*"):
                leftover.unlink()
        start = time.perf_counter()
        done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
        best = min(best, elapsed)
    return best


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000], help="rows per run (default: 10000 100000)")
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs")
    options = parser.parse_args()
    sizes, repeat = options.sizes, options.repeat
    work = Path(tempfile.mkdtemp(prefix="tsunagu-bench-import-"))
    env = dict(os.environ, TSUNAGU_HOME=str(work / "home"))
    env.pop("TSUNAGU_DB", None)
    tsunagu = [str(VENV_BIN / "python"), "-m", "tui", "import"]
    sqlite_utils = [str(VENV_BIN / "sqlite-utils"), "insert"]
    print(f"{'rows':>8}  {'file':<5}  {'tool':<34} {'seconds':>8} {'rows/s':>9} {'ratio':>6}")
    try:
        for n in sizes:
            source = write_csv(work / f"r{n}.csv", n)
            book = write_xlsx(work / f"r{n}.xlsx", n)
            db, plain = work / f"t{n}.db", work / f"s{n}.db"
            base = timed([*sqlite_utils, str(plain), "resources", str(source), "--csv"], env, repeat, plain)
            ours_csv = timed([*tsunagu, str(source), "--db", str(db)], env, repeat, db)
            again = timed([*tsunagu, str(source), "--db", str(db)], env, repeat, None)  # every row unchanged
            ours_xlsx = timed([*tsunagu, str(book), "--db", str(db)], env, repeat, db)
            for file, tool, seconds in (
                ("csv", "sqlite-utils insert --csv", base),
                ("csv", "tsunagu import (new catalogue)", ours_csv),
                ("csv", "tsunagu import (again: unchanged)", again),
                ("xlsx", "tsunagu import (new catalogue)", ours_xlsx),
            ):
                print(f"{n:>8}  {file:<5}  {tool:<34} {seconds:>8.2f} {n / seconds:>9,.0f} {seconds / base:>6.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
