"""The app on the demo data at a fixed moment: the same picture on every run and machine
(snapshot tests and the README's screenshots)."""

from __future__ import annotations

import os
import time
from datetime import datetime, timezone
from typing import Any

import httpx

from skipup_campaigns.api import SkipUpClient
from skipup_campaigns.sandbox import SandboxSettings, create_app, open_store
from skipup_campaigns.tui.app import CampaignsApp, UISettings

DEMO_NOW = datetime(2026, 6, 15, 12, 0, 0, tzinfo=timezone.utc)


def fixed_local_time() -> None:
    """Times on screen are local; pin the zone so pictures do not depend on the machine."""
    os.environ["TZ"] = "UTC"
    time.tzset()


def demo_app(**kwargs: Any) -> CampaignsApp:
    fixed_local_time()
    clock = lambda: DEMO_NOW  # noqa: E731
    store = open_store(":memory:", clock=clock)
    client = SkipUpClient("sk_test_admin", "http://127.0.0.1/api/v1",
                          transport=httpx.ASGITransport(create_app(store,
                                                                   SandboxSettings(rate_limit=0))))
    kwargs.setdefault("remember_theme", False)
    app = CampaignsApp(client, clock=clock, ui=UISettings(label="demo", **kwargs))
    return app


async def loaded(pilot: Any) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
