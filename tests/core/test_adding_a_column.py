"""A free-text resource column is added in models.py and a schema migration, and nowhere else
in the store or the row rules (docs/architecture.md, "Where to add things").

The catalogue's row reading and writing and the import's row rules derive their columns
from the ``Resource`` dataclass; this checks they keep doing so: none of the free-text
columns is spelt out in them, and every one survives a write and a read.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tui.core.loading import rows
from tui.core.models import Resource, plain_text_columns
from tui.core.store import catalogue as catalogue_module
from tui.core.store.catalogue import Catalogue

# Columns the store queries by name (search order, filters): they are named on purpose.
QUERIED = {"id", "name", "area", "status", "last_verified", "name_kana"}


def _string_literals(module) -> set[str]:
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def test_the_store_and_the_row_rules_do_not_spell_out_free_text_columns():
    free = set(plain_text_columns()) - QUERIED
    assert "capacity" in free and "how_to_refer" in free  # the derivation sees them
    assert free & _string_literals(catalogue_module) == set()
    assert set(rows._FREE_TEXT) - QUERIED <= free | {"organization"}
    assert (set(rows._FREE_TEXT) - QUERIED) & _string_literals(rows) == set()


def test_every_free_text_column_round_trips(tmp_path):
    values = {column: f"値 {column}" for column in plain_text_columns() if column not in QUERIED}
    resource = Resource(id="t-1", name="テスト", area="01206", **values)
    with Catalogue.open(tmp_path / "c.db") as catalogue:
        catalogue.write([resource])
        stored = catalogue.get("t-1")
    assert stored is not None
    assert {column: getattr(stored, column) for column in values} == values
