"""Unmet local needs (referrals.unmet), the small-number rule and the stats files (sharing.stats),
and the demand shown on the coverage map (reports.demand)."""

from __future__ import annotations

import csv
import io
import json

from dulwich.objects import Blob, Commit, Tree
from dulwich.repo import Repo

from tui import paths
from tui.core.models import Resource
from tui.core.referrals.log import Referral, snapshot_json
from tui.core.referrals.unmet import Cell, is_unmet, month_unmet, tally
from tui.core.reports.demand import combine
from tui.core.sharing.stats import month_files, publish, read_shared
from tui.core.small_counts import SUPPRESSED, protect

AKKESHI, HAMANAKA, KUSHIRO_CITY, SAPPORO, CHUO = "01662", "01663", "01206", "01100", "01101"
HOTLINE = Resource(id="line", name="全道の窓口", needs=("food",), area="01100", serves=("hokkaido",))
LOCAL = Resource(id="local", name="厚岸の食料庫", needs=("food",), area=AKKESHI)
ELSEWHERE = Resource(id="far", name="釧路市の食料庫", needs=("food",), area=KUSHIRO_CITY)
SUB = Resource(id="sub", name="釧路管内の窓口", needs=("food",), area=KUSHIRO_CITY, serves=("kushiro",))


def referral(resource: Resource, area: str, *, status: str = "sent", month: str = "2026-12", n: int = 1,
             needs=("food",)) -> Referral:
    return Referral(id=n, created_at=f"{month}-0{1 + n % 9}T10:00:00+09:00", resource_id=resource.id,
                    resource_name=resource.name, case_ref=f"C-{n}", worker="担当者", note="秘密のメモ",
                    needs=tuple(needs), area=area, status=status, snapshot=snapshot_json(resource),
                    resource_area=resource.area, resource_needs=resource.needs)


def test_what_counts_as_an_unmet_local_need(gazetteer):
    assert is_unmet(referral(HOTLINE, AKKESHI), gazetteer)  # a ★全道 line
    assert is_unmet(referral(ELSEWHERE, AKKESHI), gazetteer)  # a 圏外 result
    assert not is_unmet(referral(LOCAL, AKKESHI), gazetteer)
    assert not is_unmet(referral(SUB, AKKESHI), gazetteer)  # serves the subprefecture: local
    assert not is_unmet(referral(LOCAL, AKKESHI, status="used"), gazetteer)
    for status in ("no_capacity", "not_eligible", "no_contact"):
        assert is_unmet(referral(LOCAL, AKKESHI, status=status), gazetteer), status
    assert not is_unmet(referral(LOCAL, AKKESHI, status="declined"), gazetteer)


def test_tally_keeps_month_place_and_need_only(gazetteer):
    rows = [referral(HOTLINE, AKKESHI, n=1), referral(LOCAL, AKKESHI, n=2), referral(HOTLINE, CHUO, n=3),
            referral(HOTLINE, "kushiro", n=4), referral(HOTLINE, "hokkaido", n=5),
            referral(LOCAL, AKKESHI, n=6, month="2026-11", status="no_contact")]
    counts = tally(rows, gazetteer)
    assert counts == {
        Cell("2026-12", "kushiro", AKKESHI, "food"): {"referred": 2, "unmet": 1},
        Cell("2026-12", "ishikari", SAPPORO, "food"): {"referred": 1, "unmet": 1},  # a ward counts in its city
        Cell("2026-12", "kushiro", "", "food"): {"referred": 1, "unmet": 1},  # a whole subprefecture
        Cell("2026-11", "kushiro", AKKESHI, "food"): {"referred": 1, "unmet": 1},
    }  # 全道 cannot go on a map: left out
    text = json.dumps([c._asdict() for c in counts], ensure_ascii=False)
    assert "C-" not in text and "秘密" not in text and "担当者" not in text and "line" not in text
    assert month_unmet(rows, gazetteer, "2026-12") == {(AKKESHI, "food"): 1, (SAPPORO, "food"): 1,
                                                       ("kushiro", "food"): 1}


def test_small_numbers_are_suppressed_and_cannot_be_subtracted_out():
    assert protect(4, {"x": 3, "y": 1}, 8).subprefecture == 4  # remainder 1 spread over 7 unshown towns
    assert protect(4, {"x": 3, "y": 1}, 8).municipalities == {"x": 3}
    assert protect(4, {"x": 3, "y": 1}, 2).subprefecture == SUPPRESSED  # the 1 could only be y
    assert protect(6, {"x": 3, "y": 3}, 2).subprefecture == 6  # nothing left to pin on anyone
    assert protect(2, {"x": 2}, 8).subprefecture == SUPPRESSED
    assert protect(0, {}, 8).subprefecture == 0


def rows_of(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode())))


def test_month_files_write_towns_only_from_three(gazetteer):
    counts = {Cell("2026-12", "kushiro", AKKESHI, "food"): {"referred": 3, "unmet": 2},
              Cell("2026-12", "kushiro", HAMANAKA, "food"): {"referred": 1, "unmet": 1},
              Cell("2026-11", "nemuro", "01223", "food"): {"referred": 2, "unmet": 0}}
    files = month_files(counts, gazetteer)
    assert sorted(files) == ["2026-11.csv", "2026-12.csv"]
    assert rows_of(files["2026-12.csv"]) == [
        {"month": "2026-12", "subprefecture": "kushiro", "municipality": "", "need": "food", "referred": "4",
         "unmet": "3"},
        {"month": "2026-12", "subprefecture": "kushiro", "municipality": AKKESHI, "need": "food", "referred": "3",
         "unmet": SUPPRESSED},
    ]
    assert rows_of(files["2026-11.csv"]) == [
        {"month": "2026-11", "subprefecture": "nemuro", "municipality": "", "need": "food", "referred": SUPPRESSED,
         "unmet": "0"}]


def test_publish_keeps_other_offices_and_withdraws_on_opt_out(tmp_path, gazetteer):
    repo = Repo.init_bare(str(tmp_path / "r.git"), mkdir=True)
    package = Blob.from_string(b"id,name\n")
    repo.object_store.add_object(package)
    root = Tree()
    root.add(b"services.csv", 0o100644, package.id)
    repo.object_store.add_object(root)
    counts = {Cell("2026-12", "kushiro", AKKESHI, "food"): {"referred": 3, "unmet": 3}}
    theirs = publish(repo, root.id.decode(), "office-aaaa", month_files(counts, gazetteer))
    both = publish(repo, theirs, "office-bbbb", month_files(counts, gazetteer))
    tree = repo[both.encode()]
    assert tree[b"stats"][0] == 0o040000 and tree[b"services.csv"][1] == package.id
    assert sorted(e.path for e in repo[tree[b"stats"][1]].items()) == [b"office-aaaa", b"office-bbbb"]
    withdrawn = repo[publish(repo, both, "office-bbbb", None).encode()]
    assert [e.path for e in repo[withdrawn[b"stats"][1]].items()] == [b"office-aaaa"]
    assert publish(repo, root.id.decode(), "office-bbbb", None) == root.id.decode()  # nothing to do: same tree


def test_shared_counts_add_up_and_foreign_small_town_counts_are_never_shown(tmp_path, gazetteer):
    repo = Repo.init_bare(str(tmp_path / "r.git"), mkdir=True)
    foreign = (b"month,subprefecture,municipality,need,referred,unmet\n"
               b"2026-12,kushiro,,food,5,5\n2026-12,kushiro,01662,food,3,3\n2026-12,kushiro,01663,food,1,1\n"
               b"2026-12,kushiro,,food,suppressed,junk\n")
    month = Blob.from_string(foreign)
    folder, stats, root = Tree(), Tree(), Tree()
    repo.object_store.add_object(month)
    folder.add(b"2026-12.csv", 0o100644, month.id)
    repo.object_store.add_object(folder)
    stats.add(b"office-other", 0o040000, folder.id)
    repo.object_store.add_object(stats)
    root.add(b"stats", 0o040000, stats.id)
    repo.object_store.add_object(root)
    commit = Commit()
    commit.tree = root.id
    commit.author = commit.committer = b"t <>"
    commit.author_time = commit.commit_time = 0
    commit.author_timezone = commit.commit_timezone = 0
    commit.message = b"x"
    repo.object_store.add_object(commit)
    shared = read_shared(repo, commit.id.decode())
    assert ("office-other", "kushiro", HAMANAKA, "food", "unmet", SUPPRESSED) in shared
    assert read_shared(repo, commit.id.decode(), skip_office="office-other") == []
    own = {Cell("2026-12", "kushiro", HAMANAKA, "food"): {"referred": 2, "unmet": 2}}
    shown = combine(gazetteer, own, shared, ["food"])
    assert shown.get("kushiro", "food") == {"unmet": 7, "referred": 7}
    assert shown.get(AKKESHI, "food") == {"unmet": 3, "referred": 3}
    assert shown.get(HAMANAKA, "food") == {"unmet": SUPPRESSED, "referred": SUPPRESSED}  # own 2 + theirs (<3)
    assert shown.get(KUSHIRO_CITY, "food") == {"unmet": SUPPRESSED, "referred": SUPPRESSED}


def test_tally_log_counts_the_log_as_tally_counts_its_rows(gazetteer):
    from tui.core.referrals.log import ReferralLog
    from tui.core.referrals.unmet import tally_log

    rows = [referral(HOTLINE, AKKESHI, n=1), referral(HOTLINE, AKKESHI, n=1), referral(HOTLINE, AKKESHI, n=2),
            referral(LOCAL, AKKESHI, n=3, status="no_contact"), referral(LOCAL, AKKESHI, n=3),
            referral(SUB, HAMANAKA, n=4, month="2026-10", needs=("food", "shelter"))]
    with ReferralLog.open(paths.referral_log()) as log:
        for row in rows:
            log.add(row)
        counted = tally_log(log, gazetteer)
        assert counted == tally(log.find(), gazetteer)
    assert counted[Cell("2026-12", "kushiro", AKKESHI, "food")] == {"referred": 5, "unmet": 4}


def test_share_counts_is_off_by_default_read_from_toml_and_the_office_id_is_made_once(isolated_home):
    from tui import config
    from tui.paths import settings_file

    assert config.load().share_counts is False
    settings_file().parent.mkdir(parents=True, exist_ok=True)
    settings_file().write_text('worker = "山田"\nshare_counts = true\n', encoding="utf-8")
    loaded = config.load()
    assert loaded.share_counts is True and loaded.worker == "山田" and loaded.office_id == ""
    first = config.with_office_id(loaded)
    assert first.office_id.startswith("office-") and "山田" not in first.office_id
    assert config.load().office_id == first.office_id == config.with_office_id().office_id  # made once, kept
    assert config.load().share_counts is True  # saved as a TOML boolean and read back
    settings_file().write_text('share_counts = "no"\n', encoding="utf-8")
    assert config.load().share_counts is False


def test_a_log_of_the_first_schema_is_migrated_and_its_rows_still_count(tmp_path, gazetteer):
    import sqlite3

    from tui.core.db import connect
    from tui.core.referrals.log import MIGRATIONS, ReferralLog
    from tui.core.referrals.unmet import tally_log

    path = tmp_path / "old.db"
    old = connect(path, MIGRATIONS[:1], "referral log")
    old.execute("INSERT INTO referrals (created_at, resource_id, resource_name, note, needs, area, snapshot) "
                "VALUES ('2026-12-01T10:00:00+09:00', 'line', 'x', 'n', 'food', ?, ?)",
                (AKKESHI, snapshot_json(HOTLINE)))
    old.close()
    with ReferralLog.open(path) as log:
        [row] = log.find()
        assert row.asked_area == "" and row.client_area() == AKKESHI
        assert tally_log(log, gazetteer) == {Cell("2026-12", "kushiro", AKKESHI, "food"): {"referred": 1, "unmet": 1}}
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
