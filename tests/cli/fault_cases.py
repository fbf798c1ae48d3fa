"""Every fault issue 13 lists, as a case: how to cause it, the exit code, what the message
must say — and, for each, whether anything on disk changed.

``tests/cli/test_faults.py`` runs these; ``python -m tests.cli.fault_cases`` prints the
fault table (case, exit code, message, unchanged). Faults the test machine cannot cause
for real (a permission refused to root, a full disk) are injected: ``os.access`` or
``tempfile.mkstemp`` patched, or ``TSUNAGU_FAULT=disk-full`` (``tui/core/files.py``).
"""

from __future__ import annotations

import hashlib
import io
import os
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from contextlib import redirect_stderr
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from tui.cli import cli
from tui.core.models import Resource
from tui.core.store.catalogue import Catalogue

Prepare = Callable[[Path, pytest.MonkeyPatch], None]


@dataclass(frozen=True)
class Case:
    name: str
    args: Callable[[Path], list[str]]
    code: int
    says: str  # a fragment the message must hold
    prepare: Prepare = field(default=lambda root, mp: None)
    app: bool = False  # run the app's entry point instead of a command
    changes: bool = False  # this case is expected to change something (said in the table)


def _db(root: Path) -> list[str]:
    return ["--db", str(root / "c.db")]


def _damage(how: str) -> Prepare:
    def prepare(root: Path, mp: pytest.MonkeyPatch) -> None:
        path = root / "c.db"
        data = path.read_bytes()
        if how == "truncated":
            path.write_bytes(data[: len(data) // 2])
        elif how == "junk header":
            path.write_bytes(b"NOT A DATABASE!!" + data[16:])
        elif how == "random bytes":
            path.write_bytes(os.urandom(8192))
        elif how == "zero bytes":
            path.write_bytes(b"")

    return prepare


def _damage_log(root: Path, mp: pytest.MonkeyPatch) -> None:
    log = root / "home" / "referrals.db"
    log.write_bytes(b"junk" * 1000)


def _zero_log(root: Path, mp: pytest.MonkeyPatch) -> None:
    (root / "home" / "referrals.db").write_bytes(b"")


def _read_only_folder(root: Path, mp: pytest.MonkeyPatch) -> None:
    real = os.access
    folder = str(root)

    def access(path, mode, **kwargs) -> bool:  # as for a user who may not write there (tests run as root)
        if mode & os.W_OK and os.path.abspath(path).startswith(folder) and "home" not in str(path):
            return False
        return real(path, mode, **kwargs)

    mp.setattr(os, "access", access)


def _unwritable_home(root: Path, mp: pytest.MonkeyPatch) -> None:
    import tui.core.referrals.log
    import tui.paths

    (root / "home" / "referrals.db").unlink()

    def refuse(path: Path) -> Path:
        raise PermissionError(13, "Permission denied", str(path))

    mp.setattr(tui.paths, "ensure_private_dir", refuse)
    mp.setattr(tui.core.referrals.log, "ensure_private_dir", refuse)  # the log's folder, made where it is opened


def _disk_full(root: Path, mp: pytest.MonkeyPatch) -> None:
    mp.setenv("TSUNAGU_FAULT", "disk-full")


def _write(name: str, content: str | bytes) -> Prepare:
    def prepare(root: Path, mp: pytest.MonkeyPatch) -> None:
        path = root / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))

    return prepare


def _rejected_unwritable(root: Path, mp: pytest.MonkeyPatch) -> None:
    import tui.core.loading.rejected

    _write("mixed.csv", "name,area\n新しい窓口,釧路市\n壊れた行,釧路氏\n")(root, mp)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(root))

    mp.setattr(tui.core.loading.rejected.tempfile, "mkstemp", refuse)


def _locked_folder(root: Path, mp: pytest.MonkeyPatch) -> None:
    """``root/locked`` refuses new files and folders, as for a user who may not write there (tests run as root).

    The refusal is at ``tempfile.mkstemp`` and ``Path.mkdir``: every file Tsunagu writes goes
    through ``files.atomic_write`` (a temporary file beside the target), so a writer that
    bypasses it shows here as a file written into the locked folder."""
    import pathlib

    locked = root / "locked"
    locked.mkdir()
    real_mkstemp, real_mkdir, real_access = tempfile.mkstemp, pathlib.Path.mkdir, os.access

    def inside(path: object) -> bool:
        return os.path.abspath(str(path)).startswith(str(locked))

    def mkstemp(*args, dir=None, **kwargs):
        if dir is not None and inside(dir):
            raise PermissionError(13, "Permission denied", str(dir))
        return real_mkstemp(*args, dir=dir, **kwargs)

    def mkdir(self, *args, **kwargs):
        if inside(self) and not self.exists():
            raise PermissionError(13, "Permission denied", str(self))
        return real_mkdir(self, *args, **kwargs)

    def access(path, mode, **kwargs) -> bool:
        return not (mode & os.W_OK and inside(path)) and real_access(path, mode, **kwargs)

    mp.setattr(tempfile, "mkstemp", mkstemp)
    mp.setattr(pathlib.Path, "mkdir", mkdir)
    mp.setattr(os, "access", access)


def _cut_package(root: Path, mp: pytest.MonkeyPatch) -> None:
    """An HSDS package whose services.csv was cut short in its last row (a copy that stopped)."""
    from tui.core.sharing.folder import export_folder

    with Catalogue.open(root / "c.db") as catalogue:
        export_folder(catalogue, root / "pkg")
    services = root / "pkg" / "services.csv"
    services.write_bytes(services.read_bytes()[:-40])


def _duplicate_in_package(root: Path, mp: pytest.MonkeyPatch) -> None:
    """An HSDS package whose services.csv holds one row twice (two offices' files pasted together)."""
    from tui.core.sharing.folder import export_folder

    with Catalogue.open(root / "c.db") as catalogue:
        export_folder(catalogue, root / "pkg")
    services = root / "pkg" / "services.csv"
    lines = services.read_bytes().splitlines(keepends=True)
    services.write_bytes(b"".join([*lines, lines[1]]))


def _cut_bundle(root: Path, mp: pytest.MonkeyPatch) -> None:
    """A bundle (another office's, off a USB stick) cut short in its pack, as a copy that stopped."""
    from tui.core.sharing.sync import sync

    with Catalogue.open(root / "other.db") as other:
        other.write([Resource(id=f"o-{n}", name=f"別の事務所の窓口{n}", needs=("food",), area="01206") for n in range(20)])
        sync(other, author="other <>", bundle_out=root / "whole.bundle")
    with Catalogue.open(root / "c.db") as catalogue:  # this office has shared before (its sync folder exists)
        sync(catalogue, author="here <>", bundle_out=root / "out" / "ours.bundle")
    data = (root / "whole.bundle").read_bytes()
    (root / "cut.bundle").write_bytes(data[: len(data) * 2 // 3])


def _conflict_and_disk_full(root: Path, mp: pytest.MonkeyPatch) -> None:
    """An open conflict on t-1's hours (as a sync leaves one), then a full disk."""
    conn = sqlite3.connect(root / "c.db")
    with conn:
        conn.execute("INSERT INTO sync_conflicts(resource_id, field, mine, theirs, base, by, at) VALUES (?,?,?,?,?,?,?)",
                     ("t-1", "hours", "", "土日", "", "別の事務所", "2026-05-01T10:00"))
    conn.close()
    _disk_full(root, mp)


def _db_env_folder(root: Path, mp: pytest.MonkeyPatch) -> None:
    mp.setenv("TSUNAGU_DB", str(root / "home"))


CASES: list[Case] = [
    *(Case(f"catalogue {how}: {cmd[0]}", lambda r, cmd=cmd: [*cmd, *_db(r)], 1, "壊れています", _damage(how))
      for how in ("truncated", "junk header", "random bytes", "zero bytes")
      for cmd in (["search", "テスト"], ["import", "new.csv"], ["export", "out.csv"], ["refer", "t-1"],
                  ["referrals"], ["handout", "--case", "C-1"], ["areas"], ["needs"])
      if how == "truncated" or cmd[0] in ("search", "import")),
    *(Case(f"catalogue {how}: app start", lambda r: _db(r), 1, "壊れています", _damage(how), app=True)
      for how in ("truncated", "junk header", "random bytes", "zero bytes")),
    *(Case(f"referrals.db corrupt: {cmd[0]}", lambda r, cmd=cmd: [*cmd, *_db(r)], 1, "紹介記録", _damage_log)
      for cmd in (["refer", "t-1", "--case", "C-1"], ["referrals"], ["handout", "--case", "C-1"])),
    Case("referrals.db corrupt: referral-status", lambda r: ["referral-status", "1", "used"], 1, "紹介記録", _damage_log),
    Case("referrals.db zero bytes: refer", lambda r: ["refer", "t-1", *_db(r)], 1, "0 バイト", _zero_log),
    Case("catalogue in a read-only folder: import", lambda r: ["import", str(r / "new.csv"), *_db(r)], 1, "読み取り専用",
         _read_only_folder),
    Case("catalogue in a read-only folder: search still works", lambda r: ["search", "テスト", *_db(r)], 0, "テスト食料庫",
         _read_only_folder),
    *(Case(f"unwritable data folder: {cmd[0]}", lambda r, cmd=cmd: [*cmd, *_db(r)], 1, "権限", _unwritable_home)
      for cmd in (["refer", "t-1", "--case", "C-1"], ["referrals"], ["handout", "--case", "C-1"])),
    Case("disk full: refer (logged; case note not written, no 0-byte file)",
         lambda r: ["refer", "t-1", "--case", "C-9", *_db(r)], 0, "ケースメモに書けませんでした", _disk_full, changes=True),
    Case("disk full: export", lambda r: ["export", str(r / "out.csv"), *_db(r)], 1, "ディスクがいっぱい", _disk_full),
    Case("disk full: referrals --export", lambda r: ["referrals", "--export", str(r / "log.csv"), *_db(r)], 1,
         "ディスクがいっぱい", _disk_full),
    Case("disk full: handout", lambda r: ["handout", "--case", "C-1", "--out", str(r), *_db(r)], 1, "ディスクがいっぱい",
         _disk_full),
    Case("disk full in the backups folder: import", lambda r: ["import", str(r / "new.csv"), *_db(r)], 1, "backups",
         _disk_full),
    Case("CSV cell over 128 KiB", lambda r: ["import", str(r / "big.csv"), *_db(r)], 1, "長すぎます",
         _write("big.csv", "name,description\n大きい," + "あ" * (130 * 1024) + "\n")),
    Case("CSV unterminated quote", lambda r: ["import", str(r / "q.csv"), *_db(r)], 1, "引用符",
         _write("q.csv", 'name,hours\n一つ目,平日\n"二つ目,平日\n三つ目,平日\n')),
    Case("UTF-8 CSV with a stray byte", lambda r: ["import", str(r / "s.csv"), *_db(r)], 1, "UTF-8 ですが",
         _write("s.csv", ("name,hours\n" + "釧路の窓口,平日\n" * 20).encode() + b"\xff\n")),
    Case("JSON lone surrogate", lambda r: ["import", str(r / "s.json"), *_db(r)], 1, "サロゲート",
         _write("s.json", '[{"name": "\\ud800"}]')),
    Case("JSON nested too deeply", lambda r: ["import", str(r / "d.json"), *_db(r)], 1, "入れ子",
         _write("d.json", "[" * 100_000 + "]" * 100_000)),
    Case("JSON object as a name", lambda r: ["import", str(r / "o.json"), *_db(r)], 1, "オブジェクト",
         _write("o.json", '[{"name": {"a": 1}, "area": "釧路市"}]')),
    Case("verification date in 2062", lambda r: ["import", str(r / "f.csv"), *_db(r)], 1, "未来",
         _write("f.csv", "name,last_verified\n未来の窓口,2062-04-01\n")),
    Case("invalid UTF-8 in --note", lambda r: ["refer", "t-1", "--case", "C-1", "--note", "a\udcff", *_db(r)], 2,
         "UTF-8"),
    Case("invalid UTF-8 in an id", lambda r: ["refer", "t-\udcff", *_db(r)], 2, "UTF-8"),
    Case("TSUNAGU_DB names a folder", lambda r: ["search", "テスト"], 2, "フォルダ", _db_env_folder),
    Case("--follow-up +99999999", lambda r: ["referral-status", "1", "used", "--follow-up", "+99999999"], 2,
         "大きすぎ"),
    Case("--skip-invalid, rejected file cannot be written",
         lambda r: ["import", str(r / "mixed.csv"), "--skip-invalid", *_db(r)], 1, "除外した行を書き出せません",
         _rejected_unwritable),
    Case("rebuild over an imported catalogue without --force", lambda r: ["rebuild", "--out", str(r / "c.db")], 1,
         "--force"),
    Case("case reference that is a name (yamada)", lambda r: ["refer", "t-1", "--case", "yamada", *_db(r)], 2,
         "氏名"),
    Case("case reference that is a name (YAMADA-TARO)", lambda r: ["refer", "t-1", "--case", "YAMADA-TARO", *_db(r)],
         2, "氏名"),
]


# Issues 9, 10, 11 and 14's commands (upkeep, sharing, coverage, charts, HSDS) under the same faults.
_NEW_COMMANDS: list[list[str]] = [
    ["edit", "t-1", "--set", "hours=平日"], ["verify", "t-1"], ["history", "t-1"], ["stale"],
    ["stale", "--export", "due.csv"], ["letter", "--area", "釧路市"], ["coverage"], ["coverage", "--out", "cov.html"],
    ["sync", "--remote", "shared.git"], ["conflicts"], ["export", "hsds", "--format", "hsds"],
]
# What each writes, for the unwritable-folder and full-disk cases: (name, args under FOLDER).
_NEW_FILES: list[tuple[str, list[str]]] = [
    ("stale --export csv", ["stale", "--export", "FOLDER/due.csv"]),
    ("stale --export xlsx", ["stale", "--export", "FOLDER/due.xlsx"]),
    ("letter", ["letter", "--area", "釧路市", "--out", "FOLDER"]),
    ("letter into a new folder", ["letter", "--area", "釧路市", "--out", "FOLDER/letters"]),
    *((f"coverage --out {kind}", ["coverage", "--out", f"FOLDER/cov.{kind}"]) for kind in ("csv", "xlsx", "json", "html")),
    ("coverage --out table", ["coverage", "--format", "table", "--out", "FOLDER/cov.txt"]),
    ("referrals --chart --format html --out", ["referrals", "--chart", "--format", "html", "--out", "FOLDER/chart.html"]),
    ("export DIR --format hsds", ["export", "FOLDER", "--format", "hsds"]),
    ("export DIR --format hsds-json", ["export", "FOLDER", "--format", "hsds-json"]),
]


def _in(folder: str, args: list[str]) -> Callable[[Path], list[str]]:
    return lambda r: [a.replace("FOLDER", str(r / folder)) for a in args] + _db(r)


CASES += [
    *(Case(f"catalogue {how}: {' '.join(cmd[:3])}", lambda r, cmd=cmd: [*cmd, *_db(r)], 1, "壊れています", _damage(how))
      for how in ("truncated", "zero bytes") for cmd in _NEW_COMMANDS),
    *(Case(f"catalogue in a read-only folder: {cmd[0]}", lambda r, cmd=cmd: [*cmd, *_db(r)], 1, "読み取り専用",
           _read_only_folder) for cmd in (["edit", "t-1", "--set", "hours=平日"], ["verify", "t-1"])),
    *(Case(f"catalogue in a read-only folder: {cmd[0]} still works", lambda r, cmd=cmd: [*cmd, *_db(r)], 0, says,
           _read_only_folder)
      for cmd, says in ((["history", "t-1"], "テスト食料庫"), (["stale"], "テスト食料庫"), (["coverage"], "釧路"),
                        (["conflicts"], "競合はありません"))),
    *(Case(f"unwritable folder: {name}", _in("locked", args), 1, "権限", _locked_folder) for name, args in _NEW_FILES),
    *(Case(f"disk full: {name}", _in("out", args), 1, "ディスクがいっぱい", _disk_full) for name, args in _NEW_FILES),
    Case("catalogue in a read-only folder: sync", lambda r: ["sync", "--remote", str(r / "shared.git"), *_db(r)], 1,
         "読み取り専用", _read_only_folder),
    Case("unwritable folder: sync --bundle-out", lambda r: ["sync", "--bundle-out", str(r / "locked" / "b.bundle"),
                                                            *_db(r)], 1, "権限", _locked_folder),
    Case("disk full: sync --bundle-out (no bundle; the local sync repository keeps the commit, sent again next time)",
         lambda r: ["sync", "--bundle-out", str(r / "out" / "b.bundle"), *_db(r)], 1, "ディスクがいっぱい", _disk_full,
         changes=True),
    Case("disk full: conflicts --take theirs", lambda r: ["conflicts", "--take", "theirs", "t-1", "hours", *_db(r)], 1,
         "ディスクがいっぱい", _conflict_and_disk_full),
    Case("HSDS package with services.csv cut short: import DIR", lambda r: ["import", str(r / "pkg"), *_db(r)], 1,
         "途中で切れて", _cut_package),
    *(Case(f"missing folder: {' '.join(args[:2])}", lambda r, args=args, name=name: [*args, str(r / "no" / name), *_db(r)], 2,
           "フォルダがありません")
      for args, name in ((["stale", "--export"], "due.csv"), (["coverage", "--out"], "c.html"),
                         (["referrals", "--chart", "--format", "html", "--out"], "c.html"))),
    Case("HSDS package with one resource's row twice: import DIR (issue 19 #10)",
         lambda r: ["import", str(r / "pkg"), *_db(r)], 1, "行目と同じです", _duplicate_in_package),
    Case("bundle cut short: sync --bundle-in (issue 19 #9)", lambda r: ["sync", "--bundle-in", str(r / "cut.bundle"),
                                                                        *_db(r)], 1, "途中で切れて", _cut_bundle),
    Case("disk full: edit", lambda r: ["edit", "t-1", "--set", "hours=平日", *_db(r)], 1, "ディスクがいっぱい", _disk_full),
    Case("disk full: verify", lambda r: ["verify", "t-1", *_db(r)], 1, "ディスクがいっぱい", _disk_full),
]


# Issue 19: what another office (or another tool, or another project) may push to the shared repository.
def _shared(change: Callable[[dict[str, bytes]], dict[str, bytes]] | None = None,
            entries: Callable[[dict[str, bytes]], list[tuple[str, int, bytes]]] | None = None) -> Prepare:
    """``root/shared.git`` holding the world's catalogue as a package (t-1's cost changed there, a valid
    change), then ``change(files)`` applied to it, or a tree of exactly ``entries(files)``."""
    def prepare(root: Path, mp: pytest.MonkeyPatch) -> None:
        from dulwich.objects import Blob, Tree
        from dulwich.repo import Repo

        from tui.core.sharing import gitstore
        from tui.core.sharing.hsds import build_package
        from tui.core.sharing.sync import places, terms

        with Catalogue.open(root / "c.db") as catalogue:
            changed = [r.replace(cost="無料（先方）") if r.id == "t-1" else r for r in catalogue.resources()]
            files = build_package(changed, terms(catalogue), places(catalogue))
        if change:
            files = change(files)
        repo = Repo.init_bare(str(root / "shared.git"), mkdir=True)
        tree = Tree()
        for name, mode, data in (entries(files) if entries else [(n, 0o100644, d) for n, d in files.items()]):
            blob = Blob.from_string(data)
            repo.object_store.add_object(blob)
            if mode == 0o040000:
                inner = Tree()
                inner.add(b"x", 0o100644, blob.id)
                repo.object_store.add_object(inner)
                blob = inner
            tree.add(name.encode(), mode, blob.id)
        repo.object_store.add_object(tree)
        gitstore.set_ref(repo, gitstore.MAIN, gitstore.write_commit(repo, tree.id.decode(), [], "other <>", "pushed"))
        repo.close()

    return prepare


def _t2_row(change: Callable[[bytes], bytes]) -> Callable[[dict[str, bytes]], dict[str, bytes]]:
    """services.csv with t-2's row (its last line, by sort order or not) rewritten by ``change``."""
    from tui.core.sharing.hsds import uid

    def apply(files: dict[str, bytes]) -> dict[str, bytes]:
        lines = files["services.csv"].split(b"\n")
        at = next(n for n, line in enumerate(lines) if line.startswith(uid("t-2").encode()))
        lines[at] = change(lines[at])
        return {**files, "services.csv": b"\n".join(lines)}

    return apply


def _cell(value: bytes) -> Callable[[bytes], bytes]:
    return lambda line: line.replace("テスト相談窓口".encode(), value, 1)


def _sync(r: Path) -> list[str]:
    return ["sync", "--remote", str(r / "shared.git"), *_db(r)]


_KEPT_OUT = "受け取らなかった行"
CASES += [
    Case("sync: a received row with a 10 MB cell (kept out, named; t-1's valid change applied)", _sync, 0, "セルが長すぎます",
         _shared(_t2_row(_cell("あ".encode() * 3_500_000))), changes=True),
    Case("sync: a received row with invalid UTF-8 (kept out, named)", _sync, 0, "UTF-8",
         _shared(_t2_row(_cell(b"\xff\xfe"))), changes=True),
    Case("sync: services.csv cut short in a row (kept out, named)", _sync, 0, "途中で切れて",
         _shared(_t2_row(lambda line: line[:60])), changes=True),
    Case("sync: a received row with an unknown area (kept out, named)", _sync, 0, "tsunagu_area",
         _shared(_t2_row(lambda line: line.replace(b",01206,", b",nowhere,", 1))), changes=True),
    Case("sync: a received row with status bogus (kept out, named)", _sync, 0, "bogus",
         _shared(_t2_row(lambda line: line.replace(b",active,", b",bogus,", 1))), changes=True),
    *(Case(f"sync: services.csv as a {kind} in the shared repository (refused by name; only the local sync "
           "repository holds what was fetched)", _sync, 1, kind,
           _shared(entries=lambda files, mode=mode: [(n, mode if n == "services.csv" else 0o100644, d)
                                                     for n, d in files.items()]), changes=True)
      for kind, mode in (("symlink", 0o120000), ("folder", 0o040000))),
    Case("sync: another project's repository (refused before anything is written to it or the catalogue)", _sync, 1,
         "つなぐのパッケージではありません",
         _shared(entries=lambda files: [("README.md", 0o100644, b"# another project"), ("main.py", 0o100644, b"")]),
         changes=True),
    Case("sync --remote ftp://", lambda r: ["sync", "--remote", "ftp://example.org/shared.git", *_db(r)], 2, "ftp://"),
]


def world(root: Path) -> None:
    """A catalogue with two resources and a referral log with one row."""
    (root / "home").mkdir(parents=True)
    (root / "out").mkdir()
    (root / "new.csv").write_text("name,area\n新しい窓口,釧路市\n")
    with Catalogue.open(root / "c.db") as catalogue:
        catalogue.write([
            Resource(id="t-1", name="テスト食料庫", organization="テスト法人", needs=("food",), area="01206",
                     phone="0154-00-0001"),
            Resource(id="t-2", name="テスト相談窓口", needs=("consultation",), area="01206"),
        ])
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TSUNAGU_HOME", str(root / "home"))
        CliRunner().invoke(cli, ["refer", "t-1", "--case", "C-1", *_db(root)], catch_exceptions=False)


def state(root: Path) -> dict[str, str]:
    """What is on disk: each file's content (a database as its rows), SQLite's side files left out."""
    out = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name.endswith(("-wal", "-shm")):
            continue
        data = path.read_bytes()
        if data.startswith(b"SQLite format 3"):
            try:
                conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
                data = "\n".join(conn.iterdump()).encode()
                conn.close()
            except sqlite3.Error:
                pass
        out[str(path.relative_to(root))] = hashlib.sha1(data).hexdigest()
    return out


def run(case: Case, root: Path) -> tuple[int, str, bool]:
    """Exit code, message, and whether everything on disk is as it was."""
    world(root)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TSUNAGU_HOME", str(root / "home"))
        mp.delenv("TSUNAGU_DB", raising=False)
        mp.delenv("TSUNAGU_FAULT", raising=False)
        mp.chdir(root)
        case.prepare(root, mp)
        before = state(root)
        if case.app:
            from tui.ui.app import run as run_app

            err = io.StringIO()
            with redirect_stderr(err):
                code = run_app(db=case.args(root)[1], lang="ja")
            output = err.getvalue()
        else:
            result = CliRunner().invoke(cli, case.args(root))
            code, output = result.exit_code, result.output
            if result.exception and not isinstance(result.exception, SystemExit):
                output += f"\nTRACEBACK {type(result.exception).__name__}: {result.exception}"
        mp.delenv("TSUNAGU_FAULT", raising=False)
        after = state(root)
    # git's own repositories (the sync one, a shared one) hold empty files by design (info/exclude)
    leftovers = [p for p in root.rglob("*") if p.is_file() and not p.name.endswith(("-wal", "-shm"))
                 and not any(part.endswith((".sync", ".git")) for part in p.relative_to(root).parts)
                 and (p.stat().st_size == 0 and p.suffix != ".db" or ".partial" in p.name)]
    return code, output + "".join(f"\nLEFT OVER {p}" for p in leftovers), before == after


def main() -> None:
    print("| case | exit | message (first line, cut) | nothing changed |")
    print("|---|---:|---|---|")
    for case in CASES:
        with tempfile.TemporaryDirectory() as folder:
            code, output, unchanged = run(case, Path(folder))
        line = next((x for x in output.splitlines() if case.says in x), output.strip().splitlines()[0] if output else "")
        line = line.replace(folder, "…").replace("|", "/")
        ok = "✓" if code == case.code and case.says in output else "✗"
        said = "yes" if unchanged else ("no: as the case says (intended)" if case.changes else "NO")
        print(f"| {ok} {case.name} | {code} | {line[:150]} | {said} |")


if __name__ == "__main__":
    sys.exit(main())
