"""Stopping a bulk run stops at once: what waits for a rate-limit slot or its turn is "not
started", only requests on the wire are awaited. Under `--rate-limit 3` with the sandbox's rate
clock held (its window never resets on its own, so the client would wait its full cap of 60 s
for the next slot): the stop's only bound is the claim itself."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import httpx
import pytest

from skipup_campaigns.api import Campaign, SkipUpClient
from skipup_campaigns.bulk import engine as bulk
from skipup_campaigns.bulk.engine import BulkEdit, BulkRun, Outcome
from skipup_campaigns.sandbox import SandboxSettings, Store
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from tests.conftest import ADMIN, campaigns_on_server
from tests.transports import CountingApp

HELD = time.time() + 3600
"""The sandbox's rate clock, an hour ahead and still: the window in force never ends."""
STOP_BOUND = 10.0
"""Seconds a stop may take: far below the 60 s the next slot is away, far above any loaded
machine's scheduling."""


@pytest.fixture
def settings() -> SandboxSettings:
    return SandboxSettings(rate_limit=3, rate_clock=lambda: HELD)


async def test_stop_while_waiting_for_a_slot_ends_at_once_and_sends_nothing_more(
    live_url: str, sandbox_app: CountingApp, store: Store
) -> None:
    rows = campaigns_on_server(store, active=True)[:6]
    ids = [row["id"] for row in rows]
    chosen = [Campaign.model_validate(row) for row in rows]  # as loaded (from the store)
    async with SkipUpClient(ADMIN, live_url) as client:
        await client.get_campaign(ids[0])  # the client learns the window: 2 left
        heard: list[bulk.ItemResult] = []
        run = BulkRun(
            client, bulk.plan(chosen, BulkEdit(description="ours")), on_result=heard.append
        )
        task = asyncio.ensure_future(run.run())
        while not heard:  # the first pair goes out; the rest wait for a slot 60 s away
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.3)
        sent_before_stop = sandbox_app.requests
        stopped_at = time.monotonic()
        run.cancel()
        report = await asyncio.wait_for(task, STOP_BOUND)
        took = time.monotonic() - stopped_at
    assert took < STOP_BOUND
    assert [r.outcome for r in report.results] == [Outcome.DONE] + [Outcome.NOT_STARTED] * 5
    assert report.cancelled and report.summary() == "1 done, 5 not started (stopped)"
    assert sandbox_app.requests == sent_before_stop == 3  # nothing sent after the stop
    assert sandbox_app.writes == Counter({ids[0]: 1})
    descriptions = [store.get_campaign(MAIN_WORKSPACE, i)["description"] for i in ids]
    assert descriptions[0] == "ours" and "ours" not in descriptions[1:]


def command(url: str, *argv: str) -> subprocess.Popen[str]:
    env = {**os.environ, "SKIPUP_API_KEY": ADMIN, "SKIPUP_BASE_URL": url, "SKIPUP_KEYRING": "off"}
    return subprocess.Popen(
        [sys.executable, "-m", "skipup_campaigns", *argv],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("presses", [1, 2])
def test_ctrl_c_in_a_command_stops_at_once_and_json_still_prints_every_row(
    live_url: str, sandbox_app: CountingApp, store: Store, presses: int
) -> None:
    ids = [row["id"] for row in campaigns_on_server(store, active=True)[:2]]
    process = command(live_url, "update", *ids, "--description", "ours", "--yes", "--json")
    deadline = time.monotonic() + 30
    while sandbox_app.requests < 2:  # both read for the preview; the window has 1 left, a pair
        assert time.monotonic() < deadline and process.poll() is None  # needs 2: it waits
        time.sleep(0.05)
    time.sleep(0.5)
    stopped_at = time.monotonic()
    for _ in range(presses):
        process.send_signal(signal.SIGINT)
        time.sleep(0.05)
    out, err = process.communicate(timeout=STOP_BOUND)
    took = time.monotonic() - stopped_at
    assert took < STOP_BOUND
    # 130, or death by the second SIGINT once the results were out (a shell shows 130 too).
    assert process.returncode in (130, -signal.SIGINT), err
    rows = json.loads(out)
    assert [(row["id"], row["outcome"]) for row in rows] == [(i, "not started") for i in ids]
    assert sandbox_app.requests == 2 and not sandbox_app.writes
    assert all(store.get_campaign(MAIN_WORKSPACE, i)["description"] != "ours" for i in ids)
    assert "Traceback" not in err


@pytest.mark.parametrize("as_json", [True, False])
def test_ctrl_c_during_the_previews_reads_reports_each_campaign_not_started(
    live_url: str, sandbox_app: CountingApp, store: Store, as_json: bool
) -> None:
    """Ctrl-C while the preview's reads wait out a 429 (before any write) ends as a stop
    after some writes does: every campaign "not started", the ids to run again, exit 130."""
    ids = [row["id"] for row in campaigns_on_server(store, active=True)[:2]]
    headers = {"Authorization": f"Bearer {ADMIN}"}
    for _ in range(3):  # another client spends the window: the preview's first read is refused
        httpx.get(f"{live_url}/campaigns?limit=1", headers=headers)
    process = command(
        live_url, "update", *ids, "--description", "ours", "--yes", *(["--json"] if as_json else [])
    )
    deadline = time.monotonic() + 30
    while sandbox_app.requests < 4:  # a read was sent and refused (429): the command now waits
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.05)
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=STOP_BOUND)
    assert process.returncode == 130, err
    assert not sandbox_app.writes and "Traceback" not in err and '"error"' not in err
    if as_json:
        rows = json.loads(out)
        assert [(row["id"], row["outcome"]) for row in rows] == [(i, "not started") for i in ids]
    else:
        assert out == "" and "2 not started (interrupted)" in err
        assert f"run again on just these: skipup-campaigns update {ids[0]} {ids[1]}" in err
