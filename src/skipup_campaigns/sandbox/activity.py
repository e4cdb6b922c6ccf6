"""Simulated activity: inbound meeting requests arriving on running campaigns, some booked.

SkipUp's counts grow as people book through a campaign's address; the sandbox's never moved,
so nothing could show a trend. Here, requests arrive at random on campaigns that are running
now (not deactivated, started, not ended), more often on busier ones, and each is booked with
about the campaign's own booking rate. Only `meeting_request_count` and
`meetings_booked_count` change (and `booking_rate`, derived from them when read);
`updated_at` does not move, as in SkipUp, so an edit's conflict check never fires because a
request arrived.

`tick` is the deterministic step tests call; `start_activity` runs it in a background thread
at a rate per minute for the `sandbox --activity` command (Poisson arrivals from one seeded
`random.Random`, so `--random-seed` repeats them).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE, OTHER_WORKSPACE
from skipup_campaigns.sandbox.store import Store

log = logging.getLogger("skipup_campaigns.sandbox")

MAX_PER_MINUTE = 6000
"""The highest `--activity` (100 arrivals a second): each arrival is a write to the sandbox's
SQLite, and far more would starve the API it serves."""
STEP_SECONDS = 0.5
"""How often the background thread wakes to deliver the arrivals due since its last step."""
REFRESH_SECONDS = 30.0
"""How often it re-reads which campaigns are running (they start and end by the clock)."""
_DEFAULT_RATE = 0.35
"""Booking probability for a campaign with too few requests to have a rate of its own."""


@dataclass(frozen=True)
class Arrival:
    """One inbound meeting request: the campaign it came through, and whether it was booked."""

    campaign_id: str
    team_id: str
    booked: bool


def running_campaigns(
    store: Store, workspaces: Sequence[str] = (MAIN_WORKSPACE, OTHER_WORKSPACE)
) -> list[dict[str, Any]]:
    """Campaigns that can receive requests now: active by the API's rule and already started."""
    now = store.now()
    out: list[dict[str, Any]] = []
    for workspace in workspaces:
        cursor = None
        while True:
            page, cursor = store.list_campaigns(workspace, active=True, limit=100, cursor=cursor)
            out += [
                dict(c, workspace_id=workspace)
                for c in page
                if c["starts_at"] is None or c["starts_at"] <= now
            ]
            if cursor is None:
                break
    return out


def _booking_chance(campaign: dict[str, Any]) -> float:
    requests = campaign["meeting_request_count"]
    if requests < 10:
        return _DEFAULT_RATE
    return min(0.95, max(0.05, campaign["meetings_booked_count"] / requests))


def tick(
    store: Store, count: int, rng: random.Random, campaigns: list[dict[str, Any]] | None = None
) -> list[Arrival]:
    """Deliver `count` requests to running campaigns (from `running_campaigns`, read now
    unless given) and return those delivered (a campaign that stopped since is skipped).

    Busier campaigns draw more (weight: requests so far + 5). Each campaign's counts move in
    one write, requests and bookings together, so a reader never sees more booked than asked."""
    campaigns = running_campaigns(store) if campaigns is None else campaigns
    if count <= 0 or not campaigns:
        return []
    weights = [c["meeting_request_count"] + 5 for c in campaigns]
    arrivals = [
        Arrival(c["id"], c["team_id"], rng.random() < _booking_chance(c))
        for c in rng.choices(campaigns, weights, k=count)
    ]
    per_campaign: dict[str, list[int]] = {}
    for arrival in arrivals:
        counts = per_campaign.setdefault(arrival.campaign_id, [0, 0])
        counts[0] += 1
        counts[1] += arrival.booked
    workspace_of = {c["id"]: c["workspace_id"] for c in campaigns}
    now = store.now()
    stopped = set()
    for campaign_id, (requests, booked) in per_campaign.items():
        # A list read a while ago may be stale: only a campaign running now takes requests.
        current = store.get_campaign(workspace_of[campaign_id], campaign_id)
        if not current["active"] or (current["starts_at"] or "") > now:
            stopped.add(campaign_id)
            continue
        store.record_requests(campaign_id, requests, booked)
    return [arrival for arrival in arrivals if arrival.campaign_id not in stopped]


def arrivals_due(rng: random.Random, per_minute: float, seconds: float) -> int:
    """How many requests arrive in `seconds` at `per_minute` on average (a Poisson count)."""
    if per_minute <= 0:
        return 0
    rate, elapsed, count = per_minute / 60.0, rng.expovariate(per_minute / 60.0), 0
    while elapsed <= seconds:
        count += 1
        elapsed += rng.expovariate(rate)
    return count


def start_activity(
    store: Store,
    per_minute: float,
    rng: random.Random,
    *,
    step: float = STEP_SECONDS,
    on_tick: Callable[[list[Arrival]], None] | None = None,
) -> Callable[[], None]:
    """Run arrivals in a daemon thread until the returned function is called (it waits for the
    thread to finish, at most a few seconds)."""
    stop = threading.Event()

    def run() -> None:
        campaigns: list[dict[str, Any]] = []
        read_at = float("-inf")
        last = time.monotonic()
        while not stop.wait(step):
            now = time.monotonic()
            due = arrivals_due(rng, per_minute, now - last)
            last = now
            try:
                if now - read_at >= REFRESH_SECONDS:
                    campaigns, read_at = running_campaigns(store), now
                arrivals = tick(store, due, rng, campaigns)
            except Exception:  # the store closed under us, or a bug: stop, say so once
                if not stop.is_set():
                    log.exception("simulated activity stopped")
                return
            if on_tick is not None and arrivals:
                on_tick(arrivals)

    thread = threading.Thread(target=run, name="skipup-sandbox-activity", daemon=True)
    thread.start()

    def stop_activity() -> None:
        stop.set()
        thread.join(timeout=5)

    return stop_activity


def activity_rng(random_seed: int | None) -> random.Random:
    """The arrivals' generator: repeatable for a given `--random-seed`, apart from the seed
    data's own sequence."""
    return random.Random(None if random_seed is None else f"activity-{random_seed}")
