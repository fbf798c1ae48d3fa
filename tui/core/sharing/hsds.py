"""The catalogue as an Open Referral HSDS 3.0 tabular data package (pure: no git, no disk); read back by hsds_read.py.

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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

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
