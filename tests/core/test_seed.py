"""The shipped catalogue is exactly what seed/ builds, and holds no invented contacts."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tui.core.catalogue import Catalogue
from tui.core.seed import build

ROOT = Path(__file__).resolve().parents[2]
CONTACT_FIELDS = ("phone", "fax", "email", "url", "address", "postal_code", "hours")


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_committed_catalogue_is_what_seed_builds(tmp_path):
    fresh = tmp_path / "resources.db"
    build(fresh)
    assert dump(fresh) == dump(ROOT / "resources.db"), "run `tsunagu rebuild` and commit resources.db"


def test_build_is_deterministic(tmp_path):
    build(tmp_path / "a.db")
    build(tmp_path / "b.db")
    assert dump(tmp_path / "a.db") == dump(tmp_path / "b.db")


def test_starter_catalogue_is_real_and_unverified(tmp_path):
    build(tmp_path / "resources.db")
    with Catalogue.open(tmp_path / "resources.db") as catalogue:
        resources = list(catalogue.resources())
    assert len(resources) >= 20
    for resource in resources:
        assert resource.source, f"{resource.id} has no source"
        # the report gives no contact details: nothing may be filled in without a source saying so
        assert all(getattr(resource, field) == "" for field in CONTACT_FIELDS), resource.id
        assert resource.last_verified == "", f"{resource.id} claims a verification nobody made"
