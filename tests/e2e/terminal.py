"""A real pseudo-terminal for end-to-end tests: runs a command in it, records every byte the
program writes, and renders them with a VT emulator (pyte) so tests can read the screen."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence

import pyte

from tests.raw_terminal import RawTerminal


class Terminal(RawTerminal):
    """`with Terminal([...], cols=80, rows=24) as term: term.wait_for("text"); term.send("q")`"""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        cols: int = 80,
        rows: int = 24,
        env: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(argv, cols=cols, rows=rows, env=env)
        self.env.pop("CI", None)  # some libraries behave differently on CI; we want a terminal
        self._screen = pyte.Screen(cols, rows)
        self._stream = pyte.ByteStream(self._screen)
        self._lock = threading.Lock()

    def received(self, chunk: bytes) -> None:
        with self._lock:
            self.raw += chunk
            self._stream.feed(chunk)

    def send(self, text: str) -> None:
        super().send(text)
        if text.endswith("\x1b"):
            # A lone ESC is only known to be the escape key once nothing follows it for a
            # moment; without a pause the next key would read as alt+key.
            time.sleep(1.0)

    def escape(
        self, *, until_shown: str | None = None, until_gone: str | None = None, timeout: float = 20
    ) -> str:
        """Press a lone esc and wait for what it does (`until_shown` appears, `until_gone`
        leaves): then it was read as the escape key and the next key cannot join it into
        alt+key, without `send`'s fixed pause. Returns the screen."""
        assert (until_shown is None) != (until_gone is None), "say one of the two"
        super().send("\x1b")
        if until_shown is not None:
            return self.wait_for(until_shown, timeout)
        return self.wait_gone(until_gone or "", timeout)

    def screen_text(self) -> str:
        with self._lock:
            return "\n".join(self._screen.display)

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        """Wait until `text` is on screen; returns the screen. Fails with the screen shown."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen_text()
            if text in screen:
                return screen
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(
            f"{text!r} did not appear; exit={self.process.poll()}; screen:\n{self.screen_text()}"
        )

    def wait_gone(self, text: str, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen_text()
            if text not in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{text!r} stayed on screen:\n{self.screen_text()}")

    def wait_exit(self, timeout: float = 10.0) -> int:
        return self.process.wait(timeout=timeout)
