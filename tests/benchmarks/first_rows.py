"""Run a program in a pty until a marker appears on its output, then end it: a whole-process
timer (e.g. `/usr/bin/time -v`) wrapped around this times "process start → first rows".

    python -m tests.benchmarks.first_rows MARKER -- COMMAND [ARG ...]

Exits 0 once MARKER (UTF-8) was written, 1 if it never was within 30 s. Kept to the standard
library (no VT emulator), so its own start-up adds little to what it times. `RawTerminal` is
the same pty for benchmarks that read only the bytes.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Mapping, Sequence


class RawTerminal:
    """A pty at cols×rows that records every byte the program writes (no emulation: a VT
    emulator in this process holds the GIL for tens of ms per frame and shows in timings)."""

    def __init__(self, argv: Sequence[str], *, cols: int = 120, rows: int = 40,
                 env: Mapping[str, str] | None = None) -> None:
        self.argv, self.cols, self.rows = list(argv), cols, rows
        self.env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor",
                    "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", **(env or {})}
        self.raw = bytearray()
        self._closed = threading.Event()

    def __enter__(self) -> RawTerminal:
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
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self._closed.set()
        self._reader.join(timeout=2)
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
            self.raw += chunk

    def send(self, text: str) -> None:
        os.write(self._master, text.encode())


def main(argv: list[str]) -> int:
    marker, separator, command = argv[0].encode(), argv[1], argv[2:]
    assert separator == "--" and command, __doc__
    started = time.monotonic()
    with RawTerminal(command) as term:
        while marker not in term.raw:
            if time.monotonic() - started > 30:
                return 1
            time.sleep(0.002)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
