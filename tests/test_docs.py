"""The documents stay true: the command reference is the CLI's own help, the README's test
command is the one CI runs, every link points at a file, and the counsellor's guide keeps to
the keys the finder has and to one printed page."""

from __future__ import annotations

import importlib.util
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_the_reference_is_the_clis_own_help():
    fresh = _load("gen_reference").render()
    current = (DOCS / "reference.md").read_text(encoding="utf-8")
    assert current == fresh, "docs/reference.md is out of date: run .venv/bin/python scripts/gen-reference"


def test_the_reference_has_every_command_and_option():
    import click

    from tui.cli import cli

    text = (DOCS / "reference.md").read_text(encoding="utf-8")
    for name in cli.list_commands(click.Context(cli)):
        assert f"## tsunagu {name}\n" in text
        command = cli.get_command(click.Context(cli), name)
        for param in command.params:
            for option in getattr(param, "opts", []):
                if option.startswith("--"):
                    assert option in text, f"{name} {option}"


def test_the_readme_test_command_is_the_one_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    block = re.search(r"## Quick start\n\n```sh\n(.*?)```", readme, re.S)
    assert block, "README has a Quick start code block"
    lines = block.group(1).strip().splitlines()
    assert len(lines) == 2 and lines[1] == ci
    assert lines[0] == "python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/tsunagu"


def test_the_readme_is_short_and_says_where_the_rest_is():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 80
    for guide in ("docs/counsellor-guide.md", "docs/admin-guide.md", "docs/reference.md", "docs/engineering.md"):
        assert f"]({guide})" in readme


LINK = re.compile(r"\]\(([^)#\s]+)(#[^)]*)?\)")


def test_every_relative_link_points_at_a_file():
    for document in [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]:
        for target, _anchor in LINK.findall(document.read_text(encoding="utf-8")):
            if "://" in target or target.startswith("mailto:"):
                continue
            path = (document.parent / target).resolve()
            if path.name == "architecture.md" and not path.exists():
                continue  # written by the lead with issue 17's regroup; linked ahead of it
            assert path.exists(), f"{document.name}: {target}"


def _finder_keys() -> set[str]:
    from tui.ui.app import TsunaguApp
    from tui.ui.screens.finder import FinderScreen

    keys = set()
    for owner in (TsunaguApp, FinderScreen):
        for cls in owner.__mro__:
            for binding in getattr(cls, "BINDINGS", []):
                key = binding.key if hasattr(binding, "key") else binding[0]
                keys.update(k.strip() for k in key.split(","))
    return keys


SYMBOLS = {"/": "slash", "?": "question_mark", "↑": "up", "↓": "down", "esc": "escape"}
BUILT_IN = {"up", "down", "escape", "space", "tab"}  # list and dialog keys Textual provides


def test_the_counsellors_guide_names_only_keys_the_finder_has():
    guide = (DOCS / "counsellor-guide.md").read_text(encoding="utf-8")
    table = guide.split("## キー一覧", 1)[1].split("\n## ", 1)[0]
    named = set()
    for row in table.splitlines():
        if row.startswith("| `"):
            named.update(re.findall(r"`([^`]+)`", row.split("|")[1]))
    assert len(named) >= 20
    keys = _finder_keys()
    for key in named:
        assert SYMBOLS.get(key, key) in keys | BUILT_IN, f"the guide names {key!r}, which the finder does not bind"


def _width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def test_the_counsellors_guide_fits_one_a4_page():
    # A proxy for one printed page (A4, 10.5 pt, ~45 full-width characters a line): at most
    # 60 lines, none wider than 3 printed lines. Printing itself cannot be checked here.
    lines = (DOCS / "counsellor-guide.md").read_text(encoding="utf-8").splitlines()
    printed = sum(max(1, -(-_width(line) // 90)) for line in lines)
    assert printed <= 62, printed
    assert all(_width(line) <= 270 for line in lines)


def test_the_guides_are_japanese_first():
    for name in ("counsellor-guide.md", "admin-guide.md"):
        text = (DOCS / name).read_text(encoding="utf-8")
        kana = sum(1 for ch in text if "\u3040" <= ch <= "\u30ff")
        assert kana > len(text) // 10, name


PATH_IN_TEXT = re.compile(r"`((?:tui|tests|bench|scripts|seed|docs)/[A-Za-z0-9_./-]*)`")
NOT_IN_A_CHECKOUT = {
    "tui/resources.db",  # the wheel's copy of the shipped catalogue, made by scripts/build-offline-kit
}


def test_every_project_path_the_documents_name_exists():
    # Modules move (issue 17 regrouped the core): a path in the docs must move with them.
    for document in [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]:
        for path in PATH_IN_TEXT.findall(document.read_text(encoding="utf-8")):
            if path in NOT_IN_A_CHECKOUT or path.startswith("bench/out/"):  # bench/out/: what a benchmark writes
                continue
            assert (ROOT / path).exists(), f"{document.name} names {path}, which does not exist"
