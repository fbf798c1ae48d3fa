"""docs/reference.md from the CLI's own ``--help``: ``scripts/gen-reference [--check]``.

Every command's help is rendered by click itself, at a fixed width of 100 columns, in the
order ``tsunagu --help`` lists them; ``tests/test_docs.py`` compares the file with a fresh
rendering, so the reference cannot drift from the code.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "reference.md"
WIDTH = 100

HEADER = """# Tsunagu command reference

Generated from the CLI's own `--help` by `scripts/gen-reference` — do not edit by hand; run
`.venv/bin/python scripts/gen-reference` after changing a command (a test fails until you do).
The catalogue every command works on is `--db PATH`, else `TSUNAGU_DB`, else the copy in your
data folder (`TSUNAGU_HOME` moves the folder). Exit codes: 0 success; 1 the input or a file had
problems (nothing written); 2 a usage error. The guides, in Japanese, are
[counsellor-guide.md](counsellor-guide.md) and [admin-guide.md](admin-guide.md).
"""


def help_text(args: list[str]) -> str:
    from click.testing import CliRunner

    from tui.cli import cli

    result = CliRunner().invoke(cli, [*args, "--help"], prog_name="tsunagu", terminal_width=WIDTH, color=False)
    if result.exit_code != 0:
        raise SystemExit(f"tsunagu {' '.join(args)} --help failed: {result.output}")
    return result.output.rstrip() + "\n"


def render() -> str:
    sys.path.insert(0, str(ROOT))
    import click

    from tui.cli import cli

    parts = [HEADER, "## tsunagu\n", "```text\n" + help_text([]) + "```\n"]
    names = cli.list_commands(click.Context(cli))
    parts.append("Commands: " + " · ".join(f"[`{n}`](#tsunagu-{n})" for n in names) + "\n")
    for name in names:
        parts += [f"## tsunagu {name}\n", "```text\n" + help_text([name]) + "```\n"]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    text = render()
    if argv == ["--check"]:
        current = REFERENCE.read_text(encoding="utf-8") if REFERENCE.exists() else ""
        if current != text:
            print(f"{REFERENCE} is out of date: run scripts/gen-reference", file=sys.stderr)
            return 1
        return 0
    if argv:
        print("usage: scripts/gen-reference [--check]", file=sys.stderr)
        return 2
    REFERENCE.parent.mkdir(parents=True, exist_ok=True)
    REFERENCE.write_text(text, encoding="utf-8")
    print(f"wrote {REFERENCE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
