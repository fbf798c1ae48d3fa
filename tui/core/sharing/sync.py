"""Sharing one catalogue between offices: fetch, merge, apply, commit, push.

The shared repository holds the catalogue's HSDS package (hsds.py). A sync:

1. fetches the remote's ``main`` (no network → ``Unreachable`` within seconds, nothing changed);
2. merges three ways per resource and field (merge.py), against the package at the merge
   base of this catalogue's last commit and the remote's; only resources that changed on
   either side since then are read (``sync_pending`` is kept by triggers);
3. writes the package's new files and a commit (author: worker and office) into the
   catalogue's own repository beside it;
4. applies the merge to the catalogue in one transaction — changed resources through
   ``Catalogue.write(..., by=<the other office's worker>, how="sync")``, conflicts, the
   new head — so a cut connection later leaves a consistent catalogue;
5. pushes; if someone pushed meanwhile, fetches and merges again (``ATTEMPTS``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tui.core.db import transaction
from tui.core.errors import ReadOnlyCatalogue
from tui.core.files import fault
from tui.core.models import Resource
from tui.core.public import for_output, keep_private, public_view
from tui.core.sharing import decisions, exchange, gitstore, keptout, stats
from tui.core.sharing.conformance import conform
from tui.core.sharing.credit import Credit, credits
from tui.core.sharing.hsds import STATUS_FROM_HSDS, Term
from tui.core.sharing.hsds_read import BadRow
from tui.core.sharing.layout import Received
from tui.core.sharing.lock import one_sync_at_a_time
from tui.core.sharing.merge import Conflict, Merged, merge, record, resource
from tui.core.sharing.splice import changed_ids, package_changes, read_resources, service_row
from tui.core.sharing.state import BeforeLanding, StoredConflict, conflicts, rejected, repo_path, set_state, state
from tui.core.store.catalogue import Catalogue

ATTEMPTS = 4


class SyncError(Exception):
    """A sync that could not complete; the catalogue is consistent and nothing was lost."""


@dataclass(slots=True)
class SyncReport:
    """What a sync did."""

    head: str = ""
    received: list[str] = field(default_factory=list)  # resource ids changed here by others
    sent: int = 0  # resources this office changed that are now in the package
    new_conflicts: list[Conflict] = field(default_factory=list)  # found or still open on what this sync touched
    open_conflicts: int = 0  # waiting for a person after this sync
    pushed: bool = False
    attempts: int = 0
    rejected: list[BadRow] = field(default_factory=list)  # received rows kept out by the import's rules
    # rows other offices kept out (their kept-out-KEY.csv): (office key, row) — the sender hears of it too
    rejected_elsewhere: list[tuple[str, BadRow]] = field(default_factory=list)
    settled: list = field(default_factory=list)  # conflicts here another office decided (decisions.Decision)


def author_line(worker: str, office: str) -> str:
    """A commit's author: the worker and their office (from the settings)."""
    worker = " ".join(worker.split()).replace("<", "").replace(">", "") or "tsunagu"
    office = " ".join(office.split()).replace("<", "").replace(">", "")
    return f"{worker} ({office}) <>" if office else f"{worker} <>"


def terms(catalogue: Catalogue) -> list[Term]:
    """The need taxonomy as the package writes it: reference text is catalogue text too, so cleaned."""
    return [Term(n.code, for_output(n.label_ja, multiline=False), for_output(n.description or n.label_en))
            for n in catalogue.taxonomy]


def places(catalogue: Catalogue) -> dict[str, str]:
    return {code: for_output(catalogue.gazetteer.label(code), multiline=False) for code in catalogue.gazetteer.places}


# -- sync ---------------------------------------------------------------------------


def sync(
    catalogue: Catalogue,
    *,
    author: str,
    remote: str | None = None,
    bundle_in: Path | None = None,
    bundle_out: Path | None = None,
    backup_dir: Path | None = None,
    timeouts: exchange.Timeouts | None = None,
) -> SyncReport:
    """One sync at a time per catalogue (``SyncBusy`` after a short wait); with ``backup_dir``, the
    catalogue is copied there (kind ``sync``) before received changes are applied (issue 18)."""
    if catalogue.read_only:  # before the lock file is made: nothing may change
        raise ReadOnlyCatalogue(catalogue.path)
    token = _BACKUP.set(backup := BeforeLanding(catalogue.path, backup_dir))
    try:
        with one_sync_at_a_time(catalogue.path):
            return _sync(catalogue, author=author, remote=remote, bundle_in=bundle_in, bundle_out=bundle_out,
                         timeouts=timeouts)
    finally:
        _BACKUP.reset(token)
        backup.discard()


_BACKUP: ContextVar[BeforeLanding] = ContextVar("sync_backup")  # set by sync() for the exchange and the apply


def _sync(
    catalogue: Catalogue,
    *,
    author: str,
    remote: str | None = None,
    bundle_in: Path | None = None,
    bundle_out: Path | None = None,
    timeouts: exchange.Timeouts | None = None,
) -> SyncReport:
    """One sync with the remote (or a bundle); raises Unreachable, BadRemote, Refused or SyncError.
    Every wait for the remote is bounded (``timeouts``): connecting, each read, the whole exchange."""
    if catalogue.read_only:  # before the sync repository or a new shared one is made: nothing may change
        raise ReadOnlyCatalogue(catalogue.path)
    with gitstore.open_repo(repo_path(catalogue)) as repo:  # its packs closed when the sync ends
        return _sync_in(catalogue, repo, author, remote, bundle_in, bundle_out, timeouts)


def _sync_in(catalogue: Catalogue, repo, author: str, remote: str | None, bundle_in: Path | None,
             bundle_out: Path | None, timeouts: exchange.Timeouts | None) -> SyncReport:
    current = state(catalogue)
    report = SyncReport()
    if bundle_in or bundle_out:
        theirs = exchange.read_bundle_file(repo, bundle_in) if bundle_in else current.get("head") or None
        if bundle_in:
            gitstore.check_package(repo, theirs, str(bundle_in))
        _merge_and_apply(catalogue, repo, theirs, author, report)
        if bundle_out:
            exchange.write_bundle_file(repo, report.head, bundle_out)
        return report
    url = remote or current.get("remote", "")
    if not url:
        raise SyncError("no remote")
    timeouts = timeouts or exchange.Timeouts()
    deadline = timeouts.deadline()
    for attempt in range(1, ATTEMPTS + 1):
        report.attempts = attempt
        try:
            theirs = exchange.fetch(repo, url, timeouts, deadline, _BACKUP.get().coming)
        except exchange.Unreachable:
            if remote and not current.get("remote"):  # a first join keeps the address for the next try
                with catalogue.lock, transaction(catalogue.conn):
                    set_state(catalogue, remote=remote)
            raise
        gitstore.check_package(repo, theirs, url)
        if remote and current.get("remote") != remote:
            with catalogue.lock, transaction(catalogue.conn):
                set_state(catalogue, remote=remote)
        _merge_and_apply(catalogue, repo, theirs, author, report)
        if not report.head or report.head == theirs:
            return report
        try:
            exchange.push(repo, url, report.head, theirs, deadline)
        except exchange.Rejected:
            continue
        report.pushed = True
        return report
    raise SyncError(f"the shared repository kept changing; tried {ATTEMPTS} times")


def _merge_and_apply(catalogue: Catalogue, repo, theirs: str | None, author: str, report: SyncReport) -> None:
    head = state(catalogue).get("head") or None
    base = gitstore.merge_base(repo, head, theirs)
    cache: dict[gitstore.ObjectID, bytes] = {}
    trees = [gitstore.TreeFiles(repo, c, cache) for c in (base, head, theirs)]
    fault("sync-fetched")
    # Read by header: a file another tool wrote (its column order, extra columns, CRLF) is put in ours.
    laid_out: dict = {}  # each blob put in our layout once, whichever of the three packages holds it
    base_files, mine_files, theirs_files = (Received(t, laid_out) for t in trees)
    if theirs and theirs != head:  # what another office sent is held against HSDS 3.0 before anything is written
        conform(trees[2], {n for n, sha in trees[2].ids.items() if trees[0].ids.get(n) == sha}, rows=False)
    with catalogue.lock:
        last_pending = catalogue.conn.execute("SELECT coalesce(max(rowid), 0) FROM sync_pending").fetchone()[0]
        pending = [row[0] for row in catalogue.conn.execute("SELECT resource_id FROM sync_pending")]
    if head is None:  # joining: everything here is new to the package
        pending = catalogue.ids()
    changed = changed_ids(base_files, mine_files, trees[0].same_as(trees[1])) | changed_ids(
        base_files, theirs_files, trees[0].same_as(trees[2]))
    key = state(catalogue).get("office_key") or keptout.new_key()
    others = decisions.read_others(trees[2], key)  # a conflict here another office decided is merged again
    affected = sorted(set(pending) | changed | ({d.id for d in others} & {c.id for c in conflicts(catalogue)}))
    base_of = {k: record(v) for k, v in read_resources(base_files, affected, []).items()}
    bad: list[BadRow] = []
    theirs_read = read_resources(theirs_files, affected, bad)
    theirs_of = {k: record(v) for k, v in theirs_read.items()}
    bad += _refused(catalogue, theirs_files, theirs_read, theirs_of, base_of)
    kept_out = {b.id for b in bad}
    for rid in kept_out:  # their version is kept out: merged as if they had not changed it
        if rid in base_of:
            theirs_of[rid] = base_of[rid]
        else:
            theirs_of.pop(rid, None)
    if theirs:
        pending_set = set(pending)
        affected = [rid for rid in affected if rid not in kept_out or rid in pending_set]
    here = {r.id: r for r in catalogue.get_many(affected)}
    open_conflicts: dict[str, dict[str, StoredConflict]] = {}
    for c in conflicts(catalogue):
        open_conflicts.setdefault(c.id, {})[c.field] = c
    who = Credit(gitstore.commit_info(repo, theirs) if theirs else gitstore.CommitInfo("", author, _now()))

    shared, local, found = _merge_each(affected, here, base_of, theirs_of, open_conflicts)
    local, found, report.settled = decisions.settle(found, others, local, here)
    sent = len(shared)
    if theirs and head and theirs != head:  # each received change credited to the commit that made it
        who = Credit(who.newest, credits(repo, theirs, [head], {r.id for r in local} | {c.id for c in found},
                                            cache))
    who.found.update({d.id: gitstore.CommitInfo("", d.by, d.at) for d in report.settled})  # who decided

    target = theirs_files if theirs else mine_files
    changes = package_changes(target, shared, terms(catalogue), places(catalogue))
    kept = keptout.still_kept_out(rejected(catalogue), affected, bad)
    with catalogue.lock:
        ours = decisions.mine(catalogue.conn)
    if ours or decisions.file_name(key) in trees[2 if theirs else 1].ids:  # what people here decided, told
        changes[decisions.file_name(key)] = decisions.file_bytes(ours)
    if kept or keptout.file_name(key) in trees[2 if theirs else 1].ids:  # what this office keeps out, told
        changes[keptout.file_name(key)] = keptout.file_bytes(kept)
    fault("sync-merged")
    tree = gitstore.write_tree(repo, trees[2 if theirs else 1].ids, changes)
    # Issue 24: this office's counts (opt-in, counts only) into stats/OFFICE/, others' kept as a folder.
    tree = stats.publish_for_sync(repo, tree, catalogue.gazetteer)
    new_head = gitstore.new_head(repo, tree, head, theirs, author,
                                 f"Tsunagu sync: {sent} resource{'' if sent == 1 else 's'} from this office")
    _apply(catalogue, local, found, affected, last_pending, new_head, who, kept, key)
    fault("sync-applied")
    gitstore.set_ref(repo, gitstore.MAIN, new_head)
    gitstore.keep_plain_copies(repo, trees[2 if theirs else 1], changes)
    report.head = new_head
    report.received = sorted({r.id for r in local})
    report.sent = sent
    report.open_conflicts = len(conflicts(catalogue))
    report.new_conflicts = found
    report.rejected = bad
    report.rejected_elsewhere = keptout.read_others(trees[2 if theirs else 1], key)


def _merge_each(affected: list[str], here: dict[str, Resource], base_of: dict[str, dict[str, str]],
                theirs_of: dict[str, dict[str, str]], open_conflicts: dict[str, dict[str, StoredConflict]],
                ) -> tuple[list[Resource], list[Resource], list]:
    """Three-way merge of each affected resource: (what to write into the package, what changes
    here, the new conflicts)."""
    shared: list[Resource] = []
    local: list[Resource] = []
    found: list = []
    for rid in affected:
        mine = record(public_view(here[rid])) if rid in here else None
        if mine is None and rid not in theirs_of:
            continue  # on neither side (a row without its resource, kept out): nothing to merge
        stuck = open_conflicts.get(rid, {})
        if mine is not None:  # a field in conflict is pushed as the package has it until a person chooses
            mine.update({f: c.theirs for f, c in stuck.items()})
        result = merge(rid, base_of.get(rid), mine, theirs_of.get(rid))
        _carry_open_conflicts(result, here.get(rid), stuck)
        if result.shared != theirs_of.get(rid):  # only what differs from the package is rewritten
            shared.append(resource(rid, result.shared))
        kept = resource(rid, result.local)
        if rid in here and kept.confidential:  # private fields never left this catalogue: keep them
            kept = keep_private(kept, here[rid], blanks_only=False)
        if here.get(rid) != kept:
            local.append(kept)
        found.extend(result.conflicts)
    return shared, local, found


# Where a SPEC column lives in the package (file, column), for a message that names the file's own header.
_IN_PACKAGE = {
    "area": ("services.csv", "tsunagu_area"),
    "last_verified": ("services.csv", "assured_date"),
    "serves": ("service_areas.csv", "tsunagu_place"),
    "needs": ("attributes.csv", "taxonomy_term_id"),
    "confidential": ("services.csv", "tsunagu_confidential"),
    "postal_code": ("addresses.csv", "postal_code"),
    "phone": ("phones.csv", "number"),
    "fax": ("phones.csv", "number"),
}


def _refused(
    catalogue: Catalogue, files, received: dict[str, Resource], records: dict[str, dict[str, str]],
    base_of: dict[str, dict[str, str]],
) -> list[BadRow]:
    """Received changes the import's row rules refuse (an unknown area, an impossible date, a bad
    status, a missing name...): each named by file, row and column, the resource kept out."""
    from tui.core.loading.rows import to_resource

    out: list[BadRow] = []
    for rid, found in received.items():
        rec = records[rid]  # record(found), made once by the caller
        if base_of.get(rid) == rec:
            continue  # not a change: nothing to check
        if found.status not in STATUS_FROM_HSDS.values():
            number = service_row(files, rid)
            out.append(
                BadRow(
                    "services.csv",
                    number,
                    "status",
                    f"状態がわかりません (unknown status): {found.status!r} — "
                    "active、temporarily closed、defunct のどれかです (use active, temporarily closed or defunct)",
                    rid,
                )
            )
            continue
        row = {name: value for name, value in rec.items() if name != "name_kana_generated"}
        row["id"] = rid
        _, problems = to_resource(row, catalogue, "services.csv", 0)
        if problems:  # the row number only for a message: finding it reads the file (never for each good row)
            number = service_row(files, rid)
            p = problems[0]
            file, column = _IN_PACKAGE.get(p.column, ("services.csv", p.column))
            out.append(BadRow(file, number if file == "services.csv" else 0, column,
                              p.message + (f" → {p.fix}" if p.fix else ""), rid))
    return out


def _carry_open_conflicts(result: Merged, here, stuck: dict[str, StoredConflict]) -> None:
    """Fields already in conflict: the catalogue keeps its value; the conflict follows the package."""
    for name, old in stuck.items():
        value = record(here)[name] if here is not None else old.mine
        result.local[name] = value
        result.conflicts = [c for c in result.conflicts if c.field != name]
        if result.shared.get(name, "") != value:
            result.conflicts.append(Conflict(old.id, name, value, result.shared.get(name, ""), old.base))


def _apply(
    catalogue: Catalogue,
    local: list,
    found: list[Conflict],
    affected: Iterable[str],
    last_pending: int,
    head: str,
    who: Credit,
    kept: list[BadRow],
    key: str,
) -> None:
    """Everything the merge decided, in one transaction (the new head with it: a failure at any
    statement leaves the head where it was, so the next sync receives the same changes again)."""
    if local or found:  # something other offices caused is about to land: a backup first
        _BACKUP.get().before(catalogue)
    conn = catalogue.conn
    existing = {r.id: r for r in catalogue.get_many(r.id for r in local)}
    changed = [r for r in local if existing.get(r.id) != r]
    with catalogue.lock, transaction(conn):
        if conn.execute("SELECT coalesce(max(rowid), 0) FROM sync_pending").fetchone()[0] != last_pending:
            raise SyncError("the catalogue changed during the sync; sync again")
        # The rows and their change log only: the search index is stored after the commit, so an
        # error it swallows (a full disk) can never end this transaction behind our back and let
        # the head below move on its own.
        for author, group in who.group(changed):
            catalogue._store(group, existing, by=author, how="sync")
        still = {(c.id, c.field) for c in found}
        conn.executemany(
            "DELETE FROM sync_conflicts WHERE resource_id = ? AND field = ?",
            [key for key in conn.execute(
                "SELECT resource_id, field FROM sync_conflicts WHERE resource_id IN (SELECT value FROM json_each(?))",
                (json.dumps(list(affected)),)) if tuple(key) not in still],
        )
        # A conflict still open keeps who made it and when, unless their value changed again.
        conn.executemany(
            """INSERT INTO sync_conflicts(resource_id, field, mine, theirs, base, by, at) VALUES (?,?,?,?,?,?,?)
               ON CONFLICT(resource_id, field) DO UPDATE SET mine = excluded.mine, base = excluded.base,
                   by = CASE WHEN theirs = excluded.theirs THEN by ELSE excluded.by END,
                   at = CASE WHEN theirs = excluded.theirs THEN at ELSE excluded.at END,
                   theirs = excluded.theirs""",
            [(c.id, c.field, c.mine, c.theirs, c.base, who.of(c.id).author, who.of(c.id).time) for c in found],
        )
        conn.execute("DELETE FROM sync_pending WHERE rowid <= ?", (last_pending,))
        conn.executemany("DELETE FROM sync_pending WHERE resource_id = ?", [(r.id,) for r in local])
        fault("sync-before-head")
        rejected = [{"file": b.file, "row": b.row, "column": b.column, "reason": b.reason, "id": b.id} for b in kept]
        set_state(catalogue, head=head, synced_at=_now(), rejected=json.dumps(rejected, ensure_ascii=False),
                  office_key=key)
    if changed:
        catalogue.store_index()  # after the commit: the index is never stored inside a transaction


def _now() -> str:
    return datetime.now(UTC).astimezone().isoformat(timespec="seconds")
