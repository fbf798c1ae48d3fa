"""docs/verification-round.md stays true: its `sh` code blocks are run, in order, on copies of the
shipped catalogue, and the round they describe works — the worksheet and letters are written for each
of the 14 subprefectures, a signed worksheet row comes back in as verified, and the letter examples
record their verification."""

from __future__ import annotations

import csv
import hashlib
import re
import shlex
import shutil
from pathlib import Path

from click.testing import CliRunner

from tui.cli import cli
from tui.core.store.catalogue import Catalogue

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "verification-round.md"
LOOP = re.compile(r"^for (\w+) in (.+); do$")

# A row the doc's import step brings back signed, as a counsellor would after phoning.
SIGNED = "hk-rumoi-shinkokyoku-hogo"


def sh_blocks(text: str) -> list[list[str]]:
    return [block.splitlines() for block in re.findall(r"```sh\n(.*?)```", text, re.S)]


def commands(text: str) -> list[list[str]]:
    """Every command of the doc's sh blocks, a `for` loop expanded once per item."""
    out: list[list[str]] = []
    for block in sh_blocks(text):
        lines = iter(block)
        for line in lines:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            loop = LOOP.match(line)
            if loop:
                var, items = loop.group(1), shlex.split(loop.group(2))
                body = []
                for inner in lines:
                    if inner.strip() == "done":
                        break
                    body.append(inner.strip())
                for item in items:
                    out.extend(shlex.split(b.replace(f'"${var}"', shlex.quote(item)).replace(f"${var}", item))
                               for b in body)
                continue
            out.append(shlex.split(line))
    return out


def subprefectures() -> list[str]:
    with open(ROOT / "seed" / "subprefectures.csv", encoding="utf-8", newline="") as f:
        return [row["name"] for row in csv.DictReader(f)]


def sign(worksheet: Path, resource_id: str) -> None:
    with open(worksheet, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    head = rows[0]
    for row in rows[1:]:
        if row[0] == resource_id:
            row[head.index("確認した日")] = "2026-12-08"
            row[head.index("確認者")] = "テスト"
            row[head.index("確認方法")] = "電話で確認"
    with open(worksheet, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)


def test_the_doc_names_the_round_and_every_subprefecture():
    text = DOC.read_text(encoding="utf-8")
    run = commands(text)
    used = {(c[1], flag) for c in run if c[0] == "tsunagu" for flag in [None, *c[2:]]}
    for needed in [("stale", "--export"), ("letter", "--area"), ("letter", "--out"), ("import", "--dry-run"),
                   ("import", None), ("verify", "--how"), ("edit", "--set")]:
        assert needed in used, f"the doc no longer shows `tsunagu {needed[0]} {needed[1] or ''}`"
    looped = {c[c.index("--area") + 1] for c in run if c[:2] == ["tsunagu", "stale"] and "--export" in c}
    assert set(subprefectures()) <= looped, "the loop must cover all 14 subprefectures"
    assert text.index("# Verification round") > text.index("## 1. 練習はコピーで"), "Japanese first, English after"


def test_every_command_in_the_doc_runs_on_a_copy(tmp_path, monkeypatch):
    monkeypatch.setenv("TSUNAGU_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("TSUNAGU_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    shipped = hashlib.sha256((ROOT / "resources.db").read_bytes()).hexdigest()
    live = tmp_path / "本番.db"
    shutil.copyfile(ROOT / "resources.db", live)
    run = commands(DOC.read_text(encoding="utf-8"))
    assert len(run) >= 30
    for command in run:
        if command[0] == "cp":
            assert command[1] == "resources.db", command
            shutil.copyfile(ROOT / "resources.db", tmp_path / command[2])
            continue
        assert command[0] == "tsunagu", f"the doc runs {command[0]!r}, which this test cannot check"
        args = command[1:]
        if "--db" not in args:
            args += ["--db", str(live)]  # the doc's own catalogue: a copy, never the shipped file
        if args[0] == "import" and "--dry-run" not in args:
            sign(tmp_path / args[1], SIGNED)
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, f"tsunagu {shlex.join(args)}\n{result.output}"
    for name in subprefectures():
        assert (tmp_path / f"確認表-{name}.xlsx").stat().st_size > 0
        assert list((tmp_path / f"手紙-{name}").glob("letter-*.html")), name
    with Catalogue.open(live) as catalogue:
        assert catalogue.get(SIGNED).last_verified == "2026-12-08"
    with Catalogue.open(tmp_path / "練習.db") as practice:
        assert practice.get("hk-mashike-yakuba-fukushi").last_verified
        assert practice.get("hk-teshio-shakai-fukushi-shutchojo").last_verified
    due = CliRunner().invoke(cli, ["stale", "--area", "留萌", "--json", "--db", str(live)])
    assert SIGNED not in due.output
    assert hashlib.sha256((ROOT / "resources.db").read_bytes()).hexdigest() == shipped, "the shipped file was written"
