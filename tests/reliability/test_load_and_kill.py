"""The sandbox under load, and killed (SIGKILL) in the middle of it: no acknowledged write is
lost, slugs stay unique, counts add up, and the database passes its integrity check.

Slow (about 45 s): `pytest -m slow`."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from skipup_campaigns.sandbox import open_store
from tests.conftest import campaigns_on_server
from tests.processes import start_sandbox
from tests.reliability.load import Ledger, percentile, run_load

pytestmark = pytest.mark.slow

CLIENTS = 20
SECONDS = 30


def first_team(url: str) -> str:
    teams = httpx.get(f"{url}/teams", headers={"Authorization": "Bearer sk_test_admin"})
    return next(t["id"] for t in teams.json()["data"] if t["active"])


def server_state(db: Path) -> list[dict]:
    store = open_store(str(db))
    try:
        return campaigns_on_server(store)
    finally:
        store.close()


def check_acknowledged(ledger: Ledger, campaigns: list[dict]) -> None:
    by_id = {c["id"]: c for c in campaigns}
    assert ledger.created <= set(by_id), "an acknowledged create is missing"
    for campaign_id, text in ledger.last_description.items():
        held = by_id[campaign_id]["description"]
        # The last acknowledged write, or a later one that landed without its answer.
        assert held in (text, ledger.sent_description[campaign_id]), (campaign_id, held, text)
    for campaign_id in ledger.deactivated:
        assert by_id[campaign_id]["deactivated_at"] is not None
    slugs = [c["slug"] for c in campaigns]
    assert len(slugs) == len(set(slugs)), "two campaigns share a slug"


def test_twenty_clients_for_thirty_seconds(tmp_path: Path) -> None:
    db = tmp_path / "load.db"
    sandbox, url = start_sandbox(db)
    try:
        before = len(
            httpx.get(
                f"{url}/campaigns",
                params={"limit": 100},
                headers={"Authorization": "Bearer sk_test_admin"},
            ).json()["data"]
        )
        started = time.monotonic()
        ledger = asyncio.run(
            run_load(url, clients=CLIENTS, seconds=SECONDS, team_id=first_team(url))
        )
        elapsed = time.monotonic() - started
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)
    campaigns = server_state(db)
    check_acknowledged(ledger, campaigns)
    assert ledger.errors == 0
    assert len(campaigns) == before + len(ledger.created)  # counts add up
    assert sum(
        c["deactivated_at"] is not None for c in campaigns if c["id"] in ledger.created
    ) == len(ledger.deactivated)
    count = len(ledger.latencies)
    print(
        f"\nload: {CLIENTS} clients, {elapsed:.1f} s, {count} requests, "
        f"{count / elapsed:.0f} req/s, p50 {percentile(ledger.latencies, 0.5) * 1000:.1f} ms, "
        f"p99 {percentile(ledger.latencies, 0.99) * 1000:.1f} ms; "
        f"{len(ledger.created)} creates, {len(ledger.last_description)} campaigns patched, "
        f"{len(ledger.deactivated)} deactivated"
    )


def test_sigkill_in_the_middle_of_load_loses_no_acknowledged_write(tmp_path: Path) -> None:
    db = tmp_path / "kill.db"
    sandbox, url = start_sandbox(db)
    team = first_team(url)

    async def load_then_kill() -> Ledger:
        stop = asyncio.Event()
        load = asyncio.ensure_future(
            run_load(url, clients=CLIENTS, seconds=20, team_id=team, stop=stop)
        )
        await asyncio.sleep(6)
        os.kill(sandbox.pid, signal.SIGKILL)  # no shutdown, no checkpoint: mid-write
        await asyncio.sleep(0.5)
        stop.set()
        return await load

    try:
        ledger = asyncio.run(load_then_kill())
    finally:
        sandbox.wait(timeout=10)
    assert ledger.created and ledger.last_description, "the load did not get going"
    integrity = sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0]
    assert integrity == "ok"
    restarted, _ = start_sandbox(db, "--port", str(urlsplit(url).port))
    try:
        answer = httpx.get(
            f"{url}/campaigns",
            params={"limit": 1},
            headers={"Authorization": "Bearer sk_test_admin"},
        )
        assert answer.status_code == 200  # it serves the same database again
    finally:
        restarted.terminate()
        restarted.wait(timeout=10)
    check_acknowledged(ledger, server_state(db))
    print(
        f"\nkill: {len(ledger.created)} acknowledged creates, "
        f"{len(ledger.last_description)} patched, {len(ledger.deactivated)} deactivated "
        f"before SIGKILL at 6 s; all present after restart; integrity_check ok"
    )
