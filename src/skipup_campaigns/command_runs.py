"""Running one of your own commands: an argv list (never a shell), its output kept.

Two ways: in the terminal (the app has handed it over: the program reads the keyboard, its
output is shown as it comes and kept too), or captured (no terminal to hand over: headless,
tests). Both keep the last MAX_OUTPUT bytes, stdout and stderr together, in order. No Textual.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass

MAX_OUTPUT = 512 * 1024
"""Bytes of output kept for the result view (the end of it, where errors are)."""
CAPTURED_TIMEOUT = 600.0
"""Seconds a captured run may take (no one can type ctrl+c to it): then it is stopped."""


@dataclass(frozen=True)
class RunResult:
    argv: tuple[str, ...]
    exit_code: int | None
    """None: the program could not be started (see `problem`) or was stopped."""
    output: str = ""
    truncated: bool = False
    problem: str | None = None
    """Why it did not run, or was stopped, in words."""

    @property
    def verdict(self) -> str:
        """One line: how it ended."""
        if self.problem is not None:
            return self.problem
        if self.exit_code == 0:
            return "Exit code 0 (it succeeded)."
        if self.exit_code is not None and self.exit_code < 0:
            return f"Stopped by signal {-self.exit_code} (exit code {self.exit_code})."
        return f"Exit code {self.exit_code}: the program reports a failure."

    @property
    def failed(self) -> bool:
        return self.problem is not None or self.exit_code != 0


class _Kept:
    """The tail of a stream, at most MAX_OUTPUT bytes."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.truncated = False

    def add(self, chunk: bytes) -> None:
        self.data += chunk
        if len(self.data) > MAX_OUTPUT:
            del self.data[: len(self.data) - MAX_OUTPUT]
            self.truncated = True

    def text(self) -> str:
        return self.data.decode("utf-8", "replace")


def start_problem(argv: Sequence[str], error: OSError) -> str:
    """Why the program could not be started, said plainly."""
    if isinstance(error, FileNotFoundError):
        return (
            f"Not run: there is no program {argv[0]!r} (not installed, or not on PATH; "
            "check the command's program in the config file)."
        )
    if isinstance(error, PermissionError):
        return f"Not run: {argv[0]!r} cannot be run (permission denied)."
    return f"Not run: {argv[0]!r} could not be started ({error.strerror or error})."


def run_in_terminal(argv: Sequence[str], echo_fd: int) -> RunResult:
    """Run with the terminal's keyboard, echoing the output to `echo_fd` as it comes (the
    app is suspended meanwhile). ctrl+c reaches the program; this process only waits it out
    (a handler, not SIG_IGN: the program must not inherit an ignored ctrl+c)."""
    kept = _Kept()
    previous = signal.signal(signal.SIGINT, lambda signum, frame: None)
    try:
        try:
            process = subprocess.Popen(list(argv), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        except OSError as exc:
            return RunResult(tuple(argv), None, problem=start_problem(argv, exc))
        assert process.stdout is not None
        fd = process.stdout.fileno()
        while True:
            try:
                chunk = os.read(fd, 65536)
            except InterruptedError:
                continue
            if not chunk:
                break
            kept.add(chunk)
            try:
                os.write(echo_fd, chunk)
            except OSError:
                pass  # the terminal went away: keep reading, so the program is not blocked
        process.stdout.close()
        code = process.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
    return RunResult(tuple(argv), code, kept.text(), kept.truncated)


async def run_captured(argv: Sequence[str], timeout: float = CAPTURED_TIMEOUT) -> RunResult:
    """Run with no keyboard (stdin empty), output captured."""
    kept = _Kept()
    try:
        process = await asyncio.create_subprocess_exec(
            *argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
    except OSError as exc:
        return RunResult(tuple(argv), None, problem=start_problem(argv, exc))
    assert process.stdout is not None

    async def read_all() -> None:
        assert process.stdout is not None
        while chunk := await process.stdout.read(65536):
            kept.add(chunk)

    try:
        await asyncio.wait_for(read_all(), timeout)
        code = await process.wait()
    except (TimeoutError, asyncio.CancelledError) as exc:
        process.kill()
        await process.wait()
        if isinstance(exc, asyncio.CancelledError):
            raise
        return RunResult(
            tuple(argv),
            None,
            kept.text(),
            kept.truncated,
            problem=f"Stopped after {timeout:g} s (it was still running).",
        )
    return RunResult(tuple(argv), code, kept.text(), kept.truncated)
