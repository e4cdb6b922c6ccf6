"""A booking rate worked out from sums (booked over requests), rounded one way wherever it is
shown: the list's summary, the report, a campaign's trend. Half up to one decimal, as the API
rounds a campaign's own rate, so 3 of 2,000 reads 0.2 % everywhere (a float `round` made it 0.1
in one place: 0.15 is stored just below a half).

Integer arithmetic: exact for any count the API may send (up to 2**53), and no pydantic, httpx
or Textual here."""

from __future__ import annotations

from decimal import Decimal


def rate_tenths(part: int, whole: int) -> int | None:
    """part / whole × 1000, rounded half away from zero: the rate in tenths of a percent.
    None when whole is 0 (no requests: no rate)."""
    if whole <= 0:
        return None
    tenths = (abs(part) * 2000 + whole) // (2 * whole)
    return tenths if part >= 0 else -tenths


def percent(part: int, whole: int) -> Decimal | None:
    """part / whole × 100, half up to one decimal (e.g. Decimal("0.2")); None when whole is 0."""
    tenths = rate_tenths(part, whole)
    return None if tenths is None else Decimal(tenths).scaleb(-1)


def percent_value(part: int, whole: int) -> float:
    """The same rate as a float (0.0 when whole is 0), for what draws with floats (bars)."""
    tenths = rate_tenths(part, whole)
    return 0.0 if tenths is None else tenths / 10
