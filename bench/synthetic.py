"""Deterministic synthetic catalogues for benchmarks and tests (never for resources.db).

``resources(n, seed)`` yields rows keyed by the SPEC's English column names, values as
CSV strings, shaped like what Hokkaido offices keep: services named after real places
(釧路市フードバンク, くしろ生活相談センター), organisation kinds (社会福祉協議会, NPO法人,
社会福祉法人, 株式会社 employers for work experience), kana readings for every generated
name, some English names, phones in an obviously fake 555 range, some paused or closed
rows and some verification dates. Names are combinations of place names and kinds, so
they are clearly generated; no fact about a real organisation is made up.

    python bench/synthetic.py 1000 out.csv [--seed 0]
"""

from __future__ import annotations

import csv
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"
COLUMNS = (
    "id", "name", "name_kana", "organization", "description", "needs", "area", "serves", "address",
    "postal_code", "phone", "fax", "email", "url", "hours", "eligibility", "cost", "how_to_refer",
    "capacity", "transport", "languages", "notes", "last_verified", "status", "confidential",
)

# (service name, reading, English name, need codes): what a place offers.
SERVICES = [
    ("フードバンク", "ふーどばんく", "Food Bank", "food"),
    ("フードパントリー", "ふーどぱんとりー", "Food Pantry", "food;child"),
    ("子ども食堂", "こどもしょくどう", "Children's Kitchen", "food;child"),
    ("生活相談センター", "せいかつそうだんせんたー", "Life Consultation Centre", "consultation;loans"),
    ("自立相談支援センター", "じりつそうだんしえんせんたー", "Self-reliance Support Centre", "consultation;household_budget"),
    ("くらしサポートセンター", "くらしさぽーとせんたー", "Living Support Centre", "consultation;emergency_goods"),
    ("地域包括支援センター", "ちいきほうかつしえんせんたー", "Community Care Centre", "care;consultation"),
    ("地域若者サポートステーション", "ちいきわかものさぽーとすてーしょん", "Youth Support Station", "employment;work_experience"),
    ("ハローワーク", "はろーわーく", "Employment Office", "employment"),
    ("就労準備支援事業", "しゅうろうじゅんびしえんじぎょう", "Work Readiness Programme", "work_experience;employment"),
    ("居住支援法人", "きょじゅうしえんほうじん", "Housing Support", "housing"),
    ("シェルター", "しぇるたー", "Shelter", "shelter;dv"),
    ("一時生活支援事業", "いちじせいかつしえんじぎょう", "Temporary Living Support", "shelter;housing"),
    ("ひきこもり相談窓口", "ひきこもりそうだんまどぐち", "Hikikomori Support", "hikikomori;family"),
    ("家族会", "かぞくかい", "Family Association", "family;hikikomori"),
    ("女性相談窓口", "じょせいそうだんまどぐち", "Women's Consultation", "dv;consultation"),
    ("生理用品配布", "せいりようひんはいふ", "Period Products", "hygiene"),
    ("移送サービス", "いそうさーびす", "Transport Service", "transport;care"),
    ("こころの相談室", "こころのそうだんしつ", "Mental Health Desk", "health"),
    ("障がい者相談支援事業所", "しょうがいしゃそうだんしえんじぎょうしょ", "Disability Support Office", "disability"),
    ("法律相談会", "ほうりつそうだんかい", "Legal Clinic", "legal"),
    ("多文化共生センター", "たぶんかきょうせいせんたー", "Multicultural Centre", "foreign;consultation"),
    ("緊急物資貸出", "きんきゅうぶっしかしだし", "Emergency Goods Loan", "emergency_goods"),
    ("家計相談", "かけいそうだん", "Household Budget Advice", "household_budget"),
]
# Friendly words that small groups put in their names, with readings.
NICKNAMES = [
    ("ひまわり", "ひまわり"), ("あおぞら", "あおぞら"), ("スパロウ", "すぱろう"), ("はまなす", "はまなす"),
    ("すずらん", "すずらん"), ("ライラック", "らいらっく"), ("つばさ", "つばさ"), ("ほっと", "ほっと"),
    ("えぞりす", "えぞりす"), ("こもれび", "こもれび"), ("みちしるべ", "みちしるべ"), ("ポプラ", "ぽぷら"),
    ("虹の橋", "にじのはし"), ("北の灯", "きたのあかり"), ("結いの輪", "ゆいのわ"), ("オーロラ", "おーろら"),
]
# Employers that take work-experience trainees.
TRADES = [
    ("農園", "のうえん", "work_experience"), ("水産加工", "すいさんかこう", "work_experience;employment"),
    ("清掃サービス", "せいそうさーびす", "work_experience"), ("ベーカリー", "べーかりー", "work_experience"),
    ("運輸", "うんゆ", "work_experience;employment"), ("介護サービス", "かいごさーびす", "work_experience;care"),
]
LEGAL_FORMS = ["社会福祉法人", "NPO法人", "特定非営利活動法人", "一般社団法人", "株式会社", "（株）", "社福）"]
HOURS = ["平日 9:00-17:00", "月・水・金 10:00-16:00", "毎月第2土曜 13:00-15:00", "24時間（電話）", "要予約", ""]
COSTS = ["無料", "無料", "上限5,000円", "実費", ""]
REFER = ["電話で予約のうえ本人確認書類を持参", "相談員から電話で連絡", "窓口で申込書を記入", "メールで申込", ""]


def _areas() -> tuple[list[dict[str, str]], dict[str, list[str]]]:
    with open(SEED_DIR / "areas.csv", encoding="utf-8", newline="") as f:
        places = [row for row in csv.DictReader(f) if row["jis_code"] != "01100"]  # wards stand for Sapporo
    postal: dict[str, list[str]] = {}
    with open(SEED_DIR / "postal_codes.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            postal.setdefault(row["jis_code"], []).append(row["postal_code"])
    return places, postal


def _stem(name: str, kana: str) -> tuple[str, str]:
    """釧路市/くしろし → 釧路/くしろ, so names read 釧路フードバンク as well as 釧路市フードバンク."""
    for suffix, reading in (("市", "し"), ("町", "ちょう"), ("町", "まち"), ("村", "むら"), ("村", "そん")):
        if name.endswith(suffix) and kana.endswith(reading) and "区" not in name:
            return name[:-1], kana[: -len(reading)]
    return name, kana


def resources(n: int, seed: int = 0) -> Iterator[dict[str, str]]:
    """``n`` synthetic resource rows, the same for the same ``seed``."""
    rng = random.Random(seed)
    places, postal = _areas()
    # Big places hold more resources, as they do in life: Sapporo's wards and cities first.
    weights = [8 if p["kind"] == "ward" else 4 if p["kind"] == "city" else 1 for p in places]
    by_sub: dict[str, list[dict[str, str]]] = {}
    for place in places:
        by_sub.setdefault(place["subprefecture"], []).append(place)
    today = date(2026, 4, 1)
    for i in range(n):
        place = rng.choices(places, weights)[0]
        stem, stem_kana = _stem(place["name"], place["kana"])
        use_stem = rng.random() < 0.5
        where, where_kana = (stem, stem_kana) if use_stem else (place["name"], place["kana"])
        roll = rng.random()
        service, service_kana, english, needs = rng.choice(SERVICES)
        organization = ""
        if roll < 0.12:  # an employer taking trainees
            nick, nick_kana = rng.choice(NICKNAMES)
            trade, trade_kana, needs = rng.choice(TRADES)
            name, kana = f"{nick}{trade}", f"{nick_kana}{trade_kana}"
            organization = f"株式会社{where}{nick}"
        elif roll < 0.35:  # a small group with a friendly name
            nick, nick_kana = rng.choice(NICKNAMES)
            name, kana = f"{where}{nick}{service}", f"{where_kana}{nick_kana}{service_kana}"
            form = rng.choice(LEGAL_FORMS[:4])
            organization = f"{form}{nick}の会"
        elif roll < 0.42:  # an English name, as some groups use
            name = f"{place['romaji'].split('-')[0].title()} {english}"
            kana = ""
            organization = f"NPO法人{where}{rng.choice(NICKNAMES)[0]}"
        else:  # the council or the town's own window
            name, kana = f"{where}{service}", f"{where_kana}{service_kana}"
            organization = f"社会福祉法人{place['name']}社会福祉協議会" if rng.random() < 0.6 else place["name"]
        if rng.random() < 0.3:
            extra = rng.choice(SERVICES)[3].split(";")[0]
            needs = ";".join(dict.fromkeys(needs.split(";") + [extra]))
        serves = ""
        spread = rng.random()
        if spread < 0.05:
            serves = "全道"
        elif spread < 0.2:
            serves = place["subprefecture"] + rng.choice(["", "振興局" if place["subprefecture"] in ("石狩", "檜山", "留萌", "日高", "根室") else "総合振興局"])
        elif spread < 0.3:
            neighbours = rng.sample(by_sub[place["subprefecture"]], k=min(3, len(by_sub[place["subprefecture"]])))
            serves = ";".join(dict.fromkeys([place["name"]] + [p["name"] for p in neighbours]))
        status_roll = rng.random()
        status = "closed" if status_roll < 0.03 else "paused" if status_roll < 0.08 else "active"
        verified = ""
        if rng.random() < 0.7:
            verified = (today - timedelta(days=rng.randrange(0, 900))).isoformat()
        codes = postal.get(place["jis_code"]) or [""]
        area_code = "011" if place["jis_code"].startswith("011") else f"01{rng.randrange(23, 66)}"
        yield {
            "id": f"syn-{seed}-{i:07d}",
            "name": name,
            "name_kana": kana,
            "organization": organization,
            "description": f"{where}で{service}を行っています。",
            "needs": needs,
            "area": place["name"],
            "serves": serves,
            "address": f"{place['name']}本町{rng.randrange(1, 9)}丁目{rng.randrange(1, 30)}-{rng.randrange(1, 20)}",
            "postal_code": rng.choice(codes),
            "phone": f"{area_code}-555-{rng.randrange(10000):04d}",
            "fax": f"{area_code}-555-{rng.randrange(10000):04d}" if rng.random() < 0.3 else "",
            "email": f"info{i}@example.org" if rng.random() < 0.4 else "",
            "url": f"https://example.org/{i}" if rng.random() < 0.3 else "",
            "hours": rng.choice(HOURS),
            "eligibility": rng.choice(["どなたでも", "市内在住の方", "生活にお困りの方", "15歳から49歳", ""]),
            "cost": rng.choice(COSTS),
            "how_to_refer": rng.choice(REFER),
            "capacity": rng.choice(["", "", "月3名", "10床", "定員20名"]),
            "transport": rng.choice(["", "バス停から徒歩5分", "公共交通機関なし（送迎あり）"]),
            "languages": rng.choice(["", "", "日本語;English", "日本語;中文;Tiếng Việt"]),
            "notes": "",
            "last_verified": verified,
            "status": status,
            "confidential": "yes" if "シェルター" in name and rng.random() < 0.5 else "",
        }


def write_csv(path: str | Path, n: int, seed: int = 0) -> Path:
    """Write ``n`` synthetic rows to ``path`` as UTF-8 CSV with the SPEC's column names."""
    path = Path(path)
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(resources(n, seed))
    return path


def write_catalogue(path: str | Path, n: int, seed: int = 0) -> Path:
    """Import ``n`` synthetic rows into the catalogue at ``path`` (one transaction), through the importer."""
    from tui.core.loading.importing import to_resource
    from tui.core.store.catalogue import Catalogue

    with Catalogue.open(path) as catalogue:
        batch = []
        for number, row in enumerate(resources(n, seed), start=2):
            resource, problems = to_resource(row, catalogue, "synthetic.csv", number)
            assert not problems, problems
            batch.append(resource)
        catalogue.write(batch)
    return Path(path)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 0
    if "--seed" in sys.argv:
        args.remove(str(seed))
    if len(args) != 2:
        sys.exit(__doc__.strip().splitlines()[-1])
    print(write_csv(args[1], int(args[0]), seed))
