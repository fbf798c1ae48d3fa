"""Rows one office kept out, told to every office — the one that pushed them included (issue 19).

A received row that fails the import's rules is kept out where it arrives and listed there
(``tsunagu sync``, ``tsunagu conflicts``). So that the office that sent it hears of it too, each
office writes what it keeps out into the package beside the HSDS files, as
``kept-out-KEY.csv`` (KEY: a random id of this catalogue, made once, never a name), and every
sync reads the other offices' files. A row there names the resource, the file, row and column,
and the reason in the import's words; nothing private (a received row holds public fields only).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping

from tui.core.public import for_output
from tui.core.sharing import office_files
from tui.core.sharing.hsds_read import BadRow

PREFIX = "kept-out-"
HEADER = ("tsunagu_id", "file", "row", "column", "reason")
_MOST = 1000  # rows read from one office's file: a hostile one cannot flood the output


def still_kept_out(before: list[BadRow], affected, bad: list[BadRow]) -> list[BadRow]:
    """Rows kept out after a sync: older ones whose resource was not read again, and this sync's."""
    read_now = set(affected)  # their rows for these were read again: older rejections of them are done
    return [old for old in before if old.id not in read_now] + list(bad)


def new_key() -> str:
    return secrets.token_hex(5)


def file_name(key: str) -> str:
    return office_files.name(PREFIX, key)


def file_bytes(rows: list[BadRow]) -> bytes:
    """This office's list, whole (a header alone when it keeps nothing out now)."""
    return office_files.write(HEADER, ((bad.id, bad.file, bad.row, bad.column, bad.reason) for bad in rows))


def read_others(files: Mapping[str, bytes], own_key: str) -> list[tuple[str, BadRow]]:
    """(office key, row) for every row another office says it kept out; every value is cleaned as
    catalogue text is (it is another office's input), a line whose row is not a number skipped."""
    found: list[tuple[str, BadRow]] = []
    for office, line in office_files.read(files, PREFIX, HEADER, own_key, _MOST):
        if not line[2].isdigit() or len(line[2]) > 9:
            continue
        rid, file, row, column, reason = (for_output(value, multiline=False)[:500] for value in line)
        found.append((office, BadRow(file, int(row), column, reason, rid)))
    return found
