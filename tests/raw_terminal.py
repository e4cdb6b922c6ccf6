"""A program in a real pseudo-terminal, every byte it writes recorded: the base of the
end-to-end tests' `Terminal` (which adds a VT emulator) and of the benchmarks that read only
bytes. Standard library only, so a benchmark that times a whole process adds little."""

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
from collections.abc import Mapping, Sequence


class RawTerminal:
    """A pty at cols×rows that records every byte the program writes (no emulation: a VT
    emulator in this process holds the GIL for tens of ms per frame and shows in timings)."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        cols: int = 120,
        rows: int = 40,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.argv, self.cols, self.rows = list(argv), cols, rows
        self.env = {
            **os.environ,
            "TERM": "xterm-256color",
            "COLORTERM": "truecolor",
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            **(env or {}),
        }
        self.raw = bytearray()
        self._closed = threading.Event()

    def __enter__(self) -> RawTerminal:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.cols, 0, 0))
        # The pty's size is the terminal's: COLUMNS/LINES left in the environment (a test
        # that set them, a CI runner) would make the app draw for another width.
        env = {k: v for k, v in self.env.items() if k not in ("COLUMNS", "LINES")}
        self.process = subprocess.Popen(
            self.argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
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
            self.received(chunk)

    def received(self, chunk: bytes) -> None:
        """What the program wrote, as it arrives (on the reader thread)."""
        self.raw += chunk

    def send(self, text: str) -> None:
        os.write(self._master, text.encode())
