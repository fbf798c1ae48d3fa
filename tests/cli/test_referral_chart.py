"""`tsunagu referrals --chart` and `--format html`: referrals per month by outcome and need, counts only."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from tui import paths
from tui.cli import cli
from tui.core.referrals.log import ReferralLog
from tui.core.referrals.record import Referral
from tui.core.referrals.report import chart_lines, monthly_series
from tui.core.store.catalogue import Catalogue
from tui.i18n import t

CASES = ["C-SECRET-1", "C-SECRET-2"]
NOTE = "山田花子さん 面談メモ"  # a name and a note: must never reach a chart
# (month, status, needs)
ROWS = [("2026-08", "used", ("food",)), ("2026-08", "no_capacity", ("shelter",)),
        ("2026-10", "used", ("food", "consultation")), ("2026-10", "declined", ("food",)),
        ("2026-10", "no_contact", ("shelter",)), ("2026-10", "sent", ())]


def referral(n: int, month: str, status: str, needs: tuple[str, ...]) -> Referral:
    return Referral(id=0, created_at=f"{month}-1{n}T10:00:00+09:00", resource_id="r-x", resource_name="架空の窓口",
                    case_ref=CASES[n % 2], worker="担当 佐藤", note=NOTE, remarks=NOTE, status=status, needs=needs,
                    resource_needs=("legal",))


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    db = tmp_path / "c.db"
    Catalogue.open(db).close()
    with ReferralLog.open(paths.referral_log()) as log:
        for n, (month, status, needs) in enumerate(ROWS):
            log.add(referral(n, month, status, needs))

    def invoke(*args: str):
        return CliRunner().invoke(cli, ["--db", str(db), "referrals", *args], catch_exceptions=False)

    return invoke


def test_series_counts_every_month_need_and_outcome():
    series = monthly_series(referral(n, *row) for n, row in enumerate(ROWS))
    assert series.months == ("2026-08", "2026-09", "2026-10")  # the empty month is drawn too
    assert series.by_outcome["used"] == (1, 0, 1)
    assert series.by_need["food"] == (1, 0, 2)
    assert series.by_need["legal"] == (0, 0, 1)  # no filter in force: the resource's own needs
    assert series.unrealised() == 3 and series.total == 6


def test_terminal_chart_fits_80_columns_and_holds_counts_only(run):
    result = run("--chart")
    assert result.exit_code == 0, result.output
    chart = result.output[result.output.index("紹介の記録（月ごと）"):]
    lines = chart.splitlines()
    assert all(cell_len(line) <= 80 for line in lines)
    assert any(line.startswith("2026-10 ") and line.endswith(" 4") for line in lines)
    assert any(line.startswith("2026-09 ") and line.endswith(" 0") for line in lines)
    assert "つながらなかった支援: 3件 / 6件（50%）" in chart
    assert "食料支援" in chart
    for secret in (*CASES, "山田", "佐藤", "架空の窓口", "面談"):
        assert secret not in chart
    for secret in CASES:  # nor above it: with --chart, the whole output is counts
        assert secret not in result.output


def test_html_report_has_bars_and_no_case_data(run, tmp_path):
    path = tmp_path / "referrals.html"
    result = run("--format", "html", "--out", str(path), "--lang", "en")
    assert result.exit_code == 0, result.output
    page = path.read_text("utf-8")
    assert page.count("<svg") == 3 and "%</text>" in page and "Not eligible" in page and "Food" in page
    assert "<script" not in page.lower() and "https://" not in page
    for secret in (*CASES, "山田", "佐藤", "架空の窓口", "面談"):
        assert secret not in page


def test_empty_log_says_so():
    assert chart_lines(monthly_series([]), t=t, lang="en", need_label=str) == ["No referrals in this period."]


def test_a_need_label_too_long_for_the_chart_ends_in_an_ellipsis():
    """'Domestic violenc' and '一時生活支援・シ' read like typos; a cut label says it was cut."""
    labels = {"dv": "Domestic violence and women's consultation", "shelter": "一時生活支援・シェルター"}
    rows = [referral(0, "2026-10", "sent", ("dv",)), referral(1, "2026-10", "sent", ("shelter",))]
    lines = chart_lines(monthly_series(rows), t=t, lang="en", need_label=labels.__getitem__, width=80)
    need_lines = [line for line in lines if line.endswith(" 1") and "█" in line]
    assert len(need_lines) == 2
    for line in need_lines:
        label = line.split("  ")[0].split(" █")[0].rstrip()
        assert label.endswith("…") and any(whole.startswith(label[:-1]) for whole in labels.values()), line
        assert cell_len(line) <= 80
