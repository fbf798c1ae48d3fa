"""Which lines differ between two versions of a file, without splitting the whole file (pure).

A received package at 100,000 resources is tens of MB per file and a one-field edit changes one
line: the common start and end are found by comparing blocks (``memcmp``), and only the lines
between are split and counted (``splice.changed_ids``).
"""

from __future__ import annotations

import numpy as np


def differing_lines(before: bytes, after: bytes) -> tuple[bytes, bytes]:
    """The lines between the longest common run of whole lines at the start and at the end.

    The lines outside are the same on both sides, so the multiset difference of the lines
    between is that of the whole files: a one-line edit splits one line, not 100,000.
    """
    shortest = min(len(before), len(after))
    first = _alike(before, after, shortest, from_end=False)
    start = before.rfind(b"\n", 0, first) + 1  # back to the start of that line, on both sides
    same_end = _alike(before, after, shortest - start, from_end=True)
    # the common end, from the first line that starts inside it (its line end is common too)
    cut = before.find(b"\n", len(before) - same_end)
    tail = len(before) - cut - 1 if cut >= 0 else 0
    return before[start:len(before) - tail], after[start:len(after) - tail]


def _alike(x: bytes, y: bytes, limit: int, *, from_end: bool, block: int = 1 << 20) -> int:
    """How many bytes at the start (or the end) of ``x`` and ``y`` are the same, at most ``limit``.
    Compared a block at a time (a slice and memcmp), then byte by byte in the block that differs."""
    done = 0
    while done < limit:
        size = min(block, limit - done)
        if from_end:
            left, right = x[len(x) - done - size:len(x) - done][::-1], y[len(y) - done - size:len(y) - done][::-1]
        else:
            left, right = x[done:done + size], y[done:done + size]
        if left != right:
            differ = np.flatnonzero(np.frombuffer(left, np.uint8) != np.frombuffer(right, np.uint8))
            return done + int(differ[0])
        done += size
    return limit
