"""The terminal driver: Textual's, plus a blank screen before leaving.

After the terminal was resized while the app ran, some terminals (tmux 3.3 seen here) bring
the app's last frame back into the shell when the alternate screen is left: quitting left
fragments of the finder above the prompt. Clearing the alternate screen just before leaving
it leaves nothing to bring back. ``TEXTUAL_DRIVER`` in the environment still wins.
"""

from __future__ import annotations

from textual.driver import Driver
from textual.drivers.linux_driver import LinuxDriver

# Plain attributes, cursor home, erase the whole screen.
CLEAR = "\x1b[0m\x1b[H\x1b[2J"


class ClearingLinuxDriver(LinuxDriver):
    def stop_application_mode(self) -> None:
        self.write(CLEAR)
        super().stop_application_mode()


def clearing(driver_class: type[Driver]) -> type[Driver]:
    """The driver to use: the clearing one where Textual would use its Linux/macOS driver."""
    return ClearingLinuxDriver if driver_class is LinuxDriver else driver_class
