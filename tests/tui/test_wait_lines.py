"""A wait for the rate limit is counted down on every screen that covers the list's top bar:
the edit form (saving, loading the teams), the campaign page (fetching), and the bulk
progress, whose estimate counts the rate limit from the first campaign."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from textual.widgets import Static

from skipup_campaigns.api.rate_wait import REFUSED
from skipup_campaigns.tui.app import CampaignsApp
from tests.tui.conftest import settle, until
from tests.tui.test_edit_flows import open_editor, open_first

MakeApp = Callable[..., CampaignsApp]


@asynccontextmanager
async def held_wait(pilot: Any, seconds: float) -> AsyncIterator[None]:
    """A request of the app's client waits `seconds` for the rate limit (a 429) until the
    block ends, announced as the client announces its own waits."""
    gate = asyncio.Event()
    waits = (await pilot.app.workspace.get_client()).waits

    async def held(_: float) -> None:
        await gate.wait()

    waiting = asyncio.create_task(waits.sleep(seconds, REFUSED, 4, held))
    await pilot.pause(0.1)
    try:
        yield
    finally:
        gate.set()
        await waiting
        await pilot.pause(0.1)


def wait_line(pilot: Any, selector: str) -> Static:
    line = pilot.app.screen.query_one(selector, Static)
    return line


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_the_edit_form_counts_down_a_wait(make_app: MakeApp, size: tuple[int, int]) -> None:
    async with make_app().run_test(size=size) as pilot:
        await open_first(pilot)
        await open_editor(pilot)
        line = wait_line(pilot, "#form-wait")
        assert not line.display
        async with held_wait(pilot, 34):
            text = str(line.render())
            assert line.display and line.region.height == 1
            assert "rate limited (429): next request in 34 s" in text, text
            assert line.region.y < pilot.app.screen.query_one("#form-buttons").region.y
        assert not line.display  # the wait is over: the line goes


async def test_the_campaign_page_counts_down_a_wait(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_first(pilot)
        line = wait_line(pilot, "#detail-wait")
        assert not line.display
        async with held_wait(pilot, 21):
            assert line.display and "next request in 21 s" in str(line.render())
            meta = pilot.app.screen.query_one("#detail-meta")
            assert line.region.y == meta.region.y + 1  # right under "fetching…"
        assert not line.display


def test_the_rate_limit_floor_is_the_wait_then_the_requests_past_the_windows_room() -> None:
    from skipup_campaigns.display.waits import rate_limited_seconds

    assert rate_limited_seconds(4, 4, waiting=39) == 99  # 2 campaigns at 4/min, 39 s to go
    assert rate_limited_seconds(32, 4, room=2) == 450
    assert rate_limited_seconds(32, 120, room=100) == 0  # they fit in the window: no floor
    assert rate_limited_seconds(32, None, waiting=12) == 12  # no limit stated: the wait only
    assert rate_limited_seconds(0, 4, waiting=5) == 5


def progress_text(pilot: Any) -> str:
    return str(pilot.app.screen.query_one("#bulk-progress-count", Static).render())


async def test_the_bulk_estimate_counts_the_rate_limit_from_the_first_campaign(
    make_app: MakeApp,
) -> None:
    from skipup_campaigns.bulk.engine import Progress
    from skipup_campaigns.tui.bulk_screens import BulkProgressScreen

    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        async with held_wait(pilot, 39):
            dialog = BulkProgressScreen("Deactivating 16", 16, lambda: None, pilot.app.workspace)
            await pilot.app.push_screen(dialog)
            await pilot.pause(0.1)
            # 32 requests at 4 a minute after the 39 s wait: 8 min 39 s, before any is done
            assert progress_text(pilot) == "0 of 16 · about 9 min left"
            dialog.total = 3
            dialog.show(Progress(1, 3, 39.0))  # the pace says 39 s; 4 requests need 60 more
            await pilot.pause(0.1)
            assert progress_text(pilot) == "1 of 3 · about 2 min left"
            assert "next request in 39 s" in str(
                pilot.app.screen.query_one("#bulk-progress-wait", Static).render()
            )


@pytest.mark.timeout(60)
async def test_the_bulk_edit_form_counts_down_a_wait(make_app: MakeApp) -> None:
    from skipup_campaigns.tui.bulk_screens import BulkEditScreen

    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space", "e")
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkEditScreen), "form")
        line = wait_line(pilot, "#bulk-edit-wait")
        assert not line.display
        async with held_wait(pilot, 17):
            assert line.display and "next request in 17 s" in str(line.render())
            buttons = pilot.app.screen.query_one(".bulk-buttons")
            assert line.region.height == 1 and line.region.y < buttons.region.y
        assert not line.display
