"""esc in the bulk progress dialog stops at once, with Pilot against the in-process sandbox at
`--rate-limit 3`, its rate clock held (the window in force never ends: the next slot is the
client's full 60 s wait away). What was waiting for a slot is "not started", nothing more is
sent, and the server holds only what was done before the key."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from skipup_campaigns.bulk.engine import Outcome
from skipup_campaigns.sandbox import SandboxSettings, Store
from skipup_campaigns.tui.app import CampaignsApp
from skipup_campaigns.tui.bulk_screens import (
    BulkPreviewScreen,
    BulkProgressScreen,
    BulkResultsScreen,
)
from tests.conftest import campaigns_on_server
from tests.tui.conftest import CountingTransport, settle

HELD = time.time() + 3600
STOP_BOUND = 10.0
"""Seconds the stop may take: far below the 60 s the next slot is away."""


async def until(
    pilot: Any, condition: Callable[[], bool], what: str, bound: float = STOP_BOUND
) -> None:
    ends = time.monotonic() + bound
    while not condition():
        if time.monotonic() > ends:
            raise AssertionError(f"never: {what}")
        await pilot.pause(0.02)


@pytest.mark.parametrize("settings", [SandboxSettings(rate_limit=3, rate_clock=lambda: HELD)])
async def test_esc_while_waiting_for_a_slot_stops_at_once_and_sends_nothing_more(
    make_app: Callable[..., CampaignsApp], store: Store, transport: CountingTransport
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = {c["id"]: c for c in campaigns_on_server(store)}
        await pilot.press("space", "space", "space", "space")
        chosen = set(pilot.app.workspace.marks)
        await pilot.press("d")
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkPreviewScreen), "preview")
        await pilot.press("tab", "enter")
        client = await pilot.app.workspace.get_client()
        await until(pilot, lambda: client.waits.current is not None, "a wait for a slot")
        assert isinstance(pilot.app.screen, BulkProgressScreen)
        sent = len(transport.requests)
        pressed = time.monotonic()
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkResultsScreen), "results")
        assert time.monotonic() - pressed < STOP_BOUND
        report = pilot.app.screen.report
        assert report.cancelled and report.count(Outcome.NOT_STARTED) >= 3
        assert len(transport.requests) == sent  # nothing sent after the key
        await pilot.press("escape")
        await settle(pilot)
        after = {c["id"]: c for c in campaigns_on_server(store)}
        done = {cid for cid in after if after[cid] != before[cid]}
        assert done <= chosen and len(done) <= 1  # the window had room for one look and one
        assert set(pilot.app.workspace.marks) == chosen - done
        # The rows never reached read ✗ with their reason, as failed ones do (not ✓).
        table = pilot.app.screen.table
        not_started = {r.campaign_id for r in report.results if r.outcome is Outcome.NOT_STARTED}
        assert not_started and not_started <= set(table.mark_notes)
        assert all(table.mark_notes[i].outcome == "not started" for i in not_started)
        lines = {
            table.rows[n].id: table.render_line(n + 1).text for n in range(min(10, len(table.rows)))
        }
        assert all(lines[i].lstrip("› ").startswith("✗") for i in not_started), lines
