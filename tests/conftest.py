"""Shared fixtures: every test runs with its own data folder and no TSUNAGU_DB,
so nothing a test does reaches the developer's real settings, notes or catalogue."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch) -> Path:
    home = tmp_path_factory.mktemp("tsunagu-home")
    monkeypatch.setenv("TSUNAGU_HOME", str(home))
    monkeypatch.delenv("TSUNAGU_DB", raising=False)
    return home


@pytest.fixture
def git_command() -> str:
    """The git binary, for tests that read a repository with git itself; skipped, saying why, without it."""
    found = shutil.which("git")
    if found is None:
        pytest.skip("no git command on PATH (apt-get install git): this test reads the repository with git itself")
    return found


@pytest.fixture(scope="session")
def gazetteer():
    from tui.core.reference.areas import Gazetteer

    return Gazetteer.from_csv(ROOT / "seed")


@pytest.fixture(scope="session")
def taxonomy():
    from tui.core.reference.needs import Taxonomy

    return Taxonomy.from_csv(ROOT / "seed" / "needs.csv")


@pytest.fixture
def empty_catalogue(tmp_path):
    from tui.core.store.catalogue import Catalogue

    with Catalogue.open(tmp_path / "catalogue.db") as catalogue:
        yield catalogue


def refer_to_a_hokkaido_line(need: str, *, month: str = "2026-05", times: int = 3) -> None:
    """``times`` referrals from 厚岸町 (01662) for ``need`` to a line serving all Hokkaido: demand nobody
    local met (the coverage map's ▲)."""
    from tui import paths
    from tui.core.models import Resource
    from tui.core.referrals.log import Referral, ReferralLog, snapshot_json

    line = Resource(id="t-line", name="全道の窓口", needs=(need,), area="01100", serves=("hokkaido",))
    with ReferralLog.open(paths.referral_log()) as log:
        for n in range(times):
            log.add(Referral(id=0, created_at=f"{month}-0{n + 1}T10:00:00+09:00", resource_id=line.id,
                             resource_name=line.name, case_ref=f"C-{n}", needs=(need,), area="01662",
                             snapshot=snapshot_json(line)))


@pytest.fixture
def segments_read(monkeypatch) -> list[str]:
    """The stored index segments whose parts were read (``load_segments`` spied), in order."""
    from tui.core.search import build as search_build

    read: list[str] = []
    real = search_build.load_segments

    def spied(conn, format_, *, parts_for=("base", "delta")):
        read.extend(parts_for)
        return real(conn, format_, parts_for=parts_for)

    monkeypatch.setattr(search_build, "load_segments", spied)
    return read
