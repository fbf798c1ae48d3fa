"""Issue 19: a conflict resolved in one office travels with the package (the chosen value and who
chose it), so another office with the same conflict sees it resolved instead of choosing again."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from click.testing import CliRunner

from tui import config
from tui.cli import cli
from tui.core.models import Resource
from tui.core.sharing.conflicts import take
from tui.core.sharing.state import conflicts
from tui.core.sharing.sync import sync
from tui.core.store.catalogue import Catalogue
from tui.core.store.changes import history

PLACE = Resource(id="t-1", name="テスト食料庫", needs=("food",), area="01206", cost="")


def three_offices(tmp_path: Path):
    """Y sets the cost and syncs first; X and Z had each set another: both have it in conflict."""
    shared = tmp_path / "shared.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(shared)], check=True)
    dbs = {name: tmp_path / f"{name}.db" for name in "xyz"}
    with Catalogue.open(dbs["y"]) as y:
        y.write([PLACE], how="edit")
        sync(y, author="山本 (Y) <>", remote=str(shared))
    for name in "xz":
        with Catalogue.open(dbs[name]) as office:
            sync(office, author=f"{name} <>", remote=str(shared))
    for name, cost in (("y", "100円"), ("x", "無料"), ("z", "200円")):
        with Catalogue.open(dbs[name]) as office:
            office.write([office.get("t-1").replace(cost=cost)], how="edit")
            sync(office, author=f"{name} <>")
    for name in "xz":
        with Catalogue.open(dbs[name]) as office:
            assert [(c.field, c.theirs) for c in conflicts(office)] == [("cost", "100円")]
    return dbs


def test_a_conflict_resolved_in_one_office_is_resolved_in_the_others(tmp_path):
    dbs = three_offices(tmp_path)
    with Catalogue.open(dbs["x"]) as x:
        assert take(x, "t-1", "cost", "mine", by="佐藤")  # X keeps 無料, and the package will say so
        sync(x, author="佐藤 (X) <>")
    with Catalogue.open(dbs["z"]) as z:
        report = sync(z, author="z <>")
        assert [(d.id, d.field, d.value, d.by) for d in report.settled] == [("t-1", "cost", "無料", "佐藤")]
        assert conflicts(z) == [] and z.get("t-1").cost == "無料"
        assert [(c.field, c.by) for c in history(z, "t-1")][:1] == [("cost", "佐藤")]  # who decided
    with Catalogue.open(dbs["y"]) as y:  # Y never had a conflict: it just receives X's value
        sync(y, author="y <>")
        assert y.get("t-1").cost == "無料" and conflicts(y) == []


def test_a_decision_the_package_no_longer_holds_is_not_applied(tmp_path):
    dbs = three_offices(tmp_path)
    with Catalogue.open(dbs["x"]) as x:
        assert take(x, "t-1", "cost", "mine", by="佐藤")
        sync(x, author="佐藤 (X) <>")
    with Catalogue.open(dbs["y"]) as y:  # Y changes it again after X decided
        sync(y, author="y <>")
        y.write([y.get("t-1").replace(cost="300円")], how="edit")
        sync(y, author="y <>")
    with Catalogue.open(dbs["z"]) as z:
        report = sync(z, author="z <>")
        assert report.settled == []
        assert [(c.field, c.mine, c.theirs) for c in conflicts(z)] == [("cost", "200円", "300円")]  # still a person's


def test_the_cli_says_which_conflicts_another_office_resolved(tmp_path, monkeypatch):
    dbs = three_offices(tmp_path)
    monkeypatch.setenv("TSUNAGU_HOME", str(tmp_path / "home"))
    config.save(config.Settings(worker="佐藤", share_counts_asked=True))
    runner = CliRunner()
    result = runner.invoke(cli, ["conflicts", "--take", "theirs", "t-1", "cost", "--db", str(dbs["x"])])
    assert result.exit_code == 0, result.output
    assert runner.invoke(cli, ["sync", "--db", str(dbs["x"])]).exit_code == 0
    result = runner.invoke(cli, ["sync", "--json", "--db", str(dbs["z"])])
    assert result.exit_code == 0, result.output
    assert [(d["id"], d["value"], d["by"]) for d in json.loads(result.output)["settled"]] == [("t-1", "100円", "佐藤")]
