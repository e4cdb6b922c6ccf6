"""Thirty days of plausible history for the demo, so its first run already shows trends.

Worked backwards from each campaign's counts now: what it gained each day while it was running
(started, not ended, not deactivated, already created), booked in proportion to its own rate,
so every sample has booked ≤ requests and both only grow. The newest sample is a couple of hours
old, so "since the last session" has something to show too.

Only ever written into the demo's own history file (`demo_history_path`): a real workspace's
history holds only what was really seen.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from skipup_campaigns.history.store import HistoryStore, demo_history_path, open_history

DAYS = 30
LAST_SAMPLE_AGE = timedelta(hours=2)


def _running(campaign: Any, moment: datetime) -> bool:
    return (
        (campaign.created_at is None or campaign.created_at <= moment)
        and (campaign.starts_at is None or campaign.starts_at <= moment)
        and (campaign.ends_at is None or moment < campaign.ends_at)
        and (campaign.deactivated_at is None or moment < campaign.deactivated_at)
    )


def _life_days(campaign: Any, now: datetime) -> float:
    """How long the campaign has been taking requests, in days (at least one)."""
    began = max(
        moment for moment in (campaign.starts_at, campaign.created_at) if moment is not None
    )
    ended = min(
        moment for moment in (campaign.ends_at, campaign.deactivated_at, now) if moment is not None
    )
    days: float = (ended - began).total_seconds() / 86400
    return max(1.0, days)


def fabricate_history(
    store: HistoryStore,
    campaigns: Sequence[Any],
    *,
    now: datetime,
    days: int = DAYS,
    rng: random.Random | None = None,
) -> int:
    """Write `days` days of samples ending `LAST_SAMPLE_AGE` before `now` for API campaigns
    (anything with the two counts and the dates); returns how many samples were stored."""
    rng = rng or random.Random(0)
    last = now - LAST_SAMPLE_AGE
    points = [last - timedelta(days=days - i) for i in range(days)] + [last]
    # Interval i runs from points[i] to the next point (the last one to now).
    ends = points[1:] + [now]
    series: list[tuple[str, list[int], list[int], datetime | None]] = []
    for campaign in campaigns:
        requests, booked = campaign.meeting_request_count, campaign.meetings_booked_count
        weights = [
            rng.uniform(0.3, 1.7) if _running(campaign, start + (end - start) / 2) else 0.0
            for start, end in zip(points, ends)
        ]
        running_days = sum(1 for w in weights if w)
        share = min(1.0, running_days / _life_days(campaign, now)) * rng.uniform(0.6, 1.0)
        gained = min(requests, round(requests * share))
        booked_gained = min(booked, round(gained * booked / requests)) if requests else 0
        per_interval = _spread(gained, weights, rng)
        after = [0] * len(points)  # requests gained after each point
        total = 0
        for i in range(len(points) - 1, -1, -1):
            total += per_interval[i]
            after[i] = total
        req_then = [requests - a for a in after]
        booked_then = [
            min(r, max(0, booked - (round(booked_gained * a / gained) if gained else 0)))
            for r, a in zip(req_then, after)
        ]
        series.append((campaign.id, req_then, booked_then, campaign.created_at))
    stored = 0
    for i, moment in enumerate(points):
        stored += store.record(
            [
                (cid, reqs[i], bkd[i])
                for cid, reqs, bkd, created in series
                if created is None or created <= moment
            ],
            at=moment,
        )
    return stored


def _spread(total: int, weights: list[float], rng: random.Random) -> list[int]:
    """`total` requests over the intervals in proportion to `weights` (random arrivals)."""
    out = [0] * len(weights)
    if total <= 0 or not any(weights):
        return out
    for index in rng.choices(range(len(weights)), weights, k=total):
        out[index] += 1
    return out


def seed_demo_history(
    campaigns: Sequence[Any],
    now: datetime,
    path: Path | None = None,
    rng: random.Random | None = None,
) -> int:
    """Fabricate the demo's history once: into the demo's own file, only while it is empty.
    Returns the samples stored (0 when it already had history)."""
    path = path or demo_history_path()
    if path.name != demo_history_path().name:
        raise ValueError("fabricated history goes only into the demo's own history file")
    with open_history(path) as store:
        if store.latest():
            return 0
        return fabricate_history(store, campaigns, now=now, rng=rng)
