"""The HSDS 3.0 package: valid against the vendored schemas, deterministic, round trip byte-identical."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tui.core.models import Resource
from tui.core.sharing.folder import export_folder, import_folder
from tui.core.sharing.hsds import build_package, uid
from tui.core.sharing.hsds_read import read_package
from tui.core.sharing.splice import changed_ids, package_changes, read_resources
from tui.core.sharing.sync import places, terms
from tui.core.store.catalogue import Catalogue

ROOT = Path(__file__).resolve().parents[2]
HSDS = ROOT / "tui" / "core" / "sharing" / "hsds_schema"  # vendored HSDS 3.0 (CC BY-SA 4.0, see its README)
SHELTER = Resource(
    id="dv-1", name="みなみシェルター", organization="NPO法人みなみ", needs=("shelter", "dv"), area="01100",
    address="札幌市中央区秘密町1-2-3", postal_code="060-0001", transport="裏口から入る", notes="秘密の備考",
    phone="011-555-0101", confidential=True, last_verified="2026-04-01",
)
OPEN = Resource(
    id="food-1", name="くしろフードバンク", name_kana="くしろふーどばんく", organization="釧路市社会福祉協議会",
    description="食料の配布。\n月に一度の相談会も。", needs=("food",), area="01206", serves=("01206", "kushiro"),
    address="釧路市黒金町1-1", postal_code="085-0015", phone="0154-555-0001; 0154-555-0002", fax="0154-555-0003",
    email="food@example.org", url="https://example.org/food", hours="月–金 9:00–17:00", cost="無料",
    how_to_refer="電話で予約", capacity="20世帯/月", languages=("日本語", "English"), last_verified="2026-03-01",
    status="paused", source="テスト",
)
LOOSE = Resource(id="loose-1", name="住所だけ分かる窓口", address="どこか1-1", status="closed")


@pytest.fixture
def catalogue(tmp_path):
    with Catalogue.open(tmp_path / "a.db") as cat:
        cat.write([SHELTER, OPEN, LOOSE])
        yield cat


def test_package_validates_with_frictionless(catalogue, tmp_path):
    frictionless = pytest.importorskip("frictionless")
    export_folder(catalogue, tmp_path / "pkg")
    report = frictionless.validate(str(tmp_path / "pkg" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])
    # Every HSDS field of the vendored descriptor is kept as HSDS defines it; ours only add tsunagu_* columns.
    ours = json.loads((tmp_path / "pkg" / "datapackage.json").read_text(encoding="utf-8"))
    theirs = {r["name"]: r for r in json.loads((HSDS / "datapackage.json").read_text(encoding="utf-8"))["resources"]}
    for resource in ours["resources"]:
        fields = [f for f in resource["schema"]["fields"] if not f["name"].startswith("tsunagu_")]
        assert fields == theirs[resource["name"]]["schema"]["fields"]
        assert resource["path"] == theirs[resource["name"]]["path"]


def test_hsds_json_validates_against_the_compiled_service_schema(catalogue, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((HSDS / "schema" / "compiled" / "service.json").read_text(encoding="utf-8"))
    export_folder(catalogue, tmp_path / "json", "hsds-json")
    services = json.loads((tmp_path / "json" / "services.json").read_text(encoding="utf-8"))
    assert len(services) == 3
    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    for service in services:
        errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(service)]
        assert errors == []
    food = next(s for s in services if s["tsunagu_id"] == "food-1")
    assert food["organization"]["name"] == "釧路市社会福祉協議会"
    assert food["status"] == "temporarily closed" and food["assured_date"] == "2026-03-01"
    assert {a["taxonomy_term"]["code"] for a in food["attributes"]} == {"food"}
    assert "秘密" not in json.dumps(services, ensure_ascii=False)


def test_package_to_catalogue_to_package_is_byte_identical(catalogue, tmp_path):
    export_folder(catalogue, tmp_path / "one")
    with Catalogue.open(tmp_path / "b.db") as other:
        summary = import_folder(other, tmp_path / "one" / "datapackage.json")
        assert len(summary.added) == 3
        assert other.get("food-1") == OPEN
        assert other.get("loose-1") == LOOSE
        export_folder(other, tmp_path / "two")
    one = {p.name: p.read_bytes() for p in (tmp_path / "one").iterdir()}
    two = {p.name: p.read_bytes() for p in (tmp_path / "two").iterdir()}
    assert one == two


def test_a_confidential_place_never_writes_its_private_fields(catalogue, tmp_path):
    files = build_package(catalogue.resources(), terms(catalogue), places(catalogue))
    everything = b"".join(files.values()).decode("utf-8")
    for secret in ("秘密町", "060-0001", "裏口", "秘密の備考"):
        assert secret not in everything
    back = {r.id: r for r in read_package(files)}
    assert back["dv-1"].confidential and back["dv-1"].address == "" and back["dv-1"].phone == "011-555-0101"


def test_importing_a_package_back_keeps_the_private_fields_here(catalogue, tmp_path):
    export_folder(catalogue, tmp_path / "pkg")
    summary = import_folder(catalogue, tmp_path / "pkg")
    assert summary.updated == () and catalogue.get("dv-1").address == SHELTER.address


def test_one_changed_field_is_one_changed_line(catalogue):
    before = build_package(catalogue.resources(), terms(catalogue), places(catalogue))
    edited = [r.replace(cost="500円") if r.id == "food-1" else r for r in catalogue.resources()]
    after = build_package(edited, terms(catalogue), places(catalogue))
    changed = [name for name in before if before[name] != after[name]]
    assert changed == ["services.csv"]
    old, new = before["services.csv"].decode().splitlines(), after["services.csv"].decode().splitlines()
    assert sum(a != b for a, b in zip(old, new, strict=True)) == 1


def test_uid_is_uuid5():
    import uuid

    from tui.core.sharing.hsds import NAMESPACE

    assert uid("food-1", "voice", "0") == str(uuid.uuid5(NAMESPACE, "food-1\x1fvoice\x1f0"))


@pytest.mark.parametrize("change", [
    dict(organization="新しい団体", phone="0154-555-0009", serves=(), needs=("food", "child")),
    dict(description="一行目\n二行目\n\n三行目", languages=("English",), hours=""),
    dict(address="", postal_code="", fax="", status="closed"),
])
def test_splicing_a_few_resources_equals_a_full_build(catalogue, change):
    t, p = terms(catalogue), places(catalogue)
    before = build_package(catalogue.resources(), t, p)
    moved = OPEN.replace(**change)
    new = Resource(id="aaa-new", name="新しい窓口", organization="別の団体", phone="011-555-0000", needs=("food",))
    after = {**before, **package_changes(before, [moved, new], t, p)}
    assert after == build_package([SHELTER, moved, LOOSE, new], t, p)
    assert read_resources(after, ["food-1", "aaa-new", "missing"]) == {"food-1": moved, "aaa-new": new}
    assert changed_ids(before, after) == {"food-1", "aaa-new"}
    assert changed_ids(after, before) == {"food-1", "aaa-new"}


def test_cli_export_and_import_hsds(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from tui.cli import cli

    shutil.copyfile(ROOT / "resources.db", tmp_path / "a.db")
    runner = CliRunner()
    out = runner.invoke(cli, ["export", str(tmp_path / "pkg"), "--format", "hsds", "--db", str(tmp_path / "a.db")])
    assert out.exit_code == 0, out.output
    assert (tmp_path / "pkg" / "services.csv").is_file()
    out = runner.invoke(cli, ["import", str(tmp_path / "pkg" / "datapackage.json"), "--db", str(tmp_path / "b.db")])
    assert out.exit_code == 0, out.output
    with Catalogue.open(tmp_path / "a.db") as a, Catalogue.open(tmp_path / "b.db") as b:
        assert list(a.resources()) == list(b.resources())
    out = runner.invoke(cli, ["import", str(tmp_path), "--db", str(tmp_path / "b.db")])
    assert out.exit_code == 2 and "HSDS" in out.output
    out = runner.invoke(cli, ["export", str(tmp_path / "j"), "--format", "hsds-json", "--db", str(tmp_path / "a.db")])
    assert out.exit_code == 0 and (tmp_path / "j" / "services.json").is_file()


def _package_with(tmp_path, catalogue, file: str, row_id: str, change: dict[str, str]) -> Path:
    """The exported package with ``file``'s row ``row_id`` changed (column → value)."""
    import csv
    import io

    if not (tmp_path / "pkg").exists():
        export_folder(catalogue, tmp_path / "pkg")
    path = tmp_path / "pkg" / file
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))
    rows = list(reader)
    for row in rows:
        if row["id"] == row_id:
            row.update(change)
    out = io.StringIO()
    writer = csv.DictWriter(out, reader.fieldnames or [], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return tmp_path / "pkg"


def test_a_blank_confidential_column_in_a_package_never_makes_a_place_public(catalogue, tmp_path):
    folder = _package_with(tmp_path, catalogue, "services.csv", uid("dv-1"), {"tsunagu_confidential": ""})
    import_folder(catalogue, folder)
    kept = catalogue.get("dv-1")
    assert kept.confidential and kept.address == SHELTER.address and kept.notes == SHELTER.notes


def test_importing_a_package_never_overwrites_a_confidential_address(catalogue, tmp_path):
    folder = _package_with(tmp_path, catalogue, "locations.csv", uid("dv-1", "location"),
                           {"tsunagu_address": "別の住所 1-1"})
    import_folder(catalogue, folder)
    assert catalogue.get("dv-1").address == SHELTER.address


@pytest.mark.parametrize("how", ["same tsunagu_id", "same row twice"])
def test_two_rows_for_one_resource_are_refused_by_row_and_nothing_is_written(catalogue, tmp_path, how):
    """Issue 19 #10: two services rows naming one resource once kept one of them silently."""
    import csv
    import io

    from tui.core.sharing.folder import DuplicateId

    if how == "same tsunagu_id":
        folder = _package_with(tmp_path, catalogue, "services.csv", uid("food-1"), {"tsunagu_id": "loose-1"})
    else:
        export_folder(catalogue, tmp_path / "pkg")
        folder = tmp_path / "pkg"
        lines = list(csv.reader(io.StringIO((folder / "services.csv").read_text("utf-8"), newline="")))
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows([*lines, lines[1]])
        (folder / "services.csv").write_text(out.getvalue(), encoding="utf-8")
    before = list(catalogue.resources())
    with pytest.raises(DuplicateId, match=r"services.csv \d行目 \(row \d\).*\d行目と同じ"):
        import_folder(catalogue, folder)
    assert list(catalogue.resources()) == before
