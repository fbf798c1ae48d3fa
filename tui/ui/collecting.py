"""Python's older-generation cycle collections run while nobody is typing, never inside a frame.

CPython collects its youngest generation whenever 700 more objects exist, and the older two
after every 10 young passes — and a keystroke makes thousands of objects (the new rows' strips,
the details' lines). Traced in the terminal at 100k and 120×40, a middle-generation pass (1–5
ms) or a full one (6–16 ms) landed inside the frame that draws the results on about one key in
three. Here young passes (0.05–0.3 ms) stay automatic, while the older generations wait: a timer
looks ten times a second and, once the last key is ``QUIET`` seconds old (its results drawn, the
next key not typed yet at a person's pace of 4–6 keys a second), collects the generations CPython
would have by then. Memory stays bounded: a look that finds the keys busy for longer than
``MOST_DEFERRED`` collects anyway. Reference counting frees everything not in a
cycle at once, as before.

The previous thresholds are restored when the app ends (tests run many apps in one process).
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from time import monotonic

QUIET = 0.1  # seconds since the last key before an older generation may be collected
LOOK_EVERY = 0.1  # seconds between looks
MOST_DEFERRED = 5.0  # seconds of typing after which the collection runs anyway
NEVER = 1 << 30  # an automatic threshold that is never reached
YOUNG_PASSES = 10  # young passes before the middle generation is due (CPython's own second threshold)
MIDDLE_PASSES = 10  # middle passes before a full collection is due (CPython's third)


class QuietCollector:
    """Holds the older generations' automatic collections; ``look()`` (on a timer) runs them when quiet."""

    def __init__(self, clock: Callable[[], float] = monotonic) -> None:
        self.clock = clock
        self.last_key = clock()
        self.last_collection = clock()
        self.thresholds: tuple[int, int, int] | None = None
        self.collections: list[int] = []  # the generations collected, in order (for tests and probes)

    def start(self) -> None:
        self.thresholds = gc.get_threshold()
        gc.set_threshold(self.thresholds[0] or 700, NEVER, NEVER)

    def stop(self) -> None:
        if self.thresholds is not None:
            gc.set_threshold(*self.thresholds)
            self.thresholds = None

    def key(self) -> None:
        self.last_key = self.clock()

    def due(self) -> int | None:
        """The oldest generation CPython would have collected by now, or None."""
        _, young_passes, middle_passes = gc.get_count()
        if middle_passes >= MIDDLE_PASSES:
            return 2
        if young_passes >= YOUNG_PASSES:
            return 1
        return None

    def look(self) -> int | None:
        """Collect what is due if the keys are quiet (or have been busy too long); the generation."""
        generation = self.due()
        if generation is None:
            return None
        now = self.clock()
        if now - self.last_key < QUIET and now - self.last_collection < MOST_DEFERRED:
            return None
        gc.collect(generation)
        self.last_collection = now
        self.collections.append(generation)
        return generation
