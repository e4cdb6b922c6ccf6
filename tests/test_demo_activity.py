"""--demo's activity and history: counts move while the demo runs and stop when its client
closes; fabricated history goes only into the demo's own file."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from skipup_campaigns.demo import seed_history
from skipup_campaigns.history.store import demo_history_path, open_history
from skipup_campaigns.startup.connection import demo_client
from skipup_campaigns.startup.setup import demo_history


async def total_requests(client) -> int:  # noqa: ANN001
    return sum(
        [c.meeting_request_count async for page in client.iter_campaign_pages() for c in page.data]
    )


async def test_demo_activity_moves_counts_and_stops_on_close(tmp_path: Path) -> None:
    client = demo_client(path=tmp_path / "demo.db", activity=1200)
    async with client:
        first = await total_requests(client)
        deadline = time.monotonic() + 15
        now = first
        while now == first and time.monotonic() < deadline:
            time.sleep(0.3)  # the activity thread delivers between these reads
            now = await total_requests(client)
        assert now > first
    assert not [t for t in threading.enumerate() if t.name == "skipup-sandbox-activity"]
    # Stopped: reopened without activity, the counts stay where they were left.
    async with demo_client(path=tmp_path / "demo.db") as again:
        left = await total_requests(again)
        time.sleep(1.0)
        assert await total_requests(again) == left


def test_fabricated_history_only_in_the_demos_own_file(tmp_path: Path) -> None:
    with open_history(tmp_path / "history-abc.sqlite3") as store:
        with pytest.raises(ValueError):
            seed_history(store, [], datetime.now(timezone.utc))
    assert demo_history().path == demo_history_path()
    assert demo_history().seed is seed_history
