"""`tsunagu coverage`: counts worked out by hand for shelters in every subprefecture, and the formats."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tests.conftest import refer_to_a_hokkaido_line
from tui.cli import cli
from tui.core.models import Resource
from tui.core.store.catalogue import Catalogue

SHELTER = ("shelter",)
# Shelters (and one food bank) chosen so each area rule shows in the counts; "today" is 2026-04-01.
RESOURCES = [
    # A: serves 宗谷 (a subprefecture): each of its 10 towns, and 宗谷 itself.
    Resource(id="a", name="宗谷シェルター", needs=SHELTER, area="01214", serves=("soya",), last_verified="2026-03-01"),
    # B: serves 全道, never verified: every place, counted as unverified too.
    Resource(id="b", name="全道シェルター", needs=SHELTER, area="01100", serves=("hokkaido",)),
    # C: in 札幌市中央区 (serves blank = its own ward): covers 札幌市 and 石狩. Never verified.
    Resource(id="c", name="中央区シェルター", needs=SHELTER, area="01101"),
    # D: serves two wards: 札幌市 and 石狩 count it once.
    Resource(id="d", name="二区シェルター", needs=SHELTER, area="01101", serves=("01101", "01102"),
             last_verified="2026-02-01"),
    # E: closed: never counts.
    Resource(id="e", name="閉鎖シェルター", needs=SHELTER, area="01206", status="closed", last_verified="2026-03-01"),
    # F: paused in 釧路市: counted apart as paused.
    Resource(id="f", name="休止シェルター", needs=SHELTER, area="01206", status="paused"),
    # G: serves 釧路市 and 帯広市 (two subprefectures), unverified.
    Resource(id="g", name="二市シェルター", needs=SHELTER, area="01206", serves=("01206", "01207")),
    # H: food only: no shelter count.
    Resource(id="h", name="根室フードバンク", needs=("food",), area="01223", serves=("nemuro",)),
    # I: serves 根室 and 根室市: 根室 and 根室市 count it once.
    Resource(id="i", name="根室シェルター", needs=("shelter", "dv"), area="01223", serves=("nemuro", "01223"),
             last_verified="2026-01-01"),
    # J: 札幌市, verified long ago: counts, except with --verified-within 12m.
    Resource(id="j", name="古いシェルター", needs=SHELTER, area="01100", last_verified="2020-01-01"),
]
SUBPREFECTURES = ["ishikari", "oshima", "hiyama", "shiribeshi", "sorachi", "kamikawa", "rumoi", "soya", "okhotsk",
                  "iburi", "hidaka", "tokachi", "kushiro", "nemuro"]
# (active, unverified, paused) for shelters, by hand: B everywhere, then what each area rule adds.
EXPECTED = {sub: (1, 1, 0) for sub in SUBPREFECTURES} | {
    "soya": (2, 1, 0),  # A + B
    "ishikari": (4, 2, 0),  # B + C + D + J (D once, though it serves two wards)
    "kushiro": (2, 2, 1),  # B + G, F paused, E closed
    "tokachi": (2, 2, 0),  # B + G
    "nemuro": (2, 1, 0),  # B + I (once)
}
TOWNS = {
    "01100": (4, 2, 0),  # 札幌市: B + C + D + J, wards belong to it
    "01214": (2, 1, 0),  # 稚内市: A + B
    "01520": (2, 1, 0),  # 幌延町 (宗谷): A + B
    "01206": (2, 2, 1),  # 釧路市: B + G, F paused
    "01661": (1, 1, 0),  # 釧路町: B only
    "01207": (2, 2, 0),  # 帯広市: B + G
    "01223": (2, 1, 0),  # 根室市: B + I once
    "01691": (2, 1, 0),  # 別海町: B + I (serves 根室)
    "01202": (1, 1, 0),  # 函館市: B
}


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "c.db"
    with Catalogue.open(path) as catalogue:
        catalogue.write(RESOURCES)
    return path


@pytest.fixture
def run(db, monkeypatch):
    monkeypatch.setenv("TSUNAGU_TODAY", "2026-04-01")
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")

    def invoke(*args: str):
        return CliRunner().invoke(cli, ["--db", str(db), "coverage", *args], catch_exceptions=False)

    return invoke


def shelter_counts(result) -> dict[str, tuple[int, int, int]]:
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    counts = {}
    for area in data["areas"]:
        cell = area["counts"]["shelter"]
        counts[area["code"]] = (cell["active"], cell["unverified"], cell["paused"])
    return counts


def test_json_matches_hand_counts_for_every_subprefecture_and_town(run):
    result = run("--format", "json", "--need", "shelter")
    data = json.loads(result.output)
    assert data["needs"] == ["shelter"]
    counts = shelter_counts(result)
    assert {sub: counts[sub] for sub in SUBPREFECTURES} == EXPECTED
    assert {town: counts[town] for town in TOWNS} == TOWNS
    kinds = {a["code"]: (a["kind"], a["subprefecture"], a["name"]) for a in data["areas"]}
    assert kinds["soya"] == ("subprefecture", "soya", "宗谷")
    assert kinds["01214"] == ("municipality", "soya", "稚内市")
    assert len(data["areas"]) == 14 + 179  # wards are not rows: they belong to 札幌市
    assert "01101" not in counts


def test_every_need_is_a_column_by_default(run):
    data = json.loads(run("--format", "json").output)
    assert "food" in data["needs"] and "shelter" in data["needs"]
    nemuro = next(a for a in data["areas"] if a["code"] == "nemuro")
    assert nemuro["counts"]["food"] == {"active": 1, "unverified": 1, "paused": 0}
    assert nemuro["counts"]["dv"]["active"] == 1


def test_verified_within_keeps_only_recent_checks(run):
    counts = shelter_counts(run("--format", "json", "--need", "shelter", "--verified-within", "12m"))
    # Only A (宗谷), D (札幌市) and I (根室) were checked since 2025-04-01.
    assert counts["soya"] == (1, 0, 0)
    assert counts["ishikari"] == (1, 0, 0)
    assert counts["nemuro"] == (1, 0, 0)
    assert counts["kushiro"] == (0, 0, 0)
    assert counts["01100"] == (1, 0, 0)


def test_area_filter_lists_a_subprefecture_and_its_towns(run):
    data = json.loads(run("--format", "json", "--need", "shelter", "--area", "宗谷").output)
    codes = [a["code"] for a in data["areas"]]
    assert codes[0] == "soya" and len(codes) == 11
    one = json.loads(run("--format", "json", "--need", "shelter", "--area", "釧路町").output)
    assert [a["code"] for a in one["areas"]] == ["kushiro", "01661"]


def test_table_prints_blank_unverified_and_gap_sentences(run):
    result = run("--need", "shelter", "--need", "food")
    assert result.exit_code == 0
    out = result.output
    assert "\x1b[" not in out  # no colour when not a terminal
    assert "空白" in out and "4 未2" in out
    lines = out.splitlines()
    gaps = lines[lines.index("支援の空白（支援のない市町村が多い順）") + 1:]
    assert gaps[0].strip() == "食料支援: 空白の振興局 13、支援のない市町村 174/179"
    assert "宗谷: 食料支援に対応する資源がない市町村 10/10" in out


def test_include_paused_counts_paused_as_help(run):
    result = run("--need", "shelter", "--include-paused", "--area", "釧路")
    assert "3 未2 休1" in result.output


def test_csv_xlsx_html_files(run, tmp_path):
    for kind in ("csv", "xlsx", "html", "json"):
        path = tmp_path / f"coverage.{kind}"
        result = run("--need", "shelter", "--out", str(path))
        assert result.exit_code == 0, result.output
        assert path.exists()
    with open(tmp_path / "coverage.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][:4] == ["code", "地域", "振興局", "kind"]
    soya = next(r for r in rows if r[0] == "soya")
    assert soya[4:7] == ["2", "1", "0"]
    sheet = load_workbook(tmp_path / "coverage.xlsx")["coverage"]
    values = {row[0]: row for row in sheet.iter_rows(values_only=True)}
    assert values["kushiro"][4:7] == (2, 2, 1)
    page = (tmp_path / "coverage.html").read_text("utf-8")
    assert "<svg" in page and "宗谷" in page and "2026-04-01" in page


def test_html_has_no_script_no_url_no_resource_data(run, tmp_path):
    page = run("--format", "html", "--need", "shelter").output
    lowered = page.lower()
    assert "<script" not in lowered and "http://" not in lowered.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in lowered and "src=" not in lowered and "@import" not in lowered
    for resource in RESOURCES:
        assert resource.name not in page


def test_formula_guard_in_spreadsheets():
    from tui.core.reports.coverage_report import _safe

    assert _safe("=1+1") == "'=1+1" and _safe(3) == 3


def test_usage_errors_exit_2(run):
    assert run("--area", "釧路氏").exit_code == 2
    assert run("--need", "nope-need").exit_code == 2
    assert run("--verified-within", "soon").exit_code == 2
    assert run("--format", "xlsx").exit_code == 2


@pytest.mark.parametrize("columns", [80, 120])
def test_the_table_is_split_into_readable_parts_when_every_need_does_not_fit(run, monkeypatch, columns):
    """At 80 columns rich squeezed twenty need columns to '…'; now each part fits and every need is named."""
    from rich.cells import cell_len

    monkeypatch.setenv("COLUMNS", str(columns))
    result = run()
    assert result.exit_code == 0
    table = result.output.split("数字は")[0].splitlines()
    assert max(cell_len(line) for line in table) <= columns
    header = "".join(line for line in table if line.startswith("┃"))
    for label in ("総合相談", "食料支援", "一時生活支援", "交通", "法律相談"):
        assert label in header, label
    assert sum(line.count("宗谷") for line in table) >= 2  # the place names repeat in every part
    assert "…" not in "".join(table)


def test_a_mark_leaves_its_count_in_line_in_the_table(run, isolated_home):
    """Cells were right-aligned by Rich: 釧路's "空白 ▲3" stood its 空白 three columns left of the
    rows above and below (the map on screen did the same, centred)."""
    refer_to_a_hokkaido_line("hygiene", month="2026-03")
    result = run("--demand", "--need", "hygiene")
    assert result.exit_code == 0, result.output
    cells = [row.split("│")[2] for row in result.output.splitlines() if row.count("│") == 3]
    assert any("▲3" in cell for cell in cells), result.output
    assert len({cell.index("空白") for cell in cells}) == 1, result.output
