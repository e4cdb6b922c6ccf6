"""Simulated activity: requests arrive only on running campaigns, counts and booking_rate stay
consistent, updated_at never moves, and a seed repeats it."""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

import httpx

from skipup_campaigns.display.dates import campaign_status
from skipup_campaigns.sandbox import Store, open_store
from skipup_campaigns.sandbox.activity import (
    arrivals_due,
    running_campaigns,
    start_activity,
    tick,
)
from skipup_campaigns.sandbox.rules import booking_rate, parse_timestamp
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from tests.conftest import ADMIN, FIXED_NOW, Clock, campaigns_on_server
from tests.processes import start_sandbox


def _by_id(store: Store) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in campaigns_on_server(store)}


def _status(campaign: dict[str, Any]) -> str:
    def moment(key: str) -> Any:
        return None if campaign[key] is None else parse_timestamp(campaign[key])

    return campaign_status(
        deactivated_at=moment("deactivated_at"),
        starts_at=moment("starts_at"),
        ends_at=moment("ends_at"),
        now=FIXED_NOW,
    )


def test_requests_arrive_only_on_running_campaigns(store: Store) -> None:
    before = _by_id(store)
    arrivals = tick(store, 500, random.Random(1))
    assert len(arrivals) == 500
    after = _by_id(store)
    gained = {
        cid: after[cid]["meeting_request_count"] - before[cid]["meeting_request_count"]
        for cid in before
    }
    moved = {cid for cid, n in gained.items() if n}
    assert moved and all(_status(before[cid]) == "active" for cid in moved)
    assert any(_status(c) == "scheduled" for c in before.values())  # there were others to avoid
    main = [a for a in arrivals if a.campaign_id in before]
    assert sum(gained.values()) == len(main)
    assert sum(
        after[c]["meetings_booked_count"] - before[c]["meetings_booked_count"] for c in before
    ) == sum(a.booked for a in main)
    assert 0 < sum(a.booked for a in main) < len(main)  # some booked, not all


def test_counts_and_rate_stay_consistent_and_updated_at_stays(store: Store) -> None:
    before = _by_id(store)
    for seed in range(5):
        tick(store, 100, random.Random(seed))
    for cid, campaign in _by_id(store).items():
        assert campaign["meetings_booked_count"] <= campaign["meeting_request_count"]
        assert campaign["booking_rate"] == booking_rate(
            campaign["meeting_request_count"], campaign["meetings_booked_count"]
        )
        assert campaign["updated_at"] == before[cid]["updated_at"]
        assert campaign["meeting_request_count"] >= before[cid]["meeting_request_count"]


def test_the_same_seed_repeats_the_same_arrivals(clock: Clock) -> None:
    runs = []
    for _ in range(2):
        store = open_store(":memory:", clock=clock)
        runs.append((tick(store, 200, random.Random(7)), _by_id(store)))
        store.close()
    assert runs[0] == runs[1]


def test_a_campaign_stopped_since_the_list_was_read_gets_nothing(
    store: Store, clock: Clock
) -> None:
    running = running_campaigns(store, [MAIN_WORKSPACE])
    for campaign in running[1:]:
        store.deactivate_campaign(MAIN_WORKSPACE, campaign["id"])
    arrivals = tick(store, 50, random.Random(2), running)
    assert {a.campaign_id for a in arrivals} <= {running[0]["id"]}
    deactivated = _by_id(store)[running[1]["id"]]
    assert deactivated["meeting_request_count"] == running[1]["meeting_request_count"]


def test_campaigns_outside_their_dates_get_nothing(store: Store, clock: Clock) -> None:
    clock.advance(days=3650)  # every dated campaign has ended
    running = running_campaigns(store)
    assert running and all(c["ends_at"] is None for c in running)
    arrivals = tick(store, 100, random.Random(4))
    assert {a.campaign_id for a in arrivals} <= {c["id"] for c in running}


def test_arrivals_due_average_the_rate() -> None:
    rng = random.Random(5)
    total = sum(arrivals_due(rng, 120, 1.0) for _ in range(600))  # 10 minutes at 120/min
    assert 1100 < total < 1300
    assert arrivals_due(rng, 0, 60) == 0


def test_background_activity_moves_counts_until_stopped(store: Store) -> None:
    before = sum(c["meeting_request_count"] for c in campaigns_on_server(store))
    ticks: list[int] = []
    stop = start_activity(
        store,
        60_000,
        random.Random(9),
        step=0.02,
        on_tick=lambda arrivals: ticks.append(len(arrivals)),
    )
    try:
        deadline = time.monotonic() + 20
        while not ticks and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        stop()
    assert ticks
    stopped_at = sum(c["meeting_request_count"] for c in campaigns_on_server(store))
    assert stopped_at > before
    time.sleep(0.1)
    assert sum(c["meeting_request_count"] for c in campaigns_on_server(store)) == stopped_at


def test_the_sandbox_command_runs_activity(tmp_path: Path) -> None:
    process, url = start_sandbox(tmp_path / "busy.db", "--activity", "6000", "--random-seed", "3")
    try:
        with httpx.Client(headers={"Authorization": f"Bearer {ADMIN}"}, timeout=10) as http:

            def total() -> int:
                return sum(
                    c["meeting_request_count"]
                    for c in http.get(f"{url}/campaigns?limit=100").json()["data"]
                )

            first = total()
            deadline = time.monotonic() + 30
            while total() == first and time.monotonic() < deadline:
                time.sleep(0.2)
            assert total() > first
    finally:
        process.terminate()
        process.wait(timeout=10)
