"""Verification, the queue of resources due, the phone-round worksheet and provider letters."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from tui.core.models import Resource
from tui.core.store.catalogue import Catalogue
from tui.core.store.changes import history
from tui.core.upkeep.curation import (
    BadInterval,
    apply_worksheet,
    cutoff,
    due,
    is_worksheet,
    parse_interval,
    verify,
    write_worksheet,
)
from tui.core.upkeep.letters import letters

TODAY = date(2026, 6, 1)
RESOURCES = [
    Resource(id="q-never", name="未確認テスト窓口", organization="テスト会", needs=("food",), area="01206", phone="0154-00-0001"),
    Resource(id="q-old", name="古いテスト窓口", organization="テスト会", needs=("food",), area="01207", last_verified="2024-01-10"),
    Resource(id="q-edge", name="ちょうど1年テスト", needs=("consultation",), area="01206", last_verified="2025-06-01"),
    Resource(id="q-late", name="1年と1日テスト", needs=("consultation",), area="01206", last_verified="2025-05-31"),
    Resource(id="q-fresh", name="最近テスト窓口", needs=("food",), area="01206", last_verified="2026-03-01"),
    Resource(id="q-closed", name="閉鎖テスト窓口", needs=("food",), area="01206", status="closed"),
    Resource(id="q-dv", name="テストシェルター", organization="テスト会", needs=("dv",), area="01206",
             address="釧路市テスト町9-9", postal_code="085-0015", confidential=True, last_verified="2024-02-01"),
]


@pytest.fixture
def catalogue(tmp_path):
    with Catalogue.open(tmp_path / "c.db") as catalogue:
        catalogue.write(RESOURCES)
        yield catalogue


def test_intervals():
    assert parse_interval("12m") == (12, 0) and parse_interval("1y") == (12, 0) and parse_interval("90d") == (0, 90)
    assert parse_interval("６ヶ月") == (6, 0)
    with pytest.raises(BadInterval):
        parse_interval("soon")
    assert cutoff(TODAY, "12m") == date(2025, 6, 1)
    assert cutoff(date(2026, 3, 31), "1m") == date(2026, 2, 28)


def test_the_queue_is_oldest_first_never_verified_first_and_skips_closed(catalogue):
    assert [h.id for h in due(catalogue, today=TODAY)] == ["q-never", "q-old", "q-dv", "q-late"]
    assert [h.id for h in due(catalogue, today=TODAY, interval="2m")] == ["q-never", "q-old", "q-dv", "q-late", "q-edge", "q-fresh"]
    assert [h.id for h in due(catalogue, today=TODAY, area="帯広市")] == ["q-old"]
    assert [h.id for h in due(catalogue, today=TODAY, needs=["consultation"])] == ["q-late"]


def test_verify_shrinks_the_queue_and_logs_who_and_how(catalogue):
    verify(catalogue, ["q-never", "q-old"], today=TODAY, by="佐藤", how="電話で確認")
    assert [h.id for h in due(catalogue, today=TODAY)] == ["q-dv", "q-late"]
    latest = history(catalogue, "q-never")[0]
    assert (latest.field, latest.new, latest.by, latest.how) == ("last_verified", "2026-06-01", "佐藤", "verify 電話で確認")
    verify(catalogue, ["q-never"], today=TODAY, by="鈴木", how="訪問")  # again the same day: still recorded
    assert (history(catalogue, "q-never")[0].by, history(catalogue, "q-never")[0].how) == ("鈴木", "verify 訪問")


def test_the_worksheet_round_trip_applies_corrections_and_verifies_by_the_named_worker(catalogue, tmp_path):
    for suffix in (".csv", ".xlsx"):
        sheet = tmp_path / f"round{suffix}"
        assert write_worksheet(catalogue, due(catalogue, today=TODAY), sheet) == 4
        assert is_worksheet(sheet)
    sheet = tmp_path / "round.csv"
    with open(sheet, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    assert "テスト町" not in repr(rows)  # the confidential address stays out
    col = {h: i for i, h in enumerate(header)}
    for row in rows[1:]:
        if row[col["ID"]] == "q-never":
            row[col["電話"]] = "0154-12-3456"
            row[col["確認者"]], row[col["確認方法"]] = "佐藤", "電話で確認"
        if row[col["ID"]] == "q-dv":
            row[col["確認者"]], row[col["確認した日"]] = "鈴木", "R8.5.30"
    with open(sheet, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    report = apply_worksheet(catalogue, sheet, today=TODAY)
    assert report.problems == [] and sorted(report.verified) == ["q-dv", "q-never"] and report.skipped == 2
    assert report.corrected == {"q-never": ["phone"]}
    never = catalogue.get("q-never")
    assert (never.phone, never.last_verified) == ("0154-12-3456", "2026-06-01")
    dv = catalogue.get("q-dv")
    assert (dv.address, dv.last_verified) == ("釧路市テスト町9-9", "2026-05-30")  # blank address is no correction
    assert [(c.field, c.by, c.how) for c in history(catalogue, "q-never")[:2]] == [
        ("last_verified", "佐藤", "verify 電話で確認"), ("phone", "佐藤", "import round.csv")]
    assert [h.id for h in due(catalogue, today=TODAY)] == ["q-old", "q-late"]


def test_a_worksheet_with_a_bad_correction_writes_nothing(catalogue, tmp_path):
    sheet = tmp_path / "bad.csv"
    write_worksheet(catalogue, due(catalogue, today=TODAY), sheet)
    with open(sheet, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    col = {h: i for i, h in enumerate(rows[0])}
    rows[1][col["所在地域"]], rows[1][col["確認者"]] = "釧路氏", "佐藤"
    rows[2][col["確認者"]] = "佐藤"
    with open(sheet, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    report = apply_worksheet(catalogue, sheet, today=TODAY)
    assert [(p.row, p.column) for p in report.problems] == [(2, "所在地域")]
    assert len(due(catalogue, today=TODAY)) == 4


def test_letters_list_each_organisations_entries_without_a_confidential_address(catalogue):
    (letter,) = letters(catalogue, organization="テスト会", today=TODAY, office="テスト相談センター")
    assert [r.id for r in letter.resources] == ["q-dv", "q-never", "q-old"]
    for text in (letter.text, letter.html):
        assert "未確認テスト窓口" in text and "0154-00-0001" in text and "テスト相談センター" in text
        assert "テスト町" not in text and "085-0015" not in text
    assert "<script" not in letter.html


def test_every_organisation_gets_its_own_letter_files_whatever_its_name(tmp_path):
    """Issue 19 #10: col/x, col_x and col:x (and names differing only in case) once shared one file."""
    from tui.core.upkeep.letters import write_files

    names = ["col/x", "col_x", "col:x", "Col_X", "../x", ".hidden", "x" * 80, "x" * 80 + "y", "釧路テスト会"]
    with Catalogue.open(tmp_path / "c.db") as catalogue:
        catalogue.write([Resource(id=f"org-{n}", name=f"窓口{n}", organization=name, needs=("food",), area="01206")
                         for n, name in enumerate(names)])
        found = letters(catalogue, area="01206", today=TODAY)
    assert sorted(letter.organization for letter in found) == sorted(names)
    written = write_files(found, tmp_path / "letters")
    assert len(written) == 2 * len(names) == len({p.name.casefold() for p in written})
    assert all(p.parent == tmp_path / "letters" and not p.name.startswith("letter-.") for p in written)
    for letter in found:  # each organisation's letter is in a file of its own, whole
        (text,) = [p for p in written if p.suffix == ".txt" and p.read_text("utf-8") == letter.text]
        assert letter.organization in text.read_text("utf-8") or len(letter.organization) > 60
    assert (tmp_path / "letters" / "letter-釧路テスト会.txt").is_file()  # a plain name stays plain
