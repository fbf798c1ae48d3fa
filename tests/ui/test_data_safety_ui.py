"""Issue 13 in the app: a referral whose case-note file could not be written says so
(as ``tsunagu refer`` does), instead of reporting the referral as simply done."""

from __future__ import annotations

from tui import paths

from .conftest import settle


async def test_a_case_note_that_cannot_be_written_is_shown(make_app, monkeypatch, isolated_home):
    import tui.core.referrals.log as referrals

    def disk_full(path, heading, note):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(referrals, "append_note", disk_full)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        # the toast breaks its lines at phrase boundaries (issue 12): read it as one line
        messages = [(n.message.replace("\n", " "), n.severity) for n in app._notifications]
    assert any("ケースメモ" in text and "No space left" in text and severity == "error" for text, severity in messages), messages
    with referrals.ReferralLog.open(paths.referral_log()) as log:
        assert len(log.find()) == 1  # the referral itself is logged


async def test_an_unhandled_fault_ends_the_app_with_a_message_not_a_traceback(make_app, monkeypatch):
    import pytest

    from tui.ui.app import TsunaguApp
    from tui.ui.screens.finder import FinderScreen

    def disk_full(self) -> None:
        raise OSError(28, "No space left on device", "/data/notes")

    monkeypatch.setattr(FinderScreen, "action_help", disk_full)
    shown: list[str] = []
    monkeypatch.setattr(TsunaguApp, "_print_error_renderables",
                        lambda self: shown.extend(str(r) for r in self._exit_renderables))
    app = make_app()
    with pytest.raises(OSError):  # Pilot re-raises it for the test; a person sees the message
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            await pilot.press("question_mark")
            await pilot.pause()
    assert app.return_code == 1
    assert app._exit_renderables or shown
    text = " ".join(shown) or " ".join(str(r) for r in app._exit_renderables)
    assert "ディスクがいっぱい" in text and "/data/notes" in text and "Traceback" not in text


async def test_upkeep_sharing_and_coverage_screens_show_no_private_field(tmp_path, isolated_home):
    """The editor, history, queue, conflicts and coverage screens on a confidential place (issues 9-11)."""
    import sqlite3
    from datetime import date

    from tests.core.test_privacy import SHELTER, leaks
    from tui.core.store.catalogue import Catalogue
    from tui.ui.app import TsunaguApp

    db = tmp_path / "c.db"
    with Catalogue.open(db) as catalogue:
        catalogue.write([SHELTER])
        catalogue.save(SHELTER.replace(address="秘密町4-5-6"), base=SHELTER, by="担当A", how="edit")
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("INSERT INTO sync_conflicts(resource_id, field, mine, theirs, base, by, at) VALUES (?,?,?,?,?,?,?)",
                     ("dv-1", "address", "秘密町4-5-6", "秘密町7-8", "秘密町1-2-3", "別の事務所", "2026-05-01T10:00"))
    conn.close()
    shots: dict[str, str] = {}
    with Catalogue.open(db) as catalogue:
        app = TsunaguApp(catalogue, "ja", today=date(2026, 6, 1))
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            for key, name in (("h", "history"), ("e", "editor"), ("V", "queue"), ("C", "conflicts"), ("m", "coverage")):
                await pilot.press(key)
                await settle(app, pilot)
                assert type(app.screen).__name__ != "FinderScreen", name
                shots[name] = app.export_screenshot()
                if name == "coverage":
                    await pilot.press("enter")
                    await settle(app, pilot)
                    shots["coverage cell"] = app.export_screenshot()
                    await pilot.press("escape")
                    await pilot.pause()
                await pilot.press("escape")
                await settle(app, pilot)
    assert "テストシェルター" in shots["editor"] and "0120-000-003" in shots["editor"]  # the screens show text as it is
    assert {name: leaks(svg) for name, svg in shots.items() if leaks(svg)} == {}


async def test_upkeep_and_sharing_keys_on_a_read_only_catalogue_say_why(tmp_path, isolated_home, monkeypatch):
    """v, e + ctrl+s, h + u, C + m and S on a write-protected catalogue: a message each, the app keeps running."""
    import os
    import sqlite3
    from datetime import date

    from tui.core.models import Resource
    from tui.core.store.catalogue import Catalogue
    from tui.ui.app import TsunaguApp

    db = tmp_path / "c.db"
    with Catalogue.open(db) as catalogue:
        catalogue.write([Resource(id="t-1", name="テスト食料庫", needs=("food",), area="01206", phone="0154-00-0001")])
        catalogue.save(catalogue.get("t-1").replace(hours="平日"), base=catalogue.get("t-1"), by="担当A", how="edit")
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("INSERT INTO sync_conflicts(resource_id, field, mine, theirs, base, by, at) VALUES (?,?,?,?,?,?,?)",
                     ("t-1", "hours", "平日", "土日", "", "別の事務所", "2026-05-01T10:00"))
        conn.execute("INSERT INTO sync_state(key, value) VALUES ('remote', ?)", (str(tmp_path / "shared.git"),))
    conn.close()
    real_access = os.access

    def access(path, mode, **kwargs) -> bool:  # a write-protected file (tests run as root, so chmod would not do)
        if mode & os.W_OK and str(tmp_path) in os.path.abspath(str(path)) and "home" not in str(path):
            return False
        return real_access(path, mode, **kwargs)

    monkeypatch.setattr(os, "access", access)
    before = sqlite3.connect(db).execute("SELECT count(*) FROM changes").fetchone()
    with Catalogue.open(db) as catalogue:
        assert catalogue.read_only
        app = TsunaguApp(catalogue, "ja", today=date(2026, 6, 1))
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            for keys in (["v", "enter"], ["e", "tab", "x", "ctrl+s"], ["h", "u"], ["C", "m"], ["S"]):
                app._notifications.clear()
                await pilot.press(*keys)
                await settle(app, pilot)
                await settle(app, pilot)
                said = " ".join(n.message.replace("\n", "") for n in app._notifications)
                assert app.return_code is None, (keys, app._exit_renderables)
                assert "読み取り専用" in said, (keys, said)
                while type(app.screen).__name__ != "FinderScreen":
                    await pilot.press("escape")
                    await settle(app, pilot)
                    if type(app.screen).__name__ == "DiscardScreen":
                        await pilot.press("y")
                        await settle(app, pilot)
    assert sqlite3.connect(db).execute("SELECT count(*) FROM changes").fetchone() == before
    assert not (tmp_path / "shared.git").exists() and not (tmp_path / "c.db.sync").exists()
