"""The client handout: every place of the case once, escaped HTML, no confidential address."""

from __future__ import annotations

import os
import stat
from datetime import date

import pytest

from tui import config, paths
from tui.core.models import Resource
from tui.core.referrals.handout import make_handout, write_handout
from tui.core.referrals.log import ReferralLog, refer
from tui.core.store.catalogue import Catalogue
from tui.i18n import t

TODAY = date(2026, 11, 27)
FOOD = Resource(id="t-food", name="テスト食料庫 <script>alert(1)</script>", organization="A & B 協会", needs=("food",),
                area="01206", phone="0154-00-0000", hours="平日 9-17", how_to_refer="保険証を持参\n印鑑",
                url="javascript:alert(1)", last_verified="2026-04-01")
SHELTER = Resource(id="t-shelter", name="架空シェルター", needs=("dv",), area="01206", address="釧路市秘密町9-9",
                   postal_code="085-9999", phone="0120-000-000", transport="秘密町バス停すぐ", confidential=True)
OTHER = Resource(id="t-other", name="別ケースの窓口", needs=("food",), area="01206", phone="0154-22-2222")
SETTINGS = config.Settings(worker="担当A")


@pytest.fixture
def catalogue(tmp_path):
    with Catalogue.open(tmp_path / "c.db") as cat:
        cat.write([FOOD, SHELTER, OTHER])
        for rid, case in (("t-food", "C-1"), ("t-shelter", "C-1"), ("t-food", "C-1"), ("t-other", "C-2")):
            refer(cat, rid, case_ref=case, needs=[], area=None, desk=config.desk(SETTINGS), t=t)
        yield cat


def test_every_place_of_the_case_once(catalogue):
    with ReferralLog.open(paths.referral_log()) as log:
        handout = make_handout(log, "C-1", t=t, catalogue=catalogue, today=TODAY)
    assert [p.id for p in handout.places] == ["t-food", "t-shelter"]
    text = handout.text
    assert text.count("テスト食料庫") == 1 and "架空シェルター" in text and "別ケースの窓口" not in text
    for expected in ("電話: 0154-00-0000", "受付時間: 平日 9-17", "手続き・持ち物: 保険証を持参", "印鑑",
                     "電話: 0120-000-000", "住所: 非公開（連絡は上記の窓口へ）", "控え番号 C-1", "作成日 2026-11-27"):
        assert expected in text, expected


def test_confidential_address_nowhere(catalogue, tmp_path):
    with ReferralLog.open(paths.referral_log()) as log:
        handout = make_handout(log, "C-1", t=t, catalogue=catalogue, today=TODAY)
        snapshot_only = make_handout(log, "C-1", t=t, catalogue=None, today=TODAY)  # catalogue gone: snapshots
    txt, page = write_handout(handout, tmp_path / "out")
    for content in (handout.text, handout.html, snapshot_only.text, snapshot_only.html,
                    txt.read_text(encoding="utf-8"), page.read_text(encoding="utf-8")):
        assert "秘密町" not in content and "085-9999" not in content
        assert "0120-000-000" in content


def test_html_escapes_catalogue_text(catalogue):
    with ReferralLog.open(paths.referral_log()) as log:
        page = make_handout(log, "C-1", t=t, catalogue=catalogue, today=TODAY).html
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "A &amp; B 協会" in page
    assert "href=" not in page  # a URL from a spreadsheet is text, never a link
    assert "保険証を持参<br>印鑑" in page
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page


def test_places_the_person_will_not_use_are_left_off(catalogue):
    with ReferralLog.open(paths.referral_log()) as log:
        shelter = next(r for r in log.find(case_ref="C-1") if r.resource_id == "t-shelter")
        log.set_status(shelter.id, "declined")
        handout = make_handout(log, "C-1", t=t, catalogue=catalogue, today=TODAY)
    assert [p.id for p in handout.places] == ["t-food"]


def test_english_and_empty(catalogue, tmp_path):
    with ReferralLog.open(paths.referral_log()) as log:
        english = make_handout(log, "C-1", t=t, catalogue=catalogue, lang="en", today=TODAY)
        empty = make_handout(log, "C-404", t=t, catalogue=catalogue, today=TODAY)
        japanese = make_handout(log, "C-1", t=t, catalogue=catalogue, today=TODAY)
    assert english.text.startswith("Places you have been referred to") and "Phone: 0154-00-0000" in english.text
    title, rule = english.text.splitlines()[:2]
    assert rule == "=" * len(title)  # the rule under the title was the Japanese title's 24 cells
    ja_title, ja_rule = japanese.text.splitlines()[:2]
    assert len(ja_rule) == sum(2 if ord(ch) > 0x2000 else 1 for ch in ja_title)
    assert "Confidential" in english.text
    assert "（紹介先はまだありません）" in empty.text and empty.places == ()
    txt, page = write_handout(empty, tmp_path / "h")
    assert txt.name == "handout-C-404.txt" and page.name == "handout-C-404.html"
    if os.name == "posix":
        assert stat.S_IMODE(txt.stat().st_mode) == 0o600


def qr_modules(svg: str) -> list[list[int]]:
    """The dark modules an SVG of ``qr_svg`` draws (runs ``M x y h n v1 h-n z``), quiet zone cut off."""
    import re

    from tui.core.referrals.handout import QR_BORDER

    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    grid = [[0] * size for _ in range(size)]
    path = re.search(r'<path fill="#000" d="([^"]*)"', svg).group(1)
    for x, y, n in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", path):
        for i in range(int(n)):
            grid[int(y)][int(x) + i] = 1
    assert re.sub(r"M(\d+) (\d+)h(\d+)v1h-\3z", "", path) == ""  # nothing drawn that was not read
    inner = size - 2 * QR_BORDER
    return [row[QR_BORDER:QR_BORDER + inner] for row in grid[QR_BORDER:QR_BORDER + inner]]


def test_html_handout_has_a_qr_code_per_phone_and_web_address_that_encodes_what_is_shown(tmp_path):
    import re

    import segno

    both = Resource(id="t-web", name="二つの電話の窓口", needs=("food",), area="01206",
                    phone="0154-11-2222（代表）／0120-333-444", url="https://example.org/madoguchi")
    with Catalogue.open(tmp_path / "q.db") as cat:
        cat.write([both, FOOD])
        refer(cat, "t-web", case_ref="Q-1", needs=[], area=None, desk=config.desk(SETTINGS), t=t)
        refer(cat, "t-food", case_ref="Q-1", needs=[], area=None, desk=config.desk(SETTINGS), t=t)
        with ReferralLog.open(paths.referral_log()) as log:
            handout = make_handout(log, "Q-1", t=t, catalogue=cat, today=TODAY)
    page = handout.html
    figures = re.findall(r'<figure class="qr">(<svg.*?</svg>)<figcaption>([^<]*)</figcaption></figure>', page)
    shown_phones = re.findall(r"\d{3,4}-\d{2,3}-\d{3,4}", " ".join(re.findall(r"<dt>電話</dt><dd>([^<]*)</dd>", page)))
    assert shown_phones == ["0154-11-2222", "0120-333-444", "0154-00-0000"]
    # One code per number shown and per http(s) address; never for javascript: (FOOD's url).
    assert [caption for _, caption in figures] == [*shown_phones[:2], "https://example.org/madoguchi", shown_phones[2]]
    for svg, caption in figures:
        data = caption if caption.startswith("https://") else "tel:" + caption.replace("-", "")
        assert qr_modules(svg) == [list(row) for row in segno.make(data, error="m", micro=False).matrix], caption
    assert "javascript" not in "".join(svg for svg, _ in figures)
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "<figure" not in handout.text  # the text handout is unchanged


def test_no_dead_end_a_place_without_contact_says_what_to_do_and_the_office_is_named(tmp_path):
    """Issue 23 #4: an entry with no phone or address says so and what to do; the handout names the
    counsellor's office (and number) as the place to come back to; a place elsewhere with no known
    transport help speaks to the client, not of app keys."""
    settings = config.Settings(worker="担当A", office="釧路生活相談支援センター", office_phone="0154-00-9999")
    with Catalogue.open(tmp_path / "c.db") as catalogue:
        catalogue.write([
            Resource(id="nowhere", name="連絡先の分からない窓口", needs=("food",), area="01206"),
            Resource(id="phoned", name="電話のある窓口", needs=("food",), area="01206", phone="0154-00-0001"),
        ])
        for rid in ("nowhere", "phoned"):  # the client is in 厚岸町; both places are in 釧路市
            refer(catalogue, rid, case_ref="C-9", needs=["food"], area="01662", desk=config.desk(settings), t=t)
        with ReferralLog.open(paths.referral_log()) as log:
            sheet = make_handout(log, "C-9", t=t, catalogue=catalogue, today=TODAY, office=settings.back_to())
    for text in (sheet.text, sheet.html):
        assert text.count("電話番号も住所も分かっていません") == 1  # the place without, not the one with
        assert "いつでもこちらへ: 釧路生活相談支援センター（0154-00-9999）" in text
        assert "厚岸町から使える交通費・移動の支援は、まだ見つかっていません" in text
        assert "n 交通" not in text
    assert config.Settings(office="釧路").back_to() == "釧路" and config.Settings().back_to() == ""


def test_paired_transport_in_english_names_the_town_in_romaji_and_the_key_in_english(tmp_path):
    """Seen in tmux: English said "No transport scheme serving 網走市 … (look with n 交通 in the app)"."""
    from tui.core.referrals.notes import paired_transport

    with Catalogue.open(tmp_path / "c.db") as catalogue:
        catalogue.write([Resource(id="far", name="遠くの窓口", needs=("shelter",), area="01208")])  # 北見市
        said = paired_transport(catalogue, catalogue.get("far"), "01211", "en", t=t)  # the client in 網走市
        assert "Abashiri-shi" in said and "n Transport" in said
        assert not any("\u3040" <= ch <= "\u9fff" for ch in said), said
        assert "網走市" in paired_transport(catalogue, catalogue.get("far"), "01211", "ja", t=t)
