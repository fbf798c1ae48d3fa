"""The core is headless (harlequin's rule): importing it must not load textual or rich,
and `tsunagu --help` must not pay for the UI."""

import subprocess
import sys

CORE_MODULES = [
    "tui", "tui.paths", "tui.core.text", "tui.core.reference.areas", "tui.core.reference.needs", "tui.core.models",
    "tui.core.store.schema", "tui.core.store.catalogue", "tui.core.search.index", "tui.core.loading.importing", "tui.core.loading.seed",
]


def _loaded_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
        capture_output=True, text=True, check=True,
    ).stdout
    return set(out.split())


def test_core_does_not_import_textual_or_rich():
    modules = _loaded_after("\n".join(f"import {m}" for m in CORE_MODULES) + "\nimport pkgutil, importlib, tui.core\n"
                            "[importlib.import_module('tui.core.' + m.name) for m in pkgutil.iter_modules(tui.core.__path__)]")
    assert not any(m == "textual" or m.startswith("textual.") for m in modules)
    assert not any(m == "rich" or m.startswith("rich.") for m in modules)


def test_help_does_not_import_the_app():
    modules = _loaded_after("from click.testing import CliRunner\nfrom tui.cli import cli\n"
                            "assert CliRunner().invoke(cli, ['--help']).exit_code == 0")
    assert "textual" not in modules
    assert "tui.ui.app" not in modules


def test_importing_creates_no_folders(tmp_path):
    home = tmp_path / "home"
    subprocess.run(
        [sys.executable, "-c", "import tui.paths, tui.cli, tui.core.store.catalogue"],
        env={"TSUNAGU_HOME": str(home), "PATH": ""}, check=True,
    )
    assert not home.exists()


def test_opening_a_current_catalogue_does_not_load_sqlite_utils(tmp_path):
    # sqlite-utils (~0.1 s to import) is for loading or migrating the reference data, not for every command.
    from tui.core.store.catalogue import Catalogue

    Catalogue.open(tmp_path / "c.db").close()  # made (and its reference data loaded) once
    modules = _loaded_after(f"from tui.core.store.catalogue import Catalogue\nCatalogue.open({str(tmp_path / 'c.db')!r})"
                            ".close()")
    assert not any(m == "sqlite_utils" or m.startswith("sqlite_utils.") for m in modules)
