"""The API's timestamp form, written once for the client's models and for what the screens and
commands show. Standard library only: the screens import it on the way to the first frame,
before httpx or pydantic are loaded, and the client imports it without reaching up into
display/."""

from __future__ import annotations

from datetime import datetime, timezone


def as_utc(moment: datetime) -> datetime:
    """The same moment in UTC. A naive datetime is refused rather than read as local time."""
    if moment.tzinfo is None:
        raise ValueError("a date-time needs a time zone (a naive datetime is ambiguous)")
    try:
        return moment.astimezone(timezone.utc)
    except OverflowError:
        # e.g. 0001-01-01T00:00:00+01:00: a ValueError makes it pydantic's validation error.
        raise ValueError("a date-time whose UTC time falls outside years 1-9999") from None


def to_wire(moment: datetime) -> str:
    """`2026-06-01T09:30:00Z`: UTC, whole seconds, `Z`, as the API sends and takes it."""
    return as_utc(moment).replace(tzinfo=None, microsecond=0).isoformat() + "Z"
