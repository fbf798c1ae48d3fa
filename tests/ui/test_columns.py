"""The results column layout: a pure function of the width and the rows on screen."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from rich.text import Text

from tui.ui.widgets.columns import GAP, column_widths, fit, fit_plain
from tui.ui.widgets.results import COLUMN_KEYS

HEADERS = ("名称", "運営", "地域", "種別", "電話", "確認")
ROWS = [
    ("フードバンク釧路テスト支援センター", "NPO法人テスト釧路フードバンク連絡協議会", "釧路市", "食料支援・総合相談",
     "0154-00-0001",
     "2か月"),
    ("子ども食堂さっぽろ", "テスト札幌の会", "札幌市中央区", "食料支援", "011-000-0004", "未確認"),
    ("Food Bank Test Obihiro Centre", "", "帯広市", "食料支援", "", "1年"),
]


@pytest.mark.parametrize("width", [20, 30, 40, 60, 72, 78, 100, 118, 160, 198, 300])
def test_widths_fit_the_room_at_every_width(width):
    widths = column_widths(width, HEADERS, COLUMN_KEYS, ROWS)
    shown = [w for w in widths if w]
    assert sum(shown) + GAP * (len(shown) - 1) <= width
    assert widths[0] > 0  # the name always shows


@pytest.mark.parametrize("width", [60, 72, 78, 100, 160])
def test_the_name_gets_ten_japanese_characters_first(width):
    widths = column_widths(width, HEADERS, COLUMN_KEYS, ROWS)
    assert widths[0] >= 21  # ten full-width characters and the ellipsis


def test_short_columns_show_whole_and_the_rest_goes_to_name_then_organisation():
    widths = dict(zip(COLUMN_KEYS, column_widths(78, HEADERS, COLUMN_KEYS, ROWS)))
    assert widths["phone"] == cell_len("0154-00-0001") and widths["area"] == cell_len("札幌市中央区")
    assert widths["verified"] == cell_len("未確認")
    wide = dict(zip(COLUMN_KEYS, column_widths(200, HEADERS, COLUMN_KEYS, ROWS)))
    assert wide["organization"] == cell_len(ROWS[0][1]) and wide["needs"] == cell_len(ROWS[0][3])
    assert wide["name"] >= cell_len(ROWS[2][0])


def test_a_column_empty_in_every_visible_row_takes_no_room():
    rows = [(name, org, area, needs, "", age) for name, org, area, needs, _, age in ROWS]
    widths = dict(zip(COLUMN_KEYS, column_widths(100, HEADERS, COLUMN_KEYS, rows)))
    assert widths["phone"] == 0
    assert column_widths(100, HEADERS, COLUMN_KEYS, []) == (0,) * len(COLUMN_KEYS)


def test_too_narrow_drops_columns_from_the_right():
    widths = column_widths(24, HEADERS, COLUMN_KEYS, ROWS)
    assert widths[0] > 0 and widths[-1] == 0


@pytest.mark.parametrize("width", range(1, 40))
def test_fit_is_exact_and_every_cut_ends_in_an_ellipsis(width):
    for value in ("フードバンク釧路テスト支援センター", "NPO法人フードバンク", "0154-00-0001", "未確認", "a"):
        out = fit(Text(value), width)
        assert out.cell_len == width
        if cell_len(value) > width:
            assert out.plain.rstrip().endswith("…")
            assert value.startswith(out.plain.rstrip()[:-1])
        else:
            assert out.plain.rstrip() == value


def test_fit_keeps_styles():
    text = Text.assemble(("休止", "bold"), " テスト子ども食堂")
    out = fit(text, 8)
    assert out.plain.startswith("休止") and out.spans[0].style == "bold"


def test_at_200_columns_one_long_name_does_not_starve_the_organisation_and_needs():
    """The shipped catalogue has a 32-character name; the others still show their needs whole at 200 wide."""
    rows = [*ROWS, ("おびひろ地域若者サポートステーション（おびひろサポステ・プラス）", "キャリアバンク株式会社",
                    "帯広市", "就労支援・職場体験", "0155-66-7550", "未確認"),
            ("110番（身に危険が迫っているとき）", "社会福祉法人北海道社会福祉協議会", "全道", "DV・一時生活支援",
             "110", "未確認")]
    list_width = 200 - 64 - 1 - 2  # the detail pane (at most 64), its border, the list's margins
    widths = dict(zip(COLUMN_KEYS, column_widths(list_width, HEADERS, COLUMN_KEYS, rows)))
    assert widths["needs"] >= cell_len("DV・一時生活支援")
    assert widths["organization"] >= cell_len("社会福祉法人北海道社会福祉協議会") - 8
    assert widths["name"] >= 40  # twenty Japanese characters


def test_at_120_columns_the_organisation_is_not_starved_for_the_area():
    """Issue 22 item 6: at 120 columns the organisation got 3 characters (NPO…) while 地域 took a
    whole ward name. The results list is 71 cells there; area, organisation and needs share it."""
    rows = [*ROWS, ("ハンズハーベスト北海道", "NPO法人ハンズハーベスト北海道", "札幌市中央区", "食料支援",
                    "011-000-0009", "未確認")]
    widths = dict(zip(COLUMN_KEYS, column_widths(71, HEADERS, COLUMN_KEYS, rows)))
    assert widths["organization"] >= 8 and widths["needs"] >= 8
    assert widths["organization"] >= widths["area"] and widths["needs"] >= widths["area"]
    assert widths["name"] >= 21 and widths["phone"] == cell_len("0154-00-0001")


CELLS = ["", "a", "釧路市", "フードバンクくしろ", "NPO法人 テスト  ", "ab cd ef", "ｶﾀｶﾅ半角", "0154-00-0001",
         "全角　空白のある名前", "末尾が空白 ", "🍙おにぎり", "x" * 40]


@pytest.mark.parametrize("plain", CELLS)
def test_a_plain_cell_is_fitted_as_its_text_would_be(plain):
    # The results list fits a cell without spans as a string (fit_plain): the same cells as fit().
    for width in range(0, 26):
        assert fit_plain(plain, width) == fit(Text(plain), width).plain, (plain, width)
        assert cell_len(fit_plain(plain, width)) == width
