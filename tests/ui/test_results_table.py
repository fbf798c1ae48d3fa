"""The results table draws only the rows that fit and updates them in place."""

from __future__ import annotations

from tui.core.models import Resource
from tui.ui.app import TsunaguApp
from tui.ui.screens.finder import SearchBox
from tui.ui.widgets.results import ResultsTable

from .conftest import TODAY, build_catalogue, settle

MANY = [
    Resource(id=f"m-{n:03d}", name=f"テスト資源{n:03d}", name_kana=f"てすとしげん{n:03d}", needs=("food",), area="01206",
             phone=f"0154-00-{n:04d}")
    for n in range(60)
]


async def test_draws_only_the_rows_that_fit_and_more_on_reaching_the_last(tmp_path):
    catalogue = build_catalogue(tmp_path / "many.db", MANY)
    app = TsunaguApp(catalogue, "ja", today=TODAY)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            table = app.screen.query_one(ResultsTable)
            assert len(table.hits) == 60
            fit = table.size.height - 1
            assert table.row_count == fit < 60
            await pilot.press(*["down"] * (fit - 1))
            assert table.row_count > fit  # the next screenful arrived
            assert table.select_id("m-059") and table.selected.id == "m-059"  # any hit is reachable
    finally:
        catalogue.close()


async def test_same_top_results_leave_the_table_alone(tmp_path):
    catalogue = build_catalogue(tmp_path / "many.db", MANY)
    app = TsunaguApp(catalogue, "ja", today=TODAY)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            table = app.screen.query_one(ResultsTable)
            table.show(list(table.hits))  # drawn to the laid-out height
            assert table.show(list(table.hits)) is False  # nothing visible changed
            fewer = table.hits[:3]
            assert table.show(fewer) is True
            assert table.row_count == 3 and [table.get_row_at(i)[0].plain for i in range(3)] == [
                h.name for h in fewer]
            # Typing narrows in place: rows are slots, never cleared and refilled.
            keys_before = list(table.rows)
            app.screen.query_one(SearchBox).value = "テスト資源00"
            await settle(app, pilot)
            assert [h.id for h in table.hits] == [f"m-{n:03d}" for n in range(10)]
            assert list(table.rows)[:3] == keys_before
    finally:
        catalogue.close()
