"""The client handout: every place referred for one case, as plain text and simple HTML.

Written for the person, not the worker: contacts, hours, what to bring, cost and
access, in plain Japanese (or English). A confidential place shows only its public
contact. Catalogue text is escaped with ``html.escape`` and URLs stay plain text, so
nothing from a spreadsheet can become markup or a link that runs something.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tui.core.desk import Translate
from tui.core.files import ensure_private_dir, write_all
from tui.core.models import Resource
from tui.core.public import for_output, public_view
from tui.core.referrals.log import ReferralLog
from tui.core.referrals.notes import file_stem, resource_values
from tui.core.referrals.record import Referral

# Outcomes after which the person will not go there: left off the handout.
NOT_GOING = ("not_eligible", "no_capacity", "declined")

LABELS: dict[str, dict[str, str]] = {
    "ja": {
        "title": "ご案内　相談・支援先の一覧",
        "intro": "お出かけ前に、電話で受付時間や持ち物を確かめてください。",
        "footer": "作成日 {date}　控え番号 {case}",
        "empty": "（紹介先はまだありません）",
        "no_contact_label": "連絡のしかた",
        "no_contact": "電話番号も住所も分かっていません。行く前に、相談の窓口で連絡のしかたを確かめてください。",
        "back_to": "分からないこと・困ったことがあれば、いつでもこちらへ: {office}",
    },
    "en": {
        "title": "Places you have been referred to",
        "intro": "Before you go, please phone to check the hours and what to bring.",
        "footer": "Made {date}   Reference {case}",
        "empty": "(No places yet)",
        "no_contact_label": "How to reach them",
        "no_contact": "No phone number or address is known. Before you go, ask at the desk that gave you this "
                      "how to reach them.",
        "back_to": "If anything is unclear or goes wrong, come back to us at any time: {office}",
    },
}

# The fields a handout lists, each with its label, in order.
FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "ja": (
        ("organization", "運営"),
        ("phone", "電話"),
        ("fax", "FAX"),
        ("email", "メール"),
        ("url", "ホームページ"),
        ("address", "住所"),
        ("hours", "受付時間"),
        ("how_to_refer", "手続き・持ち物"),
        ("cost", "費用"),
        ("transport", "交通"),
        ("transport_schemes", "交通費・移動の支援"),
        ("status", "状態"),
        ("verified", "情報の確認日"),
    ),
    "en": (
        ("organization", "Run by"),
        ("phone", "Phone"),
        ("fax", "Fax"),
        ("email", "Email"),
        ("url", "Website"),
        ("address", "Address"),
        ("hours", "Hours"),
        ("how_to_refer", "How to apply / what to bring"),
        ("cost", "Cost"),
        ("transport", "Access"),
        ("transport_schemes", "Help with transport"),
        ("status", "Status"),
        ("verified", "Details checked"),
    ),
}


@dataclass(frozen=True, slots=True)
class Handout:
    case_ref: str
    text: str
    html: str
    places: tuple[Resource, ...]


def places_for_case(log: ReferralLog, case_ref: str, catalogue=None) -> list[Resource]:
    """Each place referred for the case once, in the order first referred.

    The catalogue's current details are used when it still holds the place; otherwise
    the snapshot taken at referral time (which never holds a confidential address).
    """
    latest: dict[str, Referral] = {}
    for referral in log.find(case_ref=case_ref):
        if referral.status in NOT_GOING:
            latest.pop(referral.resource_id, None)
        else:
            latest.setdefault(referral.resource_id, referral)
    current = {r.id: r for r in catalogue.get_many(latest)} if catalogue is not None else {}
    return [public_view(current.get(rid) or referral.resource_as_referred()) for rid, referral in latest.items()]


def _width(text: str) -> int:
    """Columns a label takes in a fixed-width font (kanji and kana take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def client_areas(log: ReferralLog, case_ref: str) -> dict[str, str]:
    """Resource id → the area it was last referred for (the client's area), for pairing transport."""
    return {r.resource_id: r.asked_area or r.area for r in log.find(case_ref=case_ref) if r.asked_area or r.area}


# A phone number as offices write it (0154-22-1234, 011‐222‐3333, 0120 123 456, #8008, 189), after NFKC.
_PHONE = re.compile(r"(?<![\d#])#?\d[\d\-‐ー−–]{1,15}\d(?!\d)")
_WEB = re.compile(r"https?://[^\s<>\"'（）「」、。]+", re.IGNORECASE)
QR_BORDER = 4  # the quiet zone a reader needs, in modules


def phone_numbers(text: str) -> list[str]:
    """The numbers in a phone field, each as written (normalised to half width), in order."""
    found = [m.group().strip() for m in _PHONE.finditer(unicodedata.normalize("NFKC", text or ""))]
    return list(dict.fromkeys(n for n in found if sum(c.isdigit() for c in n) >= 3))


def tel_uri(number: str) -> str:
    """``tel:`` and the digits (a leading # kept, escaped): what a phone dials."""
    return "tel:" + ("%23" if number.startswith("#") else "") + "".join(c for c in number if c.isdigit())


def web_addresses(text: str) -> list[str]:
    """http(s) addresses only: a QR code never carries javascript: or a file path."""
    return list(dict.fromkeys(m.group().rstrip(".,;)") for m in _WEB.finditer(text or "")))


def qr_svg(data: str, caption: str) -> str:
    """One QR code as inline SVG: a path of dark runs per row, one unit a module, quiet zone included.
    Made by ``segno`` here, offline; ``caption`` (escaped) is what the code says, printed under it."""
    import segno

    matrix = segno.make(data, error="m", micro=False).matrix
    size = len(matrix) + 2 * QR_BORDER
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append(f"M{start + QR_BORDER} {y + QR_BORDER}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    e = html.escape
    return (f'<figure class="qr"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
            f'shape-rendering="crispEdges" role="img" aria-label="{e(caption)}" data-qr="{e(data)}">'
            f'<rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{"".join(runs)}"/></svg>'
            f"<figcaption>{e(caption)}</figcaption></figure>")


def _qr_codes(values: dict[str, str]) -> str:
    codes = [qr_svg(tel_uri(n), n) for n in phone_numbers(values.get("phone", ""))]
    codes += [qr_svg(url, url) for url in web_addresses(values.get("url", ""))]
    return f'<div class="qrs">{"".join(codes)}</div>' if codes else ""


def _sections(
    catalogue, places, lang, today, areas=None, *, t: Translate
) -> list[tuple[str, list[tuple[str, str]], str]]:
    fields = FIELDS[lang]
    out = []
    for place in places:
        values = resource_values(catalogue, place, t=t, lang=lang, today=today, area=(areas or {}).get(place.id, ""))
        rows = [(label, values[key]) for key, label in fields if values.get(key, "").strip()]
        shown = public_view(place)
        if not (shown.phone or shown.email or shown.url or shown.address):  # never a dead end: say what to do
            rows.insert(0, (LABELS[lang]["no_contact_label"], LABELS[lang]["no_contact"]))
        out.append((values["name"], rows, _qr_codes(values)))
    return out


# Words of the note that speak to the counsellor (``n 交通`` is an app key), said to the client instead.
FOR_THE_CLIENT = {"demand.transport_none": "demand.transport_none_client"}


def _client_words(t: Translate) -> Translate:
    def words(key: str, lang: str = "ja", **values: object) -> str:
        return t(FOR_THE_CLIENT.get(key, key), lang, **values)

    return words


def make_handout(log: ReferralLog, case_ref: str, *, t: Translate, catalogue=None, lang: str = "ja",
                 today: date | None = None, office: str = "") -> Handout:
    """The handout for ``case_ref`` (``t``: the words of the transport lines paired with a place elsewhere).
    ``office``: the counsellor's office and number (settings), named as the place to come back to."""
    lang = "en" if lang == "en" else "ja"
    today = today or date.today()
    words = LABELS[lang]
    places = places_for_case(log, case_ref, catalogue)
    sections = _sections(catalogue, places, lang, today, client_areas(log, case_ref), t=_client_words(t))
    footer = words["footer"].format(date=today.isoformat(), case=case_ref or "-")
    office = for_output(office, multiline=False).strip()
    back_to = words["back_to"].format(office=office) if office else ""
    if back_to:
        footer = back_to + "\n" + footer

    lines = [words["title"], "=" * _width(words["title"]), words["intro"], ""]  # in English too (24 was the Japanese)
    for number, (name, rows, _) in enumerate(sections, 1):
        lines.append(f"{number}. {name}")
        for label, value in rows:
            lines.append(f"   {label}: " + value.replace("\n", "\n" + " " * (_width(label) + 5)))
        lines.append("")
    if not sections:
        lines += [words["empty"], ""]
    lines.append(footer)

    e = html.escape
    body = [f"<h1>{e(words['title'])}</h1>", f"<p>{e(words['intro'])}</p>"]
    for name, rows, codes in sections:
        items = "".join(f"<dt>{e(label)}</dt><dd>{e(value).replace(chr(10), '<br>')}</dd>" for label, value in rows)
        body.append(f'<section><div class="info"><h2>{e(name)}</h2><dl>{items}</dl></div>{codes}</section>')
    if not sections:
        body.append(f"<p>{e(words['empty'])}</p>")
    body.append(f"<footer>{e(footer).replace(chr(10), '<br>')}</footer>")
    page = (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{e(words["title"])}</title>\n'
        # One A4 page for a usual handout (a test prints four places with headless Chromium): the codes
        # sit beside each place's details, not under them, and print type is 10 pt.
        "<style>body{font-family:sans-serif;max-width:46em;margin:1em auto;line-height:1.5}"
        "h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.15em;margin:.1em 0 .2em}"
        "section{border-top:1px solid #888;padding:.4em 0;break-inside:avoid;display:flex;gap:4mm;"
        "align-items:flex-start}.info{flex:1;min-width:0}dl{margin:0}"
        "dt{font-weight:bold;float:left;clear:left;width:9em}dd{margin-left:10em}footer{margin-top:1.5em;font-size:90%}"
        ".qrs{flex:none;display:flex;flex-wrap:wrap;gap:3mm;max-width:52mm}"
        ".qr{margin:0;text-align:center;font-size:8pt;break-inside:avoid}.qr svg{width:22mm;height:22mm;display:block}"
        ".qr figcaption{max-width:40mm;overflow-wrap:anywhere}"
        "@page{size:A4;margin:12mm}@media print{body{font-size:10pt;margin:0;max-width:none}}"
        "</style></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
    return Handout(case_ref, "\n".join(lines) + "\n", page, tuple(places))


def write_handout(handout: Handout, folder: Path) -> tuple[Path, Path]:
    """Write ``handout-CASE.txt`` and ``.html`` (0600: they name the places a person was sent)."""
    folder = Path(folder)
    if not folder.exists():
        ensure_private_dir(folder)
    stem = "handout-" + (file_stem(handout.case_ref) or "no-case")
    # New files renamed into place: 0600 even over older, looser files; both or neither.
    text, page = write_all({folder / (stem + ".txt"): handout.text, folder / (stem + ".html"): handout.html})
    return text, page
