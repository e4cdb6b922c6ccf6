"""The proof of the writes' promises under the real API's normal conditions at once: a bulk
edit of 60 campaigns under `--rate-limit 30 --fail-rate 0.3` while a second writer changes a
third of them at random moments, straight to the sandbox and through a gateway that loses
answers. Every campaign must end changed once by us, or reported skipped, unknown or failed
with the other writer's value (or the original) intact; the server's state decides.

The rate limit's minute runs 20 times faster (tests/fast_rate_clock.py) so the five windows
the run needs take seconds; the sandbox's own timeline of each campaign's reads and writes
tells which of the other writer's changes fell inside the one window no client can close (a
GET's answer to its PATCH's arrival), and that one is allowed to be overwritten."""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections import Counter, defaultdict
from typing import Any

import pytest

from skipup_campaigns.bulk import engine as bulk
from skipup_campaigns.bulk.engine import BulkEdit, BulkRun, Outcome
from skipup_campaigns.sandbox import SandboxSettings, Store, create_app
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE, seed_synthetic
from skipup_campaigns.sandbox.server import serve_in_thread
from tests.conftest import ADMIN, campaigns_on_server
from tests.fast_rate_clock import FastClock, fast_client
from tests.lossy_gateway import Fate, LossyGateway

SPEED = 20.0
OURS = "ours"


class Timeline:
    """ASGI wrapper at the origin: when each campaign's GET was answered and each of its
    PATCHes applied (2xx from the handler: injected faults answer before it), by the
    monotonic clock; the second writer adds its writes under the same lock."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.lock = threading.Lock()
        self.events: dict[str, list[tuple[float, str]]] = defaultdict(list)
        self.applied: Counter[str] = Counter()

    def note(self, campaign_id: str, kind: str) -> None:
        with self.lock:
            self.events[campaign_id].append((time.monotonic(), kind))

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        parts = path.rstrip("/").split("/")
        one = len(parts) >= 2 and parts[-2] == "campaigns"
        method = scope.get("method")
        if not one or method not in ("GET", "PATCH"):
            await self.app(scope, receive, send)
            return
        campaign_id = parts[-1]

        async def noting(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start" and 200 <= message["status"] < 300:
                if method == "PATCH":
                    self.applied[campaign_id] += 1
                self.note(campaign_id, method)
            await send(message)

        await self.app(scope, receive, noting)


async def second_writer(
    store: Store, timeline: Timeline, ids: list[str], rng: random.Random, over: float
) -> dict[str, str]:
    """Changes each of `ids` once, at a random moment within `over` seconds."""
    written: dict[str, str] = {}
    moments = sorted((rng.uniform(0, over), campaign_id) for campaign_id in ids)
    started = time.monotonic()
    for moment, campaign_id in moments:
        await asyncio.sleep(max(0.0, started + moment - time.monotonic()))
        value = f"theirs {campaign_id[-6:]}"

        def write(campaign_id: str = campaign_id, value: str = value) -> None:
            with timeline.lock:  # its moment and its write as one, between the origin's
                store.update_campaign(MAIN_WORKSPACE, campaign_id, {"description": value})
                timeline.events[campaign_id].append((time.monotonic(), "THEIRS"))

        await asyncio.to_thread(write)
        written[campaign_id] = value
    return written


def in_the_window(events: list[tuple[float, str]]) -> bool:
    """Whether the other writer's change fell between our last GET answer and our PATCH."""
    kinds = [kind for _, kind in sorted(events)]
    if "PATCH" not in kinds or "THEIRS" not in kinds:
        return False
    patch = kinds.index("PATCH")
    theirs = kinds.index("THEIRS")
    return theirs < patch and "GET" not in kinds[theirs:patch]


async def run_with_a_second_writer(
    url: str, store: Store, timeline: Timeline, clock: FastClock, seed: int
) -> tuple[list[bulk.ItemResult], dict[str, str], dict[str, dict]]:
    rng = random.Random(seed)
    before = {row["id"]: row for row in campaigns_on_server(store)}
    async with fast_client(clock)(ADMIN, url, max_retries=5, deadline=1.0) as client:
        chosen = [c async for c in client.iter_campaigns()][:60]
        assert len(chosen) == 60
        theirs_ids = rng.sample([c.id for c in chosen], 20)
        run = BulkRun(client, bulk.plan(chosen, BulkEdit(description=OURS)))
        report, written = await asyncio.gather(
            run.run(), second_writer(store, timeline, theirs_ids, rng, over=8.0)
        )
    return report.results, written, before


def check_every_campaign(
    results: list[bulk.ItemResult],
    written: dict[str, str],
    before: dict[str, dict],
    store: Store,
    timeline: Timeline,
) -> Counter:
    kinds: Counter[str] = Counter()
    for result in results:
        campaign_id = result.campaign_id
        now = store.get_campaign(MAIN_WORKSPACE, campaign_id)["description"]
        applied = timeline.applied[campaign_id]
        theirs = written.get(campaign_id)
        assert applied <= 1, (campaign_id, applied)  # never changed twice by us
        if result.outcome is Outcome.DONE:
            assert applied == 1, result
            if theirs is not None and now == OURS:  # ours over theirs: only in the window
                assert in_the_window(timeline.events[campaign_id]), timeline.events[campaign_id]
                kinds["overwritten in the window"] += 1
            else:
                assert now in (OURS, theirs)
        elif result.outcome is Outcome.SKIPPED:
            assert applied == 0 and now == theirs, (result.reason, now)
        elif result.outcome is Outcome.UNKNOWN:
            assert theirs is not None and now == theirs, (result.reason, now)
        else:
            assert result.outcome is Outcome.FAILED, result
            assert applied == 0 and now in (before[campaign_id]["description"], theirs)
        kinds[result.outcome.value] += 1
    return kinds


def lossy_fates(seed: int) -> Any:
    rng = random.Random(seed)
    lock = threading.Lock()

    def decide(method: str, path: str, seen: int) -> Fate:
        if method != "PATCH":
            return "pass"
        with lock:
            return rng.choice(["pass", "pass", "drop", "503", "late"])

    return decide


@pytest.mark.slow
@pytest.mark.timeout(240)
@pytest.mark.parametrize("through", ["the sandbox", "a lossy gateway"])
async def test_sixty_under_limit_faults_and_a_second_writer_keep_every_promise(
    store: Store, through: str
) -> None:
    seed_synthetic(store, 30)
    clock = FastClock(SPEED)
    settings = SandboxSettings(rate_limit=30, fail_rate=0.3, random_seed=19, rate_clock=clock)
    timeline = Timeline(create_app(store, settings))
    with serve_in_thread(timeline) as origin:
        if through == "the sandbox":
            results, written, before = await run_with_a_second_writer(
                origin, store, timeline, clock, seed=3
            )
        else:
            gateway = LossyGateway(origin, lossy_fates(4), late_seconds=1.5)
            with gateway.serving() as url:
                results, written, before = await run_with_a_second_writer(
                    url, store, timeline, clock, seed=3
                )
            assert gateway.fates["drop"] and gateway.fates["503"] and gateway.fates["late"]
    kinds = check_every_campaign(results, written, before, store, timeline)
    print(f"\n{through}: {dict(kinds)}")
    assert kinds["done"] >= 20 and kinds["skipped"] >= 1, kinds
