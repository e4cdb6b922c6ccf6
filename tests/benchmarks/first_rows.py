"""Run a program in a pty until a marker appears on its output, then end it: a whole-process
timer (e.g. `/usr/bin/time -v`) wrapped around this times "process start → first rows".

    python -m tests.benchmarks.first_rows MARKER -- COMMAND [ARG ...]

Exits 0 once MARKER (UTF-8) was written, 1 if it never was within 30 s.
"""

from __future__ import annotations

import os
import select
import sys
import time

from tests.e2e.terminal import Terminal


class RawTerminal(Terminal):
    """A pty that only records the bytes: no VT emulation in this process, which would hold
    the GIL for tens of ms per full frame and show up in the timings."""

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


def main(argv: list[str]) -> int:
    marker, separator, command = argv[0].encode(), argv[1], argv[2:]
    assert separator == "--" and command, __doc__
    started = time.monotonic()
    with RawTerminal(command, cols=120, rows=40) as term:
        while marker not in term.raw:
            if time.monotonic() - started > 30:
                return 1
            time.sleep(0.002)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
