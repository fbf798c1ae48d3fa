"""Quitting after a resize leaves no fragments (issue 22 item 6): the screen is cleared before
the alternate screen is left (tmux 3.3 brought the last frame back into the shell)."""

from __future__ import annotations

from textual.drivers.linux_driver import LinuxDriver

from tui.ui.driver import CLEAR, ClearingLinuxDriver, clearing


def test_the_app_uses_the_clearing_driver_where_textual_uses_its_linux_one(make_app, monkeypatch):
    from textual.app import App

    monkeypatch.setattr("textual.constants.DRIVER", None)
    app = make_app()
    textual_choice = App.get_driver_class(app)
    assert app.get_driver_class() is clearing(textual_choice)
    assert clearing(LinuxDriver) is ClearingLinuxDriver and clearing(App) is App  # others unchanged
    if textual_choice is LinuxDriver:  # Linux and macOS
        assert app.get_driver_class() is ClearingLinuxDriver


def test_the_screen_is_cleared_before_the_alternate_screen_is_left():
    written: list[str] = []
    driver = ClearingLinuxDriver.__new__(ClearingLinuxDriver)
    driver.write = written.append  # type: ignore[method-assign]
    driver.flush = lambda: None  # type: ignore[method-assign]
    driver.attrs_before = None
    driver._disable_bracketed_paste = lambda: None  # type: ignore[method-assign]
    driver._enable_line_wrap = lambda: None  # type: ignore[method-assign]
    driver._disable_in_band_window_resize = lambda: None  # type: ignore[method-assign]
    driver.disable_input = lambda: None  # type: ignore[method-assign]
    driver.stop_application_mode()
    out = "".join(written)
    assert CLEAR in out and out.index(CLEAR) < out.index("\x1b[?1049l")
