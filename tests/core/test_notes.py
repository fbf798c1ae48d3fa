"""The referral note: every field, blank ones left out, 未確認/要確認, transport schemes,
confidential addresses, and the office's own template winning over the shipped one."""

from __future__ import annotations

import os
import stat
from datetime import date

import pytest

from tui.core.models import Resource
from tui.core.referrals.notes import (
    append_note,
    compose_note,
    load_template,
    needs_transport_help,
    render,
    template_path,
    verification,
)
from tui.core.store.catalogue import Catalogue
from tui.i18n import t

TODAY = date(2026, 11, 27)

FULL = Resource(
    id="t-full", name="テスト食料庫くしろ", organization="架空フードバンク協会", needs=("food",), area="01206",
    address="釧路市架空町1-2-3", postal_code="085-0000", phone="0154-00-0000", fax="0154-00-0001",
    email="food@example.invalid", url="https://example.invalid/food", hours="月〜金 9:00-17:00",
    eligibility="釧路市内に住む人", cost="無料", how_to_refer="事前に電話\n本人確認書類を持参", capacity="1日10世帯",
    transport="釧路駅からバス10分", languages=("ja", "en"), last_verified="2026-04-01",
)
SHELTER = Resource(
    id="t-shelter", name="架空シェルター", organization="架空女性支援ネット", needs=("dv", "shelter"), area="01206",
    address="釧路市秘密町9-9", postal_code="085-9999", phone="0120-000-000", transport="秘密町バス停すぐ",
    confidential=True, last_verified="2026-10-01",
)
FARM = Resource(
    id="t-farm", name="架空牧場の職場体験", organization="架空牧場", needs=("work_experience",), area="01668",
    phone="01547-0-0000", last_verified="2024-01-10",
)
SCHEME = Resource(
    id="t-bus", name="架空就職活動応援（交通費）", organization="架空社協", needs=("transport",), serves=("kushiro",),
    area="01206", phone="0154-11-1111", last_verified="2026-06-01",
)
FAR_SCHEME = Resource(id="t-far-bus", name="遠くの交通費助成", needs=("transport",), area="01100", phone="011-0")


@pytest.fixture
def catalogue(tmp_path):
    with Catalogue.open(tmp_path / "c.db") as cat:
        cat.write([FULL, SHELTER, FARM, SCHEME, FAR_SCHEME])
        yield cat


def test_every_field_reaches_the_note(catalogue):
    note = compose_note(catalogue, FULL, t=t, today=TODAY, remarks="火曜に同行予定")
    for text in ("【紹介先】テスト食料庫くしろ", "運営: 架空フードバンク協会", "電話: 0154-00-0000", "FAX: 0154-00-0001",
                 "メール: food@example.invalid", "https://example.invalid/food", "住所: 〒085-0000 釧路市架空町1-2-3",
                 "地域: 釧路市", "受付時間: 月〜金 9:00-17:00", "対象: 釧路市内に住む人", "費用: 無料", "定員: 1日10世帯",
                 "交通: 釧路駅からバス10分", "確認日: 2026-04-01", "備考: 火曜に同行予定", "対応言語: ja、en"):
        assert text in note, text
    # A value on several lines stays under its label.
    assert "つなぎ方・持ち物: 事前に電話\n  本人確認書類を持参" in note
    assert "未確認" not in note and "要確認" not in note and "交通費・移動の支援" not in note


def test_blank_fields_are_left_out(catalogue):
    bare = Resource(id="t-bare", name="名前だけの窓口", area="01206")
    note = compose_note(catalogue, bare, t=t, today=TODAY)
    lines = note.splitlines()
    assert lines[0] == "【紹介先】名前だけの窓口"
    assert not any(line.rstrip().endswith(":") for line in lines), note
    for label in ("運営", "電話", "FAX", "メール", "住所", "受付時間", "費用", "定員", "交通", "備考"):
        assert f"{label}:" not in note
    assert "確認日: 未確認（連絡先・内容は利用前に確認してください）" in note


def test_verification_states():
    assert verification("", TODAY) == "未確認（連絡先・内容は利用前に確認してください）"
    assert verification("2026-01-05", TODAY) == "2026-01-05"
    assert verification("2025-11-27", TODAY) == "2025-11-27"  # exactly a year: still fine
    assert verification("2025-11-26", TODAY) == "2025-11-26 要確認（最終確認から1年以上）"
    assert "check again" in verification("2020-01-01", TODAY, "en")
    assert verification("", TODAY, "en").startswith("Not verified")


def test_stale_resource_says_check_again(catalogue):
    assert "確認日: 2024-01-10 要確認（最終確認から1年以上）" in compose_note(catalogue, FARM, t=t, today=TODAY)


def test_confidential_address_never_reaches_the_note(catalogue):
    note = compose_note(catalogue, SHELTER, t=t, today=TODAY)
    assert "秘密町" not in note and "085-9999" not in note
    assert "住所: 非公開（連絡は上記の窓口へ）" in note
    assert "電話: 0120-000-000" in note
    assert "地域:" not in note  # not even the town


def test_work_experience_without_transport_lists_schemes_serving_its_area(catalogue):
    assert needs_transport_help(FARM)
    note = compose_note(catalogue, FARM, t=t, today=TODAY)
    assert "交通費・移動の支援: 架空就職活動応援（交通費）（架空社協） 電話 0154-11-1111" in note
    assert "遠くの交通費助成" not in note  # serves Sapporo, not 白糠町


@pytest.mark.parametrize("transport", ["公共交通機関がありません。車で30分", "公共交通なし", "No public transport; car needed"])
def test_no_public_transport_wording_triggers_schemes(catalogue, transport):
    place = FULL.replace(id="t-x", transport=transport, needs=("food",))
    assert needs_transport_help(place)
    assert "架空就職活動応援" in compose_note(catalogue, place, t=t, today=TODAY)


def test_reachable_place_gets_no_schemes(catalogue):
    assert not needs_transport_help(FULL)
    assert not needs_transport_help(FARM.replace(transport="駅から徒歩5分"))


def test_english_note(catalogue):
    note = compose_note(catalogue, FARM, t=t, lang="en", today=TODAY)
    assert note.startswith("[Referred to] 架空牧場の職場体験")
    assert "Phone: 01547-0-0000" in note
    assert "Transport assistance: 架空就職活動応援（交通費）（架空社協） phone 0154-11-1111" in note
    assert "check again" in note


def test_the_english_note_names_the_area_in_english(catalogue):
    """Area: 全道 and Area: 釧路市 were left in English notes (seen in the English referral log)."""
    assert "Area: Kushiro-shi" in compose_note(catalogue, FULL, t=t, lang="en", today=TODAY)
    everywhere = FARM.replace(id="t-line", area="hokkaido")
    assert "Area: All Hokkaido" in compose_note(catalogue, everywhere, t=t, lang="en", today=TODAY)
    assert "地域: 全道" in compose_note(catalogue, everywhere, t=t, today=TODAY)


def test_catalogue_text_is_data_not_template(catalogue):
    sly = FULL.replace(id="t-sly", name="$remarks ${phone} [b]太字[/b]", hours="$$100")
    note = compose_note(catalogue, sly, t=t, today=TODAY, remarks="")
    assert "【紹介先】$remarks ${phone} [b]太字[/b]" in note
    assert "受付時間: $$100" in note


def test_render_drops_comments_and_all_blank_lines_keeps_plain_text():
    template = "# comment $name\nA: $name\nB: $blank\nC: $name $blank\nplain line\nD: $unknown"
    assert render(template, {"name": "x", "blank": ""}) == "A: x\nC: x\nplain line\nD: $unknown"


def test_office_template_in_data_folder_wins(catalogue, isolated_home):
    assert template_path("ja", home=isolated_home).parent.name == "templates"
    (isolated_home / "note.ja.txt").write_text("# 事務所版\n紹介: $name / $phone\n空欄: $fax\n", encoding="utf-8")
    assert template_path("ja", home=isolated_home) == isolated_home / "note.ja.txt"
    assert compose_note(catalogue, SHELTER, t=t, today=TODAY, home=isolated_home) == "紹介: 架空シェルター / 0120-000-000"
    assert "[Referred to]" in load_template("en", home=isolated_home)  # the other language still uses the shipped one
    assert template_path("ja").parent.name == "templates"  # no data folder given: the shipped one


def test_note_file_is_appended_and_private(tmp_path):
    path = tmp_path / "notes" / "C-1.txt"
    append_note(path, "---- one ----", "first")
    append_note(path, "---- two ----", "second")
    assert path.read_text(encoding="utf-8") == "---- one ----\nfirst\n\n---- two ----\nsecond\n\n"
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_an_unverified_note_says_where_its_facts_come_from(catalogue):
    sourced = Resource(id="t-src", name="テスト相談ライン", phone="0120-000-000",
                       source="https://example.invalid/page（2026年1月）")
    assert "出典: https://example.invalid/page（2026年1月）" in compose_note(catalogue, sourced, t=t, today=TODAY)
    checked = sourced.replace(last_verified="2026-10-01")
    assert "出典:" not in compose_note(catalogue, checked, t=t, today=TODAY)
    assert "Source: https://example.invalid/page" in compose_note(catalogue, sourced, t=t, lang="en", today=TODAY)


def test_a_programme_serving_all_hokkaido_lists_no_town_s_scheme_but_the_clients(catalogue):
    # nu34: a work-experience programme run for all Hokkaido, referred for a client in 月形町, listed
    # the bus subsidies of 中札内村, 幕別町, 遠軽町 and 陸別町 — every town's, none the client's.
    everywhere = FARM.replace(id="t-all", name="全道の就労準備", area="hokkaido")
    assert needs_transport_help(everywhere)
    note = compose_note(catalogue, everywhere, t=t, today=TODAY)
    assert "架空就職活動応援" not in note and "遠くの交通費助成" not in note and "交通費・移動の支援" not in note
    for_kushiro = compose_note(catalogue, everywhere, t=t, today=TODAY, area="01206")
    assert "架空就職活動応援（交通費）（架空社協） 電話 0154-11-1111" in for_kushiro  # the client's town's
    assert "遠くの交通費助成" not in for_kushiro
