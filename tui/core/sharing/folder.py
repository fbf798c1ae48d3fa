"""The HSDS package on disk: ``tsunagu export DIR --format hsds|hsds-json`` and ``tsunagu import DIR``."""

from __future__ import annotations

import json
from pathlib import Path

from tui.core.files import shared_mode, write_all
from tui.core.public import keep_private
from tui.core.sharing.conformance import conform
from tui.core.sharing.hsds import COLUMNS, build_package, service_objects
from tui.core.sharing.hsds_read import PackageReader, read_package
from tui.core.sharing.sync import places, terms
from tui.core.store.catalogue import Catalogue, WriteSummary

FORMATS = ("hsds", "hsds-json")


def export_folder(catalogue: Catalogue, folder: Path, fmt: str = "hsds") -> int:
    """Write the package (or ``services.json``, one HSDS service object per resource) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    resources = list(catalogue.resources())
    if fmt == "hsds-json":
        objects = service_objects(resources, terms(catalogue), places(catalogue))
        text = json.dumps(objects, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        write_all({folder / "services.json": text.encode("utf-8")}, mode=shared_mode())
        return len(objects)
    # The package is one thing: every file replaced, or none (public views only, so a file to share).
    package = build_package(resources, terms(catalogue), places(catalogue))
    write_all({folder / name: data for name, data in package.items()}, mode=shared_mode())
    return len(resources)


def read_folder(path: Path) -> dict[str, bytes]:
    """A package's files from its folder or its ``datapackage.json``."""
    folder = path.parent if path.name == "datapackage.json" else path
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix in (".csv", ".json") and p.is_file()}


def import_folder(catalogue: Catalogue, path: Path, *, by: str = "", dry_run: bool = False) -> WriteSummary:
    """Read a package into the catalogue in one transaction (``how``: import FOLDER).

    A place confidential here stays confidential whatever the package says (a blank column is
    not a person deciding: ``tsunagu edit ID --set confidential=no`` is), and its private fields
    are always ours: a package never holds them, so one that does is not believed."""
    files = read_folder(path)
    conform(files)  # the vendored HSDS 3.0 schemas, before anything is read in
    refuse_duplicates(files)
    resources = read_package(files)
    stored = {r.id: r for r in catalogue.get_many(r.id for r in resources) if r.confidential}
    resources = [
        keep_private(r, stored[r.id], blanks_only=False).replace(confidential=True) if r.id in stored else r
        for r in resources
    ]
    return catalogue.write(resources, dry_run=dry_run, by=by, how=f"import {path}")


class DuplicateId(ValueError):
    """Two services rows name one resource: which one is meant is not for us to guess."""


def refuse_duplicates(files: dict[str, bytes]) -> None:
    """Two rows of ``services.csv`` with one ``id`` or one ``tsunagu_id`` would be read as one resource
    (the last row silently winning): refused, naming both rows, before anything is written."""
    columns = COLUMNS["services.csv"]
    at_id, at_tid = columns.index("id"), columns.index("tsunagu_id")
    seen: dict[tuple[str, str], int] = {}
    for number, row in enumerate(PackageReader(files).table("services.csv"), 2):
        for column, value in (("id", row[at_id]), ("tsunagu_id", row[at_tid] or row[at_id])):
            first = seen.setdefault((column, value), number)
            if first != number:
                raise DuplicateId(
                    f"services.csv {number}行目 (row {number}): {column} {value!r} が {first}行目と同じです "
                    f"(the same as row {first}) — どちらか一方にしてください (keep one of the two rows)")


def is_package(path: Path) -> bool:
    return path.is_dir() or path.name == "datapackage.json"

