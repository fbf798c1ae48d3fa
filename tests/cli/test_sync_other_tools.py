"""A service another HSDS tool adds to the shared package (its own uuid, no ``tsunagu_id``) is
received like any other row, and an office that edits it rewrites it in Tsunagu's layout, never
leaving the resource in the package twice (the line-by-line receive once named no one for it)."""

from __future__ import annotations

import pytest

from tests.cli.test_sync_trust import encode, get, pair, rewrite, run, table  # noqa: F401  (pair: a fixture)
from tui.core.sharing import gitstore
from tui.core.sharing.folder import import_folder
from tui.core.store.catalogue import Catalogue

THEIRS = "0b7e4c2a-1d3f-4a5b-8c9d-0e1f2a3b4c5d"  # the other tool's uuids, not Tsunagu's uid()
PHONE = "1c8f5d3b-2e4a-4b6c-9d0e-1f2a3b4c5d6e"


def add_service(description: str = "他のツールで足した"):
    def change(files: dict[str, bytes]) -> dict[str, bytes]:
        header, rows = table(files["services.csv"])
        rows = [row for row in rows if row["id"] != THEIRS]
        new = dict.fromkeys(header, "")
        new.update(id=THEIRS, name="他のツールの窓口", organization_id=rows[0]["organization_id"], status="active",
                   tsunagu_area="01206", description=description)
        phones_header, phones = table(files["phones.csv"])
        phone = dict.fromkeys(phones_header, "")
        phone.update(id=PHONE, service_id=THEIRS, number="0154-99-9999", type="voice")
        return {**files, "services.csv": encode(header, [*rows, new], end="\n"),
                "phones.csv": encode(phones_header, [*(p for p in phones if p["id"] != PHONE), phone], end="\n")}
    return change


@pytest.fixture
def offices(pair):  # noqa: F811  (test_sync_trust's offices A and B, joined to one bare repository)
    return pair


def package(shared) -> dict[str, bytes]:
    repo = gitstore.Repo(str(shared))
    try:
        return dict(gitstore.TreeFiles(repo, repo.refs[gitstore.MAIN].decode(), {}))
    finally:
        repo.close()


def test_a_service_another_tool_added_is_received_with_its_rows(offices):
    a, b, shared = offices
    rewrite(shared, add_service())
    for office in (a, b):
        code, out = run(office, "sync")
        assert code == 0, out
        found = get(office, THEIRS)
        assert found is not None, "another tool's service was never received"
        assert (found.name, found.description, found.phone) == ("他のツールの窓口", "他のツールで足した", "0154-99-9999")


def test_a_change_the_other_tool_makes_to_its_own_service_is_received(offices):
    a, b, shared = offices
    rewrite(shared, add_service())
    assert run(b, "sync")[0] == 0
    rewrite(shared, add_service("説明を直した"))  # one line of services.csv changes: the line-by-line path
    code, out = run(b, "sync")
    assert code == 0, out
    assert get(b, THEIRS).description == "説明を直した"


def test_an_office_that_edits_it_leaves_one_resource_in_the_package(offices, tmp_path):
    a, b, shared = offices
    rewrite(shared, add_service())
    assert run(b, "sync")[0] == 0
    with Catalogue.open(b / "resources.db") as catalogue:
        catalogue.write([catalogue.get(THEIRS).replace(hours="月曜 9-12", phone="0154-11-1111")], how="edit")
    code, out = run(b, "sync")
    assert code == 0, out
    files = package(shared)
    _, services = table(files["services.csv"])
    named = [row for row in services if THEIRS in (row["id"], row["tsunagu_id"])]
    assert len(named) == 1 and named[0]["tsunagu_id"] == THEIRS  # rewritten in our layout, once
    assert named[0]["name"] == "他のツールの窓口"  # the fields not edited are written too
    _, phones = table(files["phones.csv"])
    assert [p["number"] for p in phones if p["service_id"] == named[0]["id"]] == ["0154-11-1111"]
    assert all(p["id"] != PHONE for p in phones)  # the other tool's phone row gave way to ours
    code, out = run(a, "sync")
    assert code == 0, out
    edited = get(a, THEIRS)
    assert (edited.hours, edited.phone, edited.name) == ("月曜 9-12", "0154-11-1111", "他のツールの窓口")
    # The package still imports whole: no resource named twice.
    folder = tmp_path / "pkg"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    with Catalogue.open(tmp_path / "fresh.db") as fresh:
        import_folder(fresh, folder / "datapackage.json")
        assert fresh.get(THEIRS).phone == "0154-11-1111"
