"""A command's rate-limit lines on stderr, as the session says them: in a pipe one line when a
wait starts (never "in 0 s", never the same wait again: four requests waiting for one window,
the next second, or after a result line); on a terminal the countdown in place, wiped before
Ctrl-C's words."""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import signal
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from skipup_campaigns.display.waits import Countdown
from skipup_campaigns.scripting import bulk_commands
from skipup_campaigns.scripting.session import Session
from skipup_campaigns.workspace.events import RateLimitWaitChanged
from tests.scripting.conftest import TerminalStream

START = datetime(2026, 12, 7, 17, 0, tzinfo=timezone.utc)


@dataclass
class Waits:
    """The two things the session reads of its workspace for a wait."""

    now: datetime = START
    rate_wait: Countdown | None = None
    seen: list[Any] = field(default_factory=list)

    def clock(self) -> datetime:
        return self.now


def session_over(waits: Waits, stderr: io.StringIO) -> Session:
    session = Session(argparse.Namespace(json=False), stderr=stderr)
    session._setup = argparse.Namespace(workspace=waits)  # type: ignore[assignment]
    return session


def wait_ending(seconds: float) -> Countdown:
    return Countdown(START + timedelta(seconds=seconds), "rate limited", 4)


async def test_in_a_pipe_each_wait_is_said_once_when_it_starts() -> None:
    stderr = io.StringIO()
    waits = Waits()
    session = session_over(waits, stderr)

    def changed(wait: Countdown | None) -> None:
        waits.rate_wait = wait
        session._workspace_changed(RateLimitWaitChanged(wait))

    def tick(seconds: float) -> None:  # the countdown's second
        waits.now += timedelta(seconds=seconds)
        session._show_wait()

    for moment in (0.0, 0.01, 0.02, 0.03):  # four requests wait for the same window
        changed(wait_ending(60 + moment))
    tick(1)
    stderr.write("done     cmp_1\n")
    session.status.clear()  # as a result line does
    tick(1)
    tick(58)  # at the end of the wait: "in 0 s" is no news
    changed(None)
    changed(wait_ending(120))  # the next window: a new wait
    tick(1)
    session._stop_countdown()
    said = [line for line in stderr.getvalue().splitlines() if "next request" in line]
    assert said == [
        "rate limited: next request in 60 s, 4 a minute",
        "rate limited: next request in 60 s, 4 a minute",
    ], stderr.getvalue()


async def test_on_a_terminal_ctrl_c_wipes_the_countdown_before_its_words() -> None:
    stderr = TerminalStream()
    waits = Waits(rate_wait=wait_ending(40))
    session = session_over(waits, stderr)
    session._show_wait()

    class Run:
        finished = asyncio.Event()
        cancelled = False

        def cancel(self) -> None:
            self.cancelled = True

    run = Run()
    with bulk_commands._ctrl_c_stops(session, lambda: run, quiet=False):
        os.kill(os.getpid(), signal.SIGINT)
        for _ in range(100):
            if run.cancelled:
                break
            await asyncio.sleep(0.01)
    assert run.cancelled
    text = stderr.getvalue()
    countdown = "rate limited: next request in 40 s, 4 a minute"
    assert countdown + "\r\x1b[Kstopping: " in text, repr(text)
