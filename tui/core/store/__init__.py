"""The catalogue store: one SQLite file per office and everything that writes it.

Owns the ``Catalogue`` (open, read, search entry point, the one write path ``_store``),
the schema and its migrations, the change log (who changed which field, when and how),
backups of the catalogue file. May use the base modules (models, db, files, errors,
public, text, dates), ``reference`` (areas, needs, reference tables) and ``search`` (the
index it keeps up to date). Nothing here knows about spreadsheets, sharing, referrals
or any front end.
"""
