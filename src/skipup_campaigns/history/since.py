"""`--since`: the point the Δ column counts from, as text a person types.

session       the last sample before this run started (the default)
24h, 7d, 30d  that long before now (h = hours, d = days, w = weeks)
2026-11-01    the start of that day (UTC)
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Literal

SESSION: Literal["session"] = "session"
CYCLE = ("session", "24h", "7d", "30d")
"""What a key cycling the window steps through, in order."""

_SPAN = r"^(\d{1,4})([hdw])$"  # compiled on first use (re's cache), not at start
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


def parse_since(text: str, now: datetime) -> datetime | Literal["session"]:
    """A moment, or "session"; ValueError with a message that names what is accepted."""
    cleaned = text.strip().lower()
    if cleaned == SESSION:
        return SESSION
    span = re.match(_SPAN, cleaned)
    if span:
        amount = int(span.group(1))
        if amount == 0:
            raise ValueError("--since needs a span of at least 1 (e.g. 24h, 7d)")
        return now - timedelta(**{_UNITS[span.group(2)]: amount})
    try:
        day = datetime.strptime(cleaned, "%Y-%m-%d").replace(tzinfo=timezone.utc)
    except ValueError:
        raise ValueError(
            f"--since: {text.strip()!r} is not a span or a date; use session, "
            "24h, 7d, 30d or a date like 2026-11-01"
        ) from None
    if day > now:
        raise ValueError(f"--since: {cleaned} is in the future")
    return day


def describe_since(text: str) -> str:
    """How a window reads in a heading: "since last session", "in the last 7d", "since …"."""
    cleaned = text.strip().lower()
    if cleaned == SESSION:
        return "since the last session"
    if re.match(_SPAN, cleaned):
        return f"in the last {cleaned}"
    return f"since {cleaned}"
