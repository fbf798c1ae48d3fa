"""The HTML reports (coverage, referral chart) open in a real headless browser and draw something.

Chromium is started as a subprocess (no network: the page is a local file with nothing to
fetch) and stopped by its PID if it hangs. Skipped only when no Chromium binary exists.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tui import paths
from tui.cli import cli
from tui.core.models import Resource
from tui.core.referrals.log import ReferralLog
from tui.core.referrals.record import Referral
from tui.core.store.catalogue import Catalogue

BROWSER = next((path for name in ("chromium", "chromium-browser", "google-chrome")
                if (path := shutil.which(name))), None)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no chromium binary on PATH (apt-get install chromium)")


def screenshot(page: Path, png: Path, profile: Path) -> None:
    """Render ``page`` headless into ``png`` (A4-ish portrait window)."""
    run_browser(page, profile, "--hide-scrollbars", "--window-size=900,1300", f"--screenshot={png}")


def print_pdf(page: Path, pdf: Path, profile: Path) -> int:
    """Print ``page`` as the browser would on paper (its own @page size); the number of pages."""
    run_browser(page, profile, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    assert pdf.exists() and pdf.stat().st_size > 1000, "no PDF printed"
    counts = re.findall(rb"/Type\s*/Pages\b.*?/Count\s+(\d+)|/Count\s+(\d+).*?/Type\s*/Pages\b", pdf.read_bytes(), re.S)
    assert counts, "no page tree in the PDF"
    return max(int(a or b) for a, b in counts)


def run_browser(page: Path, profile: Path, *args: str) -> None:
    process = subprocess.Popen(
        [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-extensions", "--disable-background-networking", f"--user-data-dir={profile}",
         *args, page.resolve().as_uri()],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        process.wait(timeout=90)
    except subprocess.TimeoutExpired:
        pass
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # its own session: the group id is its PID
            process.wait()


def assert_drawn(png: Path) -> None:
    from PIL import Image

    assert png.exists() and png.stat().st_size > 1000, "no screenshot"
    with Image.open(png) as image:
        grey = image.convert("L")
        width, height = grey.size
        histogram = grey.histogram()
    dark = sum(histogram[:200])  # pixels clearly darker than the white page
    assert dark > width * height * 0.005, "the page came out blank"
    assert len([n for n in histogram if n]) > 20, "a single flat colour"


@pytest.fixture
def reports(tmp_path, monkeypatch) -> list[Path]:
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    monkeypatch.setenv("TSUNAGU_TODAY", "2026-04-01")
    db = tmp_path / "c.db"
    with Catalogue.open(db) as catalogue:
        catalogue.write([
            Resource(id="a", name="宗谷テストシェルター", needs=("shelter",), area="01214", serves=("soya",)),
            Resource(id="b", name="全道テスト食料", needs=("food", "consultation"), area="01100", serves=("hokkaido",),
                     last_verified="2026-03-01"),
            Resource(id="c", name="釧路テスト相談", needs=("consultation",), area="01206", serves=("kushiro",)),
        ])
    with ReferralLog.open(paths.referral_log()) as log:
        for n, status in enumerate(("used", "declined", "no_capacity", "used", "sent")):
            log.add(Referral(id=0, created_at=f"2026-0{n % 3 + 1}-10T10:00:00+09:00", resource_id="b",
                             resource_name="全道テスト食料", case_ref="C-1", status=status, needs=("food",)))
    runner = CliRunner()
    pages = [tmp_path / "coverage.html", tmp_path / "referrals.html"]
    for args in (["coverage", "--format", "html", "--out", str(pages[0])],
                 ["referrals", "--format", "html", "--out", str(pages[1])]):
        result = runner.invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    return pages


def test_reports_render_in_headless_chromium(reports, tmp_path):
    for page in reports:
        text = page.read_text("utf-8").lower()
        assert "<script" not in text and "https://" not in text and "src=" not in text
        png = tmp_path / (page.stem + ".png")
        screenshot(page, png, tmp_path / ("profile-" + page.stem))
        assert_drawn(png)


def handout_page(tmp_path: Path, places: int) -> Path:
    """The HTML handout of one case sent to the ``places`` wordiest places with a phone in the shipped
    catalogue (the longest details a counsellor could print), the client in 月形町 (transport paired)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    db = tmp_path / "resources.db"
    shutil.copyfile(Path(__file__).resolve().parents[2] / "resources.db", db)
    with Catalogue.open(db) as catalogue:
        wordy = sorted((r for r in catalogue.resources() if r.phone and r.status == "active"),
                       key=lambda r: (-len(r.description + r.how_to_refer + r.hours + r.address), r.id))
    runner = CliRunner()
    for resource in wordy[:places]:
        result = runner.invoke(cli, ["--db", str(db), "refer", resource.id, "--case", "C-2026-900",
                                     "--area", "月形町", "--need", resource.needs[0]], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    out = tmp_path / f"out-{places}"
    result = runner.invoke(cli, ["--db", str(db), "handout", "--case", "C-2026-900", "--out", str(out)],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    page = out / "handout-C-2026-900.html"
    assert page.read_text("utf-8").count('class="qr"') >= places  # a code per phone
    return page


def test_a_handout_of_four_places_prints_on_one_a4_page(tmp_path):
    assert print_pdf(handout_page(tmp_path / "four", 4), tmp_path / "four.pdf", tmp_path / "profile-4") == 1
    # The count is the printer's, not a constant: twelve places do not fit on one page.
    assert print_pdf(handout_page(tmp_path / "twelve", 12), tmp_path / "twelve.pdf", tmp_path / "profile-12") > 1
