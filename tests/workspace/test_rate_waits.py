"""Issue 20, waits: one record of the rate-limit waits, announced by the client and held by the
workspace from the moment a wait starts until no request is waiting (a page merged meanwhile
does not clear it), in the same words wherever it is shown."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import httpx

from skipup_campaigns.api import SkipUpClient
from skipup_campaigns.api.rate_wait import PACED, RateLimitWait, RateLimitWaits
from skipup_campaigns.display.waits import Countdown, wait_text
from skipup_campaigns.sandbox import SandboxSettings, Store, create_app
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from skipup_campaigns.workspace import Workspace
from skipup_campaigns.workspace.events import RateLimitWaitChanged, WorkspaceEvent
from skipup_campaigns.workspace.load_state import status_text
from tests.conftest import ADMIN, FIXED_NOW, IN_PROCESS_URL, Clock, campaigns_on_server


def test_the_words_say_the_reason_the_seconds_and_the_limit() -> None:
    countdown = Countdown(FIXED_NOW + timedelta(seconds=11.2), "rate limited", 60)
    assert wait_text(countdown, FIXED_NOW) == "rate limited: next request in 12 s, 60 a minute"
    assert wait_text(Countdown(FIXED_NOW, "rate limited (429)"), FIXED_NOW) == (
        "rate limited (429): next request in 0 s"
    )


async def test_the_soonest_wait_is_shown_and_none_only_when_no_request_waits() -> None:
    now = [100.0]
    waits = RateLimitWaits(clock=lambda: now[0])
    heard: list[tuple[RateLimitWait | None, float]] = []
    waits.subscribe(lambda wait, left: heard.append((wait, left)))
    gates = {10.0: asyncio.Event(), 4.0: asyncio.Event()}

    async def held(seconds: float) -> None:
        await gates[seconds].wait()

    long = asyncio.create_task(waits.sleep(10.0, PACED, 60, held))
    await asyncio.sleep(0)
    short = asyncio.create_task(waits.sleep(4.0, PACED, 60, held))
    await asyncio.sleep(0)
    assert [left for _, left in heard] == [10.0, 4.0]  # the sooner one is the next request
    gates[4.0].set()
    await short
    assert heard[-1][0] is not None and heard[-1][0].until == 110.0  # the other still waits
    gates[10.0].set()
    await long
    assert heard[-1] == (None, 0.0) and waits.current is None


async def test_a_load_holds_the_wait_while_the_page_before_it_merges(
    store: Store, clock: Clock
) -> None:
    """The read-ahead's request waits while the page before it is merged: the countdown must
    stay (it was cleared by each merge, so "next page in 12s" never showed)."""
    team = campaigns_on_server(store)[0]["team_id"]
    for n in range(170):
        store.create_campaign(MAIN_WORKSPACE, {"name": f"Paced {n}", "team_id": team})
    offset = [0.0]
    app = create_app(
        store, SandboxSettings(rate_limit=1, rate_clock=lambda: time.time() + offset[0])
    )
    client = SkipUpClient(ADMIN, IN_PROCESS_URL, transport=httpx.ASGITransport(app))
    gate = asyncio.Event()
    sleeps: list[float] = []

    async def held(seconds: float) -> None:  # the server's minute passes when the test says
        sleeps.append(seconds)
        await gate.wait()
        offset[0] += 61

    client._sleep = held  # type: ignore[method-assign]
    workspace = Workspace(client, clock=clock)
    heard: list[Countdown | None] = []

    def listen(event: WorkspaceEvent) -> None:
        if isinstance(event, RateLimitWaitChanged):
            heard.append(event.wait)

    workspace.subscribe(listen)
    load = asyncio.create_task(workspace.load())
    for _ in range(300):
        await asyncio.sleep(0.01)
        if sleeps and workspace.load_state.received:
            break
    await asyncio.sleep(0.05)  # the first page's merge and announcements are done
    assert workspace.load_state.received == 100 and workspace.load_state.loading
    waiting = workspace.rate_wait
    assert waiting is not None and waiting.per_minute == 1 and waiting.reason == PACED
    assert status_text(workspace.load_state, now=clock(), waiting=waiting) == (
        f"100 loaded · rate limited: next request in {waiting.seconds_left(clock())} s, 1 a minute"
    )
    gate.set()
    state = await load
    assert state.error is None and len(workspace.collection) == state.received
    assert workspace.rate_wait is None and heard[-1] is None
    assert len(sleeps) >= 2 and heard.count(None) == len(sleeps)  # one wait at a time here
