"""A wait for the rate limit in words, the same everywhere it is shown (the list's top bar, the
bulk progress dialog, the report, the commands' stderr): "rate limited: next request in 12 s,
60 a minute"."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Countdown:
    """A request is waiting for the rate limit until `until` (the one that ends soonest)."""

    until: datetime
    reason: str
    """"rate limited" (the window is used up) or "rate limited (429)" (a refusal)."""
    per_minute: int | None = None
    """The limit the server states, requests a minute (None: it states none)."""

    def seconds_left(self, now: datetime) -> int:
        """Whole seconds, rounded up: "in 0 s" only once the wait is over."""
        return max(0, math.ceil((self.until - now).total_seconds()))


def wait_text(countdown: Countdown, now: datetime) -> str:
    """"rate limited: next request in 12 s, 60 a minute"."""
    limit = f", {countdown.per_minute:,} a minute" if countdown.per_minute else ""
    return f"{countdown.reason}: next request in {countdown.seconds_left(now)} s{limit}"
