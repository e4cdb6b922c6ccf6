"""Small truths on screen: relative dates round to the nearest unit, a one-digit hour is a
time, the date fields' example lies ahead of today, and a campaign with no requests has no
booking rate to show (–, while the API's 0.0 stays in JSON)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest
from textual.widgets import Input, Static

from skipup_campaigns.display.dates import date_example, parse_when, relative, wire
from skipup_campaigns.display.rate_bar import format_rate
from skipup_campaigns.sandbox import Store
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from skipup_campaigns.tui.app import CampaignsApp
from skipup_campaigns.tui.detail_screen import DetailScreen
from tests.conftest import Clock
from tests.tui.conftest import list_screen, settle

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc)
MakeApp = Callable[..., CampaignsApp]


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(days=59), "starts in 2 months"),
        (timedelta(days=44), "starts in 1 month"),
        (timedelta(days=46), "starts in 2 months"),
        (timedelta(days=1, hours=13), "starts in 2 days"),
        (timedelta(days=1, hours=11), "starts in 1 day"),
        (timedelta(hours=23, minutes=40), "starts in 1 day"),  # not "24 hours"
        (timedelta(days=29, hours=18), "starts in 1 month"),  # not "30 days"
        (timedelta(minutes=59, seconds=40), "starts in 1 hour"),
        (timedelta(days=-548), "started 2 years ago"),
        (timedelta(seconds=40), "starts in less than a minute"),
    ],
)
def test_relative_dates_round_to_the_nearest_unit(delta: timedelta, expected: str) -> None:
    assert relative(NOW + delta, NOW, past="started", future="starts") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-01-10 9:30", "2027-01-10T09:30:00Z"),
        ("2027-01-10T9:05", "2027-01-10T09:05:00Z"),
        ("2027-01-10 9:30:15", "2027-01-10T09:30:15Z"),
        ("2027-01-10 19:30", "2027-01-10T19:30:00Z"),
    ],
)
def test_a_one_digit_hour_is_a_time(text: str, expected: str) -> None:
    moment = parse_when(text)
    assert moment is not None and wire(moment) == expected


@pytest.mark.parametrize(
    "text", ["2027-01-10 9:3", "2027-01-10 24:00", "2027-02-30 9:30", "2027-01-10 123:30"]
)
def test_times_that_are_not_are_still_refused(text: str) -> None:
    from skipup_campaigns.display.dates import DateInputError

    with pytest.raises(DateInputError):
        parse_when(text)


def test_the_date_example_is_ahead_and_parses() -> None:
    for end in (False, True):
        example = date_example(NOW, end)
        moment = parse_when(example)
        assert moment is not None and moment > NOW
    assert parse_when(date_example(NOW, True)) > parse_when(date_example(NOW))  # type: ignore[operator]


def test_no_requests_shows_no_rate() -> None:
    assert format_rate(0.0, 0) == "     –"
    assert format_rate(0.0, 12) == "  0.0%"
    assert format_rate(42.86, 7) == " 42.9%"
    assert format_rate(0.0) == "  0.0%"  # requests unknown: the number as it is


async def test_the_forms_date_examples_lie_ahead_of_today(make_app: MakeApp, clock: Clock) -> None:
    clock.now = datetime(2031, 3, 1, 8, 0, tzinfo=timezone.utc)
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        for field in ("#starts", "#ends"):
            placeholder = pilot.app.screen.query_one(field, Input).placeholder
            example = parse_when(placeholder.split(" (")[0])
            assert example is not None and example > clock.now, placeholder


async def test_a_campaign_without_requests_shows_a_dash_not_zero_percent(
    make_app: MakeApp, store: Store
) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = list_screen(pilot)
        row = next(r for r in screen.table.rows if r.requests == 0)
        screen.table.select(row.campaign.id)
        await pilot.press("slash", *row.campaign.slug, "enter")  # only it, for the summary
        await settle(pilot)
        summary = str(screen.query_one("#summary", Static).render())
        assert "– booking rate" in summary and "0.0%" not in summary
        await pilot.press("enter")
        await settle(pilot)
        detail = pilot.app.screen
        assert isinstance(detail, DetailScreen)
        rate = str(detail.query_one("#field-rate .value", Static).render())
        assert rate.rstrip().endswith("–") and "%" not in rate
    assert store.get_campaign(MAIN_WORKSPACE, row.campaign.id)["booking_rate"] == 0.0
