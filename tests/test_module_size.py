"""Issue 17: every module in tui/ is under 400 lines (one job each; a file that grows past it is
split by what it does, as search/index.py and sharing/sync.py were)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 400


def test_every_module_in_tui_is_under_400_lines():
    long = {str(p.relative_to(ROOT)): n for p in sorted((ROOT / "tui").rglob("*.py"))
            if (n := len(p.read_text(encoding="utf-8").splitlines())) >= LIMIT}
    assert long == {}, f"split these by job: {long}"
