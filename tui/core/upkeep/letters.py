"""A confirm-or-correct letter to each provider: its entries as the catalogue holds them.

What iCarol's verification e-mails do, printable and offline: one plain-text and one
HTML page per organisation (every field it can check, never a confidential address),
asking it to confirm or correct each entry and send it back to the office.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tui.core.files import shared_mode, write_all
from tui.core.loading.editing import form_text
from tui.core.models import COLUMNS, Resource
from tui.core.public import for_output, public_view
from tui.core.store.catalogue import Catalogue
from tui.core.text import fold

# What a provider can confirm, in the order a letter lists it (with its Japanese header).
LETTER_FIELDS = ("name", "needs", "area", "serves", "address", "postal_code", "phone", "fax", "email", "url", "hours",
                 "eligibility", "cost", "how_to_refer", "capacity", "transport", "languages", "description")
_STYLE = (
    "<style>body{font-family:sans-serif;max-width:48em;margin:2em auto}table{border-collapse:collapse;width:100%}"
    "th,td{border:1px solid #999;padding:.3em;text-align:left;vertical-align:top}th{width:30%}"
    "td.fix{height:2.5em}@media print{section{page-break-inside:avoid}}</style></head><body>"
)
_UNSAFE_IN_NAMES = re.compile(r"[\\/:*?\"<>|\s\x00-\x1f]+")


@dataclass(frozen=True, slots=True)
class Letter:
    organization: str
    resources: tuple[Resource, ...]
    text: str
    html: str

    def file_stem(self) -> str:
        """``letter-NAME``; a name that had to be changed to be a file name (``col/x``, ``col:x``, a long
        one) also carries a short hash of the real name, so no two organisations share a file."""
        shown = for_output(self.organization)
        name = _UNSAFE_IN_NAMES.sub("_", shown).strip("._") or "organization"
        if name[:60] == shown:
            return "letter-" + name
        return f"letter-{name[:60]}-{_short_hash(self.organization)}"


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


class NothingToSend(LookupError):
    pass


def letters(
    catalogue: Catalogue, *, organization: str | None = None, area: str | None = None, today: date, office: str = "",
) -> list[Letter]:
    """One letter per organisation: the one named (matched ignoring width and case), or all serving ``area``."""
    if area is not None:
        chosen = [catalogue.get(h.id) for h in catalogue.search("", area=area, limit=catalogue.count() + 1)]
        resources = [r for r in chosen if r is not None]
    else:
        wanted = fold(organization or "")
        resources = [r for r in catalogue.resources() if r.status != "closed" and fold(r.organization) == wanted]
    by_org: dict[str, list[Resource]] = {}
    for resource in resources:
        if resource.organization:
            by_org.setdefault(resource.organization, []).append(resource)
    if not by_org:
        raise NothingToSend(organization or area or "")
    return [write_letter(catalogue, org, items, today=today, office=office) for org, items in sorted(by_org.items())]


def write_letter(catalogue: Catalogue, organization: str, resources: list[Resource], *, today: date,
                 office: str = "") -> Letter:
    org = for_output(organization, multiline=False)
    sender = for_output(office, multiline=False) or "（事務局 office）"
    intro = [
        f"{org} 御中",
        "",
        f"{today.year}年{today.month}月{today.day}日　{sender}",
        "",
        "地域の社会資源一覧に、貴団体の情報を次のとおり掲載しています。",
        "内容をご確認いただき、変更があれば赤字などでご訂正のうえ、ご返送ください。",
        "変更がない場合も「変更なし」とご記入いただけると助かります。",
        "",
        f"Dear {org}: our directory of community resources lists your services as below.",
        "Please confirm each entry, or correct it, and send this page back to us.",
    ]
    entries: list[tuple[str, list[tuple[str, str]]]] = []
    for resource in resources:
        shown = form_text(public_view(resource), catalogue)
        rows = [(f"{COLUMNS[f][0]} ({f})", for_output(shown[f])) for f in LETTER_FIELDS]
        verified = for_output(resource.last_verified, multiline=False) or "未確認 (never verified)"
        rows.append((f"{COLUMNS['last_verified'][0]} (last_verified)", verified))
        if resource.confidential:
            rows.append(("住所 (address)", "非公開のため記載していません (confidential: not printed)"))
        entries.append((for_output(resource.id, multiline=False), rows))
    closing = [
        "",
        "□ 変更なし (no changes)　□ 訂正あり (corrected)　ご担当者名 (your name): ____________　日付 (date): ________",
    ]
    text_lines = list(intro)
    for number, (rid, rows) in enumerate(entries, 1):
        text_lines += ["", f"【{number}】 {rows[0][1]}  (ID {rid})"]
        text_lines += [f"  {label}: {value or '—'}" for label, value in rows[1:]]
        text_lines.append("  訂正 (corrections): ")
    text_lines += closing
    return Letter(organization, tuple(resources), "\n".join(text_lines) + "\n", _html(org, intro, entries, closing))


def _html(org: str, intro: list[str], entries: list[tuple[str, list[tuple[str, str]]]], closing: list[str]) -> str:
    e = html.escape
    parts = [
        "<!DOCTYPE html>", '<html lang="ja"><head><meta charset="utf-8">', f"<title>{e(org)}</title>",
        _STYLE,
    ]
    parts += [f"<p>{e(line)}</p>" for line in intro if line]
    for number, (rid, rows) in enumerate(entries, 1):
        parts.append(f"<section><h2>{number}. {e(rows[0][1])} <small>(ID {e(rid)})</small></h2><table>")
        parts += [f"<tr><th>{e(label)}</th><td>{e(value) or '—'}</td></tr>" for label, value in rows[1:]]
        parts.append('<tr><th>訂正 (corrections)</th><td class="fix"></td></tr></table></section>')
    parts += [f"<p>{e(line)}</p>" for line in closing if line]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_files(found: list[Letter], folder: Path) -> list[Path]:
    """``letter-ORG.txt`` and ``letter-ORG.html`` per letter in ``folder``; returns the files.

    Each file is written whole or not at all (``files.atomic_write``); a letter holds only
    what a provider may read (``public_view``), so it gets the ordinary sharing mode."""
    folder.mkdir(parents=True, exist_ok=True)
    stems = [letter.file_stem() for letter in found]
    # Names that differ only in case share a file where the file system ignores case (macOS, Windows).
    clash = {stem.casefold() for stem in stems if [s.casefold() for s in stems].count(stem.casefold()) > 1}
    stems = [f"{stem}-{_short_hash(letter.organization)}" if stem.casefold() in clash else stem
             for stem, letter in zip(stems, found)]
    files = {folder / (stem + suffix): content for stem, letter in zip(stems, found)
             for suffix, content in ((".txt", letter.text), (".html", letter.html))}
    return write_all(files, mode=shared_mode())
