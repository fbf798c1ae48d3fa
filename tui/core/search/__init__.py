"""Search: from a typed query to ranked hits, fast at 100k–1M resources.

Owns the search index (its build, its stored parts in ``stored``, n-gram posting lists, sort
keys, readings of names, typo tolerance) and the query path (parse, match, ``scoring``, rank),
plus the crisis fallback that widens a search that finds nobody to call. May use the
base modules and ``reference``. It never writes resources: the store calls it.
"""
