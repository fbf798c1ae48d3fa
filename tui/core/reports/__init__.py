"""Reports: coverage of needs across Hokkaido's areas, and its renderings.

Owns the coverage counts (active, unverified, paused resources serving each place per
need), the gap sentences and the table/CSV/xlsx/JSON/HTML outputs (inline SVG, no
scripts). May use ``loading``, ``store``, ``reference`` and the base modules.
"""
