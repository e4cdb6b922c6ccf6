"""Dates: a campaign's status in words, dates as typed, relative hints, and one timestamp form
(four-digit years, UTC, naive moments refused)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from skipup_campaigns.display.dates import campaign_status
from tests.campaign_data import NOW


def test_status_words() -> None:
    past, future = NOW - timedelta(days=1), NOW + timedelta(days=1)
    assert (
        campaign_status(deactivated_at=past, starts_at=None, ends_at=future, now=NOW)
        == "deactivated"
    )
    assert campaign_status(deactivated_at=None, starts_at=None, ends_at=past, now=NOW) == "ended"
    assert (
        campaign_status(deactivated_at=None, starts_at=future, ends_at=None, now=NOW) == "scheduled"
    )
    assert campaign_status(deactivated_at=None, starts_at=past, ends_at=future, now=NOW) == "active"


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("2026-06-01", False, "2026-06-01T00:00:00Z"),
        ("2026-06-01", True, "2026-06-01T23:59:59Z"),
        ("2026-06-01 09:30", False, "2026-06-01T09:30:00Z"),
        ("2026-06-01T09:30:15Z", True, "2026-06-01T09:30:15Z"),
        ("2026-06-01T09:30:00+02:00", False, "2026-06-01T07:30:00Z"),
        ("  2026-06-01T09:30:00.5-01:00 ", False, "2026-06-01T10:30:00Z"),
    ],
)
def test_parse_when_accepts_the_documented_forms(text: str, end: bool, expected: str) -> None:
    from skipup_campaigns.display.dates import parse_when, wire

    assert wire(parse_when(text, end_of_day=end)) == expected


@pytest.mark.parametrize(
    "text",
    ["tomorrow", "2026-13-01", "01/06/2026", "2026-06-01 25:00", "2026-06-01T09:30:00+25:00"],
)
def test_parse_when_refuses_with_a_message(text: str) -> None:
    from skipup_campaigns.display.dates import DateInputError, parse_when

    with pytest.raises(DateInputError):
        parse_when(text)
    assert parse_when("   ") is None


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(days=5, hours=1), "ends in 5 days"),
        (timedelta(days=-95), "ended 3 months ago"),
        (timedelta(hours=-1), "ended 1 hour ago"),
        (timedelta(seconds=20), "ends in less than a minute"),
        (timedelta(days=800), "ends in 2 years"),
    ],
)
def test_relative_hints(delta: timedelta, expected: str) -> None:
    from skipup_campaigns.display.dates import relative

    assert relative(NOW + delta, NOW, past="ended", future="ends") == expected


def test_wire_dates_keep_four_digit_years() -> None:
    from datetime import datetime, timezone

    from skipup_campaigns.api.models import to_wire
    from skipup_campaigns.display.dates import short_date, wire

    early = datetime(199, 6, 21, 0, 27, 50, tzinfo=timezone.utc)
    assert wire(early) == to_wire(early) == "0199-06-21T00:27:50Z"
    assert short_date(early) == "0199-06-21"


def test_one_timestamp_formatter_refuses_naive_moments() -> None:
    """The screens' `wire` is the client's `to_wire`: a naive datetime is refused (it used to
    be read as local time on screen), and an offset is shown in UTC."""
    from datetime import datetime, timedelta, timezone

    from skipup_campaigns.api.models import to_wire
    from skipup_campaigns.display.dates import wire

    assert wire is to_wire
    with pytest.raises(ValueError, match="time zone"):
        wire(datetime(2026, 6, 1, 9, 30))
    with pytest.raises(ValueError, match="years 1-9999"):
        wire(datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))))
    plus_two = datetime(2026, 6, 1, 11, 30, 5, 999_999, tzinfo=timezone(timedelta(hours=2)))
    assert wire(plus_two) == "2026-06-01T09:30:05Z"
