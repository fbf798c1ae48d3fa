"""Issue 13, part 4: every fault is a message and an exit code, never a traceback, and
nothing on disk changes (the cases and the fault table are in ``fault_cases.py``)."""

from __future__ import annotations

import pytest

from .fault_cases import CASES, run


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_fault_is_a_message_and_changes_nothing(case, tmp_path):
    code, output, unchanged = run(case, tmp_path)
    assert "Traceback" not in output and "TRACEBACK" not in output, output
    assert "LEFT OVER" not in output, output
    assert case.says in output, output
    assert code == case.code, output
    assert unchanged or case.changes, output


def test_many_warnings_are_summarised(tmp_path):
    from click.testing import CliRunner

    from tui.cli import cli

    extra = [f"memo{i}" for i in range(25)]
    path = tmp_path / "wide.csv"
    path.write_text("name,area," + ",".join(extra) + "\n窓口,釧路市," + ",".join("x" for _ in extra) + "\n")
    result = CliRunner().invoke(cli, ["import", str(path), "--db", str(tmp_path / "c.db")])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("注意 (warning)")]
    assert len(warnings) == 21 and "他 5 件" in warnings[-1] and "25" in warnings[-1]
    assert result.output.count("wide.csv 1行目") == 20  # the file is named once per line, never twice


def test_an_unhandled_fault_in_the_app_ends_with_a_message(tmp_path):
    from tui.faults import describe

    fault = describe(RuntimeError("boom"), "en")
    assert "boom" in fault.text and "nothing was changed" in fault.text and fault.code == 1
    assert describe(OSError(28, "No space left on device", "/x/out.csv"), "ja").text.startswith("ディスクがいっぱい")


@pytest.mark.parametrize("args", [["export", "OUT", "--format", "hsds"], ["letter", "--area", "釧路市", "--out", "OUT"],
                                  ["handout", "--case", "C-1", "--out", "OUT"]])
def test_files_that_belong_together_are_all_written_or_none(args, tmp_path, monkeypatch):
    """A full disk at the second file of a package, letters or a handout leaves the first as it was."""
    import errno

    from click.testing import CliRunner

    import tui.core.files
    from tui.cli import cli

    from .fault_cases import state, world

    world(tmp_path)
    monkeypatch.setenv("TSUNAGU_HOME", str(tmp_path / "home"))
    command = [a.replace("OUT", str(tmp_path / "out")) for a in args] + ["--db", str(tmp_path / "c.db")]
    runner = CliRunner()
    assert runner.invoke(cli, command).exit_code == 0
    assert runner.invoke(cli, ["edit", "t-1", "--set", "name=テスト食料庫（新）", "--db", str(tmp_path / "c.db")]).exit_code == 0
    before = state(tmp_path / "out")
    calls = []

    def full_at_the_second(point: str) -> None:
        calls.append(point)
        if point == "disk-full" and calls.count("disk-full") == 2:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tui.core.files, "fault", full_at_the_second)
    result = runner.invoke(cli, command)
    assert result.exit_code == 1 and "ディスクがいっぱい" in result.output, result.output
    assert state(tmp_path / "out") == before
    assert not [p for p in (tmp_path / "out").rglob("*") if ".partial" in p.name]


@pytest.mark.parametrize(("args", "japanese", "english"), [
    (["--bogus"], "そのオプションはありません", "No such option"),
    (["search", "くしろ", "--limit", "x"], "値が正しくありません", "Invalid value for '--limit'"),
    (["--lang", "fr", "needs"], "値が正しくありません", "'fr' is not one of"),
    (["edit", "r-1"], "足りません", "Missing option '--set'"),
    (["import"], "足りません", "Missing argument 'FILES...'"),
    (["needs", "extra"], "使い方が違います", "unexpected extra argument"),
    (["serch", "くしろ"], "使い方が違います", "No such command"),
])
def test_click_usage_errors_say_what_is_wrong_in_japanese_first(args, japanese, english, tmp_path):
    """A wrong flag or a missing argument is click's own message, in English only: say it in Japanese first."""
    from click.testing import CliRunner

    from tui.cli import cli

    result = CliRunner().invoke(cli, [*args, "--db", str(tmp_path / "c.db")] if args[0] != "--bogus" else args)
    assert result.exit_code == 2, result.output
    first, *rest = result.stderr.splitlines()
    assert first.startswith("tsunagu: ") and japanese in first, result.stderr
    assert "--help" in first and english in "\n".join(rest)  # click's usage and its own words follow
