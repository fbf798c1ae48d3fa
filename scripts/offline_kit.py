"""Build the offline install kits: ``scripts/build-offline-kit OUT_DIR [--platform P]...``.

Each kit, ``OUT_DIR/tsunagu-offline-P.zip``, holds ``wheels/`` (Tsunagu's own wheel, which
carries the shipped catalogue, and a wheel of every runtime dependency for CPython
3.11, 3.12 and 3.13 on P), ``resources.db`` (the shipped catalogue), ``install.sh``,
``install.ps1``, ``install.cmd`` and ``はじめに.txt``. Installing from it uses no network.

Building needs the network (PyPI): ``pip download --only-binary=:all: --platform …
--python-version …`` fetches the wheels. pip evaluates a requirement's environment markers
against the machine it runs on, not the target (``colorama; platform_system == "Windows"``
is skipped when building on Linux), so the kit is then checked here, per platform and
Python version, by walking the requirements from Tsunagu's own wheel with the target's
markers and tags; what pip left out is fetched, and what has no wheel is named.
"""

from __future__ import annotations

import argparse
import email.parser
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

try:
    from packaging.markers import default_environment
    from packaging.requirements import Requirement
    from packaging.tags import Tag, compatible_tags, cpython_tags, mac_platforms
    from packaging.utils import canonicalize_name, parse_wheel_filename
    from packaging.version import Version
except ImportError:  # pip carries its own copy; any Python with pip can build a kit
    from pip._vendor.packaging.markers import default_environment  # type: ignore[no-redef]
    from pip._vendor.packaging.requirements import Requirement  # type: ignore[no-redef]
    from pip._vendor.packaging.tags import (  # type: ignore[no-redef]
        Tag,
        compatible_tags,
        cpython_tags,
        mac_platforms,
    )
    from pip._vendor.packaging.utils import canonicalize_name, parse_wheel_filename  # type: ignore[no-redef]
    from pip._vendor.packaging.version import Version  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent
KIT_FILES = Path(__file__).resolve().parent / "offline_kit"
PYTHONS = ("3.11", "3.12", "3.13")


def _manylinux(arch: str) -> list[str]:
    # glibc 2.17 (CentOS 7) to 2.28 (RHEL 8, Debian 10, Ubuntu 18.10): any Linux PC of the last years.
    return [f"manylinux_2_{minor}_{arch}" for minor in range(28, 16, -1)] + [
        f"manylinux2014_{arch}", f"manylinux2010_{arch}", f"manylinux1_{arch}", f"manylinux_2_5_{arch}"]


@dataclass(frozen=True)
class Target:
    """A platform the kits are built for: its wheel platform tags and its marker values."""

    name: str
    platforms: tuple[str, ...]  # most specific first, as pip wants them
    sys_platform: str
    platform_system: str
    platform_machine: str
    os_name: str

    def tags(self, python: str) -> set[Tag]:
        version = tuple(int(part) for part in python.split("."))
        interpreter = f"cp{version[0]}{version[1]}"
        return set(cpython_tags(version, platforms=self.platforms)) | set(
            compatible_tags(version, interpreter, platforms=self.platforms))

    def environment(self, python: str) -> dict[str, str]:
        env = dict(default_environment())
        env.update(python_version=python, python_full_version=f"{python}.0", implementation_name="cpython",
                   implementation_version=f"{python}.0", platform_python_implementation="CPython",
                   sys_platform=self.sys_platform, platform_system=self.platform_system,
                   platform_machine=self.platform_machine, os_name=self.os_name, platform_release="",
                   platform_version="", extra="")
        return env


TARGETS: dict[str, Target] = {t.name: t for t in (
    Target("linux-x86_64", tuple(_manylinux("x86_64")), "linux", "Linux", "x86_64", "posix"),
    Target("linux-aarch64", tuple(_manylinux("aarch64")), "linux", "Linux", "aarch64", "posix"),
    Target("windows-x86_64", ("win_amd64",), "win32", "Windows", "AMD64", "nt"),
    # macOS 12 (Monterey) or later: the oldest release Apple still updated when Python 3.13 came out.
    Target("macos-arm64", tuple(mac_platforms((12, 0), "arm64")), "darwin", "Darwin", "arm64", "posix"),
    Target("macos-x86_64", tuple(mac_platforms((12, 0), "x86_64")), "darwin", "Darwin", "x86_64", "posix"),
)}


@dataclass
class Check:
    """What a target needs from a folder of wheels: the wheels chosen and what has none."""

    chosen: dict[str, Path] = field(default_factory=dict)  # canonical name -> wheel
    missing: list[str] = field(default_factory=list)  # requirement text, with who asks for it


def wheel_requirements(wheel: Path) -> list[Requirement]:
    """The ``Requires-Dist`` lines of a wheel's METADATA."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA") and n.count("/") == 1)
        metadata = email.parser.Parser().parsestr(archive.read(name).decode("utf-8"))
    return [Requirement(line) for line in metadata.get_all("Requires-Dist") or []]


def best_wheel(requirement: Requirement, wheels: Iterable[Path], supported: set[Tag]) -> Path | None:
    """The newest wheel in ``wheels`` that satisfies ``requirement`` and installs with ``supported`` tags."""
    wanted = canonicalize_name(requirement.name)
    found: list[tuple[Version, Path]] = []
    for wheel in wheels:
        try:
            name, version, _build, tags = parse_wheel_filename(wheel.name)
        except Exception:  # noqa: BLE001 — a file that is not a wheel is not a candidate
            continue
        if name != wanted or not requirement.specifier.contains(version, prereleases=True):
            continue
        if tags & supported:
            found.append((version, wheel))
    return max(found)[1] if found else None


def check(wheels: list[Path], target: Target, python: str, root: str = "tsunagu") -> Check:
    """Walk the requirements from ``root`` with the target's markers: every one needs a wheel here."""
    supported, env = target.tags(python), target.environment(python)
    result = Check()
    seen: set[tuple[str, frozenset[str]]] = set()  # a name asked again with other extras needs more
    queue: list[tuple[Requirement, list[str]]] = [(Requirement(root), [""])]
    while queue:
        requirement, asker_extras = queue.pop(0)
        if requirement.marker is not None and not any(
                requirement.marker.evaluate({**env, "extra": extra}) for extra in asker_extras):
            continue
        key = canonicalize_name(requirement.name)
        extras = frozenset(canonicalize_name(e) for e in requirement.extras)
        if (key, extras) in seen:
            continue
        seen.add((key, extras))
        wheel = result.chosen.get(key) or best_wheel(requirement, wheels, supported)
        if wheel is None:
            result.missing.append(str(requirement))
            continue
        result.chosen[key] = wheel
        for needed in wheel_requirements(wheel):
            queue.append((needed, [""] + sorted(extras)))
    return result


# -- building --------------------------------------------------------------------------------------

Downloader = Callable[[list[str], Target, str, Path, bool], bool]


def pip_download(requirements: list[str], target: Target, python: str, into: Path, deps: bool) -> bool:
    """``pip download`` wheels for ``target`` and ``python`` into ``into``; False when pip could not."""
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
               "--only-binary=:all:", "--implementation", "cp", "--python-version", python, "--dest", str(into)]
    for platform in target.platforms:
        command += ["--platform", platform]
    if not deps:
        command.append("--no-deps")
    done = subprocess.run(command + requirements, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"  pip download ({target.name}, Python {python}) failed for {' '.join(requirements)}:\n"
              + _indent(done.stderr.strip().splitlines()[-3:]), file=sys.stderr)
    return done.returncode == 0


def _indent(lines: list[str]) -> str:
    return "".join(f"    {line}\n" for line in lines)


def build_wheel(out: Path) -> Path:
    """Tsunagu's own wheel, with the shipped catalogue inside the package (``tui/resources.db``).

    Built from a copy of the project, so the checkout gains no file; the catalogue is copied
    with SQLite's backup API (never a byte copy of a possibly live file).
    """
    sys.path.insert(0, str(ROOT))
    from tui.paths import copy_catalogue

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tsunagu-wheel-") as temp:
        stage = Path(temp) / "src"
        stage.mkdir()
        for name in ("pyproject.toml", "README.md"):
            shutil.copy2(ROOT / name, stage / name)
        shutil.copytree(ROOT / "tui", stage / "tui", ignore=shutil.ignore_patterns(
            "__pycache__", "*.pyc", "resources.db*"))
        copy_catalogue(ROOT / "resources.db", stage / "tui" / "resources.db")
        done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check",
                               "--no-deps", "--wheel-dir", str(out), str(stage)],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"could not build Tsunagu's wheel:\n{done.stderr}")
    wheels = sorted(out.glob("tsunagu-*.whl"), key=lambda p: p.stat().st_mtime)
    with zipfile.ZipFile(wheels[-1]) as archive:
        if "tui/resources.db" not in archive.namelist():
            raise SystemExit("Tsunagu's wheel lacks tui/resources.db (pyproject package-data)")
    return wheels[-1]


def gather(own: Path, target: Target, cache: Path, download: Downloader = pip_download) -> dict[str, Check]:
    """Fetch into ``cache`` what ``target`` needs for each Python version; the check per version."""
    cache.mkdir(parents=True, exist_ok=True)

    def wheels() -> list[Path]:
        # pip download saves a copy of Tsunagu's wheel beside the others: never take that (or an older
        # build's) for the one just built.
        for stale in cache.glob("tsunagu-*.whl"):
            stale.unlink()
        return [own, *cache.glob("*.whl")]

    checks: dict[str, Check] = {}
    for python in PYTHONS:
        download([str(own)], target, python, cache, True)
        for _round in range(5):  # what pip's markers left out (and what that needs in turn)
            result = check(wheels(), target, python)
            if not result.missing:
                break
            asked = [Requirement(m) for m in result.missing]
            fetched = [download([f"{a.name}{a.specifier}"], target, python, cache, False) for a in asked]
            if not any(fetched):
                break
        checks[python] = check(wheels(), target, python)
    return checks


def write_kit(out_dir: Path, target: Target, own: Path, checks: dict[str, Check]) -> Path:
    """``OUT_DIR/tsunagu-offline-P.zip`` from the wheels the checks chose."""
    kit = out_dir / f"tsunagu-offline-{target.name}.zip"
    partial = kit.with_name(kit.name + ".partial")
    by_name = {wheel.name: wheel for c in checks.values() for wheel in c.chosen.values()}
    by_name[own.name] = own  # the wheel just built, whatever else carries its name
    wheels = [by_name[name] for name in sorted(by_name)]
    top = f"tsunagu-offline-{target.name}"
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for wheel in wheels:
            archive.write(wheel, f"{top}/wheels/{wheel.name}", compress_type=zipfile.ZIP_STORED)  # already zips
        with zipfile.ZipFile(own) as inner:  # the catalogue the wheel carries, beside it for --db users
            archive.writestr(f"{top}/resources.db", inner.read("tui/resources.db"))
        for name in ("install.sh", "install.ps1", "install.cmd", "はじめに.txt"):
            info = zipfile.ZipInfo(f"{top}/{name}", date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = (0o100755 if name == "install.sh" else 0o100644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, (KIT_FILES / name).read_bytes())
        for guide in ("counsellor-guide.md", "admin-guide.md"):  # the Japanese guides travel with the kit
            if (ROOT / "docs" / guide).is_file():
                archive.write(ROOT / "docs" / guide, f"{top}/docs/{guide}")
    os.replace(partial, kit)
    return kit


def kit_problems(kit: Path, target: Target) -> dict[str, list[str]]:
    """Open a built kit and check it for every Python version: ``{python: [requirement with no wheel]}``."""
    with tempfile.TemporaryDirectory(prefix="tsunagu-kit-check-") as temp:
        with zipfile.ZipFile(kit) as archive:
            names = [n for n in archive.namelist() if "/wheels/" in n and n.endswith(".whl")]
            for name in names:
                archive.extract(name, temp)
        wheels = list(Path(temp).rglob("*.whl"))
        return {python: check(wheels, target, python).missing for python in PYTHONS}


def size(path: Path) -> str:
    return f"{path.stat().st_size / 1_000_000:.1f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build-offline-kit", description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    parser.add_argument("--platform", action="append", choices=sorted(TARGETS), dest="platforms",
                        help="a platform to build for (repeatable; default: all five)")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "tsunagu-kit-cache",
                        help="where downloaded wheels are kept between builds (default: %(default)s)")
    args = parser.parse_args(argv)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    own = build_wheel(args.cache / "own")
    print(f"Tsunagu wheel: {own.name} ({size(own)})")
    failed = False
    for name in args.platforms or list(TARGETS):
        target = TARGETS[name]
        print(f"{name}: fetching wheels for Python {', '.join(PYTHONS)} …", flush=True)
        checks = gather(own, target, args.cache / name)
        kit = write_kit(args.out_dir, target, own, checks)
        problems = kit_problems(kit, target)
        for python, missing in problems.items():
            for requirement in missing:
                failed = True
                print(f"  NO WHEEL: {name}, Python {python}: {requirement} — this kit cannot install on it")
        complete = [p for p, missing in problems.items() if not missing]
        print(f"{kit} {size(kit)}  (complete for Python {', '.join(complete) or 'none'})", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
