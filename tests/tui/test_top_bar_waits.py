"""The top bar while a request waits for the rate limit: the profile's name keeps its place
before lesser parts (at 80×24 too), and rows shown from the cache still say so."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

from textual.widgets import Static

from skipup_campaigns.display.waits import Countdown
from skipup_campaigns.workspace.load_state import LoadState, status_text
from tests.tui.conftest import list_screen, settle
from tests.tui.test_profile_switch import Sandbox, started_app, two_sandboxes  # noqa: F401

AT = datetime(2026, 6, 15, 14, 5, tzinfo=timezone.utc)
REFUSED_WAIT = Countdown(AT + timedelta(seconds=55), "rate limited (429)", 4)
FROM_CACHE = LoadState(loading=True, cached_at=AT - timedelta(hours=1))


def test_rows_from_the_cache_say_so_while_the_load_waits() -> None:
    # 48: the status's room at 100 columns (half the bar, less padding)
    text = status_text(FROM_CACHE, now=AT, width=48, waiting=REFUSED_WAIT)
    assert text == "cached 13:05 · rate limited (429): next in 55 s"
    whole = status_text(FROM_CACHE, now=AT, waiting=REFUSED_WAIT)
    assert whole.startswith("cached 13:05 UTC · rate limited (429)")
    # Short of room, the countdown outlasts the marker.
    narrow = status_text(FROM_CACHE, now=AT, width=38, waiting=REFUSED_WAIT)
    assert narrow == "rate limited (429): next in 55 s"


async def test_at_80_columns_a_rate_limit_wait_keeps_the_profiles_name(
    two_sandboxes: tuple[Sandbox, Sandbox],  # noqa: F811
) -> None:
    from skipup_campaigns.api.rate_wait import REFUSED

    async with started_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        gate = asyncio.Event()
        waits = (await pilot.app.workspace.get_client()).waits

        async def held(seconds: float) -> None:
            await gate.wait()

        waiting = asyncio.create_task(waits.sleep(55, REFUSED, 4, held))
        await pilot.pause(0.1)
        screen = list_screen(pilot)
        title = str(screen.query_one("#title", Static).render())
        status = str(screen.query_one("#load-status", Static).render())
        assert "rate limited (429)" in status
        assert title.startswith("SkipUp (first) · ") and "campaigns" in title
        assert "by created" not in title  # a lesser part gave way instead
        gate.set()
        await waiting
