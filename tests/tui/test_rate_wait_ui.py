"""Issue 20, waits in the UI: while a bulk run's request waits for the rate limit, the progress
dialog says so with a countdown that moves each second, its estimate moves too, and the list's
top bar under it counts down the same wait. (The real-terminal claim is in tests/e2e.)"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import Static

import skipup_campaigns.bulk.engine as bulk
from skipup_campaigns.api import SkipUpClient
from skipup_campaigns.sandbox import SandboxSettings, Store
from skipup_campaigns.sandbox.faults import WINDOW_SECONDS
from skipup_campaigns.tui.app import CampaignsApp
from skipup_campaigns.tui.bulk_screens import BulkPreviewScreen, BulkProgressScreen
from tests.conftest import Clock, campaigns_on_server
from tests.tui.conftest import list_screen, settle
from tests.tui.test_bulk_list import until

MakeApp = Callable[..., CampaignsApp]
OFFSET = [0.0]
"""Seconds the rate-limit clock (the sandbox's and the client's) is ahead of the real one: it
starts half a window in (a held wait moves it on a minute)."""


def rate_clock() -> float:
    return time.time() + OFFSET[0]


@pytest.fixture
def settings() -> SandboxSettings:
    # The wait lasts until the window's end. On the real clock that is anywhere in the
    # minute: under 5 s left, the countdown cannot show 5 s less (it failed so in full runs,
    # about one run in fifteen). Half a window ahead, it is about 30 s less the set-up's time:
    # room for the 5 s the test moves, and an estimate under 90 s (in seconds, so it moves).
    # (The offset stays under half a minute: the bulk engine's estimate reads the real clock.)
    OFFSET[0] = WINDOW_SECONDS / 2 - time.time() % WINDOW_SECONDS
    return SandboxSettings(rate_limit=8, rate_clock=rate_clock)


def seconds_in(text: str) -> int:
    found = re.search(r"next request in (\d+) s", text)
    assert found, text
    return int(found.group(1))


async def test_the_progress_dialog_counts_down_a_rate_limit_wait(
    make_app: MakeApp, clock: Clock, store: Store, monkeypatch: Any
) -> None:
    gate = asyncio.Event()
    waits: list[float] = []

    async def held(seconds: float) -> None:  # the server's minute passes when the test says
        waits.append(seconds)
        await gate.wait()
        OFFSET[0] += 61

    monkeypatch.setattr(SkipUpClient, "_sleep", staticmethod(held))
    monkeypatch.setattr(SkipUpClient, "_now", lambda self: rate_clock())  # agrees with the server
    original = bulk._Pacer.__init__
    monkeypatch.setattr(
        bulk._Pacer, "__init__", lambda self, client, sleep=None: original(self, client, held)
    )
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*["space"] * 6)
        chosen = set(pilot.app.workspace.marks)
        await pilot.press("d")
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkPreviewScreen), "preview")
        await pilot.press("tab", "enter")  # 12 requests; the load used 1 of 8 this minute
        await until(pilot, lambda: bool(waits), "a wait for the rate limit")
        assert waits[0] > 5, waits  # room for the 5 s the clock moves below
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, BulkProgressScreen)

        def line(selector: str) -> str:
            return str(dialog.query_one(selector, Static).render())

        waiting = line("#bulk-progress-wait")
        assert waiting.startswith("rate limited: next request in ")
        assert waiting.endswith(", 8 a minute")
        top = str(list_screen_under(pilot).query_one("#load-status").render())
        assert "rate limited" in top  # the same wait, under the dialog
        dialog.redraw()  # as its next tick does, the wait known: the estimate counts it
        count = line("#bulk-progress-count")
        clock.advance(seconds=5)
        await until(  # one tick of the dialog's second
            pilot,
            lambda: seconds_in(line("#bulk-progress-wait")) == seconds_in(waiting) - 5,
            "5 s less to wait",
        )
        await until(  # the estimate moves with it, on the dialog's own tick
            pilot,
            lambda: (
                seconds_of_estimate(line("#bulk-progress-count")) == seconds_of_estimate(count) - 5
            ),
            "an estimate 5 s less",
        )
        gate.set()
        await until(
            pilot,
            lambda: not any(isinstance(s, BulkProgressScreen) for s in pilot.app.screen_stack),
            "the end",
        )
        await settle(pilot)
        assert pilot.app.workspace.rate_wait is None
        assert "rate limited" not in str(list_screen(pilot).query_one("#load-status").render())
    server = {c["id"]: c for c in campaigns_on_server(store)}
    assert all(server[cid]["deactivated_at"] is not None for cid in chosen)


def seconds_of_estimate(text: str) -> int:
    found = re.search(r"about (\d+) s left", text)
    assert found, text
    return int(found.group(1))


def list_screen_under(pilot: Any) -> Any:
    from skipup_campaigns.tui.list_screen import ListScreen

    return next(s for s in pilot.app.screen_stack if isinstance(s, ListScreen))


async def test_the_report_says_a_wait_the_list_top_bar_would(
    make_app: MakeApp, clock: Clock
) -> None:
    from skipup_campaigns.api.rate_wait import PACED
    from skipup_campaigns.tui.report_screen import ReportScreen

    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await until(pilot, lambda: isinstance(pilot.app.screen, ReportScreen), "the report")
        report = pilot.app.screen
        line = report.query_one("#report-wait", Static)
        assert not line.display or not line.has_class("-waiting")
        client = await pilot.app.workspace.get_client()
        gate = asyncio.Event()

        async def held(seconds: float) -> None:
            await gate.wait()

        waiting = asyncio.create_task(client.waits.sleep(20, PACED, 60, held))
        await pilot.pause()
        assert line.has_class("-waiting") and line.region.height == 1
        assert str(line.render()) == "rate limited: next request in 20 s, 60 a minute"
        clock.advance(seconds=3)
        await until(  # its next tick
            pilot,
            lambda: str(line.render()) == "rate limited: next request in 17 s, 60 a minute",
            "17 s",
        )
        gate.set()
        await waiting
        await pilot.pause()
        assert not line.has_class("-waiting") and line.region.height == 0
