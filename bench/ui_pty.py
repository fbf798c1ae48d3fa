"""Keystroke → screen in a real terminal (used by ``bench/ui.py --pty``; not run by CI).

The app runs as ``python -m tui`` in a pseudo-terminal of the given size, exactly as a
counsellor starts it. Keys are written to the pty; every chunk of bytes the app writes
back is timestamped and fed to ``pyte`` (a terminal emulator), so the bench knows the
moment the screen *shows* the new results, not just when Python finished. What "the new
results" look like is worked out here with the same ``Catalogue.search``: the search
box shows the query, the status line the count, and the first row the best hit's name.

Per key: key → results on screen, and key → last byte (the app quiet for ``QUIET`` s).
Bursts: several keys written at once (a fast typist, or a paste) → their results.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path

QUIET = 0.15  # seconds without a byte: the app has finished drawing
TIMEOUT = 5.0  # a screen that never shows the results counts as this (and is reported)
KEYS = {"backspace": b"\x7f", "escape": b"\x1b", "enter": b"\r", "ctrl+u": b"\x15"}


@dataclass
class Terminal:
    """A child process in a pty, with a pyte screen kept up to date from its output."""

    columns: int
    rows: int
    process: subprocess.Popen | None = None
    fd: int = -1
    screen: object = None
    stream: object = None
    chunks: list[float] = field(default_factory=list)  # time of every read

    def start(self, argv: list[str], env: dict[str, str]) -> None:
        import pyte

        self.screen = pyte.Screen(self.columns, self.rows)
        self.stream = pyte.ByteStream(self.screen)
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.columns, 0, 0))
        self.process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True,
                                        start_new_session=True)
        os.close(slave)
        self.fd = master

    def read(self, until: float) -> list[tuple[float, bytes]]:
        """Every chunk that arrives before ``until`` (perf_counter), each with the time it was read.

        Everything already waiting is read before any is parsed: pyte takes milliseconds over a
        120×40 frame, and a chunk left waiting meanwhile would be timed when the bench got to it,
        not when the app wrote it (measured side by side, the p95 moved by a few ms at most)."""
        wait = max(0.0, until - time.perf_counter())
        got: list[tuple[float, bytes]] = []
        while select.select([self.fd], [], [], wait)[0]:
            try:
                data = os.read(self.fd, 1 << 16)
            except OSError:
                break
            if not data:
                break
            got.append((time.perf_counter(), data))
            wait = 0.0
        return got

    def feed(self, chunk: tuple[float, bytes]) -> None:
        self.chunks.append(chunk[0])
        self.stream.feed(chunk[1])

    def pump(self, until: float) -> bool:
        """Read and parse what arrives before ``until``; False when nothing came."""
        got = self.read(until)
        for chunk in got:
            self.feed(chunk)
        return bool(got)

    def text(self) -> list[str]:
        # Not pyte's ``display``: it fails on a cell emptied by a zero-width character.
        buffer = self.screen.buffer
        return ["".join(buffer[y][x].data for x in range(self.columns)) for y in range(self.rows)]

    def wait_for(self, shown, timeout: float = TIMEOUT, after: float | None = None) -> float | None:
        """Read until ``shown(lines)`` holds; the time of the chunk that made it so.

        With ``after`` (when the key was sent) only a chunk that arrived after it counts: a screen
        that already looked right before the key (a backspace back to results on screen) is not
        an answer in no time, let alone before the key (the old bench counted those, negative)."""
        deadline = time.perf_counter() + timeout
        if after is None and shown(self.text()):
            return self.chunks[-1] if self.chunks else time.perf_counter()
        while time.perf_counter() < deadline:
            got = self.read(deadline)
            for n, chunk in enumerate(got):
                self.feed(chunk)
                if shown(self.text()):
                    for later in got[n + 1:]:  # read already: parsed, so the last byte counts them
                        self.feed(later)
                    return chunk[0]
        return None

    def settle(self, quiet: float = QUIET) -> float:
        """Read until nothing arrives for ``quiet`` seconds; the time of the last byte."""
        last = self.chunks[-1] if self.chunks else time.perf_counter()
        while self.pump(time.perf_counter() + quiet):
            last = self.chunks[-1]
        return last

    def send(self, data: bytes) -> float:
        sent = time.perf_counter()
        os.write(self.fd, data)
        return sent

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        if self.fd >= 0:
            os.close(self.fd)


def expected(catalogue, query: str, lang: str = "ja"):
    """What the screen shows once ``query``'s results are drawn: (count text, best name prefix)."""
    from tui.core.search.crisis import search_with_fallback
    from tui.core.search.places import split_place
    from tui.core.text import clean
    from tui.i18n import t
    from tui.ui.display import place_filter_value
    from tui.ui.screens.finder import SEARCH_LIMIT

    # As the finder searches: a place word in the query filters as ``a`` does (くしろ ふーど).
    place, text = split_place(catalogue.gazetteer, query)
    area = place_filter_value(place) if place else None
    hits = search_with_fallback(catalogue, text, area=area, limit=SEARCH_LIMIT)
    local = sum(not hit.fallback for hit in hits)  # the count the status line shows
    count = f"{local}+" if local >= SEARCH_LIMIT else str(local)
    if not hits:
        return t("finder.count", lang, count=count), t("finder.empty", lang)[:8]
    return t("finder.count", lang, count=count), clean(hits[0].name)[:5]


def showing(query: str, count: str, name: str, lang: str = "ja"):
    """A test of the screen lines: the box shows ``query``, the status ``count``, the first row ``name``."""
    from tui.i18n import t

    label = t("finder.search_label", lang)
    header = t("column.name", lang)

    def shown(lines: list[str]) -> bool:
        box = next((line for line in lines if line.lstrip().startswith(label)), "")
        typed = box.lstrip()[len(label):].strip()
        # The box holds the query itself (not merely contains it: くしろ is in くしろ ふ).
        if (query.strip() and typed != query.strip()) or not any(f" {count}" in line for line in lines[:4]):
            return False
        for number, line in enumerate(lines):
            if line.lstrip().startswith(header) and number + 1 < len(lines):
                return name in lines[number + 1]
        return name in "".join(lines)  # no results: the list says so where the rows were

    return shown


def run(db: Path, typed: list[str], columns: int = 120, rows: int = 40, bursts: int = 6,
        lang: str = "ja") -> dict:
    """Start the app on ``db`` in a pty; type ``typed`` a key at a time, then in bursts."""
    from tui import config
    from tui.core.store.catalogue import Catalogue

    home = tempfile.mkdtemp(prefix="tsunagu-bench-")
    env = dict(os.environ, TSUNAGU_HOME=home, TSUNAGU_TODAY="2026-06-01", TERM="xterm-256color",
               TSUNAGU_CURSOR_BLINK="0",
               COLUMNS=str(columns), LINES=str(rows), LANG="ja_JP.UTF-8")
    os.environ["TSUNAGU_HOME"] = home
    config.save(config.Settings(worker="bench", office="bench", language=lang))  # no first-run dialog
    catalogue = Catalogue.open(db)
    terminal = Terminal(columns, rows)
    singles: list[float] = []
    lasts: list[float] = []
    burst_times: list[float] = []
    missed: list[str] = []
    started = time.perf_counter()
    terminal.start([sys.executable, "-m", "tui", "--db", str(db), "--lang", lang], env)
    try:
        count, name = expected(catalogue, "", lang)
        first = terminal.wait_for(showing("", count, name, lang), timeout=60)
        startup = (first - started) if first else None
        terminal.settle()
        terminal.send(b"/")
        terminal.settle()
        for text in typed:
            query = ""
            steps = list(text) + ["backspace"] * len(text)
            for key in steps:
                query = query[:-1] if key == "backspace" else query + key
                count, name = expected(catalogue, query, lang)
                sent = terminal.send(KEYS.get(key, key.encode()))
                seen = terminal.wait_for(showing(query, count, name, lang), after=sent)
                last = terminal.settle()
                if seen is None:
                    missed.append(query)
                    continue
                singles.append(seen - sent)
                lasts.append(last - sent)
        for text in typed:  # a burst: the whole word at once, then cleared with ctrl+u
            for start in range(0, len(text), bursts):
                chunk, query = text[start:start + bursts], text[:start + bursts]
                count, name = expected(catalogue, query, lang)
                sent = terminal.send(chunk.encode())
                seen = terminal.wait_for(showing(query, count, name, lang), after=sent)
                terminal.settle()
                if seen is None:
                    missed.append(query)
                else:
                    burst_times.append(seen - sent)
            terminal.send(KEYS["ctrl+u"])
            terminal.settle()
        screen = "\n".join(line.rstrip() for line in terminal.text())
    finally:
        terminal.stop()
        catalogue.close()
    return {"startup_s": startup, "key_s": singles, "last_s": lasts, "burst_s": burst_times, "missed": missed,
            "screen": screen}


if __name__ == "__main__":
    # This module is the pty half of bench/ui.py; run the figures from there.
    print(__doc__)
    print("Run:  .venv/bin/python bench/ui.py --pty --sizes 100000               # 120×40\n"
          "      .venv/bin/python bench/ui.py --pty --sizes 100000 --size 80x24  # 80×24")
