"""Loading: spreadsheets in and out, and the one set of row rules.

Owns the readers (CSV in any Japanese encoding, xlsx, JSON), the row rules every value
passes (``headers`` and their Japanese aliases; lists, dates, areas, needs), the import (one
transaction, all or nothing, ``rejected`` rows written beside the input), the export, the
edit rules shared by ``tsunagu edit`` and the app's editor, and the seed build of the
shipped catalogue. May use ``store``, ``search``, ``reference`` and the base modules.
"""
