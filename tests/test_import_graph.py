"""The import graph of ``tui/`` has no cycle.

Built from the source (every ``import`` and ``from … import``, at module level or inside a
function; imports under ``if TYPE_CHECKING:`` are annotations only and never run, so they
are left out). A cycle means two modules cannot be read, tested or moved apart; break it
with a smaller module, a message or a function passed in (docs/architecture.md).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tui"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def import_graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _type_checking_lines(tree)
        is_package = path.name == "__init__.py"
        for node in ast.walk(tree):
            if getattr(node, "lineno", None) in skip:
                continue
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".")
                    base = base if is_package else base[:-1]
                    base = base[: len(base) - node.level + 1]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                targets = [f"{source}.{alias.name}" if f"{source}.{alias.name}" in files else source
                           for alias in node.names]
            for target in targets:
                if target in files and target != name:
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, directly or through others."""
    reach = {node: _reachable(graph, node) for node in graph}
    found: list[list[str]] = []
    seen: set[str] = set()
    for node in sorted(graph):
        if node in seen or node not in reach[node]:
            continue
        group = sorted(other for other in reach[node] if node in reach[other])
        seen.update(group)
        found.append(group)
    return found


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    out: set[str] = set()
    todo = list(graph[start])
    while todo:
        node = todo.pop()
        if node not in out:
            out.add(node)
            todo.extend(graph.get(node, ()))
    return out


def test_the_graph_sees_imports_inside_functions_and_relative_ones():
    graph = import_graph()
    assert "tui.core.store.catalogue" in graph["tui.catalogue"]
    # a lazy import inside a function counts: the CLI starts the app that way
    assert "tui.ui.app" in graph["tui.cli"]


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_tui_has_no_import_cycle():
    assert cycles(import_graph()) == []
