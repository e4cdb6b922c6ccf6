"""The limits on numbers the API sends, written once for the client's models and for the readers
that do without them (the early first page, the list cache). Standard library only: those
readers run before httpx or pydantic are imported.

A count is a whole number from 0 to 2**53 (JSON carries that exactly; a 10**400 would overflow
any rate computed from it) and a rate a finite number (`json.loads` accepts NaN and Infinity).
"""

from __future__ import annotations

import math
from typing import Any

MAX_COUNT = 2**53
"""The largest count accepted: the largest integer a JSON number carries exactly."""


def is_count(value: Any) -> bool:
    """A whole number (not a bool) from 0 to MAX_COUNT."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT


def checked_count(value: Any) -> int:
    if not is_count(value):
        raise ValueError("a count should be a whole number from 0 to 2**53")
    return int(value)


def checked_rate(value: Any) -> float:
    """A finite number (int or float, not a bool) as a float."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("a rate should be a number")
    try:
        rate = float(value)
    except OverflowError:  # an int past float's range
        raise ValueError("a rate should be a finite number") from None
    if not math.isfinite(rate):
        raise ValueError("a rate should be a finite number")
    return rate


MAX_WAIT_SECONDS = 86_400.0
"""The longest wait a server's answer may ask for (Retry-After, a rate-limit window): a day.
Past it the date would be absurd (a 1e20 is the year 5195) or overflow a datetime."""


def checked_wait(seconds: float) -> float | None:
    """A wait as the server asked for it, made usable: None when not a finite number (it is
    then as if the server had not said), else within 0..MAX_WAIT_SECONDS."""
    if not math.isfinite(seconds):
        return None
    return min(max(0.0, seconds), MAX_WAIT_SECONDS)
