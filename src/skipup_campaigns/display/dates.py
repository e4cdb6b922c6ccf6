"""Dates as the list shows them, and a campaign's status in words."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Literal

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


def short_date(moment: datetime | None) -> str:
    """`2026-06-01` in UTC, or an en dash for no date."""
    return moment.date().isoformat() if moment is not None else "–"


def clock_time(moment: datetime) -> str:
    """`14:05` in the local time zone, for "updated 14:05"."""
    return moment.astimezone().strftime("%H:%M")


_BARE_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_AND_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$")


class DateInputError(ValueError):
    """Text a date field cannot take; the message is shown on the field."""


def parse_when(text: str, *, end_of_day: bool = False) -> datetime | None:
    """A date field's text as a UTC moment; None for an empty field.

    Accepts `2026-06-01` (the start of that day, or its last second with `end_of_day`),
    `2026-06-01 09:30` (UTC), and full ISO 8601 with `Z` or an offset.
    """
    text = text.strip()
    if not text:
        return None
    try:
        if _BARE_DATE.match(text):
            day = datetime.fromisoformat(text).replace(tzinfo=timezone.utc)
            return day.replace(hour=23, minute=59, second=59) if end_of_day else day
        if _DATE_AND_TIME.match(text):
            return datetime.fromisoformat(text.replace(" ", "T")).replace(tzinfo=timezone.utc)
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        raise DateInputError("not a date: use 2026-06-01, 2026-06-01 09:30 or ISO 8601") from None
    if moment.tzinfo is None:
        raise DateInputError("add a time zone (Z or +02:00), or leave the time out")
    return moment.astimezone(timezone.utc).replace(microsecond=0)


def wire(moment: datetime) -> str:
    """`2026-06-01T09:30:00Z`: how the API and the form show a moment."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0).isoformat() + "Z"


def relative(moment: datetime, now: datetime, *, past: str, future: str) -> str:
    """"ends in 5 days", "ended 3 months ago": `past`/`future` are the verbs to use."""
    seconds = (moment - now).total_seconds()
    amount = abs(seconds)
    for unit, size in (("year", 365 * 86400), ("month", 30 * 86400), ("day", 86400),
                       ("hour", 3600), ("minute", 60)):
        if amount >= size:
            count = int(amount // size)
            span = f"{count} {unit}{'s' if count != 1 else ''}"
            break
    else:
        span = "less than a minute"
    return f"{past} {span} ago" if seconds < 0 else f"{future} in {span}"
