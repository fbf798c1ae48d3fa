"""Reference data: Hokkaido's areas and the need taxonomy.

Owns the gazetteer (subprefectures, municipalities, Sapporo's wards, postal codes, how
a place is named and what contains what), the need taxonomy with its synonyms and
crisis flags, and loading both into a catalogue's reference tables. May use only the
base modules (text, db, errors). The lowest capability: everything else may use it.
"""
