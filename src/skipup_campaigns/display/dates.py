"""Dates as the list shows them, and a campaign's status in words."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Literal

from skipup_campaigns.plain_record import FrozenRecord
from skipup_campaigns.timestamps import to_wire

Status = Literal["active", "scheduled", "ended", "deactivated"]
STATUSES: tuple[Status, ...] = ("active", "scheduled", "ended", "deactivated")


def campaign_status(
    *,
    deactivated_at: datetime | None,
    starts_at: datetime | None,
    ends_at: datetime | None,
    now: datetime,
) -> Status:
    """Deactivation wins, then a passed end; a start still ahead is "scheduled" (the API
    calls such a campaign active, and so does the active-only view)."""
    if deactivated_at is not None:
        return "deactivated"
    if ends_at is not None and ends_at <= now:
        return "ended"
    if starts_at is not None and starts_at > now:
        return "scheduled"
    return "active"


def status_at(
    *, deactivated: bool, starts_at: float | None, ends_at: float | None, now: float
) -> Status:
    """`campaign_status` from POSIX timestamps (the list's rows keep moments as floats)."""
    if deactivated:
        return "deactivated"
    if ends_at is not None and ends_at <= now:
        return "ended"
    if starts_at is not None and starts_at > now:
        return "scheduled"
    return "active"


class DisplayZone(FrozenRecord):
    """The zone every time is shown and typed in: UTC (the default), the system's local time
    (`zone` None: Python then follows the system's rules, daylight saving included) or a
    named zone. Resolved once from the config (`config.display_zone`) and handed to the
    functions below, so the screens and the commands agree."""

    zone: tzinfo | None = timezone.utc

    @property
    def is_utc(self) -> bool:
        return self.zone is timezone.utc

    def of(self, moment: datetime) -> datetime:
        """The moment as a wall time in this zone."""
        return moment.astimezone(self.zone)

    def label(self, moment: datetime) -> str:
        """The zone's short name at that moment: "UTC", "EST" or "EDT"."""
        return self.of(moment).tzname() or "local"

    def from_wall(self, wall: datetime, name: str | None = None) -> datetime:
        """A naive wall time in this zone as a UTC moment. A time the clocks skip (the hour
        daylight saving jumps over) is refused; a time they repeat is read as its first,
        unless `name` (the zone's short name, "EST") says which. A `name` that is not this
        zone's at that time is refused."""
        moments = []
        for fold in (0, 1):
            folded = wall.replace(fold=fold)
            aware = folded.astimezone() if self.zone is None else folded.replace(tzinfo=self.zone)
            moment = aware.astimezone(timezone.utc)
            if self.of(moment).replace(tzinfo=None) == wall and moment not in moments:
                moments.append(moment)
        if not moments:
            raise DateInputError(
                f"{wall:%Y-%m-%d %H:%M} does not exist here (the clocks "
                "skip it): type another time, or add Z"
            )
        if name is None:
            return moments[0]
        for moment in moments:
            if self.label(moment).upper() == name.upper():
                return moment
        raise DateInputError(
            f"{name} is not the zone times are typed in here "
            f"({self.label(moments[0])}): leave it out, or use +02:00"
        )


UTC_ZONE = DisplayZone()
LOCAL_ZONE = DisplayZone(None)


def short_date(moment: datetime | None, zone: DisplayZone = UTC_ZONE) -> str:
    """`2026-06-01` (the day in `zone`), or an en dash for no date."""
    return zone.of(moment).date().isoformat() if moment is not None else "–"


def clock_time(moment: datetime, zone: DisplayZone = UTC_ZONE) -> str:
    """`14:05` in `zone`, for "updated 14:05" (the zone is said once, beside it)."""
    return zone.of(moment).strftime("%H:%M")


def shown_time(moment: datetime, zone: DisplayZone = UTC_ZONE) -> str:
    """A moment as the page and the form show it: `2026-06-01T09:30:00Z` in UTC (as the API
    writes it), `2026-06-01 05:30 EDT` in another zone (seconds only when there are some).
    Either reads back through `parse_when` as the same moment."""
    if zone.is_utc:
        return wire(moment)
    wall = zone.of(moment)
    text = wall.strftime("%Y-%m-%d %H:%M:%S" if wall.second else "%Y-%m-%d %H:%M")
    return f"{text} {zone.label(moment)}"


def minute_time(moment: datetime, zone: DisplayZone = UTC_ZONE) -> str:
    """`2026-06-01 09:30 UTC`: to the minute, with the zone's name (a preview's dates)."""
    return f"{zone.of(moment):%Y-%m-%d %H:%M} {zone.label(moment)}"


_BARE_DATE = r"^\d{4}-\d{2}-\d{2}$"  # compiled on first use (re's cache), not at start
_DATE_AND_TIME = (
    r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"(?: ([A-Za-z][A-Za-z0-9+-]*))?$"
)
"""A date and a time in the display zone; the hour may have one digit (`9:30`), as people type
it; a trailing zone name (`EDT`, as the form shows it) is allowed when it is the zone's own."""


class DateInputError(ValueError):
    """Text a date field cannot take; the message is shown on the field."""


def parse_when(
    text: str, *, end_of_day: bool = False, zone: DisplayZone = UTC_ZONE
) -> datetime | None:
    """A date field's text as a UTC moment; None for an empty field.

    Accepts `2026-06-01` (the start of that day in `zone`, or its last second with
    `end_of_day`), `2026-06-01 09:30` or `2026-06-01 9:30` (in `zone`), and full ISO 8601 with
    `Z` or an offset (the offset wins).
    """
    text = text.strip()
    if not text:
        return None
    try:
        if re.match(_BARE_DATE, text):
            day = datetime.fromisoformat(text)
            return zone.from_wall(day.replace(hour=23, minute=59, second=59) if end_of_day else day)
        if parts := re.match(_DATE_AND_TIME, text):
            *numbers, name = parts.groups()
            year, month, date, hour, minute, second = (int(part or 0) for part in numbers)
            wall = datetime(year, month, date, hour, minute, second)
            return zone.from_wall(wall, name)
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    except DateInputError:
        raise
    except ValueError:
        raise DateInputError("not a date: use 2026-06-01, 2026-06-01 09:30 or ISO 8601") from None
    if moment.tzinfo is None:
        raise DateInputError("add a time zone (Z or +02:00), or leave the time out")
    return moment.astimezone(timezone.utc).replace(microsecond=0)


def date_example(now: datetime, end: bool = False, zone: DisplayZone = UTC_ZONE) -> str:
    """A date field's example (`2026-06-22 09:30`), ahead of `now` so it is never in the past:
    a week ahead for a start, five weeks for an end; the day as it is in `zone`."""
    ahead = timedelta(days=37 if end else 7)
    return f"{zone.of(now + ahead).date()} 09:30"


def zone_name(zone: DisplayZone, now: datetime) -> str:
    """What a form's placeholder says times are in: "UTC", or "local, EST"."""
    return "UTC" if zone.is_utc else f"local, {zone.label(now)}"


wire = to_wire
"""`2026-06-01T09:30:00Z`: how the API and the form show a moment (naive ones refused)."""


_UNITS = (
    ("year", 365 * 86400),
    ("month", 30 * 86400),
    ("day", 86400),
    ("hour", 3600),
    ("minute", 60),
)


def relative(moment: datetime, now: datetime, *, past: str, future: str) -> str:
    """ "ends in 5 days", "ended 3 months ago": `past`/`future` are the verbs to use. Rounded
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
