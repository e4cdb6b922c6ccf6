"""`d` on a list row under the rate limit, in a real pty: the read before the question waits
for a slot in the "Reading the campaign…" dialog, and esc or q there stops it. The sandbox
serves real loopback HTTP from this process with its rate-limit clock held (a process's clock
runs, so its window would end within a minute, at an unknown moment: the read could then go
out mid-test); the app is the console script in its own process. The server's state and the
requests it saw are checked, not only the screen."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from skipup_campaigns.sandbox import SandboxSettings, Store
from tests.conftest import ADMIN, READONLY, campaigns_on_server
from tests.e2e.terminal import Terminal
from tests.e2e.test_console_script import console_script
from tests.transports import CountingApp

HELD = time.time() + 3600
"""The sandbox's rate-limit clock: its window never ends during the test, so once the app's
start has spent the window's budget every read waits for a slot (an hour, capped at a
minute by the client)."""
READING = "Reading the campaign"
WAITING = "rate limited: next request in"
ESC = "\x1b"

BUDGET = 1
"""Requests a window holds: the app's start reads the list's one page once (the early first
page, which the load goes on from), so the read before the question is the first to wait
for a slot."""

pytestmark = pytest.mark.parametrize(
    "settings", [SandboxSettings(rate_limit=BUDGET, rate_clock=lambda: HELD)]
)


@pytest.fixture
def app_in_pty(live_url: str, tmp_path: Path) -> Iterator[Terminal]:
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "SKIPUP_API_KEY": ADMIN,
        "SKIPUP_BASE_URL": live_url,
        "SKIPUP_KEYRING": "off",
    }
    with Terminal([console_script()], cols=120, rows=30, env=env) as term:
        yield term


def list_loaded(term: Terminal, sandbox_app: CountingApp, store: Store) -> str:
    """The list shown with its rows, the window's budget spent by the start and
    no request since for a moment: nothing of the start is still on its way. Returns the
    screen."""
    total = len(campaigns_on_server(store))
    screen = term.wait_for(f"of {total} campaigns", timeout=30)
    term.wait_for("›", timeout=10)
    seen, quiet_since = sandbox_app.requests, time.monotonic()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and time.monotonic() - quiet_since < 0.5:
        time.sleep(0.05)
        if sandbox_app.requests != seen:
            seen, quiet_since = sandbox_app.requests, time.monotonic()
    assert seen >= BUDGET, f"the start sent {seen} requests: the read would not wait"
    assert READING not in screen
    return term.screen_text()


def dialog_gone_list_back(term: Terminal) -> str:
    """The dialog closed and the list in charge again: its key bar back (the dialog's says
    "q Stop")."""
    term.wait_gone(READING, timeout=10)
    screen = term.wait_for("d Deactivate", timeout=10)
    assert "Stop" not in screen and "Shown:" in screen, screen
    return screen


def still_answers(term: Terminal) -> None:
    """Not stuck: help opens over the list and closes, then q quits cleanly."""
    term.send("?")
    term.wait_for("Keys", timeout=10)
    term.escape(until_gone="Keys", timeout=10)
    term.wait_for("Shown:", timeout=10)
    term.send("q")
    assert term.wait_exit(timeout=10) == 0, bytes(term.raw[-3000:]).decode("utf-8", "replace")


def nothing_sent_after(
    sandbox_app: CountingApp, store: Store, before: int, active: list[str], live_url: str
) -> None:
    """No request reached the sandbox after `d` (neither the read nor a deactivation), and
    every campaign that was active still is, read over HTTP with another key (its own
    window)."""
    time.sleep(0.5)  # a request on its way would land by now (loopback)
    assert sandbox_app.requests == before, sandbox_app.methods
    assert not sandbox_app.writes
    answer = httpx.get(
        f"{live_url}/campaigns",
        params={"active": "true", "limit": 100},
        headers={"Authorization": f"Bearer {READONLY}"},
    )
    assert answer.status_code == 200, answer.text
    shown_active = [c["id"] for c in answer.json()["data"]]
    assert shown_active == active[:100]
    assert [c["id"] for c in campaigns_on_server(store, active=True)] == active


def loaded_and_counted(
    term: Terminal, sandbox_app: CountingApp, store: Store
) -> tuple[int, list[str]]:
    """The list loaded (`list_loaded`): the requests the server has seen so far and the
    active campaigns' ids, to check nothing is sent or changed after."""
    list_loaded(term, sandbox_app, store)
    return sandbox_app.requests, [c["id"] for c in campaigns_on_server(store, active=True)]


def test_d_and_esc_in_one_write_send_nothing(
    app_in_pty: Terminal, sandbox_app: CountingApp, store: Store, live_url: str
) -> None:
    term = app_in_pty
    before, active = loaded_and_counted(term, sandbox_app, store)
    term.send("d" + ESC)  # one packet, as SSH brings a fast typist's keys
    dialog_gone_list_back(term)
    nothing_sent_after(sandbox_app, store, before, active, live_url)
    still_answers(term)


def test_d_shows_the_countdown_at_once_and_q_stops_it(
    app_in_pty: Terminal, sandbox_app: CountingApp, store: Store, live_url: str
) -> None:
    term = app_in_pty
    before, active = loaded_and_counted(term, sandbox_app, store)
    term.send("d")
    deadline = time.monotonic() + 1.0
    screen = term.screen_text()
    while time.monotonic() < deadline and not (READING in screen and WAITING in screen):
        time.sleep(0.02)
        screen = term.screen_text()
    assert READING in screen and WAITING in screen, screen
    term.send("q")  # stops the read; the app stays
    dialog_gone_list_back(term)
    assert term.process.poll() is None, "q over the dialog quit the app"
    nothing_sent_after(sandbox_app, store, before, active, live_url)
    still_answers(term)
