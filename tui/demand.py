"""Demand (issue 24), put together for both fronts: the core's referrals (the log's counts),
sharing (other offices' counts in the shared repository) and reports (the map) do not use
each other, so the app and the CLI join them here, as ``faults.py`` serves both fronts.
"""

from __future__ import annotations

from tui.core.reports.coverage import Coverage
from tui.core.reports.demand import Demand, combine


def own_counts(gazetteer) -> dict:
    """This office's exact counts from its referral log (empty when there is no log yet)."""
    from tui import paths
    from tui.core.referrals.log import ReferralLog
    from tui.core.referrals.unmet import tally_log

    if not paths.referral_log().exists():
        return {}
    with ReferralLog.open(paths.referral_log()) as log:
        return dict(tally_log(log, gazetteer))


def shared_rows(catalogue, office_id: str) -> list:
    """Every other office's published values at the catalogue's last synced commit."""
    from dulwich.repo import Repo

    from tui.core.sharing.state import repo_path, state
    from tui.core.sharing.stats import read_shared

    folder = repo_path(catalogue)
    head = state(catalogue).get("head")
    if not head or not (folder / "objects").is_dir():
        return []
    repo = Repo(str(folder))
    try:
        return read_shared(repo, head, skip_office=office_id)
    finally:
        repo.close()


def for_catalogue(catalogue, coverage: Coverage) -> Demand:
    """This office's log and the counts other offices shared, for the map."""
    from tui import config

    return combine(catalogue.gazetteer, own_counts(catalogue.gazetteer),
                   shared_rows(catalogue, config.load().office_id), coverage.needs)


def share_counts_in_sync() -> None:
    """Tell ``sync`` where this office's counts come from (it publishes them only when the
    settings say ``share_counts = true``)."""
    from tui import config
    from tui.core.sharing.stats import count_with

    count_with(own_counts, config.counts_office)


def share_question_due(settings=None) -> bool:
    """Ask the office whether to share counts? Once, at its first sync with sharing set up:
    never again after an answer, nor when ``share_counts`` was turned on in the file."""
    from tui import config

    return not (settings or config.load()).share_counts_decided


def answer_share_question(yes: bool):
    """Save the office's answer (and, for yes, make the office id that is not a person's)."""
    from tui import config

    settings = config.load().replace(share_counts=yes, share_counts_asked=True)
    config.save(settings)
    return config.with_office_id(settings) if yes else settings
