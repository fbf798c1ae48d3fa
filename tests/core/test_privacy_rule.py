"""The privacy rule is written once (``tui/core/public.py``) and every path uses it.

A second copy of "confidential and a private field → withheld" drifts: a field added
as private in one place and not the other leaks. So the field set may be named only
in public.py, and the rejected-rows file of ``--skip-invalid`` follows the same rule.
"""

from __future__ import annotations

import ast
import csv
import stat
from pathlib import Path

from tui.core.loading.importing import import_files
from tui.core.public import PRIVATE_FIELDS
from tui.core.store.catalogue import Catalogue

ROOT = Path(__file__).resolve().parents[2]
HOME = ROOT / "tui" / "core" / "public.py"


def _namings_of_the_field_set(path: Path) -> list[int]:
    """Lines of ``path`` that name ``PRIVATE_FIELDS`` or spell out two or more private fields as a literal."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Name) and node.id == "PRIVATE_FIELDS":
            found.append(node.lineno)
        elif isinstance(node, ast.Attribute) and node.attr == "PRIVATE_FIELDS":
            found.append(node.lineno)
        elif isinstance(node, ast.alias) and node.name == "PRIVATE_FIELDS":
            found.append(node.lineno)
        elif isinstance(node, ast.Tuple | ast.List | ast.Set):
            words = {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
            if len(words) == len(node.elts) and len(words & set(PRIVATE_FIELDS)) >= 2 and words <= set(PRIVATE_FIELDS):
                found.append(node.lineno)
    return found


def test_the_private_field_set_is_named_only_in_public_py():
    elsewhere = {str(p.relative_to(ROOT)): lines for p in (ROOT / "tui").rglob("*.py")
                 if p != HOME and (lines := _namings_of_the_field_set(p))}
    assert elsewhere == {}


def test_the_check_sees_a_second_copy(tmp_path):
    copy = tmp_path / "copy.py"
    copy.write_text('from tui.core.public import PRIVATE_FIELDS\nHIDE = ("address", "notes")\n')
    assert _namings_of_the_field_set(copy) == [1, 2]
    assert _namings_of_the_field_set(HOME)  # public.py names it: the check reads what it should


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_rejected_rows_file_is_private_and_withholds_a_confidential_rows_address(tmp_path):
    source = _write(tmp_path / "sheet.csv", [
        {"name": "テストシェルター", "area": "釧路市", "needs": "shelter", "address": "秘密町1-2-3",
         "postal_code": "085-0015", "notes": "裏口から", "confidential": "yes", "status": "bogus"},
        {"name": "テスト食料庫", "area": "釧路市", "needs": "food", "address": "公開町4-5-6",
         "postal_code": "", "notes": "", "confidential": "", "status": "bogus"},
        {"name": "よい行", "area": "釧路市", "needs": "food", "address": "", "postal_code": "", "notes": "",
         "confidential": "", "status": ""},
    ])
    with Catalogue.open(tmp_path / "c.db") as catalogue:
        report = import_files(catalogue, [source], skip_invalid=True)
    assert report.rejected == 2
    rejected = tmp_path / "sheet.rejected.csv"
    assert stat.S_IMODE(rejected.stat().st_mode) == 0o600
    text = rejected.read_text(encoding="utf-8-sig")
    for secret in ("秘密町1-2-3", "085-0015", "裏口から"):
        assert secret not in text
    assert "公開町4-5-6" in text  # a public row is written whole, ready to fix
    rows = list(csv.DictReader(text.splitlines()))
    shelter = next(r for r in rows if r["name"] == "テストシェルター")
    assert "非公開" in shelter["reason"] and shelter["confidential"] == "yes"
