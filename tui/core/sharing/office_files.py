"""One office's own CSV beside the package, ``PREFIX-KEY.csv`` (KEY: the catalogue's random id,
never a name): rows kept out (``keptout``) and conflicts decided (``decisions``). Written whole
by its office; read by the others as untrusted input — only files named as we name them, with
our header, UTF-8, and lines of the header's length, at most ``most`` of them from one file."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence


def name(prefix: str, key: str) -> str:
    return f"{prefix}{key}.csv"


def write(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def read(files: Mapping[str, bytes], prefix: str, header: Sequence[str], own_key: str,
         most: int) -> list[tuple[str, list[str]]]:
    """(office key, line) from every other office's file, in file order."""
    pattern = re.compile(re.escape(prefix) + r"([a-f0-9]{10})\.csv")
    found: list[tuple[str, list[str]]] = []
    for file in sorted(files):
        match = pattern.fullmatch(file)
        if not match or match.group(1) == own_key:
            continue
        try:
            lines = list(csv.reader(io.StringIO(files[file].decode("utf-8"), newline="")))
        except UnicodeDecodeError:
            continue
        if not lines or lines[0] != list(header):
            continue
        found += [(match.group(1), line) for line in lines[1:most + 1] if len(line) == len(header)]
    return found
