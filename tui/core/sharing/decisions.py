"""A conflict resolved in one office is resolved in every office (issue 19).

When a person here chooses a value for a field in conflict (``tsunagu conflicts --take``, the
conflicts screen), the choice is remembered — resource, field, value, who, when — and written
beside the package as ``decisions-KEY.csv`` (KEY: this catalogue's random id, as kept-out files
have). Another office that has the same field in conflict, with the package holding exactly the
chosen value, takes it at its next sync and says who decided: two offices no longer resolve one
conflict two ways without knowing. A decision the package no longer holds (changed since) is not
applied; this office's open conflicts stay for a person then.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from tui.core.public import for_output, keep_private
from tui.core.sharing import office_files
from tui.core.sharing.merge import Conflict, record, resource

PREFIX = "decisions-"
HEADER = ("tsunagu_id", "field", "value", "by", "at")
KEEP = 200  # this office's most recent decisions in its file
_MOST = 2000  # read from another office's file


@dataclass(frozen=True, slots=True)
class Decision:
    id: str
    field: str
    value: str
    by: str
    at: str


def remember(conn, rid: str, field: str, value: str, by: str) -> None:
    """Add a decision (inside the caller's transaction, with the resolution it records)."""
    row = conn.execute("SELECT value FROM sync_state WHERE key = 'decisions'").fetchone()
    items = [item for item in (json.loads(row[0]) if row else []) if (item["id"], item["field"]) != (rid, field)]
    items.append({"id": rid, "field": field, "value": value, "by": by,
                  "at": datetime.now(UTC).astimezone().isoformat(timespec="seconds")})
    conn.execute("INSERT INTO sync_state(key, value) VALUES ('decisions', ?) "
                  "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                  (json.dumps(items[-KEEP:], ensure_ascii=False),))


def mine(conn) -> list[Decision]:
    row = conn.execute("SELECT value FROM sync_state WHERE key = 'decisions'").fetchone()
    return [Decision(**item) for item in (json.loads(row[0]) if row else [])]


def file_name(key: str) -> str:
    return office_files.name(PREFIX, key)


def file_bytes(items: list[Decision]) -> bytes:
    return office_files.write(HEADER, ((d.id, d.field, d.value, d.by, d.at) for d in items))


def read_others(files: Mapping[str, bytes], own_key: str) -> list[Decision]:
    """Other offices' decisions, oldest first by their time (untrusted input: see ``office_files``)."""
    return sorted((Decision(*line) for _, line in office_files.read(files, PREFIX, HEADER, own_key, _MOST)),
                  key=lambda d: d.at)


def settle(found: list[Conflict], others: list[Decision], local: list, here: dict) -> tuple[list, list, list]:
    """The conflicts another office decided (the package holds its chosen value) taken here:
    (local resources to write, conflicts still open, decisions applied)."""
    decided = {(d.id, d.field): d for d in others}  # the latest decision for each field wins
    applied = [decided[(c.id, c.field)] for c in found
               if (c.id, c.field) in decided and decided[(c.id, c.field)].value == c.theirs]
    if not applied:
        return local, found, []
    kept = {r.id: r for r in local}
    for d in applied:
        current = kept.get(d.id) or here.get(d.id)
        if current is None:
            continue
        rec = record(current)
        rec[d.field] = d.value
        chosen = resource(d.id, rec)
        kept[d.id] = keep_private(chosen, current, blanks_only=False) if current.confidential else chosen
    done = {(d.id, d.field) for d in applied}
    return list(kept.values()), [c for c in found if (c.id, c.field) not in done], applied


def said(d: Decision) -> str:
    return for_output(f"{d.id} {d.field} → {d.value[:80]} ({d.by}, {d.at})", multiline=False)
