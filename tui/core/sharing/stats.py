"""Counts shared between offices (opt-in): ``stats/OFFICE/YYYY-MM.csv`` in the shared repository.

Each file holds one office's referral and unmet-need counts for one month, one line per
cell — subprefecture × need, and municipality × need only where a count is 3 or more:

    month,subprefecture,municipality,need,referred,unmet
    2026-12,kushiro,,food,4,4
    2026-12,kushiro,01662,food,3,3

Nothing else is written: no case reference, note, worker, resource or day. The rules that
keep a person from being counted out of a small place (``tui.core.small_counts``), used both for the
files and for every figure shown:

- a municipality's count below 3 — zero included, so a blank town cannot be told from a
  town with one person — is ``suppressed``; its line is written only when a count is ≥ 3;
- a subprefecture's count of 1 or 2 is ``suppressed``;
- a subprefecture's count is also ``suppressed`` when subtracting its shown towns would
  leave a remainder that could sit in only one town (every other town shown);
- there are no other totals (across needs, months or offices) to subtract from.

OFFICE is a random id made once (the front's ``config.with_office_id``), never a name. Other offices'
files are read from the last synced commit (``read_shared``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping

from dulwich.objects import Blob, Tree
from dulwich.repo import Repo

from tui.core.reference.areas import Gazetteer
from tui.core.small_counts import MEASURES, SUPPRESSED, THRESHOLD, Value, protect, town_value, towns_of

FOLDER = b"stats"
HEADER = ("month", "subprefecture", "municipality", "need", "referred", "unmet")
_OFFICE = re.compile(rb"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_MONTH = re.compile(rb"\d{4}-\d{2}\.csv")
_CODE = re.compile(r"[A-Za-z0-9_-]{0,32}")

# (month, subprefecture, municipality, need) → {"referred": n, "unmet": n}: an office's exact counts
Counts = Mapping[tuple[str, str, str, str], Mapping[str, int]]
CountsSource = Callable[[Gazetteer], Counts]
# () → (this office's id, whether its counts are shared): read from the settings at each sync
OfficeSource = Callable[[], tuple[str, bool]]
_source: CountsSource | None = None
_office: OfficeSource | None = None


def count_with(source: CountsSource | None, office: OfficeSource | None = None) -> None:
    """Where ``publish_for_sync`` gets this office's counts (``referrals.unmet.tally_log`` over
    the log) and its id and choice to share them (``config.counts_office``): set by the fronts,
    since the core's sharing and referrals do not use each other and the core reads no settings."""
    global _source, _office
    _source, _office = source, office


# -- writing ---------------------------------------------------------------------------


def month_files(counts: Counts, gazetteer: Gazetteer) -> dict[str, bytes]:
    """``YYYY-MM.csv`` → bytes, from an office's exact counts (``referrals.unmet.tally``)."""
    by_month: dict[str, dict[tuple[str, str], dict[str, dict[str, int]]]] = {}
    for (month, sub, town, need), values in counts.items():
        group = by_month.setdefault(month, {}).setdefault((sub, need), {})
        for measure in MEASURES:
            per = group.setdefault(measure, {})
            per[town] = per.get(town, 0) + values.get(measure, 0)
    out = {}
    for month, groups in sorted(by_month.items()):
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(HEADER)
        for (sub, need), measures in sorted(groups.items()):
            towns = towns_of(gazetteer, sub)
            guarded = {m: protect(sum(measures[m].values()), {t: n for t, n in measures[m].items() if t}, len(towns))
                       for m in MEASURES}
            writer.writerow([month, sub, "", need, *(guarded[m].subprefecture for m in MEASURES)])
            for town in sorted({t for m in MEASURES for t in guarded[m].municipalities}):
                writer.writerow([month, sub, town, need, *(town_value(measures[m].get(town, 0)) for m in MEASURES)])
        out[f"{month}.csv"] = buffer.getvalue().encode()
    return out


def publish(repo: Repo, tree_id: str, office_id: str, files: Mapping[str, bytes] | None) -> str:
    """The tree ``tree_id`` with ``stats/OFFICE/`` replaced by ``files`` (None: this office's
    folder withdrawn) and other offices' folders kept; returns the new tree's id.

    ``stats`` is a real folder (a git tree), whatever a flat tree writer made of it."""
    store = repo.object_store
    root = repo[tree_id.encode()]
    assert isinstance(root, Tree)
    folders = _office_folders(repo, root)
    office = office_id.encode()
    if office and office in folders:
        del folders[office]
    if files and office:
        folders.add(office, 0o040000, _month_tree(repo, files).id)
    new = Tree()
    for entry in root.items():
        if entry.path != FOLDER:
            new.add(entry.path, entry.mode, entry.sha)
    if len(folders):
        store.add_object(folders)
        new.add(FOLDER, 0o040000, folders.id)
    if new.id == root.id:
        return tree_id
    store.add_object(new)
    return new.id.decode()


def publish_for_sync(repo: Repo, tree_id: str, gazetteer: Gazetteer) -> str:
    """What ``sync`` calls on the tree it is about to commit: this office's counts when the
    settings say ``share_counts = true`` and a front said where they come from (``count_with``),
    withdrawn when turned off; other offices' folders kept, ``stats`` kept a real folder.
    With no front's word on the office (a sync from the core alone), no office's folder changes."""
    office_id, shared = _office() if _office is not None else ("", False)
    if not shared or _source is None:
        return publish(repo, tree_id, office_id, None)
    return publish(repo, tree_id, office_id, month_files(_source(gazetteer), gazetteer))


def _office_folders(repo: Repo, root: Tree) -> Tree:
    """The offices' folders under ``stats/`` in ``root`` (anything else there is dropped)."""
    folders = Tree()
    if FOLDER in root:
        _, sha = root[FOLDER]
        existing = repo[sha]
        if isinstance(existing, Tree):
            for entry in existing.items():
                if entry.mode == 0o040000 and _OFFICE.fullmatch(entry.path):
                    folders.add(entry.path, entry.mode, entry.sha)
    return folders


def _month_tree(repo: Repo, files: Mapping[str, bytes]) -> Tree:
    """One office's folder of month files, stored."""
    store = repo.object_store
    mine = Tree()
    for name, data in sorted(files.items()):
        blob = Blob.from_string(data)
        if blob.id not in store:
            store.add_object(blob)
        mine.add(name.encode(), 0o100644, blob.id)
    store.add_object(mine)
    return mine


# -- reading ---------------------------------------------------------------------------


def read_shared(
    repo: Repo, commit_id: str | None, *, skip_office: str = ""
) -> list[tuple[str, str, str, str, str, Value]]:
    """Every office's published values at a commit, except ``skip_office`` (this office: its
    exact counts come from its own log), as (office, subprefecture, municipality, need, measure,
    value) — value a count or "suppressed". A file or line not as written here is skipped, and a
    town's count below 3 (another tool's file) is read as "suppressed"."""
    if not commit_id:
        return []
    commit = repo[commit_id.encode()]
    root = repo[commit.tree]  # type: ignore[attr-defined]
    if not isinstance(root, Tree) or FOLDER not in root:
        return []
    folders = repo[root[FOLDER][1]]
    if not isinstance(folders, Tree):
        return []
    out: list[tuple[str, str, str, str, str, Value]] = []
    for office in folders.items():
        if office.mode != 0o040000 or not _OFFICE.fullmatch(office.path) or office.path.decode() == skip_office:
            continue
        months = repo[office.sha]
        if not isinstance(months, Tree):
            continue
        for month in months.items():
            blob = repo[month.sha]
            if not _MONTH.fullmatch(month.path) or not isinstance(blob, Blob):
                continue
            out.extend((office.path.decode(), *row) for row in _rows(blob.as_raw_string()))
    return out


def _rows(data: bytes) -> Iterable[tuple[str, str, str, str, Value]]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    reader = csv.reader(io.StringIO(text))
    if next(reader, None) != list(HEADER):
        return
    for line in reader:
        if len(line) != len(HEADER) or not all(_CODE.fullmatch(v) for v in line[1:4]):
            continue
        for measure, raw in zip(MEASURES, line[4:]):
            value: Value
            if raw == SUPPRESSED:
                value = SUPPRESSED
            elif raw.isdigit() and len(raw) < 10:
                value = int(raw)
                if line[2] and value < THRESHOLD:  # a small town count another tool wrote: never shown
                    value = SUPPRESSED
            else:
                continue
            yield line[1], line[2], line[3], measure, value
