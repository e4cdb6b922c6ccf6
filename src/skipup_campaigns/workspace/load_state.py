"""Where loading the list stands, as one immutable value, and the words the screen says about it.

Every field change makes a new `LoadState` (`dataclasses.replace`), so a subscriber that keeps
the last one it saw can compare; the status line and the empty list's message are pure
functions of it, tested without a screen. The retry decision (is this failure passing? how long
to wait?) is here too, as two small functions.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from skipup_campaigns.display.dates import UTC_ZONE, DisplayZone, clock_time
from skipup_campaigns.display.waits import Countdown, seconds_until, wait_text
from skipup_campaigns.number_limits import checked_wait
from skipup_campaigns.plain_record import FrozenRecord

REFUSED_KEY_HELP = (
    "The API key was refused: set one with `skipup-campaigns config set-key` "
    "or SKIPUP_API_KEY, then start again"
)
"""Said instead of "press r to retry" when the key is refused: a retry cannot help."""

RETRY_DELAYS: tuple[float, ...] = (2.0, 4.0, 8.0, 15.0, 30.0)
"""Seconds before each automatic retry of a load that failed for a passing reason."""


class LoadState(FrozenRecord):
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
    retry_at: datetime | None = None
    """When that retry is due, on the workspace's clock: the status counts down to it."""
    rate_limited_until: datetime | None = None
    """The server asked us to wait until then (a 429 with Retry-After)."""
    unreadable: int = 0
    """Campaigns the last load received but could not read (not as documented), left out."""
    key_refused: bool = False
    """The last load failed because the API key was refused (401): retrying will not help."""

    @property
    def loaded_once(self) -> bool:
        return self.loaded_at is not None


def retry_delay(
    failed_in_a_row: int, retry_after: float | None = None, delays: tuple[float, ...] = RETRY_DELAYS
) -> float:
    """The pause before the next automatic retry: growing with each failure in a row, and
    never shorter than the server asked for."""
    delay = delays[min(max(failed_in_a_row - 1, 0), len(delays) - 1)]
    return max(delay, _usable(retry_after))


def rate_limit_end(now: datetime, retry_after: float | None) -> datetime | None:
    """When the server's asked-for wait ends (None if it asked for none)."""
    wait = _usable(retry_after)
    return now + timedelta(seconds=wait) if wait else None


def _usable(retry_after: float | None) -> float:
    """The wait within a day; none for a missing or non-finite one (a datetime or a timer
    would overflow on it)."""
    return (checked_wait(retry_after) if retry_after is not None else None) or 0.0


def status_text(
    state: LoadState,
    *,
    now: datetime | None = None,
    width: int | None = None,
    waiting: Countdown | None = None,
    zone: DisplayZone = UTC_ZONE,
) -> str:
    """The top bar's load status: "updated 14:05 UTC", "stale since 14:05 UTC: cannot reach
    the API · retrying in 4s", "3,900 loaded · rate limited: next request in 12 s, 60 a
    minute"… (the countdown while `waiting`, a request waiting for the rate limit); times in
    `zone`. Given a `width`, it is shortened by priority: the zone's name goes first (said
    where it fits), then the reason is cut (keeping at least half of it), else dropped whole,
    so the state and the countdown always fit."""
    parts = status_parts(state, now, waiting, zone)
    if width is not None and len("".join(parts)) > width:
        parts = status_parts(state, now, waiting, zone, zone_named=False)
    return fit_status(*parts, width)


def status_parts(
    state: LoadState,
    now: datetime | None = None,
    waiting: Countdown | None = None,
    zone: DisplayZone = UTC_ZONE,
    zone_named: bool = True,
) -> tuple[str, str, str]:
    """(state, detail, countdown): the detail is what gives way first when room is short."""

    def at(moment: datetime) -> str:
        return clock_time(moment, zone) + (f" {zone.label(moment)}" if zone_named else "")

    received = state.received
    head = detail = tail = ""
    if waiting is not None and now is not None and state.loading:
        # Rows shown from the cache say so while the load waits, as they do while it runs.
        head = f"cached {at(state.cached_at)} · " if state.cached_at else ""
        detail = f"{received:,} loaded · " if received else ""
        return head, detail, wait_text(waiting, now)
    if state.loading and state.cached_at:
        head = f"cached {at(state.cached_at)}, refreshing…"
        if received:
            detail = f" {received:,} loaded"
    elif state.loading:
        head = f"{received:,} loaded…" if received else "loading…"
    elif state.error and state.cached_at and not state.loaded_at:
        head, detail = f"stale since {at(state.cached_at)} (cached)", f": {state.error}"
    elif state.error and state.loaded_at:
        head, detail = f"stale since {at(state.loaded_at)}", f": {state.error}"
    elif state.error:
        head, detail = "not loaded", f": {state.error}"
    elif state.loaded_at:
        head = f"updated {at(state.loaded_at)}"
    if state.error and state.retry_in is not None:
        due = state.retry_at
        left = seconds_until(due, now) if due is not None and now is not None else state.retry_in
        tail = f" · retrying in {left:g}s"
    if state.unreadable:  # kept whole with the countdown: what was left out must be said
        tail += f" · {state.unreadable:,} unreadable"
    if waiting is not None and now is not None:  # a write or a look waits, not the load
        tail += f" · {wait_text(waiting, now)}"
    return head, detail, tail


MIN_DETAIL = 8
"""A reason cut shorter than this says nothing: drop it instead."""


def fit_status(head: str, detail: str, tail: str, width: int | None) -> str:
    """head + detail + tail in `width` cells: the detail is cut after a whole word (…), with
    shorter words around it where only that makes room for one; else it is dropped, then
    shorter words; then the head goes, so the countdown stays whole while it fits at all.
    Only what is left last is ever cut inside a word."""
    full = head + detail + tail
    if width is None or len(full) <= width:
        return full
    if detail and not detail.endswith(" · "):  # a reason (a count is dropped, never cut)
        # Why it failed says more than long words: shorter ones, if only they make room.
        # ("(cached)" stays: where the rows come from matters as much as why.)
        short = (shortened(head, 0, keep=CACHED), shortened(tail, 0, keep=CACHED))
        for around in ((head, tail), short):
            words = cut_at_word(detail, width - len(around[0]) - len(around[1]))
            if words:
                return around[0] + words + around[1]
    kept = shortened(head + tail.removeprefix(" · ") if not head else head + tail, width)
    if len(kept) > width and head and tail:
        kept = shortened(tail.removeprefix(" · "), width)  # the countdown before the state
    if len(kept) <= width:
        return kept
    return kept[: max(width - 1, 0)] + "…"


def cut_at_word(detail: str, room: int) -> str:
    """`detail` (": cannot reach the API") cut after its last whole word that fits in `room`
    with its "…"; "" when that keeps less than half the reason ("cannot…" says nothing: the
    reason is dropped whole instead), or the room is under MIN_DETAIL."""
    if room < MIN_DETAIL:
        return ""
    if len(detail) <= room:  # (whole: no "…")
        return detail
    cut = detail[: room - 1]
    if detail[room - 1 : room] not in ("", " "):  # the cut fell inside a word: drop it
        cut = cut.rsplit(" ", 1)[0] if " " in cut.strip() else ""
    cut = cut.rstrip(" :·")
    if len(cut.strip(" :·")) * 2 < len(detail.strip(" :·")):
        return ""
    return cut + "…"


def shortened(text: str, width: int, keep: str = "") -> str:
    """`text` with shorter words (SHORTER, in turn, but `keep`) until it fits or none is
    left."""
    for long, short in SHORTER:
        if len(text) <= width:
            break
        if long == keep:
            continue
        text = re.sub(long, short, text)
    return text


CACHED = r" \(cached\)"

SHORTER = (
    ("stale since ", "stale "),
    (CACHED, ""),
    ("retrying in ", "retry "),
    (" a minute", "/min"),
    ("next request in ", "next in "),
    (r", [\d,]+/min", ""),
    (": next in ", ", "),
    ("not loaded", "failed"),
)
"""Shorter words (patterns), tried in turn when the state and the countdown alone do not fit."""


def least_width(
    state: LoadState,
    now: datetime | None = None,
    waiting: Countdown | None = None,
    zone: DisplayZone = UTC_ZONE,
) -> int:
    """The fewest cells the status needs to keep the state and the countdown whole (shortest
    words, no reason, no zone's name): a title beside it may take the rest, not this."""
    head, _detail, tail = status_parts(state, now, waiting, zone, zone_named=False)
    return len(shortened(head + tail.removeprefix(" · ") if not head else head + tail, 0))


def empty_message(
    state: LoadState,
    *,
    filter_text: str,
    filtered: bool,
    any_loaded: bool,
    active_only: bool,
    hidden: int = 0,
    width: int | None = None,
) -> str:
    """What the list says when it shows no row: why, and which key helps. `hidden`: how many
    inactive campaigns match the filter (the active-only view hides them). Given a `width`,
    a long filter is shortened (…) so the key that helps is always said."""
    if filtered and active_only and hidden:
        many = hidden != 1
        return with_filter(
            f"Only {hidden:,} inactive campaign{'s' if many else ''} "
            f"match{'' if many else 'es'} '{{}}': a shows "
            f"{'them' if many else 'it'}",
            filter_text,
            width,
        )
    if filtered:
        return with_filter("Nothing matches '{}': esc clears the filter", filter_text, width)
    if state.loading or (not state.loaded_once and not state.error):
        return "Loading campaigns…"
    if any_loaded and active_only:
        return "No active campaigns: press a to show all"
    if state.key_refused:
        return REFUSED_KEY_HELP
    if state.error:
        return "Nothing loaded yet: press r to retry"
    return "No campaigns yet: press n to create one"


def with_filter(template: str, filter_text: str, width: int | None) -> str:
    """`template` with the filter in its `{}`, the filter cut (…) when the whole is too wide:
    the words around it say what to do and are kept."""
    room = None if width is None else width - len(template) + 2
    if room is not None and len(filter_text) > room:
        filter_text = filter_text[: max(room - 1, 1)] + "…"
    return template.replace("{}", filter_text)
