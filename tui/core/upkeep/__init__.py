"""Upkeep: keeping the catalogue true.

Owns verification (what is due, verify, the due worksheet and its re-import) and the
confirm-or-correct letters to organisations. May use ``loading``, ``store``,
``reference`` and the base modules.
"""
