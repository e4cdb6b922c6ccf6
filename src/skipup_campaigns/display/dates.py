"""Dates as the list shows them, and a campaign's status in words."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Literal

from skipup_campaigns.timestamps import to_wire

Status = Literal["active", "scheduled", "ended", "deactivated"]
STATUSES: tuple[Status, ...] = ("active", "scheduled", "ended", "deactivated")


def campaign_status(*, deactivated_at: datetime | None, starts_at: datetime | None,
                    ends_at: datetime | None, now: datetime) -> Status:
    """Deactivation wins, then a passed end; a start still ahead is "scheduled" (the API
    calls such a campaign active, and so does the active-only view)."""
    if deactivated_at is not None:
        return "deactivated"
    if ends_at is not None and ends_at <= now:
        return "ended"
    if starts_at is not None and starts_at > now:
        return "scheduled"
    return "active"


def status_at(*, deactivated: bool, starts_at: float | None, ends_at: float | None,
              now: float) -> Status:
    """`campaign_status` from POSIX timestamps (the list's rows keep moments as floats)."""
    if deactivated:
        return "deactivated"
    if ends_at is not None and ends_at <= now:
        return "ended"
    if starts_at is not None and starts_at > now:
        return "scheduled"
    return "active"


def short_date(moment: datetime | None) -> str:
    """`2026-06-01` in UTC, or an en dash for no date."""
    return moment.date().isoformat() if moment is not None else "–"


def clock_time(moment: datetime) -> str:
    """`14:05` in the local time zone, for "updated 14:05"."""
    return moment.astimezone().strftime("%H:%M")


_BARE_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_AND_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
"""A date and a UTC time; the hour may have one digit (`9:30`), as people type it."""


class DateInputError(ValueError):
    """Text a date field cannot take; the message is shown on the field."""


def parse_when(text: str, *, end_of_day: bool = False) -> datetime | None:
    """A date field's text as a UTC moment; None for an empty field.

    Accepts `2026-06-01` (the start of that day, or its last second with `end_of_day`),
    `2026-06-01 09:30` or `2026-06-01 9:30` (UTC), and full ISO 8601 with `Z` or an offset.
    """
    text = text.strip()
    if not text:
        return None
    try:
        if _BARE_DATE.match(text):
            day = datetime.fromisoformat(text).replace(tzinfo=timezone.utc)
            return day.replace(hour=23, minute=59, second=59) if end_of_day else day
        if parts := _DATE_AND_TIME.match(text):
            year, month, date, hour, minute, second = (int(part or 0) for part in parts.groups())
            return datetime(year, month, date, hour, minute, second, tzinfo=timezone.utc)
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        raise DateInputError("not a date: use 2026-06-01, 2026-06-01 09:30 or ISO 8601") from None
    if moment.tzinfo is None:
        raise DateInputError("add a time zone (Z or +02:00), or leave the time out")
    return moment.astimezone(timezone.utc).replace(microsecond=0)


def date_example(now: datetime, end: bool = False) -> str:
    """A date field's example (`2026-06-22 09:30`), ahead of `now` so it is never in the past:
    a week ahead for a start, five weeks for an end."""
    ahead = timedelta(days=37 if end else 7)
    return f"{(now.astimezone(timezone.utc) + ahead).date()} 09:30"


wire = to_wire
"""`2026-06-01T09:30:00Z`: how the API and the form show a moment (naive ones refused)."""


_UNITS = (("year", 365 * 86400), ("month", 30 * 86400), ("day", 86400), ("hour", 3600),
          ("minute", 60))


def relative(moment: datetime, now: datetime, *, past: str, future: str) -> str:
    """"ends in 5 days", "ended 3 months ago": `past`/`future` are the verbs to use. Rounded
    to the nearest whole unit (59 days is "2 months"); a count that rounds up to the next
    unit is said in it (23.6 hours is "1 day")."""
    seconds = (moment - now).total_seconds()
    amount = abs(seconds)
    span = "less than a minute"
    for index, (unit, size) in enumerate(_UNITS):
        if amount >= size:
            count = int(amount / size + 0.5)
            if index and count * size >= _UNITS[index - 1][1]:
                unit, size = _UNITS[index - 1]
                count = int(amount / size + 0.5)
            span = f"{count} {unit}{'s' if count != 1 else ''}"
            break
    return f"{past} {span} ago" if seconds < 0 else f"{future} in {span}"
