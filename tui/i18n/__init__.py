"""UI strings in Japanese and English: one key set, one file per language.

Keys are ``section.name`` (``finder.search_placeholder``); each ``<lang>.toml`` holds
the same keys. To add strings for a new screen, add a ``[section]`` table to both
files — ``tests/ui/test_i18n.py`` fails when one language lacks a key the other has.
Values are ``str.format`` templates: ``t("finder.referred", "ja", name=..., case=...)``.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path

LANGUAGES = ("ja", "en")
_FOLDER = Path(__file__).resolve().parent


@cache
def strings(lang: str) -> dict[str, str]:
    """Every key of ``lang`` flattened to ``section.name`` → template."""
    with open(_FOLDER / f"{lang}.toml", "rb") as f:
        return dict(_flatten(tomllib.load(f)))


def _flatten(table: dict, prefix: str = ""):
    for key, value in table.items():
        if isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", str(value)


def t(key: str, lang: str = "ja", **values: object) -> str:
    """The string ``key`` in ``lang`` (falling back to Japanese, then the key itself)."""
    table = strings(lang if lang in LANGUAGES else "ja")
    if any(values.get(name) == 1 for name in ("n", "count")) and key + "_one" in table:
        key += "_one"  # English says "1 row", not "1 rows": a ``_one`` form where a language needs one
    template = table.get(key) or strings("ja").get(key) or key
    return template.format(**values) if values else template


def language_from_locale(environ: os._Environ | dict[str, str] | None = None) -> str:
    """``en`` when the locale names another language than Japanese, else ``ja``.

    LC_ALL, LC_MESSAGES and LANG are read in that order; an unset or ``C``/``POSIX``
    locale (a bare server, a container) says nothing, and Tsunagu is Japanese first.
    """
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = (env.get(name) or "").lower()
        if not value or value in ("c", "posix") or value.startswith("c."):
            continue
        return "ja" if value.startswith("ja") else "en"
    return "ja"
