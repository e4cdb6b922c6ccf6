"""Dates as the list shows them, and a campaign's status in words."""

from __future__ import annotations

from datetime import datetime
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
    return moment.strftime("%Y-%m-%d") if moment is not None else "–"


def clock_time(moment: datetime) -> str:
    """`14:05` in the local time zone, for "updated 14:05"."""
    return moment.astimezone().strftime("%H:%M")
