"""The edit form's problems (nu31/nu32 note): the import's rules, but said in the app's language only, and
about the field — never the import's bilingual "… or delete the row"."""

from __future__ import annotations

import re

import pytest
from textual.widgets import Input, Label

from tui.core.loading.editing import apply_fields
from tui.ui.problem_text import form_problem, in_language
from tui.ui.screens.editor import EditorScreen

from .conftest import settle

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
QUOTED = re.compile(r"'[^']*'")  # what was typed, quoted back as it was typed


def shown_problems(app) -> dict[str, str]:
    return {label.id.removeprefix("problem-"): str(label.content)
            for label in app.screen.query(".editor-problem").results(Label)}


@pytest.mark.parametrize("lang", ["en", "ja"])
async def test_the_forms_problems_are_in_the_apps_language_and_about_the_field(make_app, lang):
    app = make_app(lang, cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert isinstance(app.screen, EditorScreen)
        app.screen.query_one("#f-area", Input).value = "zzzzqq"
        app.screen.query_one("#f-last_verified", Input).value = "2026-13-01"
        app.screen.query_one("#f-postal_code", Input).value = "12"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        shown = shown_problems(app)
        assert set(shown) == {"name", "area", "last_verified", "postal_code"}, shown
        for column, text in shown.items():
            if lang == "en":
                assert not JAPANESE.search(QUOTED.sub("", text)), (column, text)
                assert "row" not in text, (column, text)
            else:
                assert not re.search(r"\([^()]*[A-Za-z][^()]*\)", QUOTED.sub("", text)), (column, text)
                assert "行" not in text, (column, text)


def import_problems(catalogue) -> list:
    """Every kind of problem the form can meet, as the import words them (Japanese, then English)."""
    typed = [{"name": ""}, {"area": "くしr"}, {"area": "zzzzqq"}, {"needs": "qqqqzz"}, {"last_verified": "foo"},
             {"last_verified": "3026-01-01"}, {"last_verified": "2026-13-01"}, {"last_verified": "2026-02-30"},
             {"last_verified": "H40.1.1"}, {"last_verified": "2099-01-01"}, {"postal_code": "12"},
             {"email": "foo"}, {"phone": "abc"}, {"url": "info@example.org"}, {"url": "www.example.org"},
             {"url": "電話で確認"}]
    return [problem for fields in typed for problem in apply_fields(catalogue, None, {"name": "x", **fields})[1]]


def test_every_problem_the_form_can_meet_reads_in_one_language(catalogue):
    for problem in import_problems(catalogue):
        english, japanese = form_problem(problem, "en"), form_problem(problem, "ja")
        names = english.partition("did you mean:")[0].replace("平成", "")  # place and era names stay as they are
        assert not JAPANESE.search(QUOTED.sub("", names)), (problem, english)
        assert not re.search(r"\([^()]*[A-Za-z][^()]*\)", QUOTED.sub("", japanese)), (problem, japanese)
        assert "row" not in english and "行" not in japanese, problem


def test_the_english_half_keeps_what_was_typed_and_the_examples():
    assert in_language("'H40.1.1' は平成の期間外です (outside the 平成 era, 1989-01-08〜2019-04-30)", "en") == \
        "'H40.1.1' outside the 平成 era, 1989-01-08〜2019-04-30"
    assert in_language("ありえない日付です (impossible date): '2026-13-01' — 月は1〜12 (month must be 1-12)", "en") == \
        "impossible date: '2026-13-01' — month must be 1-12"
    assert in_language("例 (e.g.) 085-0015", "en") == "e.g. 085-0015"
    assert in_language("例 (e.g.) 085-0015", "ja") == "例 085-0015"
    assert in_language("地域が見つかりません (unknown area): 'Kushiro (east)'", "ja") == "地域が見つかりません: 'Kushiro (east)'"


async def test_a_problem_takes_the_lines_it_needs_and_no_more(make_app):
    """nu33 at 80×24: a blank line followed each problem — the form's grid sized a row spanning both
    columns by the label column's width (20), so 名称がありません → 名称を入れてください took two rows."""
    app = make_app(cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        app.screen.query_one("#f-area", Input).value = "zzzzqq"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        form = app.screen.query_one("#editor-form")
        for column in ("name", "area"):
            problem = app.screen.query_one(f"#problem-{column}", Label)
            lines = problem.render_lines(problem.region.reset_offset)
            assert all(strip.text.strip() for strip in lines), (column, [s.text for s in lines])  # no blank line
            after = form.children[form.children.index(problem) + 1]
            assert after.virtual_region.y == problem.virtual_region.bottom, column  # the next field right below
            assert problem.region.right <= form.content_region.right  # nothing past the form's edge
