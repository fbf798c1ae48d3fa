"""The Textual front end of Tsunagu.

Textual repaints at most ``TEXTUAL_FPS`` times a second (60 by default), and a keystroke
needs two paints (the typed letter, then its results), so at 60 the pacing alone adds
~33 ms. 120 lets results follow a key within one 8 ms tick; an idle app paints nothing.
Set before Textual is imported (it reads the variable once); a user's own value wins.
"""

import os

os.environ.setdefault("TEXTUAL_FPS", "120")
