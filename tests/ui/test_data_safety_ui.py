"""Issue 13 in the app: a referral whose case-note file could not be written says so
(as ``tsunagu refer`` does), instead of reporting the referral as simply done."""

from __future__ import annotations

from .conftest import settle


async def test_a_case_note_that_cannot_be_written_is_shown(make_app, monkeypatch, isolated_home):
    import tui.core.referrals as referrals

    def disk_full(path, heading, note):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(referrals, "append_note", disk_full)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        messages = [(n.message, n.severity) for n in app._notifications]
    assert any("ケースメモ" in text and "No space left" in text and severity == "error" for text, severity in messages), messages
    with referrals.ReferralLog.open() as log:
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
