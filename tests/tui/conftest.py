"""Fixtures for driving the app with Pilot against the in-process sandbox."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerState

from skipup_campaigns.api import SkipUpClient
from skipup_campaigns.startup.setup import build_workspace
from skipup_campaigns.tui.app import CampaignsApp, UISettings
from skipup_campaigns.tui.list_screen import ListScreen
from tests.conftest import ADMIN, IN_PROCESS_URL, Clock
from tests.demo_app import first_baseline_asked
from tests.transports import CountingTransport


@pytest.fixture
def transport(sandbox_app: Any) -> CountingTransport:
    return CountingTransport(sandbox_app)


def build_app(client: SkipUpClient | None, **kwargs: Any) -> CampaignsApp:
    """The app over `client`'s workspace (startup/setup.py), the UI's own keyword arguments
    gathered into UISettings (the theme is not remembered unless a test says so), the rest
    the workspace's (`views`, `state_name`, `display_zone`, ...)."""
    ui_names = set(UISettings.field_names)
    ui = UISettings(
        **{"remember_theme": False, **{n: kwargs.pop(n) for n in list(kwargs) if n in ui_names}}
    )
    setup = build_workspace(client, **kwargs)
    return CampaignsApp(setup, ui=ui)


@pytest.fixture
def make_app(transport: CountingTransport, clock: Clock) -> Callable[..., CampaignsApp]:
    def make(key: str = ADMIN, **kwargs: Any) -> CampaignsApp:
        client = SkipUpClient(key, IN_PROCESS_URL, transport=transport, max_retries=0)
        return build_app(client, clock=clock, **kwargs)

    return make


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until every worker has finished and the screen has caught up; a worker that
    failed is a bug, whatever the screen shows."""
    await pilot.pause()
    await first_baseline_asked(pilot)  # (asked after a refresh: its worker comes later)
    # Until no worker runs: one may start another as it ends (a load's end starts the
    # history's record), after a wait for those running had begun.
    for _ in range(20):
        running = [
            w for w in pilot.app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)
        ]
        if not running:
            break
        await pilot.app.workers.wait_for_complete(running)
        await pilot.pause()
    failed = [w for w in pilot.app.workers if w.state == WorkerState.ERROR]
    assert not failed, [(w.name, w.error) for w in failed]


async def until(
    pilot: Pilot[Any], condition: Callable[[], object], what: str, bound: float = 10.0
) -> None:
    """Wait for `condition` (up to `bound` seconds, for a loaded machine), never for a fixed
    time: a dialog or a timer's tick comes later under load, not never."""
    ends = time.monotonic() + bound
    while not condition():
        if time.monotonic() > ends:
            raise AssertionError(f"never: {what}")
        await pilot.pause(0.02)


def list_screen(pilot: Pilot[Any]) -> ListScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ListScreen)
    return screen


def shown_names(pilot: Pilot[Any]) -> list[str]:
    return [row.campaign.name for row in list_screen(pilot).table.rows]
