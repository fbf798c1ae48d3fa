"""The referral log as people see it: every row read goes through ``readable``.

Text is cleaned (``public.for_output``: a log written by another tool may hold escape
codes) and the catalogue's *current* privacy rule is applied — a place marked
confidential after it was referred loses its private fields from the note, contact and
snapshot, so the log's screen, listing, handout and exports never show them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields

from tui.core.public import for_output, private_values, public_view
from tui.core.referrals.record import Referral, snapshot_json


def readable(referrals: Sequence[Referral], catalogue=None) -> list[Referral]:
    """Log rows as any view or export may show them: text cleaned, and the current privacy
    rule applied — a place marked confidential after it was referred loses its address
    (and other private fields) from the note and snapshot too."""
    current = {}
    if catalogue is not None:
        current = {r.id: r for r in catalogue.get_many({r.resource_id for r in referrals}) if r.confidential}
    out = []
    for referral in referrals:
        referral = _cleaned(referral)
        snapshot = referral.resource_as_referred()
        now = current.get(referral.resource_id)
        if now is None and not snapshot.confidential:
            out.append(referral)
            continue
        hidden = [value for r in (snapshot, now) if r is not None for value in private_values(r)]
        note = _redact(referral.note, hidden)
        shown = public_view(snapshot.replace(confidential=True))
        out.append(
            _replace(referral, note=note, contact=_redact(referral.contact, hidden), snapshot=snapshot_json(shown))
        )
    return out


_TEXT_FIELDS = ("resource_name", "case_ref", "worker", "office", "organization", "contact", "note", "remarks")


def _cleaned(referral: Referral) -> Referral:
    changes = {f: for_output(getattr(referral, f), multiline=f in ("note", "remarks")) for f in _TEXT_FIELDS}
    return _replace(referral, **changes)


def _replace(referral: Referral, **changes: str) -> Referral:
    values = {f.name: getattr(referral, f.name) for f in fields(Referral)}
    values.update(changes)
    return Referral(**values)


def _redact(text: str, hidden: Sequence[str]) -> str:
    """``text`` with every line of each hidden value replaced by 非公開."""
    pieces = {line.strip() for value in hidden if value for line in value.splitlines() if len(line.strip()) >= 2}
    for piece in sorted(pieces, key=len, reverse=True):
        text = text.replace(piece, "非公開 (confidential)")
    return text
