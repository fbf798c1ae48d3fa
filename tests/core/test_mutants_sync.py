"""Sync and splice: the cases no test checked (issue 25). Two offices share a folder repository;
each test was seen failing on a hand-made mutant of sync.py or splice.py (docs/mutation.md)."""

from __future__ import annotations

import time
import types

import pytest

from tui.core.errors import ReadOnlyCatalogue
from tui.core.models import Resource
from tui.core.sharing import exchange, gitstore
from tui.core.sharing import sync as sync_module
from tui.core.sharing.conformance import NotConforming
from tui.core.sharing.hsds import Term, build_package
from tui.core.sharing.splice import changed_ids
from tui.core.sharing.state import conflicts, rejected, repo_path, state
from tui.core.sharing.sync import SyncError, places, sync, terms
from tui.core.store.catalogue import Catalogue

SHELTER = Resource(
    id="dv-1", name="北のシェルター", organization="テスト法人", needs=("shelter", "dv"), area="01206",
    address="釧路市秘密町1-2-3", postal_code="085-0015", transport="裏口から", notes="秘密の備考",
    phone="0154-00-0001", confidential=True, last_verified="2026-04-01",
)
FOOD = Resource(id="food-1", name="くしろフードバンク", needs=("food",), area="01206", hours="月–金", cost="無料")


@pytest.fixture
def clock(monkeypatch):
    """Commit times an hour apart, so a time kept differs from a time overwritten."""
    now = [1_790_000_000]

    def tick() -> float:
        now[0] += 3600
        return now[0]

    monkeypatch.setattr(gitstore, "time", types.SimpleNamespace(time=tick, strftime=time.strftime, gmtime=time.gmtime, monotonic=time.monotonic))


@pytest.fixture
def offices(tmp_path, clock):
    with Catalogue.open(tmp_path / "kushiro.db") as kushiro, Catalogue.open(tmp_path / "asahikawa.db") as asahikawa:
        yield kushiro, asahikawa, str(tmp_path / "shared.git")


def edit(catalogue: Catalogue, resource_id: str, **changes) -> None:
    catalogue.write([catalogue.get(resource_id).replace(**changes)], how="edit")


def test_receiving_an_edit_to_a_confidential_place_sends_nothing_back(offices):
    kushiro, asahikawa, shared = offices
    kushiro.write([SHELTER], how="edit")
    assert sync(kushiro, author="kushiro <>", remote=shared).sent == 1
    assert sync(asahikawa, author="asahikawa <>", remote=shared).received == ["dv-1"]
    assert asahikawa.get("dv-1").address == ""  # the private fields never left kushiro
    edit(asahikawa, "dv-1", hours="24時間")
    assert sync(asahikawa, author="asahikawa <>").sent == 1
    report = sync(kushiro, author="kushiro <>")
    assert (report.received, report.sent) == (["dv-1"], 0)
    assert kushiro.get("dv-1") == SHELTER.replace(hours="24時間")  # received, private fields kept here


def test_an_open_conflict_keeps_its_time_when_the_other_office_edits_another_field(offices):
    kushiro, asahikawa, shared = offices
    open_cost_conflict(kushiro, asahikawa, shared)
    [first] = conflicts(asahikawa)
    assert (first.field, first.mine, first.theirs) == ("cost", "B", "A") and first.at
    edit(kushiro, "food-1", hours="月–土")  # later, the other office: another field of the same resource
    sync(kushiro, author="kushiro <>")
    report = sync(asahikawa, author="asahikawa <>")
    assert report.received == ["food-1"] and asahikawa.get("food-1").hours == "月–土"
    assert conflicts(asahikawa) == [first]  # same values, same author, same time


def test_more_than_300_changed_lines_still_name_every_added_resource(tmp_path):
    with Catalogue.open(tmp_path / "c.db") as catalogue:
        t, p = terms(catalogue), places(catalogue)
    added = [Resource(id=f"new-{i:03d}", name=f"新しい窓口{i}", needs=("food",), area="01206") for i in range(400)]
    before = build_package([FOOD], t, p)
    after = build_package([FOOD, *added], t, p)
    ids = {r.id for r in added}
    assert changed_ids(before, after) == ids  # added by the other office
    assert changed_ids(after, before) == ids  # removed


# -- the survivors of the 12:09 UTC run of sync.py (docs/mutation.md) ---------------------------


def test_bundles_carry_changes_both_ways_between_offices_with_no_connection(offices, tmp_path):
    kushiro, asahikawa, _ = offices
    kushiro.write([FOOD], how="edit")
    to_asahikawa, to_kushiro = tmp_path / "to-asahikawa.bundle", tmp_path / "to-kushiro.bundle"
    first = sync(kushiro, author="kushiro <>", bundle_out=to_asahikawa)
    again = sync(kushiro, author="kushiro <>", bundle_out=to_asahikawa)  # nothing new: the same head, nothing sent
    assert first.sent == 1 and (again.head, again.sent) == (first.head, 0)
    report = sync(asahikawa, author="asahikawa <>", bundle_in=to_asahikawa)
    assert report.received == ["food-1"] and asahikawa.get("food-1") == FOOD and report.head == first.head
    edit(asahikawa, "food-1", hours="月–土")
    assert sync(asahikawa, author="asahikawa <>", bundle_in=to_asahikawa, bundle_out=to_kushiro).sent == 1
    assert sync(kushiro, author="kushiro <>", bundle_in=to_kushiro).received == ["food-1"]
    assert kushiro.get("food-1").hours == "月–土"


def test_a_bundle_that_is_not_a_package_is_refused_naming_the_file(offices, tmp_path):
    kushiro, asahikawa, shared = offices
    kushiro.write([FOOD], how="edit")
    bundle = tmp_path / "wrong.bundle"
    sync(kushiro, author="kushiro <>", bundle_out=bundle)
    with gitstore.open_repo(repo_path(kushiro)) as repo:
        tree = gitstore.write_tree(repo, {}, {"notes.txt": b"not a package\n"})
        commit = gitstore.write_commit(repo, tree, [], "someone <>", "not a package")
        exchange.write_bundle_file(repo, commit, bundle)
    with pytest.raises(gitstore.Refused, match="wrong.bundle"):
        sync(asahikawa, author="asahikawa <>", bundle_in=bundle)
    assert asahikawa.get("food-1") is None and not state(asahikawa).get("head")


def test_the_remote_given_once_is_used_by_the_next_sync_and_none_ever_given_is_said(offices):
    kushiro, asahikawa, shared = offices
    with pytest.raises(SyncError, match="^no remote$"):
        sync(kushiro, author="kushiro <>")
    kushiro.write([FOOD], how="edit")
    assert sync(kushiro, author="kushiro <>", remote=shared).pushed
    assert state(kushiro)["remote"] == shared
    edit(kushiro, "food-1", hours="月–土")
    assert sync(kushiro, author="kushiro <>").pushed
    report = sync(asahikawa, author="asahikawa <>", remote=shared)
    assert report.received == ["food-1"] and not report.pushed  # nothing of its own to send: no push


def test_a_remote_whose_main_is_not_a_package_is_refused_naming_it(offices):
    kushiro, asahikawa, shared = offices
    kushiro.write([FOOD], how="edit")
    head = sync(kushiro, author="kushiro <>", remote=shared).head
    with gitstore.open_repo(repo_path(kushiro)) as repo:
        tree = gitstore.write_tree(repo, {}, {"notes.txt": b"not a package\n"})
        exchange.push(repo, shared, gitstore.write_commit(repo, tree, [head], "someone <>", "not a package"), head)
    with pytest.raises(gitstore.Refused, match="shared.git"):
        sync(asahikawa, author="asahikawa <>", remote=shared)
    assert asahikawa.get("food-1") is None and not state(asahikawa).get("head")


def test_a_first_join_that_cannot_reach_the_remote_keeps_its_address_and_a_later_one_does_not_replace_it(
        offices, monkeypatch):
    kushiro, _, shared = offices

    def unreachable(*args, **kwargs):
        raise exchange.Unreachable("no network")

    monkeypatch.setattr(exchange, "fetch", unreachable)
    with pytest.raises(exchange.Unreachable):
        sync(kushiro, author="kushiro <>", remote=shared)
    assert state(kushiro)["remote"] == shared
    with pytest.raises(exchange.Unreachable):
        sync(kushiro, author="kushiro <>", remote="/elsewhere.git")
    assert state(kushiro)["remote"] == shared


def test_a_push_refused_because_another_office_pushed_meanwhile_is_merged_and_tried_again(offices, monkeypatch):
    kushiro, _, shared = offices
    kushiro.write([FOOD], how="edit")
    real, calls = exchange.push, []

    def refused_once(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise exchange.Rejected("someone pushed meanwhile")
        return real(*args, **kwargs)

    monkeypatch.setattr(exchange, "push", refused_once)
    report = sync(kushiro, author="kushiro <>", remote=shared)
    assert (report.attempts, report.pushed, len(calls)) == (2, True, 2)


def test_a_push_refused_every_time_stops_after_four_attempts(offices, monkeypatch):
    kushiro, _, shared = offices
    kushiro.write([FOOD], how="edit")
    calls = []

    def refused(*args, **kwargs):
        calls.append(args)
        raise exchange.Rejected("someone pushed meanwhile")

    monkeypatch.setattr(exchange, "push", refused)
    with pytest.raises(SyncError, match="tried 4 times"):
        sync(kushiro, author="kushiro <>", remote=shared)
    assert len(calls) == 4


def test_every_wait_for_the_remote_is_bounded_by_the_timeouts_given(offices, monkeypatch):
    kushiro, _, shared = offices
    kushiro.write([FOOD], how="edit")
    seen: dict = {}
    fetch, push = exchange.fetch, exchange.push

    def fetching(repo, url, timeouts, deadline, coming=None):
        seen["fetch"] = (timeouts, deadline)
        return fetch(repo, url, timeouts, deadline, coming)

    def pushing(repo, url, head, theirs, deadline):
        seen["push"] = deadline
        return push(repo, url, head, theirs, deadline)

    monkeypatch.setattr(exchange, "fetch", fetching)
    monkeypatch.setattr(exchange, "push", pushing)
    given = exchange.Timeouts()
    assert sync(kushiro, author="kushiro <>", remote=shared, timeouts=given).pushed
    assert seen["fetch"][0] is given and isinstance(seen["fetch"][1], float) and seen["push"] == seen["fetch"][1]


def test_a_read_only_catalogue_is_refused_naming_its_file(offices):
    kushiro, _, shared = offices
    kushiro.read_only = True  # as a write-protected file opens
    with pytest.raises(ReadOnlyCatalogue) as refused:
        sync(kushiro, author="kushiro <>", remote=shared)
    assert refused.value.path == kushiro.path
    with pytest.raises(ReadOnlyCatalogue) as refused:
        sync_module._sync(kushiro, author="kushiro <>", remote=shared)
    assert refused.value.path == kushiro.path


def test_received_changes_are_backed_up_first_in_the_folder_given(offices, tmp_path):
    kushiro, asahikawa, shared = offices
    kushiro.write([FOOD], how="edit")
    sync(kushiro, author="kushiro <>", remote=shared)
    backups = tmp_path / "backups"
    assert sync(asahikawa, author="asahikawa <>", remote=shared, backup_dir=backups).received == ["food-1"]
    assert any("-sync-" in p.name for p in backups.rglob("*"))  # a backup of its own kind, pruned as such
    hows = asahikawa.conn.execute("SELECT DISTINCT how FROM changes WHERE resource_id = 'food-1'").fetchall()
    assert [tuple(h) for h in hows] == [("sync",)] and state(asahikawa)["synced_at"]


def test_a_sync_passes_its_fault_points_in_order(offices, monkeypatch):
    kushiro, _, shared = offices
    kushiro.write([FOOD], how="edit")
    points: list[str] = []
    monkeypatch.setattr(sync_module, "fault", points.append)
    sync(kushiro, author="kushiro <>", remote=shared)
    assert points == ["sync-fetched", "sync-merged", "sync-before-head", "sync-applied"]


@pytest.mark.parametrize("worker, office, line", [
    ("山田 花子", "釧路事務所", "山田 花子 (釧路事務所) <>"),
    ("  山田\n花子 ", "  釧路\t事務所 ", "山田 花子 (釧路 事務所) <>"),  # white space of any kind, one space
    ("<山田>", "<釧路>", "山田 (釧路) <>"),  # no brackets: they would end the author's name early
    ("", "", "tsunagu <>"),
    ("<>", "", "tsunagu <>"),
    ("山田", " ", "山田 <>"),
])
def test_a_commits_author_is_the_worker_and_their_office(worker, office, line):
    assert sync_module.author_line(worker, office) == line


def test_a_received_row_the_import_rules_refuse_is_kept_out_and_the_sender_hears_of_it(offices):
    kushiro, asahikawa, shared = offices
    kushiro.write([FOOD.replace(last_verified="2026-04-01")], how="edit")
    head = sync(kushiro, author="kushiro <>", remote=shared).head
    with gitstore.open_repo(repo_path(kushiro)) as repo:  # the package rewritten on the way (a hand edit)
        files = gitstore.TreeFiles(repo, head, {})
        services = files["services.csv"].replace(b"2026-04-01", b"2099-13-45")
        tree = gitstore.write_tree(repo, files.ids, {"services.csv": services})
        exchange.push(repo, shared, gitstore.write_commit(repo, tree, [head], "someone <>", "a bad date"), head)
    report = sync(asahikawa, author="asahikawa <>", remote=shared)
    assert [(b.file, b.column, b.id) for b in report.rejected] == [("services.csv", "assured_date", "food-1")]
    assert report.rejected[0].row == 2 and "2099-13-45" in report.rejected[0].reason
    assert report.rejected[0].reason == (
        "ありえない日付です (impossible date): '2099-13-45' — 月は1〜12 (month must be 1-12)"
        " → 月と日が入れ替わっていないか確かめてください (check month and day are not swapped)")
    assert asahikawa.get("food-1") is None and report.received == []
    assert [b.id for b in rejected(asahikawa)] == ["food-1"]  # kept with the catalogue, not only told once
    heard = sync(kushiro, author="kushiro <>").rejected_elsewhere
    assert [(office, b.id, b.column) for office, b in heard] == [
        (state(asahikawa)["office_key"], "food-1", "assured_date")]
    told = sync(asahikawa, author="asahikawa <>").rejected_elsewhere  # kushiro keeps it out too now
    assert told and state(asahikawa)["office_key"] not in {office for office, _ in told}  # not its own list back


def rewritten(office: Catalogue, shared: str, head: str, change) -> None:
    """The package in the shared repository rewritten on the way (``change``: file name → new bytes)."""
    with gitstore.open_repo(repo_path(office)) as repo:
        files = gitstore.TreeFiles(repo, head, {})
        tree = gitstore.write_tree(repo, files.ids, change(files))
        exchange.push(repo, shared, gitstore.write_commit(repo, tree, [head], "someone <>", "rewritten"), head)


def test_a_received_file_without_a_column_hsds_requires_is_refused_whole(offices):
    kushiro, asahikawa, shared = offices
    kushiro.write([FOOD], how="edit")
    head = sync(kushiro, author="kushiro <>", remote=shared).head
    rewritten(kushiro, shared, head, lambda files: {"services.csv": files["services.csv"].replace(b",name,", b",title,", 1)})
    with pytest.raises(NotConforming, match="name"):
        sync(asahikawa, author="asahikawa <>", remote=shared)
    assert asahikawa.get("food-1") is None and not state(asahikawa).get("head")


def test_a_received_row_with_a_blank_required_cell_is_kept_out_and_the_others_received(offices):
    kushiro, asahikawa, shared = offices
    kushiro.write([FOOD, FOOD.replace(id="food-2", name="くしろ子ども食堂")], how="edit")
    head = sync(kushiro, author="kushiro <>", remote=shared).head
    rewritten(kushiro, shared, head, lambda files: {"services.csv": files["services.csv"].replace(
        ",くしろフードバンク,".encode(), b",,")})
    report = sync(asahikawa, author="asahikawa <>", remote=shared)
    assert [b.id for b in report.rejected] == ["food-1"] and report.received == ["food-2"]
    [bad] = report.rejected  # a column the package keeps under the same name, in services.csv, with the fix
    assert (bad.file, bad.row, bad.column) == ("services.csv", 3, "name")  # food-2 is row 2
    assert bad.reason == "名称がありません (the name is missing) → 名称を入れるか、この行を消してください (fill in the name or delete the row)"


def test_a_commit_says_how_many_resources_this_office_sent(offices):
    kushiro, _, shared = offices
    kushiro.write([FOOD], how="edit")
    one = sync(kushiro, author="kushiro <>", remote=shared).head
    kushiro.write([FOOD.replace(id="food-2"), FOOD.replace(id="food-3")], how="edit")
    two = sync(kushiro, author="kushiro <>").head
    with gitstore.open_repo(repo_path(kushiro)) as repo:
        messages = [repo[head.encode()].message.decode() for head in (one, two)]
    assert messages == ["Tsunagu sync: 1 resource from this office", "Tsunagu sync: 2 resources from this office"]


def test_a_received_row_with_a_status_we_do_not_know_is_kept_out_naming_its_row_and_column(offices):
    kushiro, asahikawa, shared = offices
    kushiro.write([FOOD], how="edit")
    head = sync(kushiro, author="kushiro <>", remote=shared).head
    rewritten(kushiro, shared, head, lambda files: {"services.csv": files["services.csv"].replace(
        b",active,", b",on holiday,")})
    report = sync(asahikawa, author="asahikawa <>", remote=shared)
    [bad] = report.rejected
    assert (bad.file, bad.row, bad.column, bad.id) == ("services.csv", 2, "status", "food-1")
    assert bad.reason == (
        "状態がわかりません (unknown status): 'on holiday' — "
        "active、temporarily closed、defunct のどれかです (use active, temporarily closed or defunct)")
    assert asahikawa.get("food-1") is None and report.received == []


def test_a_full_address_is_sent_with_its_place_and_a_conflict_is_reported(offices):
    kushiro, asahikawa, shared = offices
    kushiro.write([FOOD], how="edit")
    sync(kushiro, author="kushiro <>", remote=shared)
    sync(asahikawa, author="asahikawa <>", remote=shared)
    edit(kushiro, "food-1", address="釧路市黒金町7-5", postal_code="085-0017", cost="A")  # a full address: places
    edit(asahikawa, "food-1", cost="B")
    sync(kushiro, author="kushiro <>")
    report = sync(asahikawa, author="asahikawa <>")
    assert asahikawa.get("food-1").address == "釧路市黒金町7-5"
    assert [(c.field, c.mine, c.theirs) for c in report.new_conflicts] == [("cost", "B", "A")]
    assert report.open_conflicts == 1


def open_cost_conflict(kushiro: Catalogue, asahikawa: Catalogue, shared: str) -> None:
    """food-1's cost: "A" at kushiro, "B" at asahikawa, the conflict open at asahikawa."""
    kushiro.write([FOOD], how="edit")
    sync(kushiro, author="kushiro <>", remote=shared)
    sync(asahikawa, author="asahikawa <>", remote=shared)
    edit(kushiro, "food-1", cost="A")
    edit(asahikawa, "food-1", cost="B")
    sync(kushiro, author="kushiro <>")
    sync(asahikawa, author="asahikawa <>")
    assert [(c.field, c.mine, c.theirs) for c in conflicts(asahikawa)] == [("cost", "B", "A")]


def test_a_field_in_conflict_edited_here_again_keeps_the_new_value_and_the_conflict_says_it(offices):
    kushiro, asahikawa, shared = offices
    open_cost_conflict(kushiro, asahikawa, shared)
    edit(asahikawa, "food-1", cost="C")
    sync(asahikawa, author="asahikawa <>")
    assert asahikawa.get("food-1").cost == "C"
    assert [(c.field, c.mine, c.theirs) for c in conflicts(asahikawa)] == [("cost", "C", "A")]


def test_a_new_conflict_on_another_field_is_kept_beside_one_already_open(offices):
    kushiro, asahikawa, shared = offices
    open_cost_conflict(kushiro, asahikawa, shared)
    edit(kushiro, "food-1", hours="月–土")
    edit(asahikawa, "food-1", hours="月–日")
    sync(kushiro, author="kushiro <>")
    sync(asahikawa, author="asahikawa <>")
    assert sorted((c.field, c.mine, c.theirs) for c in conflicts(asahikawa)) == [
        ("cost", "B", "A"), ("hours", "月–日", "月–土")]


def test_an_address_sent_by_an_office_that_made_a_confidential_place_public_never_replaces_the_private_one(offices):
    kushiro, asahikawa, shared = offices
    kushiro.write([SHELTER], how="edit")
    sync(kushiro, author="kushiro <>", remote=shared)
    sync(asahikawa, author="asahikawa <>", remote=shared)
    edit(asahikawa, "dv-1", confidential=False, address="釧路市公開町9")
    sync(asahikawa, author="asahikawa <>")
    sync(kushiro, author="kushiro <>")
    assert kushiro.get("dv-1").address == SHELTER.address  # private fields never left here: all kept
    assert [c.field for c in conflicts(kushiro)] == ["confidential"]


def test_a_sync_that_only_sends_makes_no_backup(offices, tmp_path):
    kushiro, _, shared = offices
    kushiro.write([FOOD], how="edit")
    backups = tmp_path / "backups"
    assert sync(kushiro, author="kushiro <>", remote=shared, backup_dir=backups).sent == 1
    assert not any(backups.rglob("*"))


def test_every_received_row_with_a_status_we_do_not_know_is_kept_out_not_only_the_first(offices):
    kushiro, asahikawa, shared = offices
    kushiro.write([FOOD, FOOD.replace(id="food-2", name="くしろ子ども食堂")], how="edit")
    head = sync(kushiro, author="kushiro <>", remote=shared).head
    rewritten(kushiro, shared, head, lambda files: {"services.csv": files["services.csv"].replace(
        b",active,", b",on holiday,")})
    report = sync(asahikawa, author="asahikawa <>", remote=shared)
    assert sorted(b.id for b in report.rejected) == ["food-1", "food-2"] and report.received == []


def test_a_refused_postal_code_is_named_in_addresses_csv_without_a_services_row(offices):
    kushiro, asahikawa, shared = offices
    kushiro.write([FOOD.replace(address="釧路市黒金町7-5", postal_code="085-0017")], how="edit")
    head = sync(kushiro, author="kushiro <>", remote=shared).head
    rewritten(kushiro, shared, head, lambda files: {"addresses.csv": files["addresses.csv"].replace(
        b"085-0017", b"085-00")})
    report = sync(asahikawa, author="asahikawa <>", remote=shared)
    [bad] = report.rejected
    assert (bad.file, bad.row, bad.column, bad.id) == ("addresses.csv", 0, "postal_code", "food-1")
    assert bad.reason == "郵便番号が7桁ではありません (a postal code has 7 digits): '085-00' → 例 (e.g.) 085-0015"


def test_the_taxonomy_and_place_labels_are_written_cleaned_a_label_on_one_line():
    need = types.SimpleNamespace
    catalogue = types.SimpleNamespace(
        taxonomy=[need(code="food", label_ja="食\n料", label_en="Food", description=""),
                  need(code="dv", label_ja="DV", label_en="DV", description="暴力\nから\x1b[31m")],
        gazetteer=types.SimpleNamespace(places=["01206"], label=lambda code: "釧路\n市"),
    )
    # a blank description falls back to the English label; a description keeps its line breaks
    assert terms(catalogue) == [Term("food", "食 料", "Food"), Term("dv", "DV", "暴力\nから")]
    assert places(catalogue) == {"01206": "釧路 市"}


def test_a_conflict_resolved_by_the_other_office_taking_this_offices_value_is_closed(offices):
    kushiro, asahikawa, shared = offices
    open_cost_conflict(kushiro, asahikawa, shared)
    edit(kushiro, "food-1", cost="B")
    sync(kushiro, author="kushiro <>")
    sync(asahikawa, author="asahikawa <>")
    assert conflicts(asahikawa) == [] and asahikawa.get("food-1").cost == "B"


def test_each_conflict_is_credited_to_the_commit_that_made_it_not_the_newest(offices):
    kushiro, asahikawa, shared = offices
    kushiro.write([FOOD, FOOD.replace(id="food-2", name="くしろ子ども食堂")], how="edit")
    sync(kushiro, author="kushiro <>", remote=shared)
    sync(asahikawa, author="asahikawa <>", remote=shared)
    edit(kushiro, "food-1", cost="A")
    edit(asahikawa, "food-1", cost="B")
    edit(asahikawa, "food-2", cost="D")
    sync(kushiro, author="kushiro <>")
    edit(kushiro, "food-2", cost="C")
    sync(kushiro, author="hakodate <>")  # an hour later (the clock), another author
    sync(asahikawa, author="asahikawa <>")
    first, second = conflicts(asahikawa)
    assert [(c.id, c.by) for c in (first, second)] == [("food-1", "kushiro"), ("food-2", "hakodate")]
    assert first.at < second.at


def test_an_edit_made_while_the_sync_merged_stops_it_with_a_message_and_is_kept(offices, monkeypatch):
    kushiro, asahikawa, shared = offices
    kushiro.write([FOOD], how="edit")
    sync(kushiro, author="kushiro <>", remote=shared)
    sync(asahikawa, author="asahikawa <>", remote=shared)
    edit(kushiro, "food-1", hours="月–土")
    sync(kushiro, author="kushiro <>")

    def meanwhile(point: str) -> None:
        if point == "sync-merged":
            edit(asahikawa, "food-1", cost="有料")

    monkeypatch.setattr(sync_module, "fault", meanwhile)
    with pytest.raises(SyncError) as raised:
        sync(asahikawa, author="asahikawa <>")
    assert str(raised.value) == "the catalogue changed during the sync; sync again"
    assert (asahikawa.get("food-1").hours, asahikawa.get("food-1").cost) == (FOOD.hours, "有料")


def test_a_row_kept_out_then_received_mended_is_no_longer_told_to_the_other_offices(offices):
    kushiro, asahikawa, shared = offices
    kushiro.write([FOOD, FOOD.replace(id="food-2", name="くしろ子ども食堂")], how="edit")
    head = sync(kushiro, author="kushiro <>", remote=shared).head
    original: dict[str, bytes] = {}

    def blank_name(files) -> dict[str, bytes]:
        original["services.csv"] = files["services.csv"]
        return {"services.csv": files["services.csv"].replace(",くしろフードバンク,".encode(), b",,")}

    rewritten(kushiro, shared, head, blank_name)
    kept = sync(asahikawa, author="asahikawa <>", remote=shared)
    assert [b.id for b in kept.rejected] == ["food-1"]
    rewritten(asahikawa, shared, kept.head, lambda files: original)  # mended by hand
    assert sync(asahikawa, author="asahikawa <>").received == ["food-1"]
    assert sync(kushiro, author="kushiro <>").rejected_elsewhere == []
