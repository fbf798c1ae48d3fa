"""Does a received package conform to HSDS 3.0? Checked before anything is written.

``import DIR``, ``sync`` and ``sync --bundle-in`` receive a package written elsewhere (another
office, another tool). Before any of it is read into the catalogue it is held against the
HSDS 3.0 schemas vendored in ``hsds_schema/`` (CC BY-SA 4.0, see its README): a descriptor
that is a tabular data package, the HSDS objects Tsunagu reads (organization, service) among
its resources, each HSDS resource at the path HSDS gives it, its CSV present with every
column HSDS requires in its header, and no blank required cell. Every departure is one
``Problem`` naming the file, the row and the column; none of this reads or writes the
catalogue. Extra resources and extra columns (``tsunagu_*`` and other tools' own) conform.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().with_name("hsds_schema")
DESCRIPTOR = "datapackage.json"
NEEDED = ("organization", "service")  # the objects a catalogue is read from
MAX_ROW_PROBLEMS = 50  # per file: a wholly wrong file is named, not listed row by row


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    message: str  # what is wrong and the fix, Japanese first
    row: int | None = None  # as a spreadsheet shows it: the header is row 1
    column: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" {self.row}行目 (row {self.row})"
        if self.column:
            where += f" [{self.column}]"
        return f"{where}: {self.message}"


class NotConforming(ValueError):
    """A received package departs from HSDS 3.0: refused before anything is written."""

    SHOWN = 20

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = [str(p) for p in problems[: self.SHOWN]]
        if len(problems) > self.SHOWN:
            lines.append(f"… 他 {len(problems) - self.SHOWN} 件 (and {len(problems) - self.SHOWN} more)")
        super().__init__(f"HSDS 3.0 に合っていません (does not conform to HSDS 3.0: {len(problems)} problems) — "
                         "何も書き込んでいません (nothing written)\n" + "\n".join(lines))


def conform(files: Mapping[str, bytes], unchanged: Collection[str] = (), *, rows: bool = True) -> None:
    """Raise ``NotConforming`` naming every problem of the package ``files``, if any.

    ``rows=False`` (a sync) checks the package's shape only — descriptor, files, headers — and
    leaves the rows to the import's row rules, which keep a bad row out and apply the others:
    one bad row from another office never stops the rest (issue 19).
    """
    problems = check_files(files, unchanged, rows=rows)
    if problems:
        raise NotConforming(problems)


@cache
def hsds_resources() -> dict[str, dict]:
    """The HSDS 3.0 descriptor's resources by name (the vendored ``datapackage.json``)."""
    with open(SCHEMA_DIR / DESCRIPTOR, encoding="utf-8") as f:
        return {r["name"]: r for r in json.load(f)["resources"]}


def required_fields(name: str) -> list[str]:
    fields = hsds_resources()[name]["schema"]["fields"]
    return [f["name"] for f in fields if f.get("constraints", {}).get("required")]


def check_package(path: Path) -> list[Problem]:
    """Check the package in folder ``path`` (or at ``path`` naming its ``datapackage.json``)."""
    folder = path.parent if path.name == DESCRIPTOR else path
    if not folder.is_dir():
        return [
            Problem(
                str(folder),
                "フォルダがありません (no such folder) — HSDS パッケージのフォルダを指定してください "
                "(name the package's folder)",
            )
        ]
    files = {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and p.suffix in (".csv", ".json")}
    return check_files(files)


def check_files(files: Mapping[str, bytes], unchanged: Collection[str] = (), *, rows: bool = True) -> list[Problem]:
    """Check a package given as ``{file name: bytes}`` (a folder's files, or a commit's tree).

    ``unchanged`` names CSVs known to be as they were in a package already accepted (a sync's
    merge base): they are not read again, so a sync reads only what changed.
    """
    if DESCRIPTOR not in files:
        return [Problem(DESCRIPTOR, "ありません (missing): HSDS パッケージには記述ファイルが要ります "
                                    "(an HSDS tabular data package has a datapackage.json)")]
    try:
        descriptor = json.loads(files[DESCRIPTOR].decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        return [
            Problem(
                DESCRIPTOR,
                f"JSON として読めません (not valid JSON: {e}) — 書き出したツールで作り直してください (export it again)",
            )
        ]
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        return [
            Problem(
                DESCRIPTOR,
                'resources の一覧がありません (no "resources" list): データパッケージの記述ではありません '
                "(not a data package descriptor)",
            )
        ]
    problems: list[Problem] = []
    listed: dict[str, dict] = {}
    for number, resource in enumerate(descriptor["resources"], 1):
        if not isinstance(resource, dict) or not isinstance(resource.get("name"), str) \
                or not isinstance(resource.get("path"), str):
            problems.append(Problem(DESCRIPTOR, f"resources の {number} 番目に name か path がありません "
                                                f"(resource {number} has no name or path)"))
            continue
        listed[resource["name"]] = resource
    for name in NEEDED:
        if name not in listed:
            problems.append(Problem(DESCRIPTOR, f"HSDS の {name} がありません (no \"{name}\" resource): "
                                                f"{hsds_resources()[name]['path']} を含むパッケージにしてください"))
    for name, resource in listed.items():
        if name not in hsds_resources():
            continue  # another tool's own table: kept out of the check, as extra columns are
        if resource["path"] in unchanged and resource["path"] == hsds_resources()[name]["path"]:
            continue
        problems += _check_resource(name, resource, files, rows)
    return problems


def _check_resource(name: str, resource: dict, files: Mapping[str, bytes], rows: bool = True) -> list[Problem]:
    expected = hsds_resources()[name]["path"]
    if resource["path"] != expected:
        return [Problem(DESCRIPTOR, f"{name} のファイル名が HSDS と違います (HSDS names it {expected}, "
                                    f"not {resource['path']}) — {expected} にしてください", column=name)]
    if expected not in files:
        return [Problem(expected, f"ありません (missing): 記述ファイルにある {name} の CSV がパッケージにありません "
                                  "(listed in datapackage.json, but not in the package)")]
    data = files[expected] if rows else _header_bytes(files[expected])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        if rows:
            return [
                Problem(
                    expected,
                    f"UTF-8 として読めません (not UTF-8, byte {e.start}) — UTF-8 で書き出してください "
                    "(HSDS CSVs are UTF-8)",
                )
            ]
        text = data.decode("utf-8-sig", "replace")  # the rows with bad bytes are the row rules' to keep out
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as e:
        return [Problem(expected, f"CSV として読めません (not CSV: {e})", row=1)]
    if not header:
        return [Problem(expected, "見出しの行がありません (no header row) — 1行目に列名を書いてください", row=1)]
    required = required_fields(name)
    missing = [column for column in required if column not in header]
    problems = [Problem(expected, "HSDS が求める列が見出しにありません (a column HSDS requires is not in the header)",
                        row=1, column=column) for column in missing]
    if not rows:
        return problems
    where = {column: header.index(column) for column in required if column in header}
    return _check_rows(expected, reader, header, where, problems)


def _header_bytes(data: bytes) -> bytes:
    """The file's first line, when it is the whole header (no quote in it: a quoted column name may
    hold a line break); else the whole file. A sync checks headers only: 10 MB not decoded for one line."""
    end = data.find(b"\n")
    return data if end < 0 or b'"' in data[:end] else data[:end + 1]


def _check_rows(expected: str, reader, header: list[str], where: dict[str, int],
                problems: list[Problem]) -> list[Problem]:
    """``problems`` (the header's) and the rows': cut short, or a required cell blank; past
    ``MAX_ROW_PROBLEMS`` in all, one line says more follow."""
    try:
        for number, row in enumerate(reader, 2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) < len(header):
                problems.append(
                    Problem(
                        expected,
                        f"途中で切れています: 見出しは {len(header)} 列、この行は {len(row)} 列です "
                        f"({len(row)} cells for {len(header)} columns: is the file cut short?) — "
                        "書き出し直してください (export it again)",
                        row=number,
                    )
                )
                continue
            for column, index in where.items():
                if index >= len(row) or not row[index].strip():
                    problems.append(Problem(expected, "HSDS では空にできません (HSDS requires a value here)",
                                            row=number, column=column))
            if len(problems) > MAX_ROW_PROBLEMS:
                problems.append(Problem(expected, "ほかにもあります。ここまでを直してください (more problems follow; "
                                                  "fix these first)"))
                break
    except csv.Error as e:
        problems.append(Problem(expected, f"CSV として読めません (not CSV: {e})", row=reader.line_num))
    return problems
