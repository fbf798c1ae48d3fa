"""Issue 13, part 2: one privacy rule (``tui.core.public``) used by every output.

A confidential place (a DV shelter) is put through every output path Tsunagu has and
none of its private fields' text may appear; a place marked confidential after it was
referred disappears from the log's readable views and exports too.
"""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from click.testing import CliRunner

from tui import config, paths
from tui.cli import cli
from tui.config import Settings
from tui.core.models import Resource
from tui.core.public import PRIVATE_FIELDS, public_view
from tui.core.store.catalogue import Catalogue
from tui.i18n import t

SHELTER = Resource(
    id="dv-1", name="テストシェルター", organization="テスト女性支援法人", needs=("shelter", "dv"), area="01206",
    address="秘密町1-2-3", postal_code="085-9999", phone="0120-000-003", hours="24時間",
    transport="秘密バス停すぐ", notes="秘密の裏口から", last_verified="2026-04-01", confidential=True,
)
PRIVATE_TEXT = ("秘密町", "085-9999", "秘密バス停", "秘密の裏口")
SETTINGS = Settings(worker="担当A", office="テスト事務所")
NOW = datetime(2026, 11, 27, 10, 30).astimezone()


def leaks(text: str) -> list[str]:
    return [piece for piece in PRIVATE_TEXT if piece in text]


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "c.db"
    with Catalogue.open(path) as catalogue:
        catalogue.write([SHELTER])
    return path


def test_public_view_names_the_private_fields_once():
    shown = public_view(SHELTER)
    assert all(getattr(shown, field) == "" for field in PRIVATE_FIELDS)
    assert shown.phone == SHELTER.phone and shown.confidential
    assert public_view(SHELTER.replace(confidential=False)) == SHELTER.replace(confidential=False)


def test_no_output_path_shows_a_private_field(db, tmp_path):
    from tui.core.loading.exporting import export
    from tui.core.referrals.handout import make_handout
    from tui.core.referrals.log import ReferralLog, refer
    from tui.core.referrals.notes import compose_note
    from tui.ui.display import contact_text
    from tui.ui.widgets.detail import describe

    outputs: dict[str, str] = {}
    with Catalogue.open(db) as catalogue:
        resource = catalogue.get("dv-1")
        details = describe(resource, catalogue.gazetteer, catalogue.taxonomy, "ja", date(2026, 6, 1))
        outputs["detail pane"] = details.plain
        outputs["c"] = contact_text(resource, "ja")
        outputs["note"] = compose_note(catalogue, resource, t=t, today=date(2026, 6, 1))
        outcome = refer(catalogue, "dv-1", case_ref="C-1", needs=[], area=None, desk=config.desk(SETTINGS), t=t, now=NOW)
        outputs["case file"] = outcome.note_file.read_text()
        with ReferralLog.open(paths.referral_log(), catalogue=catalogue) as log:
            row = log.find()[0]
            outputs["log snapshot"] = row.snapshot
            outputs["log note"] = row.note
            handout = make_handout(log, "C-1", t=t, catalogue=catalogue)
        outputs["handout"] = handout.text + handout.html
        for kind in ("csv", "json", "xlsx"):
            export(catalogue, tmp_path / f"out.{kind}")
        outputs["export csv"] = (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
        outputs["export json"] = (tmp_path / "out.json").read_text()
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(tmp_path / "out.xlsx")).get_sheet_by_name("resources").to_python()
    outputs["export xlsx"] = json.dumps(sheet, ensure_ascii=False)
    runner = CliRunner()
    outputs["search --json"] = runner.invoke(cli, ["search", "シェルター", "--json", "--db", str(db)]).output
    outputs["referrals"] = runner.invoke(cli, ["referrals", "--db", str(db)]).output
    runner.invoke(cli, ["referrals", "--export", str(tmp_path / "log.csv"), "--db", str(db)])
    outputs["referrals --export"] = (tmp_path / "log.csv").read_text(encoding="utf-8-sig")
    outputs["tsunagu refer"] = runner.invoke(cli, ["refer", "dv-1", "--case", "C-2", "--db", str(db)]).output
    assert "テストシェルター" in outputs["export csv"]  # the place itself is there, only its private fields are not
    assert {name: leaks(text) for name, text in outputs.items() if leaks(text)} == {}


def test_confidential_after_referral_hides_the_address_from_the_log(db, tmp_path):
    from tui.core.referrals.handout import make_handout
    from tui.core.referrals.log import ReferralLog, refer

    public = SHELTER.replace(confidential=False)
    with Catalogue.open(db) as catalogue:
        catalogue.write([public])
        refer(catalogue, "dv-1", case_ref="C-3", needs=[], area=None, desk=config.desk(SETTINGS), t=t, now=NOW)
        with ReferralLog.open(paths.referral_log()) as raw:
            assert leaks(raw.find()[0].note)  # referred while public: the note named the address
        catalogue.write([public.replace(confidential=True)])
        with ReferralLog.open(paths.referral_log(), catalogue=catalogue) as log:
            row = log.find()[0]
            assert leaks(row.note) == [] and leaks(row.snapshot) == []
            assert leaks(make_handout(log, "C-3", t=t, catalogue=catalogue).text) == []
    out = tmp_path / "log.csv"
    result = CliRunner().invoke(cli, ["referrals", "--export", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert leaks(out.read_text(encoding="utf-8-sig")) == []


def test_include_confidential_is_written_for_the_owner_only(db, tmp_path):
    import stat

    from tui.core.loading.exporting import export

    out = tmp_path / "all.csv"
    out.write_text("old")
    out.chmod(0o644)
    with Catalogue.open(db) as catalogue:
        export(catalogue, out, include_confidential=True)
    assert "秘密町" in out.read_text(encoding="utf-8-sig")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_case_data_files_are_0600_over_looser_old_files(db, tmp_path):
    import stat

    runner = CliRunner()
    runner.invoke(cli, ["refer", "dv-1", "--case", "C-4", "--db", str(db)])
    report = tmp_path / "log.csv"
    report.write_text("old")
    report.chmod(0o644)
    handouts = tmp_path / "h"
    handouts.mkdir()
    (handouts / "handout-C-4.txt").write_text("old")
    (handouts / "handout-C-4.txt").chmod(0o666)
    assert runner.invoke(cli, ["referrals", "--export", str(report), "--db", str(db)]).exit_code == 0
    assert runner.invoke(cli, ["handout", "--case", "C-4", "--out", str(handouts), "--db", str(db)]).exit_code == 0
    for path in (report, handouts / "handout-C-4.txt", handouts / "handout-C-4.html"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_a_cell_starting_with_tab_or_cr_is_guarded():
    from tui.core.loading.readers import guard, unguard

    for cell in ("\t=1+1", "\r=1+1", "=1+1", "+1", "-1", "@SUM(A1)"):
        assert guard(cell) == "'" + cell
        assert unguard(guard(cell)) == cell
    assert guard("普通の文") == "普通の文"


def test_a_remark_starting_with_tab_is_guarded_in_the_referral_export(db, tmp_path):
    from tui.core.referrals.log import ReferralLog, refer
    from tui.core.referrals.report import export_csv

    with Catalogue.open(db) as catalogue:
        refer(catalogue, "dv-1", case_ref="C-5", needs=[], area=None, remarks="\t=HYPERLINK(1)",
              desk=config.desk(SETTINGS), t=t, now=NOW)
        with ReferralLog.open(paths.referral_log(), catalogue=catalogue) as log:
            export_csv(log.find(), tmp_path / "r.csv")
    text = (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    assert "'\t=HYPERLINK(1)" in text


HOTLINE = Resource(
    id="dv-line", name="テスト全道DVホットライン", organization="テスト女性支援法人", needs=("dv",), area="01100",
    serves=("hokkaido",), phone="0120-000-004", hours="24時間", address="秘密町9-9", postal_code="085-9999",
    transport="秘密バス停から", notes="秘密の裏口あり", confidential=True,
)


def test_no_output_of_upkeep_sharing_or_coverage_shows_a_private_field(db, tmp_path, monkeypatch, git_command):
    """Issues 9, 10, 11 and 14's outputs: history, stale, worksheets, letters, HSDS, coverage, charts, fallback."""
    import sqlite3

    from python_calamine import CalamineWorkbook

    monkeypatch.setenv("TSUNAGU_TODAY", "2026-06-01")
    with Catalogue.open(db) as catalogue:
        catalogue.write([HOTLINE])
        catalogue.save(SHELTER.replace(address="秘密町4-5-6", notes="秘密の裏口から入る"), base=SHELTER, by="担当A",
                       how="edit")
    conn = sqlite3.connect(db)
    with conn:  # a conflict on the address, as a sync could leave it
        conn.execute("INSERT INTO sync_conflicts(resource_id, field, mine, theirs, base, by, at) VALUES (?,?,?,?,?,?,?)",
                     ("dv-1", "address", "秘密町4-5-6", "秘密町7-8", "秘密町1-2-3", "別の事務所", "2026-05-01T10:00"))
    conn.close()
    runner = CliRunner()
    d = ["--db", str(db)]
    runner.invoke(cli, ["refer", "dv-1", "--case", "C-1", *d])
    out = tmp_path / "out"
    out.mkdir()
    outputs: dict[str, str] = {}
    for args in (
        ["history", "dv-1"], ["history", "dv-1", "--json"], ["stale"], ["stale", "--json"],
        ["stale", "--export", str(out / "due.csv")], ["stale", "--export", str(out / "due.xlsx")],
        ["letter", "テスト女性支援法人", "--out", str(out / "letters")], ["letter", "--area", "釧路市", "--out", str(out / "l2")],
        ["export", str(out / "hsds"), "--format", "hsds"], ["export", str(out / "hj"), "--format", "hsds-json"],
        ["coverage"], *(["coverage", "--format", kind] for kind in ("json", "csv", "html")),
        *(["coverage", "--out", str(out / f"cov.{kind}")] for kind in ("json", "csv", "html", "xlsx")),
        ["referrals", "--chart"], ["referrals", "--chart", "--format", "html"],
        ["referrals", "--chart", "--format", "html", "--out", str(out / "chart.html")],
        ["search", "存在しない窓口", "--need", "dv", "--json"], ["search", "存在しない窓口", "--need", "dv"],
        ["conflicts"], ["conflicts", "--json"], ["sync", "--remote", str(tmp_path / "shared.git")],
    ):
        result = runner.invoke(cli, [*args, *d])
        assert result.exit_code == 0, (args, result.output)
        outputs[" ".join(args).replace(str(out), "OUT")] = result.output
    fallback = json.loads(outputs["search 存在しない窓口 --need dv --json"])
    assert any(row["id"] == "dv-line" and row["fallback"] for row in fallback)  # the fallback row is there
    assert "秘密町4-5-6" in runner.invoke(cli, ["history", "dv-1", "--include-confidential", *d]).output
    for file in sorted(p for p in out.rglob("*") if p.is_file()):
        if file.suffix == ".xlsx":
            book = CalamineWorkbook.from_path(str(file))
            outputs[file.name] = repr([book.get_sheet_by_name(name).to_python() for name in book.sheet_names])
        else:
            outputs[file.name] = file.read_text(encoding="utf-8-sig")
    assert any("テストシェルター" in text for name, text in outputs.items() if name.startswith("letter-"))
    import subprocess

    shared = tmp_path / "shared.git"
    objects = subprocess.run(["git", "-C", str(shared), "rev-list", "--all", "--objects"], capture_output=True,
                             text=True, check=True).stdout.split()
    for blob in (o for o in objects if len(o) == 40):
        outputs[f"shared {blob}"] = subprocess.run(["git", "-C", str(shared), "cat-file", "-p", blob],
                                                   capture_output=True, check=True).stdout.decode("utf-8", "replace")
    assert {name: leaks(text) for name, text in outputs.items() if leaks(text)} == {}


def test_marked_confidential_after_an_edit_hides_old_addresses_from_history(db, tmp_path):
    """Its address was edited while public; once confidential, no old address shows unless asked."""
    public = SHELTER.replace(confidential=False)
    with Catalogue.open(db) as catalogue:
        catalogue.write([public])
        catalogue.save(public.replace(address="秘密町5-5", transport="秘密バス停の北"), base=public, by="担当A", how="edit")
        catalogue.save(catalogue.get("dv-1").replace(confidential=True), base=catalogue.get("dv-1"), by="担当A",
                       how="edit")
    runner = CliRunner()
    text = runner.invoke(cli, ["history", "dv-1", "--db", str(db)]).output
    as_json = runner.invoke(cli, ["history", "dv-1", "--json", "--db", str(db)]).output
    assert "confidential" in text  # the marking itself is a change anyone may see
    assert leaks(text) == [] and leaks(as_json) == [] and "秘密町5-5" not in text + as_json
    revealed = runner.invoke(cli, ["history", "dv-1", "--include-confidential", "--db", str(db)]).output
    assert "秘密町5-5" in revealed and "秘密町1-2-3" in revealed

