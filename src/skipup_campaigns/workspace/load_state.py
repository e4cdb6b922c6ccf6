"""Where loading the list stands, as one immutable value, and the words the screen says about it.

Every field change makes a new `LoadState` (`dataclasses.replace`), so a subscriber that keeps
the last one it saw can compare; the status line and the empty list's message are pure
functions of it, tested without a screen. The retry decision (is this failure passing? how long
to wait?) is here too, as two small functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from skipup_campaigns.display.dates import clock_time

RETRY_DELAYS: tuple[float, ...] = (2.0, 4.0, 8.0, 15.0, 30.0)
"""Seconds before each automatic retry of a load that failed for a passing reason."""


@dataclass(frozen=True)
class LoadState:
    """idle, loading (n of ?), loaded at, stale since (with the reason), retrying in s,
    rate-limited until."""

    loading: bool = False
    """A load is running."""
    received: int = 0
    """Campaigns received so far by the load running now."""
    loaded_at: datetime | None = None
    """When the last complete load finished (None: none has, this session)."""
    cached_at: datetime | None = None
    """When the rows shown were saved, while they come from the cache."""
    error: str | None = None
    """Why the last load failed, in words (already safe); None after a good one."""
    temporary: bool = False
    """The failure may pass by itself (network, 5xx, 429): a retry is worth scheduling."""
    failed_in_a_row: int = 0
    """Loads failed in a row for a passing reason."""
    retry_in: float | None = None
    """Seconds until the automatic retry that is scheduled (None: none is)."""
    rate_limited_until: datetime | None = None
    """The server asked us to wait until then (a 429 with Retry-After)."""
    unreadable: int = 0
    """Campaigns the last load received but could not read (not as documented), left out."""

    @property
    def loaded_once(self) -> bool:
        return self.loaded_at is not None


def retry_delay(failed_in_a_row: int, retry_after: float | None = None,
                delays: tuple[float, ...] = RETRY_DELAYS) -> float:
    """The pause before the next automatic retry: growing with each failure in a row, and
    never shorter than the server asked for."""
    delay = delays[min(max(failed_in_a_row - 1, 0), len(delays) - 1)]
    return max(delay, retry_after or 0.0)


def rate_limit_end(now: datetime, retry_after: float | None) -> datetime | None:
    return now + timedelta(seconds=retry_after) if retry_after else None


def status_text(state: LoadState) -> str:
    """The top bar's load status: "updated 14:05", "stale since 14:05: cannot reach the API ·
    retrying in 4s", …"""
    received = state.received
    if state.loading and state.cached_at:
        text = f"cached {clock_time(state.cached_at)}, refreshing…"
        if received:
            text += f" {received:,} loaded"
    elif state.loading:
        text = f"{received:,} loaded…" if received else "loading…"
    elif state.error and state.cached_at and not state.loaded_at:
        text = f"stale since {clock_time(state.cached_at)} (cached): {state.error}"
    elif state.error and state.loaded_at:
        text = f"stale since {clock_time(state.loaded_at)}: {state.error}"
    elif state.error:
        text = f"not loaded: {state.error}"
    elif state.loaded_at:
        text = f"updated {clock_time(state.loaded_at)}"
    else:
        text = ""
    if state.error and state.retry_in is not None:
        text += f" · retrying in {state.retry_in:g}s"
    if state.unreadable:
        text += f" · {state.unreadable:,} unreadable"
    return text


def empty_message(state: LoadState, *, filter_text: str, filtered: bool, any_loaded: bool,
                  active_only: bool) -> str:
    """What the list says when it shows no row: why, and which key helps."""
    if filtered:
        return f"Nothing matches '{filter_text}': esc clears the filter"
    if state.loading or (not state.loaded_once and not state.error):
        return "Loading campaigns…"
    if any_loaded and active_only:
        return "No active campaigns: press a to show all"
    if state.error:
        return "Nothing loaded yet: press r to retry"
    return "No campaigns yet: press n to create one"
