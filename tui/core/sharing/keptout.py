"""Rows one office kept out, told to every office — the one that pushed them included (issue 19).

A received row that fails the import's rules is kept out where it arrives and listed there
(``tsunagu sync``, ``tsunagu conflicts``). So that the office that sent it hears of it too, each
office writes what it keeps out into the package beside the HSDS files, as
``kept-out-KEY.csv`` (KEY: a random id of this catalogue, made once, never a name), and every
sync reads the other offices' files. A row there names the resource, the file, row and column,
and the reason in the import's words; nothing private (a received row holds public fields only).
"""

from __future__ import annotations

import csv
import io
import re
import secrets
from collections.abc import Mapping

from tui.core.public import for_output
from tui.core.sharing.hsds_read import BadRow

PREFIX = "kept-out-"
HEADER = ("tsunagu_id", "file", "row", "column", "reason")
_NAME = re.compile(r"kept-out-([a-f0-9]{10})\.csv")
_MOST = 1000  # rows read from one office's file: a hostile one cannot flood the output


def still_kept_out(before: list[BadRow], affected, bad: list[BadRow]) -> list[BadRow]:
    """Rows kept out after a sync: older ones whose resource was not read again, and this sync's."""
    read_now = set(affected)  # their rows for these were read again: older rejections of them are done
    return [old for old in before if old.id not in read_now] + list(bad)


def new_key() -> str:
    return secrets.token_hex(5)


def file_name(key: str) -> str:
    return f"{PREFIX}{key}.csv"


def file_bytes(rows: list[BadRow]) -> bytes:
    """This office's list, whole (a header alone when it keeps nothing out now)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows((bad.id, bad.file, bad.row, bad.column, bad.reason) for bad in rows)
    return out.getvalue().encode("utf-8")


def read_others(files: Mapping[str, bytes], own_key: str) -> list[tuple[str, BadRow]]:
    """(office key, row) for every row another office says it kept out; a file or line not as written
    here is skipped, and every value is cleaned as catalogue text is (it is another office's input)."""
    found: list[tuple[str, BadRow]] = []
    for name in sorted(files):
        match = _NAME.fullmatch(name)
        if not match or match.group(1) == own_key:
            continue
        try:
            text = files[name].decode("utf-8")
        except UnicodeDecodeError:
            continue
        reader = csv.reader(io.StringIO(text, newline=""))
        if next(reader, None) != list(HEADER):
            continue
        for line in list(reader)[:_MOST]:
            if len(line) != len(HEADER) or not line[2].isdigit() or len(line[2]) > 9:
                continue
            rid, file, row, column, reason = (for_output(value, multiline=False)[:500] for value in line)
            found.append((match.group(1), BadRow(file, int(row), column, reason, rid)))
    return found
