"""The pure core: areas, needs, the catalogue, search, import/export, referrals.

Nothing here imports textual or rich; the UI and the CLI are fronts on it.
"""
