"""The app on the demo data at a fixed moment: the same picture on every run and machine
(snapshot tests and the README's screenshots)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx

from skipup_campaigns.api import SkipUpClient
from skipup_campaigns.plain_record import replace
from skipup_campaigns.sandbox import SandboxSettings, Store, create_app, open_store
from skipup_campaigns.startup.setup import build_workspace
from skipup_campaigns.tui.app import CampaignsApp, UISettings

DEMO_NOW = datetime(2026, 6, 15, 12, 0, 0, tzinfo=timezone.utc)


def fixed_local_time() -> None:
    """Times on screen are local; pin the zone so pictures do not depend on the machine."""
    os.environ["TZ"] = "UTC"
    time.tzset()


def demo_app(
    *,
    history: Path | None = None,
    seeded_history: bool = True,
    on_store: Callable[[Store], None] | None = None,
    **kwargs: Any,
) -> CampaignsApp:
    """`history`: a directory for the demo's own history file, seeded with thirty days the
    first time (as `--demo` does), so trends and Δ show; not `seeded_history`: a first
    session, no earlier record. `on_store` changes the demo data before the app reads it."""
    fixed_local_time()
    clock = lambda: DEMO_NOW  # noqa: E731
    store = open_store(":memory:", clock=clock)
    if on_store is not None:
        on_store(store)
    client = SkipUpClient(
        "sk_test_admin",
        "http://127.0.0.1/api/v1",
        transport=httpx.ASGITransport(create_app(store, SandboxSettings(rate_limit=0))),
    )
    kwargs.setdefault("remember_theme", False)
    settings = None
    if history is not None:
        from skipup_campaigns.startup.setup import demo_history

        settings = demo_history(path=history / "demo.sqlite3")
        if not seeded_history:
            settings = replace(settings, seed=None)
    setup = build_workspace(client, clock=clock, history=settings)
    app = CampaignsApp(replace(setup, label="demo"), ui=UISettings(**kwargs))
    return app


async def loaded(pilot: Any) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    if await first_baseline_asked(pilot):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def first_baseline_asked(pilot: Any, bound: float = 5.0) -> bool:
    """Wait until each list with a history has asked for its first Δ baseline: it asks once
    its first rows are painted (after a refresh) or its first load ends, so its worker can
    start after a wait for the workers saw none. True when one had still to ask."""
    from skipup_campaigns.tui.list_screen import ListScreen

    waited = False
    ends = time.monotonic() + bound
    for screen in pilot.app.screen_stack:
        if not isinstance(screen, ListScreen) or screen.workspace.history is None:
            continue
        while not getattr(screen, "_baseline_asked", True) and time.monotonic() < ends:
            waited = True
            await pilot.pause(0.01)
    return waited
