"""The Textual front end of Tsunagu.

Textual repaints at most ``TEXTUAL_FPS`` times a second (60 by default), and a keystroke
needs two paints (the typed letter, then its results), so at 60 the pacing alone adds
~33 ms. At 240 results wait at most a 4 ms tick for their paint (p95 of that wait at 100k:
about 10 ms at 120, 4–5 ms at 240); animations keep their own 60 a second, and an idle app
paints nothing. Set before Textual is imported (it reads the variable once); a user's own
value wins.
"""

import os

os.environ.setdefault("TEXTUAL_FPS", "240")
