"""Referrals: ``refer`` (the app's ``r`` key and ``tsunagu refer``) and the referral log.

The log is ``referrals.db`` in the worker's data folder, never the catalogue: a
catalogue is shared between offices and rebuilt from seed, a referral must survive
both. The file is created 0600 in a 0700 folder; the case reference is an anonymous
code and the only link to a person. Each row keeps a snapshot of what was referred
(name, public contact, the note) so the log still reads after the catalogue changes.
"""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from tui.core import dates, db
from tui.core.db import check_file, connect, opening, transaction
from tui.core.desk import Desk, Translate
from tui.core.errors import DamagedFile
from tui.core.files import ensure_private_dir, link_into_place, remove_sqlite_files
from tui.core.models import Resource
from tui.core.public import for_output
from tui.core.referrals.notes import append_note, compose_note, note_file_path
from tui.core.referrals.record import Referral, snapshot_json, status_code
from tui.core.referrals.view import readable


def _asked_area(conn: sqlite3.Connection) -> None:
    """2: the area first asked for, when `w` widened the area in force (issue 24: a 圏外 result is
    an unmet need of the place asked for, and transport is paired with it)."""
    db.table(conn, "referrals").add_column("asked_area", str, not_null_default="")


MIGRATIONS: list[db.Migration] = [
    # 1: the log
    """
    CREATE TABLE referrals (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        worker TEXT NOT NULL DEFAULT '',
        office TEXT NOT NULL DEFAULT '',
        case_ref TEXT NOT NULL DEFAULT '',
        resource_id TEXT NOT NULL,
        resource_name TEXT NOT NULL,
        organization TEXT NOT NULL DEFAULT '',
        contact TEXT NOT NULL DEFAULT '',
        resource_area TEXT NOT NULL DEFAULT '',
        resource_needs TEXT NOT NULL DEFAULT '',
        needs TEXT NOT NULL DEFAULT '',
        area TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL,
        remarks TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'sent'
            CHECK (status IN ('sent', 'used', 'not_eligible', 'no_capacity', 'declined', 'no_contact')),
        follow_up TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL DEFAULT '',
        snapshot TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX referrals_case ON referrals(case_ref, created_at);
    CREATE INDEX referrals_created ON referrals(created_at)
    """,
    _asked_area,
]
SCHEMA_VERSION = len(MIGRATIONS)


def parse_date(text: str, today: date | None = None) -> date:
    """Any date an office writes (2026-12-01, 2026/12/1, 令和8年12月1日, R8.12.1) or +7
    (days from today); raises ``DateProblem`` (a ValueError) saying how to write it."""
    text = for_output(text, multiline=False)
    if text.startswith("+") and text[1:].isdigit():
        try:
            return (today or date.today()) + timedelta(days=int(text[1:]))
        except OverflowError:
            raise dates.DateProblem(f"日数が大きすぎます (too many days): {text!r}",
                                    "+7 や +30 のように書いてください (write it like +7 or +30)") from None
    iso = dates.parse_date(text)
    if not iso:
        raise dates.DateProblem(
            "日付がありません (no date)", "2026-12-01 や +7 のように書いてください (write it like 2026-12-01 or +7)"
        )
    return date.fromisoformat(iso)


@dataclass(frozen=True, slots=True)
class ReferralOutcome:
    note: str
    note_file: Path | None
    referral_id: int
    warning: str = ""  # e.g. the note file could not be written (the row is stored)


class UnknownResource(LookupError):
    def __init__(self, resource_id: str, suggestions: list[str]):
        self.resource_id = resource_id
        self.suggestions = suggestions
        hint = f" — もしかして (did you mean): {' / '.join(suggestions)}" if suggestions else ""
        super().__init__(f"資源が見つかりません (unknown resource id): {resource_id!r}{hint}")


class ReferralLog:
    """The referral log file; one connection shared by threads, taking turns."""

    def __init__(self, conn: sqlite3.Connection, path: Path, catalogue=None):
        self.conn = conn
        self.path = path
        self.lock = threading.RLock()
        self.catalogue = catalogue  # its current privacy rule applies to every row read (``readable``)

    @classmethod
    def open(cls, path: str | Path, *, catalogue=None) -> ReferralLog:
        """The log at ``path`` (``Desk.referral_log``), made there (0600 in a 0700 folder) when new."""
        path = Path(path)
        ensure_private_dir(path.parent)
        with opening(path):  # made, checked and connected as one step for this process (tui/core/db.py)
            if not path.exists():
                _create_log(path)
            # A file that is there but empty is damaged, never a new log: numbers would restart at #1.
            check_file(path, "referral log")
            try:
                path.chmod(0o600)
            except OSError:
                pass
            try:
                conn = connect(path, MIGRATIONS, "referral log")
            except sqlite3.OperationalError:
                raise
            except sqlite3.DatabaseError as e:
                raise DamagedFile(path, "referral log", str(e)) from None
        return cls(conn, path, catalogue)

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    def __enter__(self) -> ReferralLog:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def add(self, referral: Referral) -> int:
        """Store one referral in one transaction; returns its id."""
        row = asdict(referral)
        del row["id"]
        for key in ("resource_needs", "needs"):
            row[key] = ";".join(row[key])
        marks = ", ".join("?" * len(row))
        with self.lock, transaction(self.conn):
            cursor = self.conn.execute(f"INSERT INTO referrals ({', '.join(row)}) VALUES ({marks})", list(row.values()))
        return int(cursor.lastrowid or 0)

    def get(self, referral_id: int) -> Referral | None:
        found = self._select("WHERE id = ?", [referral_id])
        return found[0] if found else None

    def find(self, *, case_ref: str | None = None, status: str | None = None, since: date | None = None,
             until: date | None = None, month: str | None = None) -> list[Referral]:
        """Referrals matching every filter given, oldest first. ``until`` is inclusive; month is YYYY-MM."""
        clauses = [
            ("case_ref = ?", case_ref) if case_ref is not None else None,
            ("status = ?", status_code(status)) if status else None,
            ("created_at >= ?", since.isoformat()) if since else None,
            ("created_at < ?", (until + timedelta(days=1)).isoformat()) if until else None,
            ("substr(created_at, 1, 7) = ?", month) if month else None,
        ]
        where, params = [c for c, _ in filter(None, clauses)], [p for _, p in filter(None, clauses)]
        return self._select(("WHERE " + " AND ".join(where)) if where else "", params)

    def cases(self) -> list[str]:
        with self.lock:
            return [r[0] for r in self.conn.execute("SELECT DISTINCT case_ref FROM referrals ORDER BY case_ref")]

    def set_status(self, referral_id: int, status: str, follow_up: date | str | None = None,
                   *, now: datetime | None = None) -> Referral:
        """Record how a referral went (and when to check again; '' clears the date)."""
        code = status_code(status)
        sets, params = ["status = ?", "updated_at = ?"], [code, _stamp(now)]
        if follow_up is not None:
            sets.append("follow_up = ?")
            params.append(follow_up.isoformat() if isinstance(follow_up, date) else follow_up)
        with self.lock, transaction(self.conn):
            changed = self.conn.execute(f"UPDATE referrals SET {', '.join(sets)} WHERE id = ?", [*params, referral_id])
        found = self.get(referral_id) if changed.rowcount == 1 else None
        if found is None:
            raise KeyError(f"no referral #{referral_id}")
        return found

    def _select(self, where: str, params: Sequence) -> list[Referral]:
        with self.lock:
            rows = self.conn.execute(f"SELECT * FROM referrals {where} ORDER BY created_at, id", params).fetchall()
        return readable([
            Referral(**{**dict(row), "needs": _split(row["needs"]), "resource_needs": _split(row["resource_needs"])})
            for row in rows
        ], self.catalogue)


def _create_log(path: Path) -> None:
    """A new, migrated log made beside ``path`` (0600) and renamed into place: never a 0-byte file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)
    os.close(fd)
    try:
        connect(tmp, MIGRATIONS, "referral log").close()
        link_into_place(tmp, path)  # never over a log another process made meanwhile
    finally:
        remove_sqlite_files(tmp)


def _split(text: str) -> tuple[str, ...]:
    return tuple(x for x in text.split(";") if x)


def _stamp(now: datetime | None = None) -> str:
    return (now or datetime.now()).astimezone().isoformat(timespec="seconds")


def contact_line(resource: Resource) -> str:
    parts = [
        f"TEL {resource.phone}" if resource.phone else "",
        f"FAX {resource.fax}" if resource.fax else "",
        resource.email,
    ]
    return " / ".join(p for p in parts if p)


def suggest_resources(catalogue, text: str, limit: int = 3) -> list[str]:
    """The nearest ids (a mistyped id) and names (a name typed instead of an id)."""
    ids = catalogue.ids()
    found = [hit[0] for hit in process.extract(text, ids, scorer=Levenshtein.distance, limit=limit,
                                               score_cutoff=max(2, len(text) // 3))]
    named = [hit.id for hit in catalogue.search(text, limit=limit)] if text.strip() else []
    chosen = list(dict.fromkeys([*found, *named]))[:limit]
    return [f"{r.id} {r.name}" for r in catalogue.get_many(chosen)]


# An anonymous case code: letters, digits and - _ / . only, so a client's name
# (kanji, kana, or "Taro Yamada" with a space) is refused everywhere a case is set.
CASE_REF = re.compile(r"[A-Z0-9][A-Z0-9\-_/.]{0,31}")
# ...and it must look like a code, not a romanised name (yamada, TaroYamada, YAMADA-TARO):
# it holds a digit, and no run of four or more letters (C-2026-014, K12-3, 2026/014, R8-KU-12).
_NAME_LIKE = re.compile(r"[A-Z]{4,}")


class InvalidCaseRef(ValueError):
    """A case reference that could be a person's name, or is not a code at all."""

    def __init__(self, value: str):
        self.value = value
        super().__init__(
            "ケース番号は数字を含む英数字と - _ / . の符号にしてください（氏名は入れない。英字は3文字まで続けられます）"
            ": "
            f"{value!r} (a case reference is an anonymous code of letters, digits and - _ / . with at least one "
            f"digit and no run of four letters, so never a name; e.g. C-2026-014, K12-3)"
        )


def normalise_case_ref(value: str) -> str:
    """Width and case folded: ｃ－２０２６－０１４ → C-2026-014."""
    return unicodedata.normalize("NFKC", value or "").strip().upper()


def is_case_ref(value: str) -> bool:
    """Is ``value`` blank or an anonymous case code (after ``normalise_case_ref``)?"""
    value = normalise_case_ref(value)
    if not value:
        return True
    return bool(CASE_REF.fullmatch(value)) and any(c.isdigit() for c in value) and not _NAME_LIKE.search(value)


def refer(catalogue, resource_id: str, *, desk: Desk, t: Translate, case_ref: str, needs: Sequence[str],
          area: str | None, remarks: str = "", lang: str = "ja", log: ReferralLog | None = None,
          now: datetime | None = None, asked_area: str | None = None) -> ReferralOutcome:
    """Refer one resource: log it (one transaction) and append the note to the case file.

    ``desk``: who refers, the log (``desk.referral_log`` unless ``log`` is given), the office's
    note template and the case files' folder; ``t``: the words of the note's transport lines.

    Raises ``UnknownResource``, ``InvalidCaseRef``, ``UnknownNeed`` or ``UnknownArea`` before
    writing anything. ``asked_area``: the area first asked for when ``area`` is a widened one
    (the finder's `w`); the note pairs transport with it.
    """
    resource = catalogue.get(resource_id)
    if resource is None:
        raise UnknownResource(resource_id, suggest_resources(catalogue, resource_id))
    if not is_case_ref(case_ref):
        raise InvalidCaseRef(case_ref)
    case_ref, remarks = normalise_case_ref(case_ref), for_output(remarks or "", multiline=False)
    need_codes = tuple(dict.fromkeys(catalogue.taxonomy.resolve(n).code for n in needs))
    area_code = catalogue.gazetteer.resolve(area).code if area else ""
    asked_code = catalogue.gazetteer.resolve(asked_area).code if asked_area else ""
    asked_code = "" if asked_code == area_code else asked_code
    now = (now or datetime.now()).astimezone()
    note = compose_note(catalogue, resource, t=t, lang=lang, remarks=remarks, today=now.date(), case_ref=case_ref,
                        worker=desk.worker, office=desk.office, area=asked_code or area_code, home=desk.home)
    referral = Referral(
        id=0, created_at=_stamp(now), resource_id=resource.id, resource_name=resource.name, case_ref=case_ref,
        worker=desk.worker, office=desk.office, organization=resource.organization,
        contact=contact_line(resource), resource_area=resource.area, resource_needs=resource.needs,
        needs=need_codes, area=area_code, note=note, remarks=remarks, snapshot=snapshot_json(resource),
        asked_area=asked_code,
    )
    own_log = log is None
    log = log or ReferralLog.open(desk.referral_log)
    try:
        referral_id = log.add(referral)
    finally:
        if own_log:
            log.close()
    path = note_file_path(desk.notes_dir, case_ref, now.date())
    by = f"{desk.worker}（{desk.office}）" if desk.office else desk.worker
    if lang == "en":
        heading = f"---- {now:%Y-%m-%d %H:%M} referral #{referral_id}" + (f" case {case_ref}" if case_ref else "")
        heading += (f" by {by}" if by else "") + " ----"
    else:
        heading = f"---- {now:%Y-%m-%d %H:%M} 紹介 #{referral_id}" + (f" ケース {case_ref}" if case_ref else "")
        heading += (f" 担当 {by}" if by else "") + " ----"
    try:
        append_note(path, heading, note)
    except OSError as e:
        return ReferralOutcome(note, None, referral_id, warning=f"{path}: {e.strerror or e}")
    return ReferralOutcome(note, path, referral_id)
