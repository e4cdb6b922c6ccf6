"""Run a program in a pty until a marker appears on its output, then end it: a whole-process
timer (e.g. `/usr/bin/time -v`) wrapped around this times "process start → first rows".

    python -m tests.benchmarks.first_rows MARKER -- COMMAND [ARG ...]

Exits 0 once MARKER (UTF-8) was written, 1 if it never was within 30 s. Kept to the standard
library (no VT emulator), so its own start-up adds little to what it times.
"""

from __future__ import annotations

import sys
import time

from tests.raw_terminal import RawTerminal


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
