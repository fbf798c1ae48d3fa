"""The referral note: plain text a counsellor pastes into a case record or hands over.

The wording lives in ONE template file per language (``templates/note.ja.txt``,
``note.en.txt``) with ``string.Template`` placeholders, so an office can change it
without touching code: a file of the same name in the data folder wins. A line
whose placeholders are all blank is left out, so blank fields never print as empty.
A confidential place (a DV shelter) never shows its address, postal code, area or
access notes — only its public contact.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from string import Template

from tui.core.desk import Translate
from tui.core.files import atomic_write, ensure_private_dir
from tui.core.models import Resource
from tui.core.public import for_output, public_view
from tui.core.reference.areas import HOKKAIDO, UnknownArea, english_name

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

# Words a worker sees, by language; the template decides where they go.
WORDS = {
    "ja": {
        "unverified": "未確認（連絡先・内容は利用前に確認してください）",
        "stale": "要確認（最終確認から1年以上）",
        "confidential_address": "非公開（連絡は上記の窓口へ）",
        "paused": "休止中（利用前に確認してください）",
        "closed": "閉鎖（利用できません）",
        "phone": "電話",
        "list_separator": "、",
        "hokkaido": "全道",
    },
    "en": {
        "unverified": "Not verified (check the contact and details before use)",
        "stale": "check again (last verified over a year ago)",
        "confidential_address": "Confidential (contact them through the window above)",
        "paused": "Paused (check before use)",
        "closed": "Closed (not available)",
        "phone": "phone",
        "list_separator": ", ",
        "hokkaido": "All Hokkaido",
    },
}

# Access notes that say there is no public transport (Japanese and English).
_NO_PUBLIC_TRANSPORT = re.compile(
    r"公共交通(?:機関)?(?:が|は|の)?(?:ない|無い|なし|無し|ありません|ございません|不便)"
    r"|交通手段(?:が|は)?(?:ない|無い|なし|無し)|車(?:が|で)?(?:必要|必須)|車でないと"
    r"|no public transport|not (?:served|reachable) by public transport|car (?:is )?(?:needed|required|essential)",
    re.IGNORECASE,
)
MAX_TRANSPORT_SCHEMES = 5


def words(lang: str) -> Mapping[str, str]:
    return WORDS["en" if lang == "en" else "ja"]


def template_path(lang: str = "ja", *, kind: str = "note", home: Path | None = None) -> Path:
    """The template in use: the data folder's (``home``'s) copy when the office made one, else the shipped one."""
    name = f"{kind}.{'en' if lang == 'en' else 'ja'}.txt"
    override = home / name if home is not None else None
    return override if override is not None and override.is_file() else TEMPLATES_DIR / name


def load_template(lang: str = "ja", *, kind: str = "note", home: Path | None = None) -> str:
    return template_path(lang, kind=kind, home=home).read_text(encoding="utf-8-sig")


def render(template: str, values: Mapping[str, str]) -> str:
    """Fill a template: ``#`` lines are comments; a line whose placeholders are all blank goes.

    A value spanning several lines is indented under its label so the note stays readable.
    Unknown placeholders are left as written, so a typo in the office's file shows up.
    """
    filled = {key: str(value).replace("\n", "\n  ") for key, value in values.items()}
    out: list[str] = []
    for line in template.splitlines():
        if line.lstrip().startswith("#"):
            continue
        known = [n for m in Template.pattern.finditer(line) if (n := m.group("named") or m.group("braced")) in values]
        if known and not any(str(values[n]).strip() for n in known):
            continue
        out.append(Template(line).safe_substitute(filled).rstrip())
    return "\n".join(out).strip("\n")


def place_name(gazetteer, code: str, lang: str = "ja") -> str:
    """A place as the note's reader reads it: 釧路市, or Kushiro-shi and All Hokkaido in English."""
    place = gazetteer.places.get(code)
    if lang != "en" or place is None:
        return gazetteer.label(code)
    return words(lang)["hokkaido"] if code == HOKKAIDO else english_name(place)


def verification(last_verified: str, today: date, lang: str = "ja") -> str:
    """The verification line: the date, 要確認 when over a year old, 未確認 when blank."""
    w = words(lang)
    if not last_verified.strip():
        return w["unverified"]
    try:
        checked = date.fromisoformat(last_verified.strip()[:10])
    except ValueError:
        return f"{last_verified} {w['stale']}"
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = today.replace(year=today.year - 1, day=28)
    return checked.isoformat() if checked >= year_ago else f"{checked.isoformat()} {w['stale']}"


def needs_transport_help(resource: Resource) -> bool:
    """No public transport to get there (the report's recurring problem with work-experience places)."""
    if resource.confidential:
        return False
    if _NO_PUBLIC_TRANSPORT.search(resource.transport):
        return True
    return "work_experience" in resource.needs and not resource.transport.strip()


def transport_schemes(catalogue, resource: Resource, lang: str = "ja", area: str = "") -> list[str]:
    """Transport-assistance schemes serving ``area`` (default: the resource's area), one line each."""
    area = area or resource.area or next(iter(resource.served_areas), "")
    if not area:
        return []
    try:
        hits = catalogue.search("", area=area, needs=["transport"], limit=MAX_TRANSPORT_SCHEMES + 1)
    except UnknownArea:
        return []
    lines = []
    for hit in hits:
        if hit.id == resource.id:
            continue
        line = hit.name + (f"（{hit.organization}）" if hit.organization and hit.organization != hit.name else "")
        if hit.phone:
            line += f" {words(lang)['phone']} {hit.phone}"
        lines.append(line)
    return lines[:MAX_TRANSPORT_SCHEMES]


def in_another_town(catalogue, resource: Resource, area: str) -> bool:
    """Is the place somewhere else than the client's area (``area``: the referral's area code)?
    False when either is unknown, the area is all Hokkaido, or the place is confidential
    (where a shelter is not is also something about where it is)."""
    if catalogue is None or not area or area == HOKKAIDO or resource.confidential or not resource.area:
        return False
    places = catalogue.gazetteer.places
    if area not in places or resource.area not in places:
        return False
    gazetteer = catalogue.gazetteer
    return gazetteer.leaves(area).isdisjoint(gazetteer.leaves(resource.area))


def paired_transport(catalogue, resource: Resource, area: str, lang: str = "ja", *, t: Translate) -> str:
    """For a place in another town than the client's area: the transport schemes serving that
    area, or a plain sentence that none is known (in ``t``'s words); '' when the place is in the area."""
    if not in_another_town(catalogue, resource, area):
        return ""
    name = for_output(place_name(catalogue.gazetteer, area, lang), multiline=False)
    lines = transport_schemes(catalogue, resource, lang, area=area)
    if not lines:
        return t("demand.transport_none", lang, area=name)
    return "\n".join([t("demand.transport_from", lang, area=name), *lines])


def resource_values(catalogue, resource: Resource, *, t: Translate, lang: str = "ja", today: date | None = None,
                    with_schemes: bool = True, area: str = "") -> dict[str, str]:
    """The placeholders for one resource, already made safe: the public view (no confidential
    address or access notes), and text cleaned of control characters and escape sequences.
    ``area``: the client's area (the referral's); a place elsewhere gets its transport paired."""
    values = _values(catalogue, public_view(resource), t=t, lang=lang, today=today, with_schemes=with_schemes,
                     client_area=area)
    return {key: for_output(value) for key, value in values.items()}


def _values(catalogue, resource: Resource, *, t: Translate, lang: str, today: date | None, with_schemes: bool,
            client_area: str = "") -> dict[str, str]:
    w = words(lang)
    today = today or date.today()
    gazetteer = catalogue.gazetteer if catalogue is not None else None
    if resource.confidential:
        # The area narrows down where a shelter is: the public view's rule, plus the place name.
        address, area = w["confidential_address"], ""
    else:
        postal = f"〒{resource.postal_code} " if resource.postal_code and resource.address else ""
        address = postal + resource.address
        area = place_name(gazetteer, resource.area, lang) if gazetteer and resource.area else resource.area
    transport = resource.transport
    schemes = ""
    if with_schemes and catalogue is not None and needs_transport_help(resource):
        # A place run for all Hokkaido is in no town: the schemes are the client's town's, or none —
        # 全道 as a filter keeps every town's bus subsidy (中札内村's for a client in 月形町).
        everywhere = resource.area == HOKKAIDO or (not resource.area and HOKKAIDO in resource.served_areas)
        if not everywhere:
            schemes = "\n".join(transport_schemes(catalogue, resource, lang))
        elif client_area and client_area != HOKKAIDO:
            schemes = "\n".join(transport_schemes(catalogue, resource, lang, area=client_area))
    paired = paired_transport(catalogue, resource, client_area, lang, t=t) if with_schemes else ""
    if paired:
        schemes = "\n".join(dict.fromkeys([*paired.split("\n"), *filter(None, schemes.split("\n"))]))
    return {
        "name": resource.name,
        "organization": resource.organization if resource.organization != resource.name else "",
        "description": resource.description,
        "phone": resource.phone,
        "fax": resource.fax,
        "email": resource.email,
        "url": resource.url,
        "address": address,
        "area": area,
        "hours": resource.hours,
        "eligibility": resource.eligibility,
        "how_to_refer": resource.how_to_refer,
        "cost": resource.cost,
        "capacity": resource.capacity,
        "transport": transport,
        "transport_schemes": schemes,
        "languages": w["list_separator"].join(resource.languages),
        "status": w.get(resource.status, "") if resource.status != "active" else "",
        "verified": verification(resource.last_verified, today, lang),
        # Where the facts come from (page and date), while no office has checked them by phone.
        "source": "" if resource.verified else resource.source,
    }


def compose_note(catalogue, resource: Resource, *, t: Translate, lang: str = "ja", remarks: str = "",
                 today: date | None = None, case_ref: str = "", worker: str = "", office: str = "", area: str = "",
                 home: Path | None = None) -> str:
    """The referral note for ``resource``, from the office's template in the data folder ``home`` (the
    shipped one without) (``area``: the client's)."""
    today = today or date.today()
    values = resource_values(catalogue, resource, t=t, lang=lang, today=today, area=area)
    extra = {"remarks": remarks, "case": case_ref, "worker": worker, "office": office}
    values.update({key: for_output(value, multiline=False) for key, value in extra.items()}, date=today.isoformat())
    return render(load_template(lang, home=home), values)


def file_stem(case_ref: str) -> str:
    """A case reference made safe as a file name: no folders, no hidden files, and two
    references never share a file — characters are escaped (``/`` → ``%2F``), never folded."""
    out = []
    for n, ch in enumerate(case_ref):
        safe = ch.isalnum() and ch.isascii() or ch in "-_" or (ch == "." and 0 < n < len(case_ref) - 1)
        out.append(ch if safe else "".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogateescape")))
    return "".join(out)


def note_file_path(notes_dir: Path, case_ref: str, today: date) -> Path:
    """``CASE.txt`` in the note folder; without a case, one file a month (no-case-2026-11.txt)."""
    safe = file_stem(case_ref)
    return notes_dir / (f"{safe}.txt" if safe else f"no-case-{today:%Y-%m}.txt")


def append_note(path: Path, heading: str, note: str) -> None:
    """Append one entry to a case file (0600 in a 0700 folder, whatever mode it had).

    The file is rewritten beside itself and renamed into place: a full disk leaves the
    old file whole, never a 0-byte or half-written entry.
    """
    ensure_private_dir(path.parent)
    try:
        old = path.read_bytes()
    except FileNotFoundError:
        old = b""
    # The note is made of cleaned values (``resource_values``); the heading carries the settings' names.
    entry = f"{for_output(heading, multiline=False)}\n{note}\n\n".encode()
    atomic_write(path, lambda f: f.write(old + entry), text=False)
