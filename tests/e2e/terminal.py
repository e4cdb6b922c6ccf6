"""A real pseudo-terminal for end-to-end tests: runs a command in it, records every byte the
program writes, and renders them with a VT emulator (pyte) so tests can read the screen."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Mapping, Sequence

import pyte


class Terminal:
    """`with Terminal([...], cols=80, rows=24) as term: term.wait_for("text"); term.send("q")`"""

    def __init__(self, argv: Sequence[str], *, cols: int = 80, rows: int = 24,
                 env: Mapping[str, str] | None = None) -> None:
        self.argv = list(argv)
        self.cols, self.rows = cols, rows
        self.env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor",
                    "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", **(env or {})}
        self.env.pop("CI", None)  # some libraries behave differently on CI; we want a terminal
        self.raw = bytearray()
        self._screen = pyte.Screen(cols, rows)
        self._stream = pyte.ByteStream(self._screen)
        self._lock = threading.Lock()
        self._closed = threading.Event()

    def __enter__(self) -> Terminal:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.cols, 0, 0))
        self.process = subprocess.Popen(self.argv, stdin=slave, stdout=slave, stderr=slave,
                                        env=self.env, start_new_session=True, close_fds=True)
        os.close(slave)
        self._master = master
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._closed.set()
        self._reader.join(timeout=5)
        os.close(self._master)

    def _read(self) -> None:
        while not self._closed.is_set():
            ready, _, _ = select.select([self._master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(self._master, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self._lock:
                self.raw += chunk
                self._stream.feed(chunk)

    def send(self, text: str) -> None:
        os.write(self._master, text.encode())
        if text.endswith("\x1b"):
            # A lone ESC is only known to be the escape key once nothing follows it for a
            # moment; without a pause the next key would read as alt+key.
            time.sleep(1.0)

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
        raise AssertionError(f"{text!r} did not appear; exit={self.process.poll()}; "
                             f"screen:\n{self.screen_text()}")

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
