"""A few resources of a big package, read and replaced without parsing the rest (pure).

Every row of a Tsunagu package starts with its own uuid, every file is sorted by it, and a
resource's row ids follow from its Tsunagu id (``uid(id)``, ``uid(id, "location")``,
``uid(id, "voice", "0")`` …). So one resource's rows are found with a byte search, and a
changed row is cut out and the new one put in its sorted place by bisection: a sync that
carries one edited field at 100,000 resources rewrites a few lines, not the package.
A record ends where the next line starting with a uuid and a comma begins (a quoted cell
may span lines; one starting with a uuid and a comma is not something catalogue text holds).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from tui.core.models import Resource
from tui.core.sharing.hsds import (
    COLUMNS,
    OWNED,
    PackageReader,
    Term,
    as_list,
    assemble,
    build_package,
    organization_row,
    organization_uuid,
    resource_rows,
    uid,
)

# Past this many resources a full parse and rebuild is cheaper than searching for each.
SPARSE_LIMIT = 300
_UUID = rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12},"
_RECORD_START = re.compile(rb"\n(?=" + _UUID + rb")")
_STARTS_RECORD = re.compile(_UUID)
LIST_KINDS = (("phones.csv", "voice"), ("phones.csv", "fax"), ("languages.csv", "language"),
              ("service_areas.csv", "serves"), ("attributes.csv", "need"))


def _next_start(data: bytes, pos: int) -> int:
    """Where the first record at or after ``pos`` starts (len(data) if none)."""
    found = _RECORD_START.search(data, max(pos - 1, 0))
    return found.start() + 1 if found else len(data)


def _span(data: bytes, row_id: str) -> tuple[int, int] | None:
    at = data.find(b"\n" + row_id.encode() + b",")
    if at < 0:
        return None
    return at + 1, _next_start(data, at + 2)


def _parse(file: str, record: bytes) -> dict[str, str]:
    row = next(csv.reader(io.StringIO(record.decode("utf-8"), newline="")), [])
    return dict(zip(COLUMNS[file], row, strict=False))  # a short row (another tool's) leaves fields blank


def _row(files: Mapping[str, bytes], file: str, row_id: str) -> dict[str, str] | None:
    data = files.get(file, b"")
    span = _span(data, row_id)
    return _parse(file, data[span[0]:span[1]]) if span else None


def _sequence(files: Mapping[str, bytes], file: str, rid: str, kind: str) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    while (row := _row(files, file, uid(rid, kind, str(len(out))))) is not None:
        out.append(row)
    return out


def read_resources(files: Mapping[str, bytes], ids: Iterable[str]) -> dict[str, Resource]:
    """These resources as the package has them (absent ones left out)."""
    ids = list(ids)
    if len(ids) > SPARSE_LIMIT:
        return {k: v for k, v in PackageReader(files).resources(uid(i) for i in ids).items()}
    out: dict[str, Resource] = {}
    terms: dict[str, str] = {}
    for rid in ids:
        service = _row(files, "services.csv", uid(rid))
        if service is None:
            continue
        rows: dict[str, list[dict[str, str]]] = {"phones.csv": []}
        for file, kind in LIST_KINDS:
            rows.setdefault(file, []).extend(_sequence(files, file, rid, kind))
        for file, key in (("locations.csv", "location"), ("addresses.csv", "address"), ("schedules.csv", "hours")):
            found = _row(files, file, uid(rid, key))
            rows[file] = [found] if found else []
        org = _row(files, "organizations.csv", service["organization_id"])
        unknown = service["organization_id"] == organization_uuid("")

        def need_code(term: str) -> str:
            if term not in terms:
                terms[term] = (_row(files, "taxonomy_terms.csv", term) or {}).get("code", term)
            return terms[term]

        out[rid] = assemble(rid, service, rows, "" if unknown or org is None else org["name"], need_code)
    return out


def changed_ids(old: Mapping[str, bytes], new: Mapping[str, bytes], same: Sequence[str] = ()) -> set[str]:
    """Tsunagu ids of the resources whose rows differ between two versions of a package.
    ``same``: files known to be identical (their blob ids match), not even compared."""
    if not old.get("services.csv") or not new.get("services.csv"):
        return {*PackageReader(old).service_uuids().values(), *PackageReader(new).service_uuids().values()}
    changed: set[str] = set()
    for file in OWNED:
        if file in same:
            continue
        before, after = old.get(file, b""), new.get(file, b"")
        if before == after:
            continue
        lines_before, lines_after = Counter(before.split(b"\n")), Counter(after.split(b"\n"))
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
        start = at + 1
        while not _STARTS_RECORD.match(data, start) and start > 0:  # a cell's later line: back to its record
            start = data.rfind(b"\n", 0, start - 1) + 1
        row = _parse(file, data[start:_next_start(data, start + 1)])
        owners.add(_owner(files, file, row))
        at = data.find(b"\n" + line + b"\n", at + 1)
    owners.discard("")
    return owners


def _owner(files: Mapping[str, bytes], file: str, row: dict[str, str]) -> str:
    if file == "services.csv":
        return row.get("tsunagu_id", "")
    if file in ("locations.csv", "addresses.csv"):
        location = row.get("id" if file == "locations.csv" else "location_id", "")
        sal = files.get("service_at_location.csv", b"")
        at = sal.find(b"," + location.encode())
        if at < 0:
            return ""
        start = sal.rfind(b"\n", 0, at) + 1
        sid = _parse("service_at_location.csv", sal[start:_next_start(sal, start + 1)]).get("service_id", "")
    else:
        sid = row.get(OWNED[file], "")
    service = _row(files, "services.csv", sid)
    return service.get("tsunagu_id", "") if service else ""


def _changed_by_parsing(old: Mapping[str, bytes], new: Mapping[str, bytes]) -> set[str]:
    before, after = PackageReader(old), PackageReader(new)
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
    if not files.get("services.csv") or len(resources) > SPARSE_LIMIT:
        everything = PackageReader(files).resources() if files.get("services.csv") else {}
        everything.update((r.id, r) for r in resources)
        built = build_package((everything[k] for k in sorted(everything)), terms, places)
        return {name: data for name, data in built.items() if files.get(name) != data}
    old = read_resources(files, [r.id for r in resources])
    edits: dict[str, dict[str, bytes | None]] = {file: {} for file in (*OWNED, "organizations.csv")}
    for resource in resources:
        before = resource_rows(old[resource.id], places) if resource.id in old else {}
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


def _line(file: str, row: Mapping[str, str]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(as_list(file, row))
    return out.getvalue().encode("utf-8")


def _splice(data: bytes, file: str, edits: Mapping[str, bytes | None]) -> bytes:
    """``data`` with these records replaced, removed (None) or put in their sorted place."""
    if not data:
        data = (",".join(COLUMNS[file]) + "\n").encode("utf-8")
    header_end = data.index(b"\n") + 1
    pieces: list[tuple[int, int, str, bytes]] = []
    for row_id, record in edits.items():
        span = _span(data, row_id)
        if span is not None:
            pieces.append((span[0], span[1], row_id, record or b""))
        elif record:
            at = _insertion_point(data, row_id.encode(), header_end)
            pieces.append((at, at, row_id, record))
    out, done = [], 0
    for start, end, _, record in sorted(pieces):
        out += [data[done:start], record]
        done = end
    out.append(data[done:])
    return b"".join(out)


def _insertion_point(data: bytes, row_id: bytes, low: int) -> int:
    """Where a record with this id goes: before the first record whose id sorts after it."""
    high = len(data)
    while low < high:
        middle = (low + high) // 2
        start = _next_start(data, middle)
        if start >= len(data) or data[start:start + 36] > row_id:
            high = middle
        else:
            low = middle + 1
    return _next_start(data, low)
