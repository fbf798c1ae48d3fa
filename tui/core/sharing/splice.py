"""A few resources of a big package, read and replaced without parsing the rest (pure).

Every row of a Tsunagu package starts with its own uuid, every file is sorted by it, and a
resource's row ids follow from its Tsunagu id (``uid(id)``, ``uid(id, "location")``,
``uid(id, "voice", "0")`` …). So one resource's rows are found with a byte search, and a
changed row is cut out and the new one put in its sorted place by bisection: a sync that
carries one edited field at 100,000 resources rewrites a few lines, not the package.

Records are found as CSV has them: a record starts after a line end outside any quoted cell
(quote parity), so a pasted ``<uuid>,`` at the start of a line inside a cell is text, not a
row. A file in another tool's layout (columns in another order, extra columns, CRLF) is
first put in ours by its header (``normalise``): our columns first, in our order, then its
extra columns, kept row by row. A row that cannot be read (invalid UTF-8, a cell past
``MAX_CELL``, a row cut short) is reported as a ``BadRow`` naming file, row and column.
"""

from __future__ import annotations

import csv
import functools
import io
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

from tui.core.models import Resource
from tui.core.sharing.hsds import (
    COLUMNS,
    OWNED,
    Term,
    as_list,
    build_package,
    organization_row,
    organization_uuid,
    resource_rows,
    uid,
)
from tui.core.sharing.hsds_read import BadRow, PackageReader, RowError, assemble, check_row
from tui.core.sharing.layout import exactly_ours
from tui.core.sharing.lines import differing_lines

# Past this many resources a full parse and rebuild is cheaper than searching for each.
SPARSE_LIMIT = 300
LIST_KINDS = (("phones.csv", "voice"), ("phones.csv", "fax"), ("languages.csv", "language"),
              ("service_areas.csv", "serves"), ("attributes.csv", "need"))


@functools.lru_cache(maxsize=64)
def _starts(data: bytes) -> np.ndarray:
    """Where each record starts (the header's at 0): after a line end outside any quoted cell
    (an even number of quotes before it). Vectorised: a 35 MB file in tens of milliseconds.
    Cached by content (a bytes object keeps its hash, so asking again costs nothing)."""
    raw = np.frombuffer(data, dtype=np.uint8)
    line_ends = np.flatnonzero(raw == 10)
    quotes = np.flatnonzero(raw == 34)
    outside = np.searchsorted(quotes, line_ends) % 2 == 0
    starts = line_ends[outside] + 1
    return np.concatenate(([0], starts[starts < len(data)])).astype(np.int64)


def _outside(data: bytes, pos: int) -> bool:
    """Is byte ``pos`` outside any quoted cell (an even number of quotes before it)? Counting one
    byte runs at memory speed: a few ms through a 35 MB file, where ``_starts`` takes ~90 ms."""
    return data.count(b'"', 0, pos) % 2 == 0


def _record_end(data: bytes, start: int) -> int:
    """Where the record starting at ``start`` ends: after its first line end with its quotes
    closed (len(data) if none)."""
    end = data.find(b"\n", start)
    while end >= 0 and data.count(b'"', start, end) % 2:
        end = data.find(b"\n", end + 1)
    return end + 1 if end >= 0 else len(data)


def _record_start(data: bytes, pos: int) -> int:
    """Where the record holding byte ``pos`` starts: back over the lines of a quoted cell."""
    start = data.rfind(b"\n", 0, pos) + 1
    while start > 0 and not _outside(data, start - 1):
        start = data.rfind(b"\n", 0, start - 1) + 1
    return start


def _row_number(data: bytes, start: int) -> int:
    """The row number (header = 1) of the record starting at ``start``, as a spreadsheet shows it."""
    return int(np.searchsorted(_starts(data), start, "right"))


def _span(data: bytes, row_id: str) -> tuple[int, int] | None:
    needle = b"\n" + row_id.encode() + b","
    at = data.find(needle)
    while at >= 0:
        if _outside(data, at):  # a record's start, not a line inside a quoted cell
            return at + 1, _record_end(data, at + 1)
        at = data.find(needle, at + 1)
    return None


def row_number(files: Mapping[str, bytes], file: str, row_id: str) -> int:
    """The row (header = 1) holding this id, 0 if none."""
    data = files.get(file, b"")
    span = _span(data, row_id)
    return _row_number(data, span[0]) if span else 0


def service_row(files: Mapping[str, bytes], rid: str) -> int:
    """The services.csv row of a resource (0 if none): ours at ``uid(id)``, another tool's at its own uuid."""
    return row_number(files, "services.csv", uid(rid)) or row_number(files, "services.csv", rid)


def _decode(file: str, record: bytes, number: int) -> list[str]:
    return next(csv.reader(io.StringIO(record.decode("utf-8", "surrogateescape"), newline="")), [])


def _parse(file: str, record: bytes, number: Callable[[], int] | None = None) -> dict[str, str]:
    """A record's cells by column; with ``number`` (its row, worked out only for a message), a row
    that breaks the package's rules raises RowError."""
    cells = _decode(file, record, 0)
    if number is not None and (bad := check_row(file, cells, 0, ours=True)):
        raise RowError(check_row(file, cells, number(), ours=True) or bad)
    return dict(zip(COLUMNS[file], cells, strict=False))  # a short row (another tool's) leaves fields blank


def _row(files: Mapping[str, bytes], file: str, row_id: str, *, strict: bool = False) -> dict[str, str] | None:
    data = files.get(file, b"")
    span = _span(data, row_id)
    if not span:
        return None
    return _parse(file, data[span[0]:span[1]], (lambda: _row_number(data, span[0])) if strict else None)


def _sequence(files: Mapping[str, bytes], file: str, rid: str, kind: str) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    while (row := _row(files, file, uid(rid, kind, str(len(out))), strict=True)) is not None:
        out.append(row)
    return out


def read_resources(
    files: Mapping[str, bytes], ids: Iterable[str], bad: list[BadRow] | None = None
) -> dict[str, Resource]:
    """These resources as the package has them (absent ones left out). With ``bad``, a resource
    with a row that cannot be read is left out too and the row named there; without it, such a row
    raises: RowError, or past ``SPARSE_LIMIT`` ids (the whole package read) the reader's ValueError
    or UnicodeDecodeError. Every caller in the app passes ``bad``. A service another tool added
    (no ``tsunagu_id``: its uuid is its id) is read by its owners' rows, as an import reads it."""
    ids = list(ids)
    if len(ids) > SPARSE_LIMIT:
        return _read_whole(files, ids, bad)
    out: dict[str, Resource] = {}
    terms: dict[str, str] = {}
    foreign: list[str] = []
    for rid in ids:
        try:
            one = _read_one(files, rid, terms)
        except RowError as e:
            if bad is None:
                raise
            bad.append(BadRow(e.bad.file, e.bad.row, e.bad.column, e.bad.reason, rid))
            continue
        if one is not None:
            out[rid] = one
        elif foreign_service(files, rid):
            foreign.append(rid)
    if foreign:
        out.update(_read_whole(files, foreign, bad))
    return out


def _read_whole(files: Mapping[str, bytes], ids: list[str], bad: list[BadRow] | None) -> dict[str, Resource]:
    """These resources by a full parse: each named by ``uid(id)``, or by its own uuid when another
    tool wrote its row."""
    reader = PackageReader(files, lenient=bad is not None)
    wanted = set(ids)
    found = reader.resources([*(uid(i) for i in ids), *ids])
    if bad is not None:
        bad.extend(reader.bad)
    return {rid: resource for rid, resource in found.items() if rid in wanted}


def foreign_service(files: Mapping[str, bytes], rid: str) -> bool:
    """Whether ``rid`` is the uuid of a services row another tool wrote (no ``tsunagu_id``)."""
    row = _row(files, "services.csv", rid)
    return row is not None and _named(row) == rid and _row(files, "services.csv", uid(rid)) is None


def _read_one(files: Mapping[str, bytes], rid: str, terms: dict[str, str]) -> Resource | None:
    service = _row(files, "services.csv", uid(rid), strict=True)
    if service is None:
        return None
    rows: dict[str, list[dict[str, str]]] = {"phones.csv": []}
    for file, kind in LIST_KINDS:
        rows.setdefault(file, []).extend(_sequence(files, file, rid, kind))
    for file, key in (("locations.csv", "location"), ("addresses.csv", "address"), ("schedules.csv", "hours")):
        found = _row(files, file, uid(rid, key), strict=True)
        rows[file] = [found] if found else []
    org = _row(files, "organizations.csv", service["organization_id"], strict=True)
    unknown = service["organization_id"] == organization_uuid("")

    def need_code(term: str) -> str:
        if term not in terms:
            terms[term] = (_row(files, "taxonomy_terms.csv", term) or {}).get("code", term)
        return terms[term]

    return assemble(rid, service, rows, "" if unknown or org is None else org["name"], need_code)


def changed_ids(old: Mapping[str, bytes], new: Mapping[str, bytes], same: Sequence[str] = ()) -> set[str]:
    """Tsunagu ids of the resources whose rows differ between two versions of a package.
    ``same``: files known to be identical (their blob ids match), not even compared."""
    if not old.get("services.csv") or not new.get("services.csv"):
        return {*PackageReader(old, lenient=True).service_uuids().values(),
                *PackageReader(new, lenient=True).service_uuids().values()}
    changed: set[str] = set()
    for file in OWNED:
        if file in same:
            continue
        before, after = old.get(file, b""), new.get(file, b"")
        if before == after:
            continue
        middle_before, middle_after = differing_lines(before, after)
        lines_before, lines_after = Counter(middle_before.split(b"\n")), Counter(middle_after.split(b"\n"))
        removed, added = lines_before - lines_after, lines_after - lines_before
        if len(removed) + len(added) > SPARSE_LIMIT:
            return _changed_by_parsing(old, new)
        for files, data, lines in ((old, before, removed), (new, after, added)):
            for line in lines:
                changed.update(_owners_of_line(files, file, data, line))
    return changed


def _owners_of_line(files: Mapping[str, bytes], file: str, data: bytes, line: bytes) -> set[str]:
    owners: set[str] = set()
    if not line:
        return owners
    at = data.find(b"\n" + line + b"\n")
    while at >= 0:
        start = _record_start(data, at + 1)  # a cell's later line: back to its record
        row = _parse(file, data[start:_record_end(data, start)])
        owners.add(_owner(files, file, row))
        at = data.find(b"\n" + line + b"\n", at + 1)
    owners.discard("")
    return owners


def _owner(files: Mapping[str, bytes], file: str, row: dict[str, str]) -> str:
    if file == "services.csv":
        return _named(row)
    if file in ("locations.csv", "addresses.csv"):
        location = row.get("id" if file == "locations.csv" else "location_id", "")
        sal = files.get("service_at_location.csv", b"")
        at = sal.find(b"," + location.encode())
        if at < 0:
            return ""
        start = _record_start(sal, at)
        sid = _parse("service_at_location.csv", sal[start:_record_end(sal, start)]).get("service_id", "")
    else:
        sid = row.get(OWNED[file], "")
    service = _row(files, "services.csv", sid)
    return _named(service) if service else ""


def _named(service: Mapping[str, str]) -> str:
    """A services row's Tsunagu id: its ``tsunagu_id``, or its own uuid when another tool left that
    blank, as an import reads it (a row cut short before the column names no one: it is a bad row)."""
    tid = service.get("tsunagu_id")
    return service.get("id", "") if tid == "" else tid or ""


def _changed_by_parsing(old: Mapping[str, bytes], new: Mapping[str, bytes]) -> set[str]:
    before, after = PackageReader(old, lenient=True), PackageReader(new, lenient=True)
    names = {**before.service_uuids(), **after.service_uuids()}
    changed: set[str] = set()
    for file in OWNED:
        if old.get(file) != new.get(file):
            a, b = before.owned(file), after.owned(file)
            changed.update(names.get(s, "") for s in a.keys() | b.keys() if a.get(s) != b.get(s))
    changed.discard("")
    return changed


def package_changes(
    files: Mapping[str, bytes], resources: Sequence[Resource], terms: Sequence[Term], places: Mapping[str, str]
) -> dict[str, bytes]:
    """The files that change when these resources replace theirs in the package (only those files)."""
    if (
        not files.get("services.csv")
        or len(resources) > SPARSE_LIMIT
        and all(exactly_ours(f, files[f]) for f in files)
    ):
        reader = PackageReader(files, lenient=True)
        everything = reader.resources() if files.get("services.csv") else {}
        if not reader.bad:  # else the splice below: rows it cannot read stay as they are
            everything.update((r.id, r) for r in resources)
            built = build_package((everything[k] for k in sorted(everything)), terms, places)
            return {name: data for name, data in built.items() if files.get(name) != data}
    old = read_resources(files, [r.id for r in resources], [])
    edits: dict[str, dict[str, bytes | None]] = {file: {} for file in (*OWNED, "organizations.csv")}
    in_our_rows = old.keys() - _give_way(files, [r.id for r in resources if foreign_service(files, r.id)], edits)
    for resource in resources:
        before = resource_rows(old[resource.id], places) if resource.id in in_our_rows else {}
        after = resource_rows(resource, places)
        for file in OWNED:
            was = {row["id"]: _line(file, row) for row in before.get(file, [])}
            now = {row["id"]: _line(file, row) for row in after.get(file, [])}
            for row_id in was.keys() | now.keys():
                if was.get(row_id) != now.get(row_id):
                    edits[file][row_id] = now.get(row_id)
    out = {file: _splice(files.get(file, b""), file, rows) for file, rows in edits.items() if rows}
    services = out.get("services.csv", files["services.csv"])
    organizations = files.get("organizations.csv", b"")
    for name in {r.organization for r in resources} | {r.organization for r in old.values()}:
        oid = organization_uuid(name)
        used = (b"," + oid.encode() + b",") in services
        if used != (_span(organizations, oid) is not None):
            edits["organizations.csv"][oid] = _line("organizations.csv", organization_row(name)) if used else None
    if edits["organizations.csv"]:
        out["organizations.csv"] = _splice(organizations, "organizations.csv", edits["organizations.csv"])
    return {name: data for name, data in out.items() if files.get(name) != data}


def _give_way(files: Mapping[str, bytes], adopted: list[str], edits: dict[str, dict[str, bytes | None]]) -> set[str]:
    """Another tool's services, changed here: their rows (that tool's ids) give way to ours
    (``uid(id)``, tsunagu_id = its uuid, all written anew), so the package never holds one resource twice."""
    if not adopted:
        return set()
    reader = PackageReader(files, lenient=True)
    for file in OWNED:
        for rid in adopted:
            edits[file].update((row[0], None) for row in reader.owned(file).get(rid, []))
    return set(adopted)


def _line(file: str, row: Mapping[str, str]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(as_list(file, row))
    return out.getvalue().encode("utf-8")


def _splice(data: bytes, file: str, edits: Mapping[str, bytes | None]) -> bytes:
    """``data`` with these records replaced, removed (None) or put in their sorted place. A
    replaced record keeps the cells of another tool's extra columns."""
    if not data:
        data = (",".join(COLUMNS[file]) + "\n").encode("utf-8")
    if not data.endswith(b"\n"):
        data += b"\n"
    header_end = _record_end(data, 0)
    extra = len(_decode(file, data[:header_end], 1)) - len(COLUMNS[file])
    pieces: list[tuple[int, int, str, bytes]] = []
    for row_id, record in edits.items():
        span = _span(data, row_id)
        if span is not None:
            if record and extra > 0:
                kept = _decode(file, data[span[0]:span[1]], 0)[len(COLUMNS[file]):]
                record = _with_extra(record, kept + [""] * (extra - len(kept)))
            pieces.append((span[0], span[1], row_id, record or b""))
        elif record:
            if extra > 0:
                record = _with_extra(record, [""] * extra)
            at = _insertion_point(data, row_id.encode(), header_end)
            pieces.append((at, at, row_id, record))
    out, done = [], 0
    for start, end, _, record in sorted(pieces):
        out += [data[done:start], record]
        done = end
    out.append(data[done:])
    return b"".join(out)


def _with_extra(record: bytes, cells: list[str]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return record[:-1] + b"," + out.getvalue().encode("utf-8", "surrogateescape")


def _insertion_point(data: bytes, row_id: bytes, low: int) -> int:
    """Where a record with this id goes: before the first record whose id sorts after it."""
    starts = _starts(data)
    lo, hi = int(np.searchsorted(starts, low, "left")), len(starts)
    while lo < hi:
        middle = (lo + hi) // 2
        at = int(starts[middle])
        if data[at:at + 36] > row_id:
            hi = middle
        else:
            lo = middle + 1
    return int(starts[lo]) if lo < len(starts) else len(data)
