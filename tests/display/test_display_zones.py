"""Times shown and typed in the display zone: UTC by default, a local zone when configured.
New York stands for "local" (a fixed zone, so the tests do not depend on the machine's)."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from skipup_campaigns.display.dates import (
    UTC_ZONE,
    DateInputError,
    DisplayZone,
    clock_time,
    date_example,
    parse_when,
    short_date,
    shown_time,
)

NEW_YORK = DisplayZone(ZoneInfo("America/New_York"))
UTC = timezone.utc


def test_utc_stays_the_default_everywhere() -> None:
    moment = datetime(2026, 6, 1, 2, 30, tzinfo=UTC)
    assert clock_time(moment) == "02:30"
    assert short_date(moment) == "2026-06-01"
    assert shown_time(moment) == "2026-06-01T02:30:00Z"
    assert parse_when("2026-06-01 2:30") == moment
    assert UTC_ZONE.label(moment) == "UTC"


def test_a_local_zone_shows_the_wall_time_and_the_day_it_is_there() -> None:
    moment = datetime(2026, 6, 1, 2, 30, tzinfo=UTC)  # still 31 May in New York
    assert clock_time(moment, NEW_YORK) == "22:30"
    assert short_date(moment, NEW_YORK) == "2026-05-31"
    assert shown_time(moment, NEW_YORK) == "2026-05-31 22:30 EDT"
    assert shown_time(datetime(2026, 1, 5, 14, 0, 7, tzinfo=UTC), NEW_YORK) == (
        "2026-01-05 09:00:07 EST"
    )


def test_typed_times_are_read_in_the_display_zone() -> None:
    assert parse_when("2026-06-01 9:30", zone=NEW_YORK) == datetime(2026, 6, 1, 13, 30, tzinfo=UTC)
    assert parse_when("2026-01-05 09:30", zone=NEW_YORK) == datetime(2026, 1, 5, 14, 30, tzinfo=UTC)
    assert parse_when("2026-06-01", zone=NEW_YORK) == datetime(2026, 6, 1, 4, tzinfo=UTC)
    assert parse_when("2026-06-01", end_of_day=True, zone=NEW_YORK) == datetime(
        2026, 6, 2, 3, 59, 59, tzinfo=UTC
    )
    # An explicit offset or Z wins over the zone.
    assert parse_when("2026-06-01T09:30:00Z", zone=NEW_YORK) == datetime(
        2026, 6, 1, 9, 30, tzinfo=UTC
    )
    assert parse_when("2026-06-01T09:30+02:00", zone=NEW_YORK) == datetime(
        2026, 6, 1, 7, 30, tzinfo=UTC
    )


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 3, 8, 6, 59, tzinfo=UTC),
        datetime(2026, 3, 8, 7, 0, tzinfo=UTC),
        datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
        datetime(2026, 11, 1, 6, 30, tzinfo=UTC),
        datetime(2026, 7, 4, 16, 0, 5, tzinfo=UTC),
    ],
)
def test_what_is_shown_reads_back_as_the_same_moment(moment: datetime) -> None:
    for zone in (UTC_ZONE, NEW_YORK):
        assert parse_when(shown_time(moment, zone), zone=zone) == moment


def test_the_daylight_saving_boundary() -> None:
    # 8 March 2026: New York's clocks go from 01:59 EST to 03:00 EDT.
    assert parse_when("2026-03-08 01:30", zone=NEW_YORK) == datetime(2026, 3, 8, 6, 30, tzinfo=UTC)
    assert parse_when("2026-03-08 03:30", zone=NEW_YORK) == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    with pytest.raises(DateInputError, match="does not exist"):
        parse_when("2026-03-08 02:30", zone=NEW_YORK)
    assert shown_time(datetime(2026, 3, 8, 6, 30, tzinfo=UTC), NEW_YORK) == ("2026-03-08 01:30 EST")
    assert shown_time(datetime(2026, 3, 8, 7, 30, tzinfo=UTC), NEW_YORK) == ("2026-03-08 03:30 EDT")
    # 1 November 2026: 01:30 happens twice; typed bare it is the first (EDT), and the second
    # is reached by its name, as the form shows it.
    assert parse_when("2026-11-01 01:30", zone=NEW_YORK) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


def test_a_zone_name_that_is_not_the_display_zone_is_refused() -> None:
    with pytest.raises(DateInputError, match="not the zone"):
        parse_when("2026-06-01 09:30 PST", zone=NEW_YORK)
    with pytest.raises(DateInputError, match="not the zone"):
        parse_when("2026-06-01 09:30 EDT")  # UTC here
    assert parse_when("2026-06-01 09:30 UTC") == datetime(2026, 6, 1, 9, 30, tzinfo=UTC)


def test_the_example_is_the_day_in_the_zone() -> None:
    late = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)  # 31 May, 22:00 in New York
    assert date_example(late) == "2026-06-08 09:30"
    assert date_example(late, zone=NEW_YORK) == "2026-06-07 09:30"


def test_the_repeated_hour_is_told_apart_by_its_name() -> None:
    assert parse_when("2026-11-01 01:30 EDT", zone=NEW_YORK) == datetime(
        2026, 11, 1, 5, 30, tzinfo=UTC
    )
    assert parse_when("2026-11-01 01:30 EST", zone=NEW_YORK) == datetime(
        2026, 11, 1, 6, 30, tzinfo=UTC
    )
