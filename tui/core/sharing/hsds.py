"""The catalogue as an Open Referral HSDS 3.0 tabular data package, and back (pure: no git, no disk).

A package is ``dict[file name, bytes]``: one CSV per HSDS object plus ``datapackage.json``.
Every resource becomes a service (with its organisation, one location, the service at that
location, an address when it is complete, phones, a schedule for its hours, languages,
service areas and attributes linking it to need taxonomy terms). Ids are uuid5 of
Tsunagu's own ids, so the same resource has the same uuid in every office.

What HSDS has no field for travels in ``tsunagu_*`` columns (documented in
``hsds_datapackage.json``): the reading, the place code, capacity, notes, source, the
confidential flag and the place code of each service area. Rows are sorted by their
service's uuid and written the same way every time, so one changed field is one changed
line and package → catalogue → package is byte-identical.

Privacy: every resource goes through ``public_view`` first, so a confidential place's
address, postal code, access notes and notes never reach a package; referrals and
settings are not in the catalogue's resources at all.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tui.core.loading.importing import MAX_CELL
from tui.core.models import Resource
from tui.core.public import for_output, public_view

# Long cells are read whole and refused by row (MAX_CELL, as the import), not by the csv module.
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))

DESCRIPTOR_PATH = Path(__file__).with_name("hsds_datapackage.json")
NAMESPACE = uuid.UUID("5b0f3f39-6f1d-4f55-9d0e-7473756e6167")  # Tsunagu's; never change it
_NAMESPACE_BYTES = NAMESPACE.bytes
# What for_output might change: control characters, escapes, runs of spaces, bidi controls.
_SUSPECT = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|[ \u3000]{2}")
UNKNOWN_ORGANIZATION = "運営者未登録 (organisation not recorded)"
STATUS_TO_HSDS = {"active": "active", "paused": "temporarily closed", "closed": "defunct"}
STATUS_FROM_HSDS = {"active": "active", "temporarily closed": "paused", "inactive": "paused", "defunct": "closed"}
# Files whose rows belong to one resource, and the column naming the service they belong to.
OWNED = {
    "services.csv": "id",
    "service_at_location.csv": "service_id",
    "phones.csv": "service_id",
    "schedules.csv": "service_id",
    "languages.csv": "service_id",
    "service_areas.csv": "service_id",
    "attributes.csv": "link_id",
    "locations.csv": "",  # through service_at_location's location_id
    "addresses.csv": "",  # through locations
}
SHARED_FILES = ("organizations.csv", "taxonomies.csv", "taxonomy_terms.csv")


@dataclass(frozen=True, slots=True)
class Term:
    """A need as a taxonomy term."""

    code: str
    name: str
    description: str


def uid(*parts: str) -> str:
    """A stable uuid for a thing named by Tsunagu ids (the same in every office): uuid5, computed
    without building UUID objects (a package at 100k resources needs ~1.7M of them)."""
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + "\x1f".join(parts).encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    x = digest.hex()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


def _text(value: str, *, multiline: bool = True) -> str:
    """``for_output``, skipped for the common text it would return unchanged."""
    if not value:
        return ""
    if _SUSPECT.search(value) is None and value == value.strip():
        return value
    return for_output(value, multiline=multiline)


def descriptor() -> dict:
    return json.loads(DESCRIPTOR_PATH.read_text(encoding="utf-8"))


def columns() -> dict[str, list[str]]:
    """Each CSV file's columns, in the descriptor's order."""
    return {r["path"]: [f["name"] for f in r["schema"]["fields"]] for r in descriptor()["resources"]}


COLUMNS = columns()
TAXONOMY_ID = uid("taxonomy", "needs")


# -- catalogue → rows ----------------------------------------------------------------


def resource_rows(resource: Resource, places: Mapping[str, str]) -> dict[str, list[dict[str, str]]]:
    """The package rows of one resource (its public view, cleaned), by file."""
    r = public_view(resource)
    text = {f: _text(getattr(r, f)) for f in ("name", "description", "how_to_refer", "cost", "eligibility",
                                                   "hours", "capacity", "transport", "notes", "address", "source",
                                                   "name_kana", "url", "email", "postal_code")}
    sid, lid = uid(r.id), uid(r.id, "location")
    org = organization_uuid(r.organization)
    rows: dict[str, list[dict[str, str]]] = defaultdict(list)
    rows["services.csv"].append({
        "id": sid, "organization_id": org, "name": text["name"], "description": text["description"],
        "url": text["url"], "email": text["email"], "status": STATUS_TO_HSDS.get(r.status, "active"),
        "application_process": text["how_to_refer"], "fees_description": text["cost"],
        "eligibility_description": text["eligibility"], "assured_date": r.last_verified,
        "tsunagu_id": r.id, "tsunagu_name_kana": text["name_kana"],
        "tsunagu_name_kana_generated": _yes(r.name_kana_generated), "tsunagu_area": r.area,
        "tsunagu_capacity": text["capacity"], "tsunagu_notes": text["notes"],
        "tsunagu_confidential": _yes(r.confidential), "tsunagu_source": text["source"],
    })
    complete = bool(text["address"] and text["postal_code"] and r.area)
    rows["locations.csv"].append({
        "id": lid, "location_type": "physical", "organization_id": org, "name": text["name"],
        "transportation": text["transport"],
        "tsunagu_address": "" if complete else text["address"],
        "tsunagu_postal_code": "" if complete else text["postal_code"],
    })
    rows["service_at_location.csv"].append({"id": uid(r.id, "at"), "service_id": sid, "location_id": lid})
    if complete:
        rows["addresses.csv"].append({
            "id": uid(r.id, "address"), "location_id": lid, "address_1": text["address"],
            "city": places.get(r.area, r.area), "state_province": "北海道", "postal_code": text["postal_code"],
            "country": "JP", "address_type": "physical",
        })
    for kind, numbers in (("fax", r.fax), ("voice", r.phone)):
        for n, number in enumerate(x.strip() for x in numbers.split(";") if x.strip()):
            rows["phones.csv"].append({"id": uid(r.id, kind, str(n)), "service_id": sid,
                                       "number": _text(number, multiline=False), "type": kind})
    if text["hours"]:
        rows["schedules.csv"].append({"id": uid(r.id, "hours"), "service_id": sid, "description": text["hours"]})
    # Rows of a list get ids from their position, so a reader knows every row id of a resource.
    for n, language in enumerate(r.languages):
        rows["languages.csv"].append({"id": uid(r.id, "language", str(n)), "service_id": sid,
                                      "name": _text(language, multiline=False)})
    for n, code in enumerate(dict.fromkeys(r.serves)):
        rows["service_areas.csv"].append({"id": uid(r.id, "serves", str(n)), "service_id": sid,
                                          "name": places.get(code, code), "tsunagu_place": code})
    for n, code in enumerate(dict.fromkeys(r.needs)):
        rows["attributes.csv"].append({"id": uid(r.id, "need", str(n)), "link_id": sid,
                                       "taxonomy_term_id": uid("need", code), "link_type": "need",
                                       "link_entity": "service"})
    return rows


def organization_uuid(name: str) -> str:
    return uid("organization", name)


def organization_row(name: str) -> dict[str, str]:
    shown = _text(name, multiline=False) or UNKNOWN_ORGANIZATION
    return {"id": organization_uuid(name), "name": shown, "description": shown}


def taxonomy_rows(terms: Sequence[Term]) -> dict[str, list[dict[str, str]]]:
    return {
        "taxonomies.csv": [{"id": TAXONOMY_ID, "name": "Tsunagu needs (つなぐ 支援の種別)",
                            "description": "The need taxonomy of Tsunagu's catalogue: what a resource helps with."}],
        "taxonomy_terms.csv": [
            {"id": uid("need", t.code), "code": t.code, "name": t.name, "description": t.description or t.name,
             "taxonomy": "tsunagu", "language": "ja", "taxonomy_id": TAXONOMY_ID}
            for t in terms
        ],
    }


# -- rows → bytes ----------------------------------------------------------------------


def encode(file: str, rows: Iterable[Sequence[str]]) -> bytes:
    """A CSV file: UTF-8, header first, ``\\n`` line ends, quoted only where needed."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS[file])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def as_list(file: str, row: Mapping[str, str]) -> list[str]:
    return [row.get(c, "") for c in COLUMNS[file]]


def descriptor_bytes() -> bytes:
    return (json.dumps(descriptor(), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def build_package(resources: Iterable[Resource], terms: Sequence[Term], places: Mapping[str, str]) -> dict[str, bytes]:
    """The whole package of these resources."""
    owned: dict[str, list[list[str]]] = defaultdict(list)
    organizations: dict[str, str] = {}
    for resource in resources:
        organizations[organization_uuid(resource.organization)] = resource.organization
        for file, rows in resource_rows(resource, places).items():
            owned[file].extend(as_list(file, row) for row in rows)
    # Every file sorted by its rows' ids: a row is found, replaced or placed without reading the rest.
    files = {file: encode(file, sorted(owned[file], key=_first)) for file in OWNED}
    files["organizations.csv"] = encode("organizations.csv", (
        as_list("organizations.csv", organization_row(name)) for _, name in sorted(organizations.items())))
    for file, rows in taxonomy_rows(terms).items():
        files[file] = encode(file, (as_list(file, row) for row in sorted(rows, key=lambda r: r["id"])))
    files["datapackage.json"] = descriptor_bytes()
    return files


def _first(row: Sequence[str]) -> str:
    return row[0]


def _yes(flag: bool) -> str:
    return "yes" if flag else ""


# -- bytes → resources -------------------------------------------------------------------


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


def check_row(file: str, cells: Sequence[str], number: int, *, ours: bool, header: Sequence[str] = ()) -> BadRow | None:
    """Why a received row cannot be read (None: it can): invalid UTF-8, a cell past MAX_CELL, or a
    row of our own layout cut short."""
    names = list(header) or COLUMNS[file]
    for n, cell in enumerate(cells):
        column = names[n] if n < len(names) else f"#{n + 1}"
        if _SURROGATE.search(cell):
            return BadRow(file, number, column, "UTF-8 として読めないバイトがあります (bytes that are not UTF-8) — "
                          "送った事務所で直して同期し直してください (the office that sent it fixes it and syncs again)")
        if len(cell) > MAX_CELL:
            return BadRow(file, number, column, f"セルが長すぎます (a cell of {len(cell):,} characters; at most "
                          f"{MAX_CELL:,}) — 短くしてください (shorten it)")
    if ours and len(cells) < len(COLUMNS[file]):
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
                text = data.decode("utf-8-sig", "surrogateescape" if self.lenient else "strict")
                reader = csv.reader(io.StringIO(text, newline=""))
                header = next(reader, [])
                ours = header[:len(COLUMNS[file])] == COLUMNS[file]
                where = {name: n for n, name in enumerate(header)}
                rows = []
                for number, row in enumerate(reader, 2):
                    bad = check_row(file, row, number, ours=ours, header=header)
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
        wanted = set(self.owned("services.csv")) if uuids is None else set(uuids)
        organizations = {row[0]: row[1] for row in self.table("organizations.csv")}
        unknown = organization_uuid("")
        out: dict[str, Resource] = {}
        for sid in sorted(wanted):
            services = self.owned("services.csv").get(sid)
            if not services:
                continue
            s = dict(zip(COLUMNS["services.csv"], services[0], strict=True))
            rid = s["tsunagu_id"] or sid
            if self._bad_rows:
                bad = next((self._bad_rows[id(row)] for file in OWNED for row in self.owned(file).get(sid, [])
                            if id(row) in self._bad_rows), None)
                if bad is not None:
                    self.bad.append(BadRow(bad.file, bad.row, bad.column, bad.reason, rid))
                    continue
            mine = {file: [dict(zip(COLUMNS[file], row, strict=True)) for row in self.owned(file).get(sid, [])]
                    for file in OWNED if file != "services.csv"}
            org = s["organization_id"]
            out[rid] = assemble(rid, s, mine, "" if org == unknown else organizations.get(org, ""),
                                lambda term: self.need_codes().get(term, term))
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
    by_id = {row["id"]: row for row in rows}
    ordered: list[dict[str, str]] = []
    while (key := uid(rid, kind, str(len(ordered)))) in by_id:
        ordered.append(by_id.pop(key))
    return ordered + list(by_id.values())


def read_package(files: Mapping[str, bytes]) -> list[Resource]:
    """Every resource in a package, in id order."""
    found = PackageReader(files).resources()
    return [found[k] for k in sorted(found)]


# -- hsds-json: one service object per resource, for publishing ------------------------


def service_objects(resources: Iterable[Resource], terms: Sequence[Term], places: Mapping[str, str]) -> list[dict]:
    """Each resource as an HSDS 3.0 service object with its nested organisation, location and the rest."""
    by_code = {uid("need", t.code): t for t in terms}
    out = []
    for resource in resources:
        rows = resource_rows(resource, places)
        service = _compact(rows["services.csv"][0])
        extras = {k: service.pop(k) for k in list(service) if k.startswith("tsunagu_")}
        org = _compact(organization_row(resource.organization))
        location = _compact(rows["locations.csv"][0])
        location.update({k: location.pop(k) for k in list(location) if k.startswith("tsunagu_")})
        location["addresses"] = [_compact(a) for a in rows.get("addresses.csv", [])]
        phones = [_compact(p) for p in rows.get("phones.csv", [])]
        service.update(
            organization=org,
            service_at_locations=[{"id": rows["service_at_location.csv"][0]["id"], "location": location}],
            phones=phones,
            schedules=[_compact(s) for s in rows.get("schedules.csv", [])],
            languages=[_compact(x) for x in rows.get("languages.csv", [])],
            service_areas=[_compact(a) for a in rows.get("service_areas.csv", [])],
            attributes=[
                dict(_compact(a), taxonomy_term=_compact({
                    "id": a["taxonomy_term_id"], "code": by_code[a["taxonomy_term_id"]].code,
                    "name": by_code[a["taxonomy_term_id"]].name,
                    "description": by_code[a["taxonomy_term_id"]].description or by_code[a["taxonomy_term_id"]].name,
                    "taxonomy_id": TAXONOMY_ID,
                })) if a["taxonomy_term_id"] in by_code else _compact(a)
                for a in rows.get("attributes.csv", [])
            ],
            **extras,
        )
        out.append(service)
    return out


def _compact(row: Mapping[str, str]) -> dict:
    """A row without its blank fields (JSON says absent, not empty)."""
    return {k: v for k, v in row.items() if v != ""}
