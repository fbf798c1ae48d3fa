"""Plain dataclasses the core takes and returns; the UI and CLI are fronts on them."""

from __future__ import annotations

from dataclasses import dataclass, fields

# The SPEC's resource columns in order, each with the headers accepted on import: the SPEC's
# Japanese aliases first, then what office spreadsheets call the same thing (電話番号, 所在地,
# ホームページ…), so a sheet kept for years loads without renaming its columns.
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("ID",),
    "name": ("名称", "名前", "施設名", "事業所名", "窓口名", "サービス名", "資源名"),
    "name_kana": ("ふりがな", "よみ", "よみがな", "読み", "読み仮名"),
    "organization": ("運営", "団体", "団体名", "運営団体", "運営主体", "実施主体", "法人名", "事業者"),
    "description": ("説明", "内容", "概要", "事業内容", "サービス内容"),
    "needs": ("種別", "支援内容", "支援の種類", "分類", "カテゴリ"),
    "area": ("所在地域", "市町村", "市区町村", "所在市町村"),
    "serves": ("対象地域", "対象エリア", "支援地域"),
    "address": ("住所", "所在地"),
    "postal_code": ("郵便番号", "郵便"),
    "phone": ("電話", "電話番号", "TEL", "代表電話"),
    "fax": ("FAX", "FAX番号", "ファックス", "ファクス"),
    "email": ("メール", "メールアドレス", "Eメール", "e-mail", "mail"),
    "url": ("URL", "ホームページ", "HP", "ウェブサイト", "Webサイト"),
    "hours": ("受付時間", "開所時間", "営業時間", "相談時間", "利用時間"),
    "eligibility": ("対象者", "対象", "利用対象"),
    "cost": ("費用", "利用料", "料金"),
    "how_to_refer": ("つなぎ方", "手続き", "利用方法", "申込方法"),
    "capacity": ("定員",),
    "transport": ("交通", "アクセス", "交通手段"),
    "languages": ("対応言語", "言語"),
    "notes": ("備考", "メモ", "その他"),
    "last_verified": ("確認日", "最終確認日"),
    "status": ("状態",),
    "confidential": ("非公開",),
    "source": ("出典", "情報源"),
}
LIST_COLUMNS = ("needs", "serves", "languages")
MULTILINE_COLUMNS = ("description", "eligibility", "how_to_refer", "transport", "notes")
STATUSES = ("active", "paused", "closed")


# Columns kept apart from the ``resources`` table's plain text: lists and phones in child
# tables, the organisation by id, flags as integers.
_STORED_APART = frozenset({"needs", "serves", "phone", "fax", "organization", "languages", "confidential",
                           "name_kana_generated"})


def plain_text_columns() -> tuple[str, ...]:
    """The Resource fields stored as they are in a ``resources`` column of the same name."""
    return tuple(f.name for f in fields(Resource) if f.name not in _STORED_APART)


def field_text(value: object, *, separator: str = "; ") -> str:
    """A field's value as one cell of text: a list joined, confidential as yes or blank.

    The one conversion for the change log, exports, forms and the merge (which keeps
    ``;`` with no space, the form its stored records already have).
    """
    if isinstance(value, tuple | list):
        return separator.join(str(item) for item in value)
    if isinstance(value, bool):
        return "yes" if value else ""
    return str(value)


@dataclass(frozen=True, slots=True)
class Resource:
    """One service at a place: a row of the catalogue.

    ``area`` and ``serves`` hold place codes (JIS code, subprefecture code or
    ``hokkaido``); ``needs`` holds need codes. Text fields are clean (no control
    characters); blank means nobody has checked it.
    """

    id: str
    name: str
    name_kana: str = ""
    organization: str = ""
    description: str = ""
    needs: tuple[str, ...] = ()
    area: str = ""
    serves: tuple[str, ...] = ()  # blank: its own area
    address: str = ""
    postal_code: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    url: str = ""
    hours: str = ""
    eligibility: str = ""
    cost: str = ""
    how_to_refer: str = ""
    capacity: str = ""
    transport: str = ""
    languages: tuple[str, ...] = ()
    notes: str = ""
    last_verified: str = ""  # ISO date, or "" when nobody has verified it (未確認)
    status: str = "active"
    confidential: bool = False
    source: str = ""  # where the facts come from
    name_kana_generated: bool = False  # the reading was generated, not given

    @property
    def served_areas(self) -> tuple[str, ...]:
        """The places served: ``serves``, or the resource's own area when blank."""
        return self.serves or ((self.area,) if self.area else ())

    @property
    def verified(self) -> bool:
        return bool(self.last_verified)

    def replace(self, **changes) -> Resource:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return Resource(**values)


@dataclass(frozen=True, slots=True)
class Hit:
    """A search result: enough to list it; ``Catalogue.get`` reads the rest."""

    id: str
    name: str
    score: float
    organization: str = ""
    area: str = ""  # place code
    needs: tuple[str, ...] = ()
    phone: str = ""
    status: str = "active"
    last_verified: str = ""
    matched: str = "name"  # which field matched best: name, kana, organization, area, need
    fallback: bool = False  # not found in the area: a line serving all Hokkaido, shown for a crisis need
    step: str = ""  # urgent searches with an area: "local", "subprefecture" or "hokkaido" (search.crisis.STEPS)
