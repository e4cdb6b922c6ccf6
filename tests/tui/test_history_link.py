"""The workspace's history link without Textual: loads recorded through plain asyncio tasks,
the Δ baseline handed to the collection, and no Textual or HTTP stack imported by it."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from skipup_campaigns.api import SkipUpClient
from skipup_campaigns.history.store import open_history
from skipup_campaigns.sandbox import Store
from skipup_campaigns.sandbox.activity import running_campaigns, tick
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from skipup_campaigns.workspace import CampaignsChanged, Workspace
from skipup_campaigns.workspace.history_link import HistoryLink, HistorySettings
from tests.conftest import ADMIN, IN_PROCESS_URL, Clock


async def test_loads_are_recorded_and_the_baseline_reaches_the_collection(
        sandbox_app: Any, store: Store, clock: Clock, tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"

    def workspace() -> Workspace:
        client = SkipUpClient(ADMIN, IN_PROCESS_URL, transport=httpx.ASGITransport(sandbox_app))
        return Workspace(client, clock=clock)

    first = workspace()
    link = HistoryLink(first, HistorySettings(path))
    await first.load()
    await link.idle()
    assert link.recorded == len(first.collection)
    await link.aclose()
    await first.aclose()

    clock.advance(hours=1)
    arrivals = tick(store, 20, random.Random(5), running_campaigns(store, (MAIN_WORKSPACE,)))
    second = workspace()
    events: list[Any] = []
    second.subscribe(events.append)
    link = HistoryLink(second, HistorySettings(path))
    await second.load()
    await link.idle()
    # Since the last session: exactly the arrivals, per campaign.
    gained = [second.collection.gained(row) for row in second.collection.rows()]
    assert sum(g[0] for g in gained if g is not None) == len(arrivals)
    assert second.collection.gained_total(second.collection.rows())[0] == len(arrivals)
    assert isinstance(events[-1], CampaignsChanged)  # the baseline was announced
    await link.set_window("24h")  # nothing that old
    assert second.collection.gained_total(second.collection.rows()) is None
    await link.aclose()
    await second.aclose()
    with open_history(path) as history:
        assert len(history.latest()) == len(second.collection)


def test_the_link_imports_no_textual_and_no_http_stack() -> None:
    code = ("import sys; import skipup_campaigns.workspace.history_link\n"
            "bad = [m for m in ('textual', 'httpx', 'pydantic', 'skipup_campaigns.tui')"
            " if m in sys.modules]\nprint(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60).stdout.strip()
    assert out == "[]"
