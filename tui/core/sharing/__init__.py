"""Sharing between offices: HSDS packages in a git repository, merged per field.

Owns the HSDS 3.0 package (``hsds`` writes, ``hsds_read`` reads, ``splice`` rewrites only
changed rows), the git store (``gitstore``: dulwich commits and trees; ``exchange``: fetch,
push, bundles), the pure three-way merge and ``sync`` that ties them to the catalogue, with
its remembered state (``state``) and conflicts (``conflicts``). May use ``loading`` (every received
value passes the import's row rules), ``store``, ``reference`` and the base modules.
Private fields and the referral log never enter a package.
"""
