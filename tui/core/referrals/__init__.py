"""Referrals: the log of who was sent where, and what the worker hands over.

Owns the referral log (its own SQLite file, never shared), the readable view of it (a
confidential place's private fields withheld), the note text and case note files, the
handout and the monthly report. May use ``loading`` (readers for report output),
``store``, ``reference`` and the base modules. Nothing here leaves the machine.
"""
