"""One line of progress on stderr for the commands ("rate limited: next request in 12 s, 60 a
minute", "read 17 of 40"), so a long wait never looks like a hang.

On a terminal the line is rewritten in place and wiped when done; anywhere else (a pipe, a log
file) each new line is written once, never a line per second: `show(text, key=…)` repeats
only when `key` changes. Anything else a command writes to stderr should `clear()` first.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from skipup_campaigns.display.waits import Countdown

ERASE = "\r\x1b[K"
"""Back to the line's start and erase it (on a terminal only)."""


class StatusLine:
    """A rewritable line on `stream` (see the module docstring)."""

    def __init__(self, stream: TextIO, *, quiet_unless_terminal: bool = False) -> None:
        """`quiet_unless_terminal`: write nothing when `stream` is not a terminal (`--json`
        output, where every stderr line is a JSON object)."""
        self.stream = stream
        try:
            self.terminal = stream.isatty()
        except (AttributeError, ValueError):
            self.terminal = False
        self.quiet = quiet_unless_terminal and not self.terminal
        self._shown = False
        self._key: object = None

    def show(self, text: str, *, key: object = None) -> None:
        """Show `text` (already-safe): in place on a terminal; elsewhere once per `key` (None:
        every call writes)."""
        if self.quiet:
            return
        if self.terminal:
            width = shutil.get_terminal_size().columns - 1
            if len(text) > width > 1:
                text = text[: width - 1] + "…"
            self.stream.write(ERASE + text)
            self._shown = True
        elif key is None or key != self._key:
            self.stream.write(text + "\n")
        self._key = key
        self.stream.flush()

    def clear(self) -> None:
        """Wipe the line (on a terminal), so what follows starts on a clean line."""
        if self._shown:
            self.stream.write(ERASE)
            self.stream.flush()
            self._shown = False
        self._key = None


class NewWaits:
    """Which rate-limit waits get a line in a pipe: one when a wait starts. Never again for a
    wait already said (four requests waiting for the same window, or the same wait seen on
    the next second or after a result line), nor for one that is over ("in 0 s")."""

    SAME_WAIT = timedelta(seconds=1)
    """Waits ending this close to the one said are that wait (requests a moment apart)."""

    def __init__(self) -> None:
        self._said_until: datetime | None = None

    def starts(self, wait: Countdown, now: datetime) -> bool:
        """Whether `wait` is a new one to say (and, if so, it is taken as said)."""
        if wait.seconds_left(now) <= 0:
            return False
        if self._said_until is not None and wait.until <= self._said_until + self.SAME_WAIT:
            return False
        self._said_until = wait.until
        return True
