"""Keys wait for the screen to keep up: none is lost or lands in the wrong place.

A terminal hands the app a fast typist's keys (or a paste) all at once. Textual gives each
key to the widget focused *when the app reads it*, and acts on it later, when the key has
bubbled up to the bindings; a dialog's ``enter`` closes it a few messages after that. So
the ``r`` of ``Enter r`` in the case dialog reached the dialog's box as text (``C-2026-016R``),
and the letters typed after ``a`` reached the results before the area dialog had the focus.

The gate holds a key while the app is still busy with the one before: a message waiting in
any queue of the screens on the stack, a widget not mounted yet, a screen closing, or the
current screen saying it is applying something (``keys_wait``: the finder until the results
of a new filter are on screen). Held keys are delivered one at a time, in the order typed,
each once the app is idle again — where they would have gone had the screen kept up. A key
that arrives with nothing in flight goes straight through (typing stays as fast as before).
"""

from __future__ import annotations

import asyncio
import os
from collections import deque
from time import monotonic
from typing import Any

from textual import events
from textual.await_complete import AwaitComplete
from textual.dom import DOMNode
from textual.message import Message
from textual.message_pump import MessagePump

# A screen that never settles (a bug elsewhere) must not swallow the keyboard: after this
# long the oldest held key goes through anyway. Not a pace: a normal hold lasts milliseconds.
GIVE_UP_AFTER = 10.0
POLL = 0.002  # between looks once a quick look found the app still busy (a search thread runs)


_dispatching = 0  # messages being handled right now (a handler that awaits is not in any queue)


def _count_dispatches() -> None:
    """Count the handlers in progress: a key released while ``Input.action_submit`` awaits its
    validation would reach the box before the dialog saw the ``enter`` (``月形r``)."""
    original = MessagePump._dispatch_message
    if getattr(original, "counted", False):
        return

    async def _dispatch_message(self: MessagePump, message: Message) -> Any:
        global _dispatching
        _dispatching += 1
        try:
            return await original(self, message)
        finally:
            _dispatching -= 1

    _dispatch_message.counted = True  # type: ignore[attr-defined]
    MessagePump._dispatch_message = _dispatch_message  # type: ignore[method-assign]


class KeyGate:
    """Mixed into the app ahead of ``App``: holds raw keys while the screen is catching up."""

    def _gate_init(self) -> None:
        _count_dispatches()
        self._gate_held: deque[events.Key] = deque()
        self._gate_releasing: events.Key | None = None  # posted back to the app, not yet dispatched
        self._gate_closing: list[AwaitComplete] = []  # screens being popped
        self._gate_scheduled = False
        self._gate_held_since = 0.0
        self._gate_quick_looks = 0

    # -- in App.on_event --------------------------------------------------------------

    def _gate_admits(self, event: events.Key) -> bool:
        """False when ``event`` (a raw key from the terminal) is held for later."""
        if event is self._gate_releasing:
            self._gate_releasing = None
            return True
        if not self._gate_held and self.keys_settled(handling=1):  # 1: the app, handling this key
            return True
        if not self._gate_held:
            self._gate_held_since = monotonic()
        self._gate_held.append(event)
        self._schedule_release()
        return False

    def note_closing(self, pop: AwaitComplete) -> None:
        """A screen is being popped: keys wait until it is gone and its result applied."""
        self._gate_closing = [p for p in self._gate_closing if not p.is_done]
        self._gate_closing.append(pop)

    def keys_coming(self) -> list[events.Key]:
        """Keys typed but not handled yet, in the order typed: handed on to the focused widget or on
        their way to it through the screen, held here, then still in the app's queue."""
        handed = [m for node in (self.focused, self.screen)  # type: ignore[attr-defined]
                  if node is not None for m in list(node._message_queue.values) if isinstance(m, events.Key)]
        queued = [m for m in list(self._message_queue.values)  # type: ignore[attr-defined]
                  if isinstance(m, events.Key) and not m.is_forwarded]
        return [*handed, *self._gate_held, *queued]

    def typing_in_flight(self) -> bool:
        """A key typed is still on its way, or something a key caused is (a timer's look: no handler
        of its own runs, so every running one counts)."""
        return bool(self.keys_coming()) or self._busy(handling=0)

    # -- when is the app idle? ----------------------------------------------------------

    def keys_settled(self, handling: int = 0) -> bool:
        """Nothing the last key caused is still on its way (``handling``: handlers known to be running)."""
        if self._busy(handling):
            return False
        waits = getattr(self.screen, "keys_wait", None)  # type: ignore[attr-defined]
        return not (callable(waits) and waits())

    def _busy(self, handling: int) -> bool:
        if any(not pop.is_done for pop in self._gate_closing) or not self.screen_stack:  # type: ignore[attr-defined]
            return True
        if self._gate_releasing is not None or _dispatching > handling:
            return True
        for message in list(self._message_queue.values):  # type: ignore[attr-defined]
            # Raw keys still queued are later typing, not work in flight; a bubbled key is.
            if not (isinstance(message, events.Key) and not message.is_forwarded):
                return True
        for screen in self.screen_stack:  # type: ignore[attr-defined]
            if not _idle(screen):
                return True
            for node in screen.walk_children(with_self=False):
                if not _idle(node):
                    return True
        return False

    def _schedule_release(self) -> None:
        if self._gate_scheduled:
            return
        self._gate_scheduled = True
        loop = asyncio.get_running_loop()
        if self._gate_quick_looks < 3:  # the next turn of the loop is usually enough
            self._gate_quick_looks += 1
            loop.call_soon(self._release)
        else:  # a worker thread is busy: do not spin against it for the GIL
            loop.call_later(POLL, self._release)

    def _release(self) -> None:
        self._gate_scheduled = False
        if not self.screen_stack:  # type: ignore[attr-defined]  # the app is closing: nowhere to deliver
            self._gate_held.clear()
        if not self._gate_held:
            self._gate_quick_looks = 0
            return
        if self.keys_settled() or monotonic() - self._gate_held_since > GIVE_UP_AFTER:
            self._gate_quick_looks = 0
            self._gate_releasing = self._gate_held.popleft()
            self._gate_held_since = monotonic()
            self.post_message(self._gate_releasing)  # type: ignore[attr-defined]
        if self._gate_held:
            self._schedule_release()


def split_escape_and_key() -> None:
    """Escape and a key typed within Textual's ESCDELAY (100 ms) arrive as one sequence, the same
    bytes as alt and the key: Textual reads them as ``alt+r`` (``/``, typing, ``escape``, ``r`` put
    an ``r`` in the query and referred nothing), or for enter, space, ``/`` and ``?`` as the key
    alone, the escape lost (``escape`` ``enter`` never opened the details). No key of the app is
    alt and a key, so its terminal parser reports the two keys pressed (Textual is pinned: 8.2.8).

    ESC TAB is Textual's shift+tab, for the Linux console (its keymap sends ``Meta_Tab`` for it);
    every other terminal sends ESC [ Z. So ESC TAB is escape and tab too, except under TERM=linux."""
    from textual._xterm_parser import XTermParser

    original = XTermParser._sequence_to_key_events
    if getattr(original, "splits_escape", False):
        return

    def sequence_to_key_events(self: XTermParser, sequence: str, alt: bool = False):
        if sequence == "\x1b\t" and os.environ.get("TERM") != "linux":
            sequence, alt = "\t", True
        if alt and len(sequence) == 1:
            yield events.Key("escape", "\x1b")
            alt = False
        yield from original(self, sequence, alt)

    sequence_to_key_events.splits_escape = True  # type: ignore[attr-defined]
    XTermParser._sequence_to_key_events = sequence_to_key_events  # type: ignore[method-assign]


def _idle(node: DOMNode) -> bool:
    if node._message_queue.qsize() or node._next_callbacks:
        return False
    mounted = getattr(node, "_mounted_event", None)
    return mounted is None or mounted.is_set()
