"""The Textual front end of Tsunagu.

Textual repaints at most ``TEXTUAL_FPS`` times a second (60 by default), and a keystroke
needs two paints (the typed letter, then its results), so at 60 the pacing alone adds
~33 ms. Its update timer, woken after a paint, waits one to two ticks before the next, so the
results of a search (5–10 ms at 100k) that land just after the letter's paint waited up to 8 ms
at 240; at 1000 it is at most 2 ms (key → results p95 at 100k, 120×40, 1–3 ms lower in five
alternating pairs of runs). Animations keep their own 60 a second, and an idle app paints
nothing: the timer runs only while something is waiting to be painted. Set before Textual is
imported (it reads the variable once); a user's own value wins.
"""

import os

os.environ.setdefault("TEXTUAL_FPS", "1000")
