"""Static checks as tests, so the README's one test command (and `.ci/run`) runs them:
ruff, mypy, and the import rule that ``tui.core`` never imports textual or rich
(import-linter; configured in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("command", [
    ["ruff", "check", "tui", "tests", "bench", "scripts"],
    ["mypy"],
    ["importlinter.cli", "--no-cache"],
], ids=["ruff", "mypy", "import-linter"])
def test_static_check_passes(command):
    module, *args = command
    if module == "importlinter.cli":  # `lint-imports` has no `python -m` entry of its own
        code = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
        argv = [sys.executable, "-c", code, *args]
    else:
        argv = [sys.executable, "-m", module, *args]
    result = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
