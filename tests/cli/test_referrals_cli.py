"""`tsunagu refer`, `referrals`, `referral-status`, `handout`: rows in referrals.db, exit codes,
the same note as the core (and so as the app's `r`), Excel-ready export and monthly counts."""

from __future__ import annotations

import csv
import re
from datetime import date

import pytest
from click.testing import CliRunner

from tui import config, paths
from tui.cli import cli
from tui.core.models import Resource
from tui.core.referrals.log import ReferralLog
from tui.core.referrals.notes import compose_note
from tui.core.store.catalogue import Catalogue
from tui.i18n import t

FOOD = Resource(id="t-food", name="テスト食料庫", organization="架空協会", needs=("food",), area="01206",
                phone="0154-00-0000", address="釧路市架空町1", hours="平日", last_verified="2026-04-01")
SHELTER = Resource(id="t-shelter", name="架空シェルター", needs=("dv", "shelter"), area="01206",
                   address="釧路市秘密町9-9", postal_code="085-9999", phone="0120-000-000", confidential=True)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "c.db"
    with Catalogue.open(path) as cat:
        cat.write([FOOD, SHELTER])
    return path


@pytest.fixture
def run(db, monkeypatch):
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)

    def invoke(*args: str):
        return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)

    return invoke


def logged():
    with ReferralLog.open(paths.referral_log()) as log:
        return log.find()


def test_refer_prints_the_note_and_logs_one_row(run, db, isolated_home):
    config.save(config.Settings(worker="担当A", office="架空センター"))
    result = run("refer", "t-food", "--case", "C-2026-014", "--need", "食べ物", "--area", "釧路", "--note", "明日同行")
    assert result.exit_code == 0, result.output
    [row] = logged()
    assert (row.case_ref, row.resource_id, row.worker, row.needs, row.area, row.remarks) == (
        "C-2026-014", "t-food", "担当A", ("food",), "kushiro", "明日同行")
    assert result.stdout.strip() == row.note
    with Catalogue.open(db) as cat:  # the same function the app's `r` calls gives the same note
        assert row.note == compose_note(cat, FOOD, t=t, remarks="明日同行", today=date.today())
    assert (isolated_home / "notes" / "C-2026-014.txt").read_text(encoding="utf-8").count("テスト食料庫") == 1
    assert "紹介 #1 を記録しました (referral logged)" in result.stderr


def test_refer_in_english(run):
    result = run("--lang", "en", "refer", "t-food")
    assert result.exit_code == 0 and result.stdout.startswith("[Referred to] テスト食料庫")
    assert run("refer", "t-food", "--lang", "en").stdout.startswith("[Referred to]")


@pytest.mark.parametrize(("args", "hint"), [
    (("refer", "t-fod"), "t-food テスト食料庫"),
    (("refer", "t-food", "--area", "釧路氏"), "釧路市"),
    (("refer", "t-food", "--need", "たべもん"), "unknown need"),
])
def test_refer_bad_input_exits_2_and_logs_nothing(run, isolated_home, args, hint):
    result = run(*args)
    assert result.exit_code == 2 and hint in result.output
    assert "Traceback" not in result.output
    assert logged() == [] and not (isolated_home / "notes").exists()


def test_confidential_address_never_printed_logged_or_exported(run, tmp_path):
    result = run("refer", "t-shelter", "--case", "C-9")
    assert result.exit_code == 0 and "0120-000-000" in result.stdout
    out = tmp_path / "r.csv"
    assert run("referrals", "--export", str(out)).exit_code == 0
    for text in (result.output, out.read_text(encoding="utf-8-sig"), logged()[0].snapshot):
        assert "秘密町" not in text and "085-9999" not in text


def test_referrals_lists_filters_and_counts(run):
    run("refer", "t-food", "--case", "A1", "--need", "food")
    run("refer", "t-shelter", "--case", "B1")
    assert run("referral-status", "2", "空きなし", "--follow-up", "2020-01-01").exit_code == 0
    listing = run("referrals")
    assert listing.exit_code == 0
    assert "#1" in listing.stdout and "#2" in listing.stdout and "次回確認 2020-01-01" in listing.stdout
    month = date.today().strftime("%Y-%m")
    assert f"== {month}: 2件 ==" in listing.stdout
    counts = listing.stdout.split("種別ごと:")[1]
    assert "食料支援\t1" in counts and "DV・女性相談\t1" in counts and "一時生活支援・シェルター\t1" in counts
    assert "釧路市\t2" in counts and "空きなし\t1" in counts and "紹介済\t1" in counts and "連絡不通\t0" in counts
    only_b = run("referrals", "--case", "B1").stdout
    assert "架空シェルター" in only_b and "テスト食料庫" not in only_b
    by_status = run("referrals", "--status", "no_capacity").stdout
    assert "架空シェルター" in by_status and "テスト食料庫" not in by_status
    assert "テスト食料庫" not in run("referrals", "--since", "2999-01-01").stdout
    assert "== 2001-01: 0件 ==" in run("referrals", "--month", "2001-01").stdout
    english = run("referrals", "--lang", "en").stdout
    assert f"== {month}: 2 referral(s) ==" in english and "by need:" in english and "follow-up 2020-01-01" in english


def test_export_is_excel_ready(run, tmp_path):
    assert run("refer", "t-food", "--case", "=cmd|' /C calc'!A0").exit_code == 2  # never a case code
    run("refer", "t-food", "--case", "C-9", "--note", "=cmd|' /C calc'!A0")
    out = tmp_path / "report.csv"
    result = run("referrals", "--export", str(out))
    assert result.exit_code == 0 and "1件" in result.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    [row] = list(csv.DictReader(raw.decode("utf-8-sig").splitlines(keepends=True)))
    assert row["case_ref"] == "C-9" and row["remarks"].startswith("'=")
    assert row["resource_name"] == "テスト食料庫" and row["needs"] == "食料支援" and row["status_label"] == "紹介済"


@pytest.mark.parametrize("args", [
    ("referrals", "--since", "yesterday"),
    ("referrals", "--month", "2026-13"),
    ("referrals", "--status", "maybe"),
    ("referral-status", "1", "used"),  # no such referral
    ("referral-status", "1", "maybe"),
])
def test_referrals_usage_errors_exit_2(run, args):
    result = run(*args)
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_referral_status_sets_status_and_follow_up(run):
    run("refer", "t-food", "--case", "A1")
    result = run("referral-status", "1", "used", "--follow-up", "2026/12/1")
    assert result.exit_code == 0
    [row] = logged()
    assert (row.status, row.follow_up) == ("used", "2026-12-01")
    assert run("referral-status", "1", "used", "--follow-up", "").exit_code == 0
    assert logged()[0].follow_up == ""


def test_handout_writes_text_and_html(run, tmp_path):
    run("refer", "t-food", "--case", "C-1")
    run("refer", "t-shelter", "--case", "C-1")
    result = run("handout", "--case", "C-1", "--out", str(tmp_path / "h"))
    assert result.exit_code == 0
    text = (tmp_path / "h" / "handout-C-1.txt").read_text(encoding="utf-8")
    page = (tmp_path / "h" / "handout-C-1.html").read_text(encoding="utf-8")
    for content in (text, page):
        assert "テスト食料庫" in content and "架空シェルター" in content and "秘密町" not in content
    assert run("handout", "--case", "C-404", "--out", str(tmp_path / "h")).exit_code == 2


def test_a_log_from_a_newer_tsunagu_is_refused_cleanly(run, isolated_home):
    import sqlite3

    conn = sqlite3.connect(isolated_home / "referrals.db")
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    result = run("referrals")
    assert result.exit_code == 2 and "newer" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("name", ["山田太郎", "やまだ", "Taro Yamada", "..", "../escape"])
def test_refer_refuses_a_name_as_the_case_reference(tmp_path, name):
    from tui.core.referrals.log import ReferralLog

    db = tmp_path / "c.db"
    result = CliRunner().invoke(cli, ["rebuild", "--db", str(db)])
    assert result.exit_code == 0
    result = CliRunner().invoke(cli, ["refer", "hk-sapporo-join", "--case", name, "--db", str(db)])
    assert result.exit_code == 2
    assert "氏名" in result.output and "never a name" in result.output
    with ReferralLog.open(paths.referral_log()) as log:
        assert log.find() == []


def test_refer_folds_the_width_and_case_of_a_case_reference(tmp_path):
    db = tmp_path / "c.db"
    CliRunner().invoke(cli, ["rebuild", "--db", str(db)])
    result = CliRunner().invoke(cli, ["refer", "hk-sapporo-join", "--case", "ｃ－２０２６－０１４", "--db", str(db)])
    assert result.exit_code == 0, result.output
    from tui.core.referrals.log import ReferralLog

    with ReferralLog.open(paths.referral_log()) as log:
        assert [r.case_ref for r in log.find()] == ["C-2026-014"]


@pytest.mark.parametrize(("args", "japanese"), [
    (("referrals", "--month", "2026-13"), "月として読めません"),
    (("referrals", "--status", "maybe"), "状態がわかりません"),
    (("referral-status", "1", "maybe"), "状態がわかりません"),
    (("referral-status", "1", "used"), "紹介 #1 がありません"),  # no such referral
    (("handout", "--case", "C-NONE"), "紹介がありません"),
    (("referrals", "--db", "/nonexistent-folder/c.db"), "フォルダがありません"),
])
def test_referral_usage_errors_say_it_in_japanese_first(run, args, japanese):
    """An office reads the message: Japanese first, the English after, as every other error."""
    result = run(*args)
    assert result.exit_code == 2
    message = re.sub(r"^--[a-z-]+: ", "", result.stderr.removeprefix("tsunagu: "))
    assert japanese in message and not message[0].isascii(), message
