"""A bulk edit through a sandbox that fails 30% of requests (5xx, 429, some with HTML bodies):
each marked campaign ends either changed exactly once and unmarked, or reported not done and
still marked with its reason. The server's writes are counted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import pytest

from skipup_campaigns.api import SkipUpClient
from skipup_campaigns.bulk.engine import BulkEdit, Outcome
from skipup_campaigns.sandbox import SandboxSettings, Store
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from skipup_campaigns.workspace import Workspace
from tests.conftest import ADMIN, IN_PROCESS_URL, Clock, campaigns_on_server
from tests.transports import CountingApp

NEW_END = datetime(2027, 7, 15, 23, 59, 59, tzinfo=timezone.utc)


@pytest.fixture
def settings() -> SandboxSettings:
    return SandboxSettings(rate_limit=0, fail_rate=0.3, random_seed=14)


async def test_sixty_marked_each_changed_once_or_still_marked_with_a_reason(
    store: Store,
    sandbox_app: CountingApp,
    clock: Clock,
    recorded_waits: list[float],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import httpx

    import skipup_campaigns.bulk.engine as bulk

    async def no_wait(seconds: float) -> None:
        del seconds

    # The engine's own waits for a 429 the client gave up on: not slept in a test.
    monkeypatch.setattr(bulk._Pacer, "__init__", _pacer_without_sleep(no_wait))
    team = campaigns_on_server(store)[0]["team_id"]
    for n in range(60):  # more than the demo's active ones
        store.create_campaign(MAIN_WORKSPACE, {"name": f"Bulk {n}", "team_id": team})
    client = SkipUpClient(
        ADMIN, IN_PROCESS_URL, transport=httpx.ASGITransport(sandbox_app), max_retries=2
    )
    workspace = Workspace(client, clock=clock)
    for _ in range(20):  # the load itself meets the faults: until one completes
        state = await workspace.load()
        if state.error is None:
            break
    chosen = [row for row in workspace.collection.rows() if row.active][:60]
    for row in chosen:
        workspace.marks.toggle(row.id)
    report = await workspace.bulk.start(workspace.bulk.plan(BulkEdit(ends_at=NEW_END))).run()
    await workspace.aclose()

    writes: Counter[str] = sandbox_app.writes
    assert max(writes.values(), default=0) <= 1  # never changed twice
    done = {r.campaign_id for r in report.results if r.outcome is Outcome.DONE}
    not_done = {row.id for row in chosen} - done
    assert done and not_done and not_done == set(workspace.marks)
    assert all(workspace.marks.notes[cid].reason for cid in not_done)
    on_server = {c["id"]: c for c in campaigns_on_server(store)}
    assert all(on_server[cid]["ends_at"] == "2027-07-15T23:59:59Z" for cid in done)
    assert all(writes[cid] == 1 for cid in done)
    # A 429 is never reported as a failure: the client and the engine wait it out.
    assert not [
        r
        for r in report.results
        if r.outcome is Outcome.FAILED and r.reason and "rate" in r.reason.lower()
    ]


def _pacer_without_sleep(sleep: Callable[[float], Any]) -> Callable[..., None]:
    import skipup_campaigns.bulk.engine as bulk

    original = bulk._Pacer.__init__

    def init(self: Any, client: Any, _sleep: Any = None) -> None:
        original(self, client, sleep)

    return init
