"""Reading an HSDS package back into resources (bytes → resources; pure: no git, no disk).

Each received row is checked before it is read (``check_row``: invalid UTF-8, a cell past
``MAX_CELL``, a row of our own layout cut short); a row that cannot be read becomes a
``BadRow`` named by file, row and column, never a traceback. The layout is ``hsds.py``'s.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from tui.core.loading.importing import MAX_CELL
from tui.core.models import Resource
from tui.core.sharing.hsds import COLUMNS, OWNED, STATUS_FROM_HSDS, organization_uuid, uid


@dataclass(frozen=True, slots=True)
class BadRow:
    """A received row kept out: where it is and why (the import's words)."""

    file: str
    row: int  # as a spreadsheet shows it: the header is row 1
    column: str
    reason: str
    id: str = ""  # the resource's Tsunagu id when known

    def __str__(self) -> str:
        where = f"{self.file} {self.row}行目 (row {self.row})" + (f" [{self.column}]" if self.column else "")
        return f"{where}{' ' + self.id if self.id else ''}: {self.reason}"


class RowError(ValueError):
    def __init__(self, bad: BadRow):
        super().__init__(str(bad))
        self.bad = bad


_SURROGATE = re.compile("[\udc80-\udcff]")


def check_row(file: str, cells: Sequence[str], number: int, *, ours: bool, header: Sequence[str] = (),
              valid_utf8: bool = False) -> BadRow | None:
    """Why a received row cannot be read (None: it can): invalid UTF-8, a cell past MAX_CELL, or a
    row of our own layout cut short. ``valid_utf8``: the whole file decoded strictly, so no cell
    holds an undecodable byte — a good row is then passed by one length check, not cell by cell."""
    short = ours and len(cells) < len(COLUMNS[file])
    if valid_utf8 and (not cells or max(map(len, cells)) <= MAX_CELL) and not short:
        return None
    names = list(header) or COLUMNS[file]
    for n, cell in enumerate(cells):
        column = names[n] if n < len(names) else f"#{n + 1}"
        if _SURROGATE.search(cell):
            return BadRow(file, number, column, "UTF-8 として読めないバイトがあります (bytes that are not UTF-8) — "
                          "送った事務所で直して同期し直してください (the office that sent it fixes it and syncs again)")
        if len(cell) > MAX_CELL:
            return BadRow(file, number, column, f"セルが長すぎます (a cell of {len(cell):,} characters; at most "
                          f"{MAX_CELL:,}) — 短くしてください (shorten it)")
    if short:
        return BadRow(file, number, "", f"見出しは {len(COLUMNS[file])} 列、この行は {len(cells)} 列です — "
                      f"ファイルが途中で切れていないか確かめてください ({len(cells)} cells for "
                      f"{len(COLUMNS[file])} columns: is the file cut short?)")
    return None




class PackageReader:
    """Reads a package's CSVs on demand, each once, and its rows grouped by owning service."""

    def __init__(self, files: Mapping[str, bytes], *, lenient: bool = False):
        self.files = files
        self.lenient = lenient  # a row that cannot be read: its resource left out and named in ``bad``
        self.bad: list[BadRow] = []
        self._bad_rows: dict[int, BadRow] = {}  # id(row) → why
        self._tables: dict[str, list[list[str]]] = {}
        self._owned: dict[str, dict[str, list[list[str]]]] = {}
        self._location_owner: dict[str, str] | None = None
        self._need_codes: dict[str, str] | None = None

    def table(self, file: str) -> list[list[str]]:
        """The rows of a file (header dropped), each in the descriptor's column order."""
        if file not in self._tables:
            data = self.files.get(file)
            if not data:
                self._tables[file] = []
            else:
                try:
                    text, valid_utf8 = data.decode("utf-8-sig"), True
                except UnicodeDecodeError:
                    if not self.lenient:
                        raise
                    text, valid_utf8 = data.decode("utf-8-sig", "surrogateescape"), False
                reader = csv.reader(io.StringIO(text, newline=""))
                header = next(reader, [])
                ours = header[:len(COLUMNS[file])] == COLUMNS[file]
                where = {name: n for n, name in enumerate(header)}
                rows = []
                width = len(COLUMNS[file]) if ours else 0
                for number, row in enumerate(reader, 2):
                    # check_row's own quick pass, inlined (a million rows at 100k resources)
                    quick = valid_utf8 and len(row) >= width and (not row or max(map(len, row)) <= MAX_CELL)
                    bad = None if quick else check_row(file, row, number, ours=ours, header=header,
                                                       valid_utf8=valid_utf8)
                    if bad and not self.lenient:
                        raise ValueError(f"{file} {number}行目 (row {number}): {bad.reason}")
                    if not ours:  # another tool's column order: put ours back
                        row = [row[where[c]] if c in where and where[c] < len(row) else "" for c in COLUMNS[file]]
                    elif len(row) != len(COLUMNS[file]):
                        row = (row + [""] * len(COLUMNS[file]))[:len(COLUMNS[file])]
                    if bad and self.lenient:
                        self._bad_rows[id(row)] = bad
                    rows.append(row)
                self._tables[file] = rows
        return self._tables[file]

    def owned(self, file: str) -> dict[str, list[list[str]]]:
        """A resource-owned file's rows by the uuid of the service they belong to, in file order."""
        if file not in self._owned:
            grouped: dict[str, list[list[str]]] = defaultdict(list)
            column = OWNED[file]
            if column:
                at = COLUMNS[file].index(column)
                for row in self.table(file):
                    grouped[row[at]].append(row)
            else:
                owners = self.location_owners()
                at = COLUMNS[file].index("id" if file == "locations.csv" else "location_id")
                for row in self.table(file):
                    grouped[owners.get(row[at], "")].append(row)
            self._owned[file] = dict(grouped)
        return self._owned[file]

    def location_owners(self) -> dict[str, str]:
        if self._location_owner is None:
            cols = COLUMNS["service_at_location.csv"]
            sid, lid = cols.index("service_id"), cols.index("location_id")
            self._location_owner = {row[lid]: row[sid] for row in self.table("service_at_location.csv")}
        return self._location_owner

    def service_uuids(self) -> dict[str, str]:
        """uuid → Tsunagu id of every service."""
        cols = COLUMNS["services.csv"]
        at_id, at_tid = cols.index("id"), cols.index("tsunagu_id")
        return {row[at_id]: row[at_tid] or row[at_id] for row in self.table("services.csv")}

    def resources(self, uuids: Iterable[str] | None = None) -> dict[str, Resource]:
        """The resources of the package (or of these service uuids) by Tsunagu id."""
        services_of = self.owned("services.csv")
        wanted = set(services_of) if uuids is None else set(uuids)
        organizations = {row[0]: row[1] for row in self.table("organizations.csv")}
        unknown = organization_uuid("")
        lists = [(file, COLUMNS[file], self.owned(file)) for file in OWNED if file != "services.csv"]
        codes = self.need_codes()
        columns = COLUMNS["services.csv"]
        out: dict[str, Resource] = {}
        for sid in sorted(wanted):
            services = services_of.get(sid)
            if not services:
                continue
            s = dict(zip(columns, services[0], strict=True))
            rid = s["tsunagu_id"] or sid
            if self._bad_rows:
                bad = next((self._bad_rows[id(row)] for file in OWNED for row in self.owned(file).get(sid, [])
                            if id(row) in self._bad_rows), None)
                if bad is not None:
                    self.bad.append(BadRow(bad.file, bad.row, bad.column, bad.reason, rid))
                    continue
            mine = {file: [dict(zip(names, row, strict=True)) for row in rows] if (rows := owned.get(sid)) else []
                    for file, names, owned in lists}
            org = s["organization_id"]
            out[rid] = assemble(rid, s, mine, "" if org == unknown else organizations.get(org, ""),
                                lambda term: codes.get(term, term))
        return out

    def need_codes(self) -> dict[str, str]:
        """Taxonomy term uuid → need code (read once)."""
        if self._need_codes is None:
            cols = COLUMNS["taxonomy_terms.csv"]
            at_id, at_code = cols.index("id"), cols.index("code")
            self._need_codes = {row[at_id]: row[at_code] for row in self.table("taxonomy_terms.csv")}
        return self._need_codes


def assemble(
    rid: str, s: Mapping[str, str], rows: dict[str, list[dict[str, str]]], organization: str,
    need_code: Callable[[str], str],
) -> Resource:
    """A resource from its service row and its rows in the other files (by file name)."""
    phones = rows.get("phones.csv", [])
    voice = _in_order([p for p in phones if p["type"] != "fax"], rid, "voice")
    fax = _in_order([p for p in phones if p["type"] == "fax"], rid, "fax")
    languages, serves, needs = (_in_order(rows.get(file, []), rid, kind) for file, kind in
                                (("languages.csv", "language"), ("service_areas.csv", "serves"),
                                 ("attributes.csv", "need")))
    location = (rows.get("locations.csv") or [{}])[0]
    address = (rows.get("addresses.csv") or [{}])[0]
    return Resource(
        id=rid,
        name=s["name"],
        name_kana=s["tsunagu_name_kana"],
        organization=organization,
        description=s["description"],
        needs=tuple(need_code(a["taxonomy_term_id"]) for a in needs),
        area=s["tsunagu_area"],
        serves=tuple(a["tsunagu_place"] or a["name"] for a in serves),
        address=address.get("address_1") or location.get("tsunagu_address", ""),
        postal_code=address.get("postal_code") or location.get("tsunagu_postal_code", ""),
        phone="; ".join(p["number"] for p in voice),
        fax="; ".join(p["number"] for p in fax),
        email=s["email"],
        url=s["url"],
        hours="\n".join(x["description"] for x in rows.get("schedules.csv", [])),
        eligibility=s["eligibility_description"],
        cost=s["fees_description"],
        how_to_refer=s["application_process"],
        capacity=s["tsunagu_capacity"],
        transport=location.get("transportation", ""),
        languages=tuple(x["name"] for x in languages),
        notes=s["tsunagu_notes"],
        last_verified=s["assured_date"],
        status=STATUS_FROM_HSDS.get(s["status"], s["status"] or "active"),
        confidential=s["tsunagu_confidential"] == "yes",
        source=s["tsunagu_source"],
        name_kana_generated=s["tsunagu_name_kana_generated"] == "yes",
    )


def _in_order(rows: list[dict[str, str]], rid: str, kind: str) -> list[dict[str, str]]:
    """A list's rows back in their positions (their ids say which); rows another tool added come last."""
    if len(rows) < 2:  # nothing to order (most lists): no uuid computed
        return list(rows)
    by_id = {row["id"]: row for row in rows}
    ordered: list[dict[str, str]] = []
    while by_id and (key := uid(rid, kind, str(len(ordered)))) in by_id:
        ordered.append(by_id.pop(key))
    return ordered + list(by_id.values())


def read_package(files: Mapping[str, bytes]) -> list[Resource]:
    """Every resource in a package, in id order."""
    found = PackageReader(files).resources()
    return [found[k] for k in sorted(found)]
