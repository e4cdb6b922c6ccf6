"""A wait for the rate limit in words, the same everywhere it is shown (the list's top bar, the
bulk progress dialog, the report, the commands' stderr): "rate limited: next request in 12 s,
60 a minute"."""

from __future__ import annotations

import math
from datetime import datetime

from skipup_campaigns.plain_record import FrozenRecord


class Countdown(FrozenRecord):
    """A request is waiting for the rate limit until `until` (the one that ends soonest)."""

    until: datetime
    reason: str
    """"rate limited" (the window is used up) or "rate limited (429)" (a refusal)."""
    per_minute: int | None = None
    """The limit the server states, requests a minute (None: it states none)."""

    def seconds_left(self, now: datetime) -> int:
        """Whole seconds, rounded up: "in 0 s" only once the wait is over."""
        return seconds_until(self.until, now)


def seconds_until(until: datetime, now: datetime) -> int:
    """Whole seconds left until `until`, rounded up (0 only once it has come): every wait
    shown counts down the same way, a second at a time."""
    return max(0, math.ceil((until - now).total_seconds()))


def wait_text(countdown: Countdown, now: datetime) -> str:
    """ "rate limited: next request in 12 s, 60 a minute"."""
    limit = f", {countdown.per_minute:,} a minute" if countdown.per_minute else ""
    return f"{countdown.reason}: next request in {countdown.seconds_left(now)} s{limit}"


def rate_limited_seconds(
    requests: int, per_minute: int | None, *, room: int = 0, waiting: float = 0.0
) -> float:
    """At least how long `requests` more take under a limit of `per_minute`: the wait in
    progress, then a minute for every `per_minute` of them past the `room` the window still
    has (just the wait when no limit is known)."""
    if not per_minute or per_minute <= 0:
        return waiting
    return waiting + max(0, requests - room) * 60 / per_minute
