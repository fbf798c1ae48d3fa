"""refer(): one row per referral, the note file appended and private, the log kept apart
from the catalogue; statuses, follow-ups, monthly counts and the Excel-ready export."""

from __future__ import annotations

import csv
import os
import stat
from datetime import date, datetime

import pytest

from tui import config, paths
from tui.core.models import Resource
from tui.core.reference.areas import UnknownArea
from tui.core.reference.needs import UnknownNeed
from tui.core.referrals.log import (
    InvalidCaseRef,
    ReferralLog,
    UnknownResource,
    parse_date,
    refer,
)
from tui.core.referrals.record import status_code
from tui.core.referrals.report import export_csv, monthly_counts, spreadsheet_safe
from tui.core.store.catalogue import Catalogue
from tui.i18n import t

NOW = datetime(2026, 11, 27, 10, 30).astimezone()
FOOD = Resource(id="t-food", name="テスト食料庫", organization="架空協会", needs=("food",), area="01206",
                phone="0154-00-0000", address="釧路市架空町1", hours="平日", last_verified="2026-04-01")
SHELTER = Resource(id="t-shelter", name="架空シェルター", needs=("dv", "shelter"), area="01206",
                   address="釧路市秘密町9-9", postal_code="085-9999", phone="0120-000-000", confidential=True)
SETTINGS = config.Settings(worker="担当A", office="架空センター")


@pytest.fixture
def catalogue(tmp_path):
    with Catalogue.open(tmp_path / "c.db") as cat:
        cat.write([FOOD, SHELTER])
        yield cat


def rows(path=None):
    with ReferralLog.open(path or paths.referral_log()) as log:
        return log.find()


def test_refer_stores_one_row_and_appends_the_note(catalogue, isolated_home):
    outcome = refer(catalogue, "t-food", case_ref="C-2026-014", needs=["食べ物"], area="釧路", desk=config.desk(SETTINGS), t=t, now=NOW)
    [row] = rows()
    assert row.id == outcome.referral_id
    assert (row.case_ref, row.resource_id, row.resource_name, row.organization) == ("C-2026-014", "t-food", "テスト食料庫", "架空協会")
    assert (row.worker, row.office, row.status, row.needs, row.area) == ("担当A", "架空センター", "sent", ("food",), "kushiro")
    assert row.contact == "TEL 0154-00-0000" and row.note == outcome.note and row.created_at.startswith("2026-11-27T10:30")
    assert outcome.note.startswith("【紹介先】テスト食料庫")
    assert outcome.note_file == isolated_home / "notes" / "C-2026-014.txt"
    text = outcome.note_file.read_text(encoding="utf-8")
    assert "紹介 #1 ケース C-2026-014 担当 担当A（架空センター）" in text and outcome.note in text

    second = refer(catalogue, "t-shelter", case_ref="C-2026-014", needs=[], area=None, desk=config.desk(SETTINGS), t=t, now=NOW)
    assert len(rows()) == 2 and second.referral_id == 2
    both = outcome.note_file.read_text(encoding="utf-8")
    assert both.startswith(text) and "架空シェルター" in both
    if os.name == "posix":
        for path in (outcome.note_file, paths.referral_log()):
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        assert stat.S_IMODE((isolated_home / "notes").stat().st_mode) == 0o700


def test_refer_uses_only_the_desk_it_is_given(catalogue, tmp_path, isolated_home):
    """The core reads no settings or data folder: the Desk says who refers and where the log,
    the office's note template and the case file are."""
    from tui.core.desk import Desk

    home, notes = tmp_path / "desk-home", tmp_path / "desk-notes"
    home.mkdir()
    (home / "note.ja.txt").write_text("机: $name\n", encoding="utf-8")
    desk = Desk(home=home, notes_dir=notes, worker="机の人", office="机の事務所")
    outcome = refer(catalogue, "t-food", case_ref="D-1", needs=[], area=None, desk=desk, t=t, now=NOW)
    assert outcome.note == "机: テスト食料庫"
    assert outcome.note_file == notes / "D-1.txt" and "担当 机の人（机の事務所）" in outcome.note_file.read_text()
    with ReferralLog.open(home / "referrals.db") as log:
        [row] = log.find()
    assert (row.worker, row.office, row.case_ref) == ("机の人", "机の事務所", "D-1")
    assert not paths.referral_log().exists() and not (isolated_home / "notes").exists()


def test_log_lives_outside_the_catalogue(catalogue, isolated_home):
    refer(catalogue, "t-food", case_ref="C-1", needs=[], area=None, desk=config.desk(SETTINGS), t=t)
    tables = {r[0] for r in catalogue.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert not any("referral" in t for t in tables)
    assert paths.referral_log() == isolated_home / "referrals.db" and paths.referral_log().exists()


def test_confidential_address_absent_from_row_snapshot_and_file(catalogue):
    outcome = refer(catalogue, "t-shelter", case_ref="C-9", needs=[], area=None, desk=config.desk(SETTINGS), t=t)
    [row] = rows()
    for text in (outcome.note, row.snapshot, row.contact, outcome.note_file.read_text(encoding="utf-8")):
        assert "秘密町" not in text and "085-9999" not in text
    assert row.resource_as_referred().confidential


def test_no_case_goes_to_a_dated_file(catalogue, isolated_home):
    outcome = refer(catalogue, "t-food", case_ref="", needs=[], area=None, desk=config.desk(SETTINGS), t=t, now=NOW)
    assert outcome.note_file == isolated_home / "notes" / "no-case-2026-11.txt"


def test_case_ref_cannot_escape_the_note_folder(catalogue, isolated_home):
    outcome = refer(catalogue, "t-food", case_ref="A1/../../etc/x", needs=[], area=None, desk=config.desk(SETTINGS), t=t)
    assert outcome.note_file.parent == isolated_home / "notes"
    with pytest.raises(InvalidCaseRef):
        refer(catalogue, "t-food", case_ref="../../etc/x", needs=[], area=None, desk=config.desk(SETTINGS), t=t)


@pytest.mark.parametrize("name", ["山田太郎", "ヤマダ", "Taro Yamada", "=HYPERLINK(1)"])
def test_a_name_is_never_a_case_reference(catalogue, name):
    with pytest.raises(InvalidCaseRef):
        refer(catalogue, "t-food", case_ref=name, needs=[], area=None, desk=config.desk(SETTINGS), t=t)
    assert rows() == []


def test_note_folder_from_settings(catalogue, tmp_path):
    settings = SETTINGS.replace(note_folder=str(tmp_path / "share"))
    outcome = refer(catalogue, "t-food", case_ref="C-2", needs=[], area=None, desk=config.desk(settings), t=t)
    assert outcome.note_file == tmp_path / "share" / "C-2.txt"


def test_remarks_reach_note_and_row(catalogue):
    outcome = refer(catalogue, "t-food", case_ref="C-3", needs=[], area=None, remarks="明日同行", desk=config.desk(SETTINGS), t=t)
    assert "備考: 明日同行" in outcome.note and rows()[0].remarks == "明日同行"


@pytest.mark.parametrize(("kwargs", "error"), [
    ({"resource_id": "t-fod"}, UnknownResource),
    ({"resource_id": "t-food", "needs": ["たべもん"]}, UnknownNeed),
    ({"resource_id": "t-food", "area": "釧路氏"}, UnknownArea),
])
def test_bad_input_writes_nothing(catalogue, isolated_home, kwargs, error):
    args = {"case_ref": "C-4", "needs": [], "area": None, "desk": config.desk(SETTINGS), "t": t, **kwargs}
    with pytest.raises(error):
        refer(catalogue, args.pop("resource_id"), **args)
    assert not (isolated_home / "notes").exists()
    assert rows() == []


def test_unknown_resource_suggests_the_nearest(catalogue):
    with pytest.raises(UnknownResource) as caught:
        refer(catalogue, "t-fod", case_ref="", needs=[], area=None, desk=config.desk(SETTINGS), t=t)
    assert caught.value.suggestions[0] == "t-food テスト食料庫"


def test_status_follow_up_and_overdue(catalogue):
    refer(catalogue, "t-food", case_ref="C-5", needs=[], area=None, desk=config.desk(SETTINGS), t=t, now=NOW)
    with ReferralLog.open(paths.referral_log()) as log:
        row = log.set_status(1, "連絡不通", follow_up=date(2026, 12, 1))
        assert (row.status, row.follow_up) == ("no_contact", "2026-12-01")
        assert row.overdue(date(2026, 12, 2)) and not row.overdue(date(2026, 12, 1))
        assert not log.set_status(1, "used").overdue(date(2026, 12, 2))  # outcome known: nothing owed
        assert log.get(1).follow_up == "2026-12-01"  # status alone keeps the date
        with pytest.raises(ValueError):
            log.set_status(1, "maybe")
        with pytest.raises(KeyError):
            log.set_status(99, "used")


def test_find_filters(catalogue):
    refer(catalogue, "t-food", case_ref="C-6", needs=[], area=None, desk=config.desk(SETTINGS), t=t, now=datetime(2026, 10, 3, 9).astimezone())
    refer(catalogue, "t-shelter", case_ref="C-7", needs=[], area=None, desk=config.desk(SETTINGS), t=t, now=NOW)
    with ReferralLog.open(paths.referral_log()) as log:
        log.set_status(2, "used")
        assert [r.id for r in log.find(case_ref="C-7")] == [2]
        assert [r.id for r in log.find(status="used")] == [2]
        assert [r.id for r in log.find(since=date(2026, 11, 1))] == [2]
        assert [r.id for r in log.find(until=date(2026, 10, 3))] == [1]
        assert [r.id for r in log.find(month="2026-10")] == [1]
        assert log.cases() == ["C-6", "C-7"]


def test_statuses_and_dates_parse():
    assert status_code("used") == status_code("利用につながった") == status_code("Used") == "used"
    assert status_code("本人が希望せず") == "declined"
    assert parse_date("2026/12/1") == date(2026, 12, 1) == parse_date("2026-12-01")
    assert parse_date("+7", date(2026, 11, 27)) == date(2026, 12, 4)
    with pytest.raises(ValueError):
        parse_date("next week")


def test_monthly_counts(catalogue):
    refer(catalogue, "t-food", case_ref="A1", needs=["food"], area="釧路市", desk=config.desk(SETTINGS), t=t, now=NOW)
    refer(catalogue, "t-shelter", case_ref="B1", needs=[], area=None, desk=config.desk(SETTINGS), t=t, now=NOW)
    with ReferralLog.open(paths.referral_log()) as log:
        log.set_status(2, "no_capacity")
        counts = monthly_counts(log.find(month="2026-11"))
    assert counts["need"] == {"food": 1, "dv": 1, "shelter": 1}
    assert counts["area"] == {"01206": 2}
    assert counts["status"] == {"sent": 1, "no_capacity": 1}


def test_export_csv_has_bom_and_guards_formulas(catalogue, tmp_path):
    refer(catalogue, "t-food", case_ref="C-1", needs=["food"], area=None, remarks="@SUM(A1)",
          desk=config.desk(SETTINGS.replace(worker="+担当")), t=t, now=NOW)
    out = tmp_path / "report.csv"
    with ReferralLog.open(paths.referral_log()) as log:
        assert export_csv(log.find(), out, need_label=lambda c: {"food": "食料支援"}[c]) == 1
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    [row] = list(csv.DictReader(raw.decode("utf-8-sig").splitlines(keepends=True)))
    assert row["case_ref"] == "C-1" and row["remarks"] == "'@SUM(A1)" and row["worker"] == "'+担当"
    assert row["needs"] == "食料支援" and row["status_label"] == "紹介済" and row["resource_name"] == "テスト食料庫"
    assert spreadsheet_safe("-1") == "'-1" and spreadsheet_safe("0154") == "0154" and spreadsheet_safe(3) == 3


def test_log_schema_is_versioned(tmp_path):
    with ReferralLog.open(tmp_path / "r.db") as log:
        assert log.conn.execute("PRAGMA user_version").fetchone()[0] == 2  # 2: asked_area (issue 24)
        assert log.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
