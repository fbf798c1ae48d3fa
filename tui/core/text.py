"""Text hygiene and Japanese-aware folding.

Two jobs, kept apart on purpose:

* ``clean`` makes text from files safe to store and show: terminal control
  sequences and control characters go, the characters people typed stay.
* ``fold`` / ``loose`` / ``romaji_to_kana`` build *keys* for matching. Keys are
  never displayed: NFKC rewrites ～, ① and ㈱, which is fine for matching and
  wrong for a handout.

The same functions fold catalogue text and queries, so the two always meet.
"""

from __future__ import annotations

import re
import unicodedata

import jaconv

# An ANSI escape sequence (CSI, OSC, or a two-byte ESC sequence) is dropped whole,
# so "\x1b[31m" does not leave "[31m" behind.
_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI ... final byte
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST
    r"|\x1b[@-Z\\-_]"  # two-byte ESC sequences
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
# C0 and C1 controls, DEL, and the bidi overrides that can reorder a line.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(value: object, *, multiline: bool = False) -> str:
    """Text safe to store and display: no escape sequences or control characters.

    With ``multiline`` a newline survives (descriptions, notes); otherwise line
    breaks and tabs become spaces so a cell never cuts a row.
    """
    if value is None:
        return ""
    text = str(value)
    text = _ANSI.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if multiline:
        text = _CONTROL.sub("", text)
        lines = [line.strip() for line in text.split("\n")]
        # Keep paragraphs, but not runs of blank lines.
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    else:
        text = _CONTROL_ONE_LINE.sub(" ", text)
        text = re.sub(r"[ \u3000]{2,}", " ", text)
    return text.strip()


# Old and variant kanji that appear in Hokkaido names, folded to the common form.
_KANJI_VARIANTS = str.maketrans(
    {
        "檜": "桧",
        "﨑": "崎",
        "嵜": "崎",
        "髙": "高",
        "濵": "浜",
        "濱": "浜",
        "邊": "辺",
        "邉": "辺",
        "齋": "斉",
        "齊": "斉",
        "斎": "斉",
        "澤": "沢",
        "廣": "広",
        "德": "徳",
        "惠": "恵",
        "瀧": "滝",
        "龍": "竜",
        "國": "国",
        "會": "会",
        "藏": "蔵",
        "眞": "真",
        "縣": "県",
        "團": "団",
        "體": "体",
    }
)
_KANJI = r"[\u4e00-\u9fff\u3400-\u4dbf々]"
# ヶ/ケ/ヵ and ノ/之 between kanji are spelling variants (霞ヶ関/霞ケ関, 木ノ下/木之下).
_KE_BETWEEN_KANJI = re.compile(rf"(?<={_KANJI})[ヶケヵゖけ](?={_KANJI})")
_NO_BETWEEN_KANJI = re.compile(rf"(?<={_KANJI})[ノ之の](?={_KANJI})")
# A dash typed after kana is a long-vowel mark (ｽﾊﾟﾛ- , スパロ－).
_DASH_AFTER_KANA = re.compile(r"(?<=[\u3041-\u309f\u30a0-\u30ff])[-‐‑‒–—―−ｰ~〜～]")
# Everything that is not a letter, digit, kana, kanji or the long-vowel mark.
_NOT_WORD = re.compile(r"[^0-9a-z\u3041-\u309fー\u4e00-\u9fff\u3400-\u4dbf々〆\uf900-\ufaff]")


def fold(text: str) -> str:
    """The strict matching key: width, case, kana and spelling variants folded.

    Spaces and punctuation go, so ``"釧路 市"`` and ``"釧路市"`` meet.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.translate(_KANJI_VARIANTS)
    text = _KE_BETWEEN_KANJI.sub("ケ", text)
    text = _NO_BETWEEN_KANJI.sub("ノ", text)
    text = _DASH_AFTER_KANA.sub("ー", text)
    text = jaconv.kata2hira(text)
    text = text.replace("ゖ", "け").replace("ゕ", "か")
    return _NOT_WORD.sub("", text)


_SMALL_KANA = str.maketrans(
    {
        "ぁ": "あ", "ぃ": "い", "ぅ": "う", "ぇ": "え", "ぉ": "お",
        "っ": "つ", "ゃ": "や", "ゅ": "ゆ", "ょ": "よ", "ゎ": "わ",
        "ぢ": "じ", "づ": "ず", "ゔ": "ぶ", "を": "お",
    }
)
# The vowel each hiragana ends in, to fold long vowels (おう/おお/ー → お).
_VOWEL_OF: dict[str, str] = {}
for _vowel, _row in {
    "a": "あかさたなはまやらわがざだばぱ",
    "i": "いきしちにひみりぎじぢびぴ",
    "u": "うくすつぬふむゆるぐずづぶぷ",
    "e": "えけせてねへめれげぜでべぺ",
    "o": "おこそとのほもよろをごぞどぼぽ",
}.items():
    for _kana in _row:
        _VOWEL_OF[_kana] = _vowel
_EXTENDERS = {"a": "あ", "i": "い", "u": "う", "e": "いえ", "o": "うお"}


def loose(key: str) -> str:
    """A looser key over ``fold``: small kana, ぢ/づ and long vowels folded.

    So スパロー meets スパロウ, and the romaji ``hokkaido`` (ほっかいど) meets
    ほっかいどう. Apply to an already folded key.
    """
    key = key.translate(_SMALL_KANA)
    out: list[str] = []
    vowel = ""
    for ch in key:
        if ch == "ー" or (vowel and ch in _EXTENDERS[vowel]):
            continue  # a long vowel: the sound is already there
        out.append(ch)
        vowel = _VOWEL_OF.get(ch, "")
    return "".join(out)


# Legal forms and their short forms: they neither match nor dilute a name.
_LEGAL_FORMS = [
    "社会福祉法人", "特定非営利活動法人", "npo法人", "一般社団法人", "公益社団法人",
    "一般財団法人", "公益財団法人", "株式会社", "有限会社", "合同会社", "社会医療法人",
    "医療法人", "学校法人", "宗教法人", "独立行政法人", "地方独立行政法人",
    "社福)", "社福）", "一社)", "一社）", "一財)", "一財）", "公社)", "公財)",
    "(株)", "（株）", "株)", "(有)", "（有）", "有)", "(社福)", "（社福）",
]
_LEGAL_RE = re.compile(
    "|".join(re.escape(unicodedata.normalize("NFKC", f).lower()) for f in sorted(_LEGAL_FORMS, key=len, reverse=True))
)


def strip_legal_forms(text: str) -> str:
    """Drop 社会福祉法人, ＮＰＯ法人, （株）… from a name (after NFKC, lower case)."""
    return _LEGAL_RE.sub("", unicodedata.normalize("NFKC", text).lower())


_ROMAJI = re.compile(r"^[a-z' .\-]+$")
_TRAILING_CONSONANTS = re.compile(r"[bcdfghjklmpqrstvwxyz]+$")
_DROPPED_U = re.compile(
    r"(?!(?P<twice>[bdfghjkmpqrsvwxz])(?P=twice))(?!sh|ch|ts)(?P<c>[bdfghjkmpqrsvwxz])(?=[bcdfghjklmpqrstvwxz])"
)


def is_romaji(text: str) -> bool:
    return bool(_ROMAJI.match(text)) and any(c in "aeiou" for c in text)


# A run of n: before a vowel or y its last n starts the syllable — Hepburn's onna, minna, annai
# (おんな, not おんあ) and the IME's onnna alike; elsewhere the run is one ん (kann, honnda).
_N_RUN = re.compile(r"(n+)([aiueoy]?)")


def _one_n(match: re.Match[str]) -> str:
    run, after = match.group(1), match.group(2)
    if not after:
        return "n"
    return ("nnn" if len(run) >= 2 else "n") + after  # jaconv reads nn as ん, then n + vowel


def romaji_to_kana(text: str) -> str:
    """Hepburn or Kunrei romaji → hiragana, forgiving an unfinished last syllable.

    ``kushir`` → くし (not くしっ); ``mombetsu`` and ``monbetsu`` → もんべつ;
    a trailing ``n`` stays ん.
    """
    text = unicodedata.normalize("NFKC", text).lower().replace("-", "").replace(" ", "")
    text = _TRAILING_CONSONANTS.sub("", text)  # n is not among them: a trailing n stays ん
    # m before b/m/p is Hepburn's ん; jaconv already knows, but "nn" must stay one ん.
    text = re.sub(r"m(?=[bmp])", "n", text)
    # A consonant before a different one is a dropped u (saposte = sa-po-su-te), not a っ:
    # only a doubled consonant (hokkaido, kutchan) is っ; sh, ch, ts and n stay as they are.
    text = _DROPPED_U.sub(r"\g<c>u", text)
    text = _N_RUN.sub(_one_n, text)
    kana = jaconv.alphabet2kana(text)
    return fold(kana)


# Consonant pairs romaji spells without a vowel between: a doubled one (っ), n or m before
# another (ん), sh/ch/ts, tch (っち), and a consonant before y (きゃ). Any other pair lost a vowel.
_JOINED = re.compile(r"([bcdfghjklmpqrstvwxz])\1|n[^aiueoy]|m[bmp]|sh|ch|tc|ts|[kgnhbpmrjdtcszf]y")
_CONSONANT = set("bcdfghjklmpqrstvwxyz")


def romaji_typo_spellings(text: str) -> tuple[str, ...]:
    """Kana for romaji with a dropped vowel put back, each way: ``kushro`` → くしゃろ, くしろ, くしゅろ…

    A kana typo is one wrong kana; a romaji one (a vowel left out) turns the rest of the
    word to other kana, so these spellings let typo search meet it as it meets kana typos.
    """
    word = unicodedata.normalize("NFKC", text).lower().replace("-", "").replace(" ", "")
    spellings: dict[str, None] = {}
    for at in range(1, len(word)):
        pair = word[at - 1 : at + 1]
        if pair[0] in _CONSONANT and pair[1] in _CONSONANT and not _JOINED.fullmatch(pair):
            for vowel in "aiueo":
                spellings[romaji_to_kana(word[:at] + vowel + word[at:])] = None
    spellings.pop(romaji_to_kana(word), None)
    return tuple(s for s in spellings if s)


def digits(text: str) -> str:
    """Only the digits of a code, any width: ``〒０８５－００１５`` → ``0850015``."""
    return re.sub(r"\D", "", unicodedata.normalize("NFKC", text or ""))
