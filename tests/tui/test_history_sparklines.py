"""A campaign's page shows its recorded history as sparklines (requests and booked per day),
the dates they span and the booking rate then and now; without history it says so."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.widgets import Sparkline, Static

from skipup_campaigns.api.models import Campaign
from skipup_campaigns.history.demo import fabricate_history
from skipup_campaigns.history.store import open_history
from skipup_campaigns.report import percent
from skipup_campaigns.sandbox import Store
from skipup_campaigns.tui.app import CampaignsApp
from skipup_campaigns.tui.detail_screen import DetailScreen
from skipup_campaigns.workspace.history_link import HistorySettings
from tests.conftest import Clock, campaigns_on_server
from tests.tui.conftest import list_screen, settle

MakeApp = Callable[..., CampaignsApp]


def text(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def open_first(pilot: Any) -> DetailScreen:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DetailScreen)
    return screen


async def test_sparklines_of_a_campaign_with_recorded_history(
    make_app: MakeApp, store: Store, clock: Clock, tmp_path: Path
) -> None:
    path = tmp_path / "history.sqlite3"
    campaigns = [Campaign.model_validate(c) for c in campaigns_on_server(store)]
    with open_history(path, clock=clock) as history:
        fabricate_history(history, campaigns, now=clock.now)
    async with make_app(history=HistorySettings(path)).run_test(size=(100, 50)) as pilot:
        await settle(pilot)
        row = list_screen(pilot).table.cursor_row
        screen = await open_first(pilot)
        with open_history(path, clock=clock) as history:
            daily, gains = history.daily(row.id), history.daily_gains(row.id)
        assert len(daily) >= 5 and sum(g.requests for g in gains) > 0
        requests = screen.query_one("#trend-requests Sparkline", Sparkline)
        booked = screen.query_one("#trend-booked Sparkline", Sparkline)
        assert list(requests.data) == [g.requests for g in gains]
        assert list(booked.data) == [g.booked for g in gains]
        assert requests.display and booked.display
        span = text(screen, "#trend-span")
        assert daily[0].day.isoformat() in span and daily[-1].day.isoformat() in span
        assert f"({len(daily)} days" in span
        rate = text(screen, "#trend-rate .value")
        assert f"{percent(daily[0].booked, daily[0].requests)}% on {daily[0].day}" in rate
        now = campaigns_on_server(store)
        mine = next(c for c in now if c["id"] == row.id)
        rate_now = percent(mine["meetings_booked_count"], mine["meeting_request_count"])
        assert rate.endswith(f"{rate_now}% now")
        # Drawn: a sparkline's bars are on screen.
        assert any(ch in "▁▂▃▄▅▆▇█" for ch in str(requests.render_line(0).text))


async def test_an_honest_message_without_history(
    make_app: MakeApp, clock: Clock, tmp_path: Path
) -> None:
    path = tmp_path / "history.sqlite3"
    async with make_app(history=HistorySettings(path)).run_test(size=(100, 50)) as pilot:
        screen = await open_first(pilot)
        # Only this run's one sample: no day to compare with yet.
        assert "a trend needs two days" in text(screen, "#trend-span")
        assert not screen.query_one("#trend-requests").display
    async with make_app().run_test(size=(100, 50)) as pilot:
        screen = await open_first(pilot)
        # History off: no trend section at all (nothing recorded, nothing to show).
        assert not screen.query("#detail-trend")


async def test_a_day_later_the_trend_shows(
    make_app: MakeApp, store: Store, clock: Clock, tmp_path: Path
) -> None:
    from random import Random

    from skipup_campaigns.sandbox.activity import running_campaigns, tick
    from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE

    path = tmp_path / "history.sqlite3"
    async with make_app(history=HistorySettings(path)).run_test(size=(100, 50)) as pilot:
        await settle(pilot)
        first = list_screen(pilot).table.cursor_row
    clock.advance(days=1)
    running = [c for c in running_campaigns(store, (MAIN_WORKSPACE,)) if c["id"] == first.id]
    assert running, "the first row of the list is running"
    tick(store, 9, Random(1), running)
    async with make_app(history=HistorySettings(path)).run_test(size=(100, 50)) as pilot:
        screen = await open_first(pilot)
        assert list(screen.query_one("#trend-requests Sparkline", Sparkline).data) == [9]
        assert "(2 days" in text(screen, "#trend-span")
