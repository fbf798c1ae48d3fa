"""Relevance: what counsellors type → the resource they mean, near the top.

A small hand-written catalogue of synthetic resources (names shaped like the ones
in the exchange-meeting report; no contact details, nothing about a real body).
"""

from __future__ import annotations

import pytest

from tui.core.models import Resource
from tui.core.store.catalogue import Catalogue

# id, name, reading, organisation, needs, area, serves, status, last_verified
ROWS = [
    ("kfood", "釧路フードバンク", "くしろふーどばんく", "NPO法人くしろ食の輪", "food", "釧路市", "釧路", "active", "2026-03-01"),
    ("kseikatsu", "釧路市生活相談支援センター", "くしろしせいかつそうだんしえんせんたー", "社会福祉法人釧路市社会福祉協議会",
     "consultation;loans", "釧路市", "", "active", "2025-11-01"),
    ("kcho", "釧路町フードドライブ", "くしろちょうふーどどらいぶ", "", "food", "釧路町", "", "active", "2025-01-10"),
    ("kpaused", "釧路ふーどパントリー", "くしろふーどぱんとりー", "", "food", "釧路市", "", "paused", "2026-03-20"),
    ("kclosed", "釧路フードバンク旧窓口", "くしろふーどばんくきゅうまどぐち", "", "food", "釧路市", "", "closed", "2026-03-25"),
    ("sparrow", "スパロウ荘", "すぱろうそう", "NPO法人ワークフェア北", "shelter;housing", "札幌市中央区", "全道", "active", ""),
    ("sapo", "さっぽろ若者サポートステーション", "さっぽろわかものさぽーとすてーしょん", "一般社団法人北の若者",
     "employment;work_experience", "札幌市北区", "札幌市", "active", "2025-06-01"),
    ("hw", "ハローワーク十勝しごと窓口", "はろーわーくとかちしごとまどぐち", "", "employment", "帯広市", "十勝", "active", ""),
    ("houkatsu", "網走市北地域包括支援センター", "あばしりしきたちいきほうかつしえんせんたー", "", "care", "網走市", "", "active", ""),
    ("legal", "Legal Aid Hokkaido Desk", "", "", "legal", "札幌市中央区", "全道", "active", "2025-09-01"),
    ("npo", "NPOさっぽろ生活相談", "えぬぴーおーさっぽろせいかつそうだん", "", "consultation", "札幌市東区", "札幌市", "active", ""),
    ("kodomo", "函館子ども食堂ひまわり", "はこだてこどもしょくどうひまわり", "", "food;child", "函館市", "", "active", ""),
    ("tsukisamu", "月寒ふれあい相談室", "つきさむふれあいそうだんしつ", "", "consultation", "札幌市豊平区", "", "active", ""),
    ("tsukisappu", "月寒地区くらし支援", "つきさっぷちくくらししえん", "", "consultation", "浦河町", "", "active", ""),
    ("obira", "小平町ほっと支援", "おびらちょうほっとしえん", "", "consultation", "小平町", "", "active", ""),
    ("biratori", "平取町移送サービス", "びらとりちょういそうさーびす", "", "transport", "平取町", "", "active", ""),
    ("farm", "北見ファーム職場体験", "きたみふぁーむしょくばたいけん", "株式会社北見ファーム", "work_experience", "北見市",
     "オホーツク", "active", ""),
    ("dv", "女性相談シェルター十勝", "じょせいそうだんしぇるたーとかち", "", "dv;shelter", "帯広市", "", "active", ""),
    ("hikikomori", "ひきこもり家族会はまなす", "ひきこもりかぞくかいはまなす", "", "hikikomori;family", "旭川市", "上川",
     "active", ""),
    ("tabunka", "多文化共生センター小樽", "たぶんかきょうせいせんたーおたる", "", "foreign", "小樽市", "", "active", ""),
    ("hiyama", "檜山こころの相談", "ひやまこころのそうだん", "", "health", "江差町", "檜山", "active", ""),
    ("kasumi", "霞ヶ丘生活相談", "かすみがおかせいかつそうだん", "", "consultation", "旭川市", "", "active", ""),
    ("sfood", "さっぽろフードバンク", "さっぽろふーどばんく", "", "food", "札幌市東区", "", "active", "2024-05-01"),
    ("shiroishi", "白石区くらし相談", "しろいしくくらしそうだん", "", "consultation", "札幌市白石区", "", "active", ""),
    ("hfood", "北海道フードネット", "ほっかいどうふーどねっと", "", "food", "札幌市中央区", "全道", "active", ""),
    ("akkeshi", "厚岸ひだまり食堂", "あっけしひだまりしょくどう", "", "food", "厚岸町", "", "active", "2026-04-01"),
    ("stove", "ストーブ貸出ひだまり", "すとーぶかしだしひだまり", "社会福祉法人帯広市社会福祉協議会", "emergency_goods",
     "帯広市", "", "active", ""),
    # Names with no reading, as most shipped ones are: their words are read by the analyser,
    # their place names only from the area data (SudachiPy reads 小平 こだいら, 豊富 ほうふ…).
    ("takikawa", "滝川市生活支援窓口", "", "", "consultation", "滝川市", "", "active", ""),
    ("obira2", "小平生活相談室", "", "", "consultation", "小平町", "", "active", ""),
    ("biratori2", "平取移送支援", "", "", "transport", "平取町", "", "active", ""),
    ("taiki", "大樹就労支援センター", "", "", "employment", "大樹町", "", "active", ""),
    ("takinoue", "滝上生活支援窓口", "", "", "consultation", "滝上町", "", "active", ""),
    ("toyotomi", "豊富食料支援", "", "", "food", "豊富町", "", "active", ""),
    # The same words in two scripts: a match in the query's own script comes first.
    ("kushiro_en", "Kushiro Life Support Desk", "", "", "consultation", "釧路市", "", "active", ""),
    ("foodnet_en", "Sapporo Food Net", "さっぽろふーどねっと", "", "food", "札幌市中央区", "", "active", "2026-05-01"),
]


def build(path) -> Catalogue:
    catalogue = Catalogue.open(path)
    gazetteer = catalogue.gazetteer
    resources = [
        Resource(
            id=rid, name=name, name_kana=kana, organization=org, needs=tuple(needs.split(";")),
            area=gazetteer.resolve(area).code, serves=tuple(gazetteer.resolve(s).code for s in serves.split(";") if s),
            status=status, last_verified=verified,
        )
        for rid, name, kana, org, needs, area, serves, status, verified in ROWS
    ]
    catalogue.write(resources)
    return catalogue


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    with build(tmp_path_factory.mktemp("relevance") / "c.db") as catalogue:
        yield catalogue


# query → (expected id, must be within the first k hits)
CASES = [
    # kana, katakana, half-width
    ("くしろ ふーど", "kfood", 1),
    ("クシロ フード", "kfood", 1),
    ("ｸｼﾛ ﾌｰﾄﾞ", "kfood", 1),
    ("くしろふーどばんく", "kfood", 1),
    ("ﾌｰﾄﾞﾊﾞﾝｸ", "kfood", 2),
    ("すぱろう", "sparrow", 1),
    ("ｽﾊﾟﾛｰ", "sparrow", 1),
    ("スパロー", "sparrow", 1),
    # romaji (Hepburn and Kunrei), with and without an unfinished syllable, and ASCII kept
    ("kushiro", "kfood", 3),
    ("kushiro food", "kfood", 2),
    ("kushir", "kfood", 3),
    ("suparou", "sparrow", 1),
    ("biratori", "biratori", 2),  # 平取町くらし支援 below is read びらとり too
    ("hakodate", "kodomo", 1),
    ("otaru", "tabunka", 1),
    ("Legal Aid", "legal", 1),
    ("legal aid hokkaido", "legal", 1),
    ("NPO さっぽろ", "npo", 1),
    # typos and dropped long vowels
    ("すばろう", "sparrow", 1),
    ("くしろ ふど", "kfood", 1),
    ("ふーどばんこ", "kfood", 3),
    ("はろーわく", "hw", 1),
    ("hokkaido", "hfood", 3),
    # readings come from data: places no reading library gets right
    ("おびら", "obira", 2),  # as is 小平生活相談室
    ("びらとり", "biratori", 2),
    ("つきさむ", "tsukisamu", 1),
    ("つきさっぷ", "tsukisappu", 1),
    # multi-word, mixed kanji+kana runs, areas
    ("釧路市せいかつ", "kseikatsu", 1),
    ("子ども食堂 はこだて", "kodomo", 1),
    ("ひきこもり あさひかわ", "hikikomori", 1),
    ("白石区 くらし", "shiroishi", 1),
    ("ほっかいどう ふーど", "hfood", 1),
    ("北見 ふぁーむ", "farm", 1),
    ("十勝 ストーブ", "stove", 1),
    # needs: labels, English, synonyms
    ("食べ物 くしろ", "kfood", 2),
    ("ＤＶ", "dv", 1),
    ("シェルター とかち", "dv", 1),
    ("灯油 おびひろ", "stove", 1),
    # abbreviations
    ("サポステ", "sapo", 1),
    ("さっぽろ サポステ", "sapo", 1),
    ("ハロワ", "hw", 1),
    ("ハロワ とかち", "hw", 1),
    ("包括 網走", "houkatsu", 1),
    ("社協 くしろ", "kseikatsu", 1),
    # legal forms neither match nor dilute
    ("株式会社北見ファーム", "farm", 1),
    ("（株）北見ファーム", "farm", 1),
    ("社会福祉法人 釧路市社会福祉協議会", "kseikatsu", 1),
    # spelling variants
    ("桧山", "hiyama", 1),
    ("霞ケ丘", "kasumi", 1),
    ("こども食堂", "kodomo", 1),
    # need synonyms typed in kana, and the words people use for the consultation window
    ("たべもの くしろ", "kfood", 2),
    ("たべもの", "kfood", 3),
    ("せいかつほご くしろ", "kseikatsu", 1),
    ("生活保護 くしろ", "kseikatsu", 1),
    ("生活保護", "kseikatsu", 10),
    ("福祉事務所 くしろ", "kseikatsu", 1),
    ("生活保護の相談", "kseikatsu", 10),
    # small kana and long vowels folded in every field (the organisation here: ワークフェア)
    ("わーくふえあ", "sparrow", 1),
    ("わくふぇあ", "sparrow", 1),
    ("ワークフエア", "sparrow", 1),
    # romaji typos, found like kana typos
    ("kushro", "kfood", 3),
    ("obhiro", "dv", 3),
    ("おびひる", "dv", 3),  # a place named with a kana typo
    # readings of the ordinary words in names that have none
    ("たきかわ せいかつしえん", "takikawa", 1),
    ("せいかつしえんまどぐち", "takikawa", 2),
    ("おびらせいかつ", "obira2", 1),
    ("びらとりいそう", "biratori2", 1),
    ("たいきしゅうろう", "taiki", 1),
    ("たきのうえせいかつ", "takinoue", 1),
    ("とよとみしょくりょう", "toyotomi", 1),
]


@pytest.mark.parametrize(("query", "expected", "within"), CASES, ids=[c[0] for c in CASES])
def test_query_finds_the_intended_resource(catalogue, query, expected, within):
    ids = [hit.id for hit in catalogue.search(query, limit=10)]
    assert expected in ids[:within], f"{query!r} → {ids}"


def test_enough_cases():
    assert len(CASES) >= 40


@pytest.mark.parametrize(
    ("misread", "resource"),
    [("こだいら", "obira2"), ("ひらとり", "biratori2"), ("たいじゅ", "taiki"), ("たきがみ", "takinoue"),
     ("ほうふ", "toyotomi")],
)
def test_place_names_in_names_are_never_read_by_the_analyser(catalogue, misread, resource):
    # SudachiPy reads these names こだいら…, ひらとり…, たいじゅ…, たきがみ…, ほうふ…:
    # a misreading finds the resource at most as a faint typo.
    assert all(h.score < 70 for h in catalogue.search(misread, limit=50) if h.id == resource)


@pytest.mark.parametrize(
    ("query", "first", "then"),
    [("kushiro", "kushiro_en", "kfood"), ("ふーどねっと", "hfood", "foodnet_en")],
)
def test_a_match_in_the_querys_own_script_ranks_first(catalogue, query, first, then):
    ids = [h.id for h in catalogue.search(query, limit=20)]
    assert ids.index(first) < ids.index(then), ids


def test_a_romaji_typo_is_one_typo_not_two(catalogue):
    # kushro is くしろ with a vowel dropped; its guesses (くしゅろ…) must not be stretched by one
    # more wrong kana into 就労 (しゅうろう).
    ids = [h.id for h in catalogue.search("kushro", limit=50)]
    assert "kfood" in ids and "taiki" not in ids, ids


def test_no_need_filter_is_none(catalogue):
    assert len(catalogue.search("", area=None, needs=None, limit=100)) == len(catalogue.search("", limit=100))
    assert catalogue.search("くしろ ふーど", needs=None)[0].id == "kfood"


def test_every_shipped_name_with_seikatsu_is_found_by_its_reading(tmp_path):
    import shutil
    from pathlib import Path

    shutil.copy(Path(__file__).resolve().parents[2] / "resources.db", tmp_path / "shipped.db")
    with Catalogue.open(tmp_path / "shipped.db") as shipped:
        names = {r.id for r in shipped.resources() if "生活" in r.name and r.status != "closed"}
        found = {h.id for h in shipped.search("せいかつ", limit=500) if h.matched in ("name", "kana")}
    assert len(names) >= 10  # 12 of the 34 shipped names
    assert names <= found, sorted(names - found)


def test_closed_resources_never_appear(catalogue):
    for query in ("釧路フードバンク旧窓口", "きゅうまどぐち", "くしろ", ""):
        assert "kclosed" not in [h.id for h in catalogue.search(query, limit=100)]


def test_paused_resources_come_after_active_ones(catalogue):
    hits = catalogue.search("くしろ ふーど", limit=20)
    statuses = [h.status for h in hits]
    assert "paused" in statuses
    assert statuses == sorted(statuses)  # "active" < "paused"


def test_a_name_match_beats_a_match_elsewhere(catalogue):
    # 厚岸ひだまり食堂 is in the 釧路 subprefecture and verified most recently, yet every
    # row with くしろ in its name or reading comes first.
    hits = [h for h in catalogue.search("くしろ") if h.status == "active"]
    assert hits[0].matched in ("name", "kana")
    fields = [h.matched for h in hits]
    assert fields.index("area") > max(i for i, f in enumerate(fields) if f in ("name", "kana"))


def test_tsukisamu_in_sapporo_is_not_tsukisappu_in_urakawa(catalogue):
    # Same kanji, readings from data; the other one may follow only as a low typo suggestion.
    for query, meant, other in (("つきさむ", "tsukisamu", "tsukisappu"), ("つきさっぷ", "tsukisappu", "tsukisamu")):
        hits = catalogue.search(query)
        assert hits[0].id == meant and hits[0].score >= 90
        assert all(h.score < 70 for h in hits if h.id == other)


def test_every_keystroke_keeps_the_resource_in_view(catalogue):
    # く→くし→くしろ→くしろ ふ→くしろ ふーど, as the finder searches on each key.
    for typed, within in (("く", 5), ("くし", 5), ("くしろ", 5), ("くしろ ", 5), ("くしろ ふ", 3), ("くしろ ふー", 1),
                          ("くしろ ふーど", 1)):
        ids = [hit.id for hit in catalogue.search(typed, limit=10)]
        assert "kfood" in ids[:within], f"{typed!r} → {ids}"


def test_a_catalogue_that_cannot_store_its_index_still_searches(tmp_path, monkeypatch):
    import sqlite3
    from contextlib import contextmanager

    from tui.core.search import build as search_build
    @contextmanager
    def read_only(_conn):
        raise sqlite3.OperationalError("attempt to write a readonly database")
        yield  # pragma: no cover

    monkeypatch.setattr(search_build, "transaction", read_only)
    with build(tmp_path / "c.db") as catalogue:
        assert catalogue.search("くしろ ふーど")[0].id == "kfood"
        stored = catalogue.conn.execute("SELECT count(*) FROM search_index").fetchone()[0]
    assert stored == 0
