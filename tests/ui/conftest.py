"""A small fixed catalogue for the finder's tests and snapshots (synthetic names only).

Built in the test, not taken from resources.db, so snapshots do not change when the
seed does. "Today" is frozen so verified ages are the same on every run.
"""

from __future__ import annotations

import asyncio
import inspect
from contextlib import asynccontextmanager
from datetime import date

import pytest
from textual.worker import WorkerCancelled

from tui.core.models import Resource
from tui.core.store.catalogue import Catalogue

TODAY = date(2026, 6, 1)

RESOURCES = [
    Resource(id="t-food-kushiro", name="くしろテストフードバンク", name_kana="くしろてすとふーどばんく",
             organization="テスト釧路NPO", description="食品の緊急配布（テスト用の架空データ）", needs=("food",),
             area="01206", phone="0154-00-0001", hours="平日 10:00-16:00", cost="無料",
             how_to_refer="相談員から電話で連絡", transport="バス停から徒歩5分", last_verified="2026-04-01"),
    Resource(id="t-consult-kushiro", name="釧路テスト生活相談窓口", name_kana="くしろてすとせいかつそうだんまどぐち",
             organization="テスト社会福祉協議会", needs=("consultation", "loans"), area="01206",
             serves=("kushiro",), phone="0154-00-0002"),
    Resource(id="t-shelter", name="テスト一時シェルター", name_kana="てすといちじしぇるたー",
             organization="テスト女性支援NPO", needs=("shelter", "dv"), area="01206", address="釧路市テスト町1-2-3",
             phone="0120-000-003", confidential=True, last_verified="2025-12-01"),
    Resource(id="t-food-sapporo", name="さっぽろテスト子ども食堂", name_kana="さっぽろてすとこどもしょくどう",
             organization="テスト札幌の会", needs=("food", "child"), area="01101", phone="011-000-0004",
             status="paused"),
    Resource(id="t-work-obihiro", name="帯広テスト農園", name_kana="おびひろてすとのうえん", organization="テスト農園株式会社",
             needs=("work_experience",), area="01207", capacity="月2名", transport="公共交通なし（送迎あり）",
             last_verified="2024-05-01"),
    Resource(id="t-transport-all", name="全道テスト移送サービス", name_kana="ぜんどうてすといそうさーびす",
             organization="テスト移送協会", needs=("transport",), area="01100", serves=("hokkaido",),
             phone="011-000-0006"),
    Resource(id="t-closed", name="閉鎖済みテスト窓口", name_kana="へいさずみてすとまどぐち", needs=("consultation",),
             area="01206", status="closed"),
]


def build_catalogue(path, resources=RESOURCES) -> Catalogue:
    catalogue = Catalogue.open(path)
    catalogue.write(resources)
    return catalogue


@asynccontextmanager
async def app_on(path, resources, lang: str = "ja", size: tuple[int, int] = (80, 24)):
    """The app, running, on a catalogue of ``resources`` built at ``path`` (closed afterwards)."""
    from tui.ui.app import TsunaguApp

    catalogue = build_catalogue(path, resources)
    try:
        app = TsunaguApp(catalogue, lang, today=TODAY)
        async with app.run_test(size=size) as pilot:
            yield app, pilot
    finally:
        catalogue.close()


@pytest.fixture
def catalogue(tmp_path):
    with build_catalogue(tmp_path / "finder.db") as catalogue:
        yield catalogue


@pytest.fixture
def make_app(catalogue):
    from tui.ui.app import TsunaguApp

    def make(lang: str = "ja", **kwargs) -> TsunaguApp:
        return TsunaguApp(catalogue, lang, today=TODAY, **kwargs)

    return make


def keys_held(app) -> bool:
    """Keys the app holds until the screen keeps up (tui/ui/keygate.py), not yet delivered."""
    return bool(getattr(app, "_gate_held", None)) or getattr(app, "_gate_releasing", None) is not None


async def settle(app, pilot) -> None:
    """Wait until every key typed is delivered, every worker is done and the messages they posted are handled."""
    rounds = 0
    while rounds < 3 or (keys_held(app) and rounds < 200):
        rounds += 1
        outcomes = await asyncio.gather(*(worker.wait() for worker in list(app.workers)), return_exceptions=True)
        for outcome in outcomes:
            # A search overtaken by a newer keystroke is cancelled on purpose; anything else is a failure.
            if isinstance(outcome, BaseException) and not isinstance(outcome, WorkerCancelled):
                raise outcome
        await pilot.pause()


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run ``async def`` tests in a fresh event loop (Pilot needs one; no plugin required)."""
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        asyncio.run(pyfuncitem.obj(**arguments))
        return True
    return None
