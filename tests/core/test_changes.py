"""The change log: one row per changed field, written with the change; masked where private;
a save never silently overwrites someone else's newer change; restore is a traced change."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tui.core.loading.editing import after_conflict, apply_fields, form_text, save_form
from tui.core.loading.headers import map_header
from tui.core.loading.importing import import_files
from tui.core.loading.readers import read_table
from tui.core.loading.rows import RowReader
from tui.core.models import Resource
from tui.core.store.catalogue import Catalogue
from tui.core.store.changes import WITHHELD, EditConflict, history, restore

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"

BASE = [
    Resource(id="c-1", name="テスト食料窓口", needs=("food",), area="01206", phone="0154-00-0001", hours="平日"),
    Resource(id="c-2", name="テスト相談窓口", needs=("consultation",), area="01207", phone="0155-00-0002"),
    Resource(id="c-dv", name="テストシェルター", needs=("dv",), area="01206", address="釧路市テスト町9-9",
             postal_code="085-0015", notes="裏口から", confidential=True),
]


def count_changes(catalogue: Catalogue) -> int:
    return catalogue.conn.execute("SELECT count(*) FROM changes").fetchone()[0]


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def catalogue(tmp_path):
    with Catalogue.open(tmp_path / "c.db") as catalogue:
        catalogue.write(BASE, by="setup", how="import base.csv")
        yield catalogue


def test_an_import_changing_3_fields_of_2_resources_logs_6_rows_and_a_reimport_none(catalogue, tmp_path):
    before = count_changes(catalogue)
    rows = [
        # phone, hours, needs (a list is one field) of c-1
        {"id": "c-1", "name": "テスト食料窓口", "needs": "food; loans", "area": "釧路市", "phone": "0154-99-0001", "hours": "土曜",
         "last_verified": ""},
        # name, phone, last_verified of c-2
        {"id": "c-2", "name": "テスト相談窓口（新）", "needs": "consultation", "area": "帯広市", "phone": "0155-99-0002",
         "hours": "", "last_verified": "2026-04-01"},
    ]
    path = write_csv(tmp_path / "fix.csv", rows)
    import_files(catalogue, [path], by="佐藤")
    logged = catalogue.conn.execute("SELECT resource_id, field, by, how FROM changes WHERE id > ?", (before,)).fetchall()
    assert len(logged) == 6
    assert {(r[0], r[1]) for r in logged} == {("c-1", "phone"), ("c-1", "hours"), ("c-1", "needs"),
                                             ("c-2", "name"), ("c-2", "phone"), ("c-2", "last_verified")}
    assert {(r[2], r[3]) for r in logged} == {("佐藤", "import fix.csv")}
    import_files(catalogue, [path], by="佐藤")
    assert count_changes(catalogue) == before + 6


def test_history_is_newest_first_with_old_and_new(catalogue):
    current = catalogue.get("c-1")
    catalogue.save(current.replace(phone="0154-11-1111"), base=current, by="佐藤", how="edit")
    current = catalogue.get("c-1")
    catalogue.save(current.replace(phone="0154-22-2222"), base=current, by="鈴木", how="edit")
    changes = history(catalogue, "c-1")
    assert [(c.field, c.old, c.new, c.by) for c in changes[:2]] == [
        ("phone", "0154-11-1111", "0154-22-2222", "鈴木"), ("phone", "0154-00-0001", "0154-11-1111", "佐藤")]
    assert changes[-1].field == "resource"  # its creation
    assert set(changes[0].as_json()) == {"field", "old", "new", "at", "by", "how"}


def test_two_handles_a_save_that_would_overwrite_a_newer_change_is_stopped(tmp_path, catalogue):
    with Catalogue.open(catalogue.path) as other:
        opened = catalogue.get("c-1")  # desk A opens the form
        theirs = other.get("c-1")  # desk B changes the phone and the hours meanwhile
        other.save(theirs.replace(phone="0154-33-3333", hours="土日"), base=theirs, by="鈴木")
        with pytest.raises(EditConflict) as stopped:
            catalogue.save(opened.replace(phone="0154-44-4444"), base=opened, by="佐藤")
        (clash,) = stopped.value.conflicts
        assert (clash.field, clash.base, clash.mine, clash.theirs) == ("phone", "0154-00-0001", "0154-44-4444", "0154-33-3333")
        assert catalogue.get("c-1").phone == "0154-33-3333"  # nothing written
        # A field only they changed is kept; a field only this edit changes goes in.
        saved = catalogue.save(opened.replace(cost="無料"), base=opened, by="佐藤")
        assert (saved.hours, saved.phone, saved.cost) == ("土日", "0154-33-3333", "無料")
        assert other.get("c-1").cost == "無料"


def test_the_form_offers_both_values_and_keeps_the_choice(catalogue):
    opened_record = catalogue.get("c-1")
    opened = form_text(opened_record, catalogue)
    typed = dict(opened, phone="0154-44-4444", cost="無料")
    other = catalogue.get("c-1")
    catalogue.save(other.replace(phone="0154-33-3333", hours="土日"), base=other, by="鈴木")
    outcome = save_form(catalogue, opened_record, opened, typed, by="佐藤")
    assert outcome.conflict is not None and [c.field for c in outcome.conflict.conflicts] == ["phone"]
    # Keep theirs for the phone: the cost still goes in, their hours stay.
    base, opened2, typed2 = after_conflict(catalogue, outcome.conflict, opened, typed, keep_mine=set())
    saved = save_form(catalogue, base, opened2, typed2, by="佐藤").resource
    assert (saved.phone, saved.hours, saved.cost) == ("0154-33-3333", "土日", "無料")
    # Or keep mine.
    again = save_form(catalogue, saved, form_text(saved, catalogue), dict(form_text(saved, catalogue), phone="0154-55-5555"), by="佐藤")
    assert again.resource.phone == "0154-55-5555"


def test_restore_puts_back_the_old_value_as_a_traced_change(catalogue):
    current = catalogue.get("c-2")
    catalogue.save(current.replace(phone="0155-99-9999"), base=current, by="佐藤")
    change = history(catalogue, "c-2")[0]
    restored = restore(catalogue, change.id, by="鈴木")
    assert restored.phone == "0155-00-0002"
    latest = history(catalogue, "c-2")[0]
    assert (latest.field, latest.old, latest.new, latest.by, latest.how) == ("phone", "0155-99-9999", "0155-00-0002", "鈴木", "restore")


def test_a_confidential_address_never_shows_in_the_history_unless_asked(catalogue):
    current = catalogue.get("c-dv")
    catalogue.save(current.replace(address="釧路市テスト町1-1", notes="表から"), base=current, by="佐藤")
    shown = history(catalogue, "c-dv")
    text = repr([c.as_json() for c in shown])
    assert "テスト町" not in text and "085-0015" not in text and "裏口" not in text
    assert WITHHELD in text
    assert "テスト町1-1" in repr([c.as_json() for c in history(catalogue, "c-dv", reveal=True)])
    # Made public later, or once confidential: the old address stays masked.
    current = catalogue.get("c-dv")
    catalogue.save(current.replace(confidential=False), base=current, by="佐藤")
    assert "テスト町" not in repr([c.as_json() for c in history(catalogue, "c-dv")])


def test_the_form_finds_the_same_problems_as_the_import_in_the_same_rows(catalogue):
    table = read_table(FIXTURES / "five_mistakes.csv")
    index, headers, _, _ = map_header(table)
    import_report = import_files(catalogue, [FIXTURES / "five_mistakes.csv"], dry_run=True)
    expected = {(p.row, p.column) for p in import_report.problems if "ID" not in p.column}  # the duplicate id is a file matter
    seen = set()
    for number, cells in table.rows:
        row = {column: cells[i] for column, i in index.items()}
        _edited, problems = apply_fields(catalogue, None, row, file="five_mistakes.csv", number=number)
        for p in problems:
            seen.add((p.row, headers[p.column]))
            assert p.fix and p.message
        reader_problems = RowReader(catalogue).resource(row, "five_mistakes.csv", number)[1]
        assert [(p.column, p.message) for p in problems] == [(p.column, p.message) for p in reader_problems]
    assert seen == expected


def test_a_partial_edit_changes_only_the_named_fields(catalogue):
    current = catalogue.get("c-1")
    edited, problems = apply_fields(catalogue, current, {"phone": "０１５４－７７－７７７７"})
    assert problems == []
    assert edited == current.replace(phone="0154-77-7777")
    edited, problems = apply_fields(catalogue, current, {"area": "釧路氏"})
    assert edited is None and problems[0].column == "area" and "釧路市" in problems[0].fix


def test_reference_data_that_moves_on_reaches_an_existing_catalogue(tmp_path):
    seed = tmp_path / "seed"
    seed.mkdir()
    root = Path(__file__).resolve().parents[2] / "seed"
    for name in ("subprefectures.csv", "areas.csv", "postal_codes.csv", "postal_codes_office.csv", "needs.csv"):
        (seed / name).write_bytes((root / name).read_bytes())
    with Catalogue.open(tmp_path / "r.db", seed_dir=seed) as catalogue:
        catalogue.write(BASE)
        version = catalogue.data_version
        before = list(catalogue.resources())
    needs = (seed / "needs.csv").read_text(encoding="utf-8").splitlines()
    needs[1] = needs[1].replace("困りごと", "困りごと;なんでも相談")  # a new synonym
    needs.append("test_need,テスト支援,てすとしえん,Test support,,")
    (seed / "needs.csv").write_text("\n".join(needs) + "\n", encoding="utf-8")
    with Catalogue.open(tmp_path / "r.db", seed_dir=seed) as catalogue:
        assert "test_need" in catalogue.taxonomy.needs
        assert catalogue.taxonomy.resolve("なんでも相談").code == "consultation"
        assert list(catalogue.resources()) == before  # resources untouched
        assert catalogue.data_version == version + 1  # the search index rebuilds
    with Catalogue.open(tmp_path / "r.db", seed_dir=seed) as catalogue:
        assert catalogue.data_version == version + 1  # nothing moved: nothing done


def test_a_restore_never_makes_a_confidential_place_public(catalogue):
    """Issue 19 #7: `u` on the change that made a place confidential put it back to public in one step."""
    from tui.core.store.changes import CannotRestore

    current = catalogue.get("c-1")
    catalogue.save(current.replace(confidential=True, address="釧路市ひみつ町1"), base=current, by="佐藤")
    made = next(c for c in history(catalogue, "c-1", reveal=True) if c.field == "confidential")
    with pytest.raises(CannotRestore, match="confidential=no"):
        restore(catalogue, made.id, by="鈴木")
    assert catalogue.get("c-1").confidential and catalogue.get("c-1").address == "釧路市ひみつ町1"
    other = next(c for c in history(catalogue, "c-1", reveal=True) if c.field == "address")
    assert restore(catalogue, other.id, by="鈴木").confidential  # other fields of it still restore
