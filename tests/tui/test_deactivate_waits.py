"""A single deactivation (`d`) under the rate limit, with Pilot against the in-process sandbox
at a tight limit whose clock is held (the window in force never ends): the read before the
question and the deactivation after it are each said at once in a dialog that counts the wait
down, and esc there stops it: the keys are not held behind the request, and nothing is sent
after the key (the server's state and the requests it saw are checked)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import Static

from skipup_campaigns.sandbox import SandboxSettings, Store
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from skipup_campaigns.tui.app import CampaignsApp
from skipup_campaigns.tui.detail_screen import DetailScreen
from skipup_campaigns.tui.dialogs import ConfirmDialog, WaitingDialog
from tests.conftest import campaigns_on_server
from tests.tui.conftest import CountingTransport, list_screen, settle
from tests.tui.test_bulk_stop import until

HELD = time.time() + 3600
MakeApp = Callable[..., CampaignsApp]


def deactivated(store: Store, campaign_id: str) -> bool:
    return store.get_campaign(MAIN_WORKSPACE, campaign_id)["deactivated_at"] is not None


def dialog_text(pilot: Any) -> str:
    screen = pilot.app.screen
    assert isinstance(screen, WaitingDialog)
    return " ".join(str(s.render()) for s in screen.query(Static) if s.display)


@pytest.mark.parametrize("settings", [SandboxSettings(rate_limit=1, rate_clock=lambda: HELD)])
@pytest.mark.parametrize(
    ("typed_ahead", "stop_key"),
    [(False, "escape"), (True, "escape"), (False, "q")],
    ids=["esc after", "esc with d", "q after"],
)
async def test_esc_stops_the_read_before_the_question(
    make_app: MakeApp,
    store: Store,
    transport: CountingTransport,
    typed_ahead: bool,
    stop_key: str,
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # the load took the window's one request
        row = list_screen(pilot).table.cursor_row
        assert row is not None
        sent = len(transport.requests)
        client = await pilot.app.workspace.get_client()
        if typed_ahead:
            await pilot.press("d", "escape")  # one write: esc must not wait behind the read
        else:
            await pilot.press("d")
            await until(pilot, lambda: client.waits.current is not None, "a wait for a slot")
            text = dialog_text(pilot)
            assert "Reading the campaign…" in text and "rate limited: next request in" in text
            await pilot.press(stop_key)
        await until(
            pilot,
            lambda: not any(isinstance(s, WaitingDialog) for s in pilot.app.screen_stack),
            "the dialog gone",
        )
        await settle(pilot)
        assert not any(isinstance(s, ConfirmDialog) for s in pilot.app.screen_stack)
        assert len(transport.requests) == sent  # the read was never sent
        assert not deactivated(store, row.id)
        assert pilot.app.is_running  # q stopped the read, it did not quit


@pytest.mark.parametrize("settings", [SandboxSettings(rate_limit=3, rate_clock=lambda: HELD)])
async def test_esc_stops_the_deactivation_waiting_for_its_slot(
    make_app: MakeApp, store: Store, transport: CountingTransport
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the page's read: the window's second request
        await settle(pilot)
        page = pilot.app.screen
        assert isinstance(page, DetailScreen)
        target = page.campaign.id
        client = await pilot.app.workspace.get_client()
        await pilot.press("d")  # the flow's read: the third
        await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog), "the question")
        await pilot.press("tab", "enter")
        await until(pilot, lambda: client.waits.current is not None, "a wait for a slot")
        text = dialog_text(pilot)
        assert "Deactivating…" in text and "rate limited: next request in" in text
        sent = len(transport.requests)
        await pilot.press("escape")
        await until(pilot, lambda: pilot.app.screen is page, "back on the page")
        await settle(pilot)
        assert len(transport.requests) == sent
        assert not deactivated(store, target)
        assert "stopped before its request" in " ".join(
            str(n.message) for n in pilot.app._notifications
        )


async def test_a_deactivation_names_the_campaign_and_refreshes_the_page(
    make_app: MakeApp, store: Store
) -> None:
    target = campaigns_on_server(store, active=True)[0]
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        page = None
        while page is None:
            await pilot.press("enter")
            await settle(pilot)
            if pilot.app.screen.campaign.id == target["id"]:  # type: ignore[attr-defined]
                page = pilot.app.screen
            else:
                await pilot.press("escape", "down")
        assert isinstance(page, DetailScreen)
        page.fetched_at = page.fetched_at.replace(hour=1, minute=2, second=3)  # type: ignore[union-attr]
        page.show(page.campaign)
        assert "01:02:03" in str(page.query_one("#detail-meta", Static).render())
        await pilot.press("d")
        await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog), "the question")
        await pilot.press("tab", "enter")
        await until(pilot, lambda: deactivated(store, target["id"]), "the deactivation")
        await settle(pilot)
        assert "01:02:03" not in str(page.query_one("#detail-meta", Static).render())
        toasts = [str(n.message) for n in pilot.app._notifications]
        assert f"Campaign deactivated: {target['name']}." in toasts
