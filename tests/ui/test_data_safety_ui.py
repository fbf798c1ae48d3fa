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
