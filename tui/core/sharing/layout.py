"""Another tool's layout put in ours (pure): a package file read by its header, our columns first
in our order, then its own extra columns (kept), LF line ends, rows sorted by id — so a package
written by another tool splices and diffs as one of ours does (``splice``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping, Sequence

from tui.core.sharing.hsds import COLUMNS


def is_ours(file: str, data: bytes) -> bool:
    """Is this file in our layout: our columns first, in order (extra columns after), LF line ends?"""
    if file not in COLUMNS or not data:
        return True
    ours = (",".join(COLUMNS[file])).encode()
    line_end = data.find(b"\n")
    header = data[:line_end if line_end >= 0 else len(data)]
    # A lone CR is found at memory speed; looking for CR LF through tens of MB is ten times slower.
    return (header == ours or header.startswith(ours + b",")) and (b"\r" not in data or (
        b"\r" not in header and b"\r\n" not in data))


def exactly_ours(file: str, data: bytes) -> bool:
    """Our layout with no other tool's columns (a whole rebuild would lose them otherwise)."""
    return file not in COLUMNS or is_ours(file, data) and data.startswith(",".join(COLUMNS[file]).encode() + b"\n")


def normalise(file: str, data: bytes) -> bytes:
    """``data`` in our layout, read by its header: our columns in our order, then its own extra
    columns (kept), LF line ends, rows sorted by id. Bytes that are not UTF-8 are kept as they
    are: the reader names their row and keeps its resource out."""
    if is_ours(file, data):
        return data
    text = data.decode("utf-8-sig", "surrogateescape")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    where = {name: n for n, name in enumerate(header) if name}
    extras = [name for name in header if name and name not in COLUMNS[file]]
    rows: list[list[str]] = []
    for cells in reader:
        if not any(cells):
            continue
        rows.append([cells[where[c]] if c in where and where[c] < len(cells) else ""
                     for c in (*COLUMNS[file], *extras)])
    rows.sort(key=_first_cell)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*COLUMNS[file], *extras])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8", "surrogateescape")


def _first_cell(row: Sequence[str]) -> str:
    return row[0]


class Received(Mapping[str, bytes]):
    """A package as another office (or tool) wrote it, each file put in our layout when first read.

    ``shared``: files already put in our layout, by blob id, for packages read from one repository
    (a file the merge base, this office and the other share is looked at once, not three times)."""

    def __init__(self, files: Mapping[str, bytes], shared: dict | None = None):
        self.files = files
        self._done: dict[str, bytes] = {}
        self._shared = shared if shared is not None else {}
        self._ids = getattr(files, "ids", {})

    def __getitem__(self, name: str) -> bytes:
        if name not in self._done:
            blob = self._ids.get(name)
            if blob is not None and blob in self._shared:
                self._done[name] = self._shared[blob]
            else:
                self._done[name] = normalise(name, self.files[name]) if name.endswith(".csv") \
                    else self.files[name]
                if blob is not None:
                    self._shared[blob] = self._done[name]
        return self._done[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.files)

    def __len__(self) -> int:
        return len(self.files)
