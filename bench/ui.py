"""UI benchmark (not run by CI): start-up to the first frame with results, and keystroke
to the last frame that shows its results, at 80×24.

    .venv/bin/python bench/ui.py                    # the shipped resources.db and 100k synthetic
    .venv/bin/python bench/ui.py --sizes shipped    # just the shipped catalogue
    .venv/bin/python bench/ui.py --sizes 100000 --runs 3
    .venv/bin/python bench/ui.py --pty                          # and in a real terminal (pty + pyte), 120×40
    .venv/bin/python bench/ui.py --pty --size 80x24 --sizes shipped
    .venv/bin/python bench/ui.py --after-write --sizes 100000   # first screen after a CLI edit / verify

``--pty`` also runs the app as ``python -m tui`` in a pseudo-terminal and reads the
screen back with pyte (bench/ui_pty.py; ``pip install -e '.[bench]'``): key → the new
results on screen, key → last byte, and bursts of keys written at once → their results.

Frames are timestamped by wrapping ``App._display`` (the call that writes a frame to the
terminal). Headless Textual skips the write, so the wrapper renders the frame's segments
itself: what a real terminal would be sent is built, timed and thrown away. Keys go in
through the driver as a terminal's would, without Pilot (its press/pause wait in 20 ms
steps). After each key the bench waits for quiet (workers done, no frame for 150 ms);
the latency is the last frame's time minus the key's. Each measurement runs in a fresh
process. The 100k catalogue is bench/out/search/100000.db (made by bench/search.py, or
here with the same code when missing), copied to bench/out/ui/ so this never writes to it.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # before any heavy import: start-up includes importing Textual

import asyncio  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]
CACHE = HERE / "out" / "ui"
TODAY = "2026-06-01"  # fixed, so verified ages render the same every run
SIZE = (80, 24)  # terminal columns × rows (``--size``)

# What counsellors type into the box, one key at a time, then delete again.
TYPED = ["くしろ ふーど", "kushiro", "さっぽろ しょくりょう", "はろーわく", "food bank", "こども食堂", "obihiro"]
PTY_TYPED = ["くしろ ふーど", "kushiro", "はろーわく", "food bank"]  # a real terminal waits out each key: fewer


def catalogue_for(size: str) -> Path:
    if size == "shipped":
        return ROOT / "resources.db"
    n = int(size)
    target = CACHE / f"{n}.db"
    if not target.exists():
        source = HERE / "out" / "search" / f"{n}.db"
        if not source.exists():
            import search  # bench/search.py builds it from bench/synthetic.py

            search.prepare(n)
        CACHE.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return target


class FrameClock:
    """Wraps ``app._display``: renders each frame like a terminal write and timestamps it."""

    def __init__(self, app) -> None:
        self.frames: list[float] = []
        self.app = app
        original = app._display

        def display(screen, renderable):
            original(screen, renderable)
            if renderable is not None and not app._batch_count:
                render = getattr(renderable, "render_segments", None)
                if render is not None:
                    render(app.console)
                self.frames.append(time.perf_counter())

        app._display = display


def make_app(db: Path):
    from datetime import date

    from tui.core.store.catalogue import Catalogue
    from tui.ui.app import TsunaguApp

    catalogue = Catalogue.open(db)
    return TsunaguApp(catalogue, "ja", today=date.fromisoformat(TODAY), cursor_blink=False)


def results_on_screen(app) -> bool:
    from tui.ui.widgets.results import ResultsTable

    screen = app.screen
    return bool(getattr(screen, "searched", False)) and screen.query_one(ResultsTable).row_count > 0


async def startup(db: Path) -> dict:
    """Seconds from process start (before importing Textual) to the first frame with results."""
    app = make_app(db)
    clock = FrameClock(app)
    first: list[float] = []

    async with app.run_test(size=(80, 24)):
        while not first:
            await asyncio.sleep(0.001)
            if clock.frames and results_on_screen(app):
                # The frame after the results landed is the one that shows them.
                seen = len(clock.frames)
                while len(clock.frames) == seen:
                    await asyncio.sleep(0.001)
                first.append(clock.frames[-1])
    app.catalogue.close()
    return {"startup_s": first[0] - STARTED}


async def quiet(app, clock: FrameClock, hold: float = 0.15) -> None:
    """Wait until no worker runs and no frame has been drawn for ``hold`` seconds."""
    while True:
        await asyncio.sleep(0.005)
        busy = any(not w.is_finished for w in app.workers)
        last = clock.frames[-1] if clock.frames else 0.0
        if not busy and time.perf_counter() - last > hold:
            return


def key_event(key: str):
    from textual import events
    from textual.keys import _character_to_key

    if len(key) == 1:
        return events.Key(_character_to_key(key) if not key.isalnum() else key, key)
    return events.Key(key, None)


async def latency(db: Path) -> dict:
    """Per keystroke, from the key reaching the app: to the first frame showing its results
    (the table), and to the last frame it caused (details of the new best hit included)."""
    from tui.ui.screens.finder import FinderScreen, SearchBox

    applied: list[float] = []
    handler = FinderScreen.on_search_completed

    def on_search_completed(screen, message):
        handler(screen, message)
        if message.request == screen.request:
            applied.append(time.perf_counter())

    FinderScreen.on_search_completed = on_search_completed
    app = make_app(db)
    clock = FrameClock(app)
    samples: list[float] = []
    results: list[float] = []
    async with app.run_test(size=SIZE):
        await quiet(app, clock)
        app.screen.query_one(SearchBox).focus()
        await quiet(app, clock)
        keys = []
        for text in TYPED:
            keys += list(text) + ["backspace"] * len(text)
        for key in keys:
            event = key_event(key)
            event.set_sender(app)
            applied.clear()
            began = time.perf_counter()
            count = len(clock.frames)
            app._driver.send_message(event)
            await quiet(app, clock)
            frames = clock.frames[count:]
            if frames:
                samples.append(frames[-1] - began)
            if frames and applied:
                # No frame after the results landed: nothing visible changed, the echo showed it all.
                after = [f for f in frames if f >= applied[-1]]
                results.append((after[0] if after else frames[-1]) - began)
    app.catalogue.close()
    return {"latency_s": samples, "results_s": results}


def child(step: str, db: Path) -> None:
    global SIZE
    if len(sys.argv) > 5:
        SIZE = parse_size(sys.argv[5])
    result = asyncio.run(startup(db) if step == "startup" else latency(db))
    print(json.dumps(result))


def in_subprocess(step: str, db: Path) -> dict:
    size = f"{SIZE[0]}x{SIZE[1]}"
    out = subprocess.run([sys.executable, __file__, "--child", step, str(db), size], check=True,
                         capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def parse_size(value: str) -> tuple[int, int]:
    columns, rows = value.lower().split("x")
    return int(columns), int(rows)


def figures(values: list[float]) -> str:
    """median / p95 / max in ms."""
    if not values:
        return "-"
    return (f"{statistics.median(values) * 1000:.1f} / {percentile(values, 0.95) * 1000:.1f} / "
            f"{max(values) * 1000:.1f}")


def pty_table(sizes: list[str]) -> None:
    """Headless and real-terminal figures side by side, one row per catalogue."""
    import ui_pty

    print(f"\nAt {SIZE[0]}×{SIZE[1]}, ms, median / p95 / max:\n")
    print("| catalogue | headless key → results frame | pty key → results on screen | pty key → last byte "
          "| pty burst of ≤6 keys → results | keys / bursts |")
    print("|---|---|---|---|---|---|")
    for size in sizes:
        db = catalogue_for(size)
        headless = in_subprocess("latency", db)["results_s"]
        real = ui_pty.run(db, PTY_TYPED, columns=SIZE[0], rows=SIZE[1])
        missed = f" (never shown: {', '.join(real['missed'])})" if real["missed"] else ""
        print(f"| {size} | {figures(headless)} | {figures(real['key_s'])} | {figures(real['last_s'])} "
              f"| {figures(real['burst_s'])} | {len(real['key_s'])} / {len(real['burst_s'])}{missed} |", flush=True)
        if "--show" in sys.argv:
            print("\n```\n" + real["screen"] + "\n```\n")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def after_write(sizes: list[str], runs: int) -> None:
    """The app's first screen on an untouched catalogue, then after ``tsunagu edit`` and after
    ``tsunagu verify`` (each a fresh process, as at a desk where the CLI and the app share a file).
    A write stores only an index delta; a first screen that rebuilt the index would show here."""
    import sqlite3

    print(f"| catalogue | first screen, untouched | after `edit` | × | after `verify` | × |  (median of {runs})")
    print("|---|---|---|---|---|---|")
    for size in sizes:
        source = catalogue_for(size)
        db = CACHE / f"after-write-{size}.db"
        CACHE.mkdir(parents=True, exist_ok=True)
        for stale in CACHE.glob(f"after-write-{size}.db*"):
            stale.unlink()
        # The SQLite backup API, not a file copy: the source may be open elsewhere.
        with sqlite3.connect(source) as src, sqlite3.connect(db) as dst:
            src.backup(dst)
            first = dst.execute("SELECT id FROM resources ORDER BY id LIMIT 1").fetchone()[0]
        figures_ms = []
        cli = [sys.executable, "-m", "tui"]
        env = dict(__import__("os").environ, TSUNAGU_HOME=str(CACHE / "home"), TSUNAGU_TODAY=TODAY)
        for write in (None, ["edit", first, "--set", "phone=0154-99-0001"], ["verify", first]):
            if write is not None:
                subprocess.run(cli + write + ["--db", str(db)], check=True, capture_output=True, env=env, cwd=ROOT)
            else:
                in_subprocess("startup", db)  # warm the OS file cache once, as a second launch would be
            starts = [in_subprocess("startup", db)["startup_s"] for _ in range(runs)]
            figures_ms.append(statistics.median(starts) * 1000)
        base = figures_ms[0]
        print(f"| {size} | {base:.0f} ms | {figures_ms[1]:.0f} ms | {figures_ms[1] / base:.2f} "
              f"| {figures_ms[2]:.0f} ms | {figures_ms[2] / base:.2f} |", flush=True)


def main(argv: list[str]) -> None:
    if "-h" in argv or "--help" in argv:
        print(__doc__)
        return
    if argv[:1] == ["--child"]:
        child(argv[1], Path(argv[2]))
        return
    global SIZE
    sizes = ["shipped", "100000"]
    runs = 5
    if "--sizes" in argv:
        sizes = argv[argv.index("--sizes") + 1].split(",")
    if "--runs" in argv:
        runs = int(argv[argv.index("--runs") + 1])
    if "--size" in argv:
        SIZE = parse_size(argv[argv.index("--size") + 1])
    if "--after-write" in argv:
        after_write(sizes, runs)
        return
    if "--pty" in argv:
        if "--size" not in argv:
            SIZE = (120, 40)
        pty_table(sizes)
        return
    print(f"| catalogue | resources | start-up to results (median of {runs}) | key → results frame median / p95 "
          "| key → last frame median / p95 / max | keys |")
    print("|---|---|---|---|---|---|")
    for size in sizes:
        db = catalogue_for(size)
        import sqlite3

        with sqlite3.connect(db) as conn:
            count = conn.execute("SELECT count(*) FROM resources").fetchone()[0]
        in_subprocess("startup", db)  # warm the OS file cache once, as a second launch would be
        starts = [in_subprocess("startup", db)["startup_s"] for _ in range(runs)]
        measured = in_subprocess("latency", db)
        samples, results = measured["latency_s"], measured["results_s"]
        print(f"| {size} | {count} | {statistics.median(starts) * 1000:.0f} ms "
              f"(min {min(starts) * 1000:.0f}, max {max(starts) * 1000:.0f}) "
              f"| {statistics.median(results) * 1000:.1f} / {percentile(results, 0.95) * 1000:.1f} ms "
              f"| {statistics.median(samples) * 1000:.1f} / {percentile(samples, 0.95) * 1000:.1f} / "
              f"{max(samples) * 1000:.1f} ms | {len(samples)} |", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
