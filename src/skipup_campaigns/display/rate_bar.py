"""The booking-rate bar: block characters in eighths of a cell, and the band that colours it."""

from __future__ import annotations

from typing import Literal

_EIGHTHS = " ▏▎▍▌▋▊▉"
FULL = "█"

Band = Literal["none", "low", "mid", "high"]
LOW_BELOW = 20.0
HIGH_FROM = 40.0


def rate_bar(rate: float, width: int) -> str:
    """`rate` (0-100) as a bar exactly `width` cells wide: 42.9 at 12 → `█████▏      `."""
    if width <= 0:
        return ""
    rate = min(100.0, max(0.0, rate))
    eighths = round(rate / 100 * width * 8)
    full, part = divmod(eighths, 8)
    bar = FULL * full + (_EIGHTHS[part] if part else "")
    return bar.ljust(width)


NO_RATE = "–"
"""Shown for a campaign with no requests: nothing booked of nothing is not 0.0%."""


def format_rate(rate: float, requests: int | None = None) -> str:
    """`42.9%`, right-aligned in six cells so columns of rates line up; `–` when there were
    no requests (`requests=0`) to book from. (The API's value, 0.0, stays as it is in JSON.)"""
    if requests is not None and requests <= 0:
        return NO_RATE.rjust(6)
    return f"{rate:5.1f}%"


def rate_band(rate: float, requests: int) -> Band:
    """Which colour band a rate falls in; no requests is its own band (nothing to judge)."""
    if requests <= 0:
        return "none"
    if rate < LOW_BELOW:
        return "low"
    if rate < HIGH_FROM:
        return "mid"
    return "high"
