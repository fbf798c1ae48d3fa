"""The import's problems said in the form: one language, and about the field, not the row.

The import's rules (``tui.core.loading.rows``) word each problem for a file and a log that
anyone may read: Japanese, then the English in brackets — ``名称がありません (the name is
missing)``. The form speaks the app's language only, so ``in_language`` keeps one half; and
where the import's advice is about a spreadsheet (``… or delete the row``) or a command line
(``see `tsunagu areas```), the form says instead what to type in the field.
"""

from __future__ import annotations

import re

from tui.core.loading.rows import Problem
from tui.i18n import t

# " (English)" after Japanese (or after a number or a bracket that ends it): the import's gloss.
# A bracket after Latin letters belongs to what was typed ('Kushiro (east)') and stays.
_GLOSS = re.compile(r"(?<=[^\x00-\x7f0-9)]|[0-9)]) \(([^()]*[A-Za-z][^()]*)\)")
# Where the Japanese a gloss translates begins: after "label: ", " — ", or a quoted value and its space.
_PHRASE_START = re.compile(r"(?=(: | — |' ))")  # a lookahead: "' — " holds two of them
# The import's advice that does not fit the form, by its English half → the form's own words.
_FORM_FIXES = {
    "fill in the name or delete the row": "editor.fix.name",
    "see `tsunagu areas` for the names that work": "editor.fix.area",
    "see `tsunagu needs` for the names that work": "editor.fix.needs",
    "write it like these": "editor.fix.date",
    "a four-digit year": "editor.fix.date",
}


def in_language(text: str, lang: str) -> str:
    """``text`` worded "Japanese (English)" by the import, in ``lang`` alone."""
    if lang != "en":
        return _GLOSS.sub("", text)
    out, start = [], 0
    for gloss in _GLOSS.finditer(text):
        before = text[start:gloss.start()]
        phrase = max((m.start() + len(m[1]) for m in _PHRASE_START.finditer(before)), default=0)
        out.append(before[:phrase] + gloss[1])
        start = gloss.end()
    return "".join(out) + text[start:]


def form_problem(problem: Problem, lang: str) -> str:
    """What is wrong with the field and what to type there, in ``lang``."""
    said = in_language(problem.message, lang)
    english_fix = in_language(problem.fix, "en")
    key = next((key for start, key in _FORM_FIXES.items() if english_fix.startswith(start)), None)
    fix = t(key, lang) if key else in_language(problem.fix, lang)
    if lang == "en":
        said = said[:1].upper() + said[1:]  # the import's English half is a gloss, in lower case
    return said + (f" → {fix}" if fix else "")
