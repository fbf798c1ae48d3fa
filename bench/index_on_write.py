"""Where the search index is built since issue 13: by the import that changed the catalogue,
never by search. Times an import of generated rows, the first search after it, an export and
a re-import of that export, in one process on a new catalogue.

    .venv/bin/python bench/index_on_write.py [ROWS]      (default: 10000)

Not run by CI (it prints figures; it asserts nothing about time).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from synthetic import write_csv  # noqa: E402

from tui.core.loading.exporting import export  # noqa: E402
from tui.core.loading.importing import import_files  # noqa: E402
from tui.core.store.catalogue import Catalogue  # noqa: E402


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        write_csv(work / "generated.csv", rows)
        with Catalogue.open(work / "c.db") as catalogue:
            figures = []
            for label, step in (
                ("import", lambda: import_files(catalogue, [work / "generated.csv"])),
                ("first search", lambda: catalogue.search("くしろ")),
                ("export csv", lambda: export(catalogue, work / "out.csv")),
                ("re-import the export", lambda: import_files(catalogue, [work / "out.csv"])),
            ):
                start = time.perf_counter()
                step()
                figures.append(f"{label} {time.perf_counter() - start:.2f} s")
    print(f"{rows:,} rows: " + ", ".join(figures))


if __name__ == "__main__":
    main()
