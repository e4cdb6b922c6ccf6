"""`--demo`: the sandbox in-process for the client (no port, no server to start), on a
demo database in the user's data directory so that edits survive restarts.

The demo's counts move (a modest simulated activity: inbound requests arriving, some booked)
and its history starts with thirty fabricated days in the demo's own history file, so a first
run already shows trends. Neither touches a real workspace's history."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from skipup_campaigns.paths import demo_db_path
from skipup_campaigns.private_files import ensure_private_dir
from skipup_campaigns.sandbox import SandboxSettings, create_app, open_store

if TYPE_CHECKING:
    from skipup_campaigns.history.store import HistoryStore

DEMO_KEY = "sk_test_admin"
DEMO_URL = "http://127.0.0.1/api/v1"
DEMO_ACTIVITY = 12.0
"""Inbound meeting requests a minute in the demo: a Δ shows within a refresh or two."""


def reset_demo_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


class _DemoTransport(httpx.ASGITransport):
    """The in-process sandbox; closing the client stops its simulated activity and closes the
    demo's database, off the event loop (stopping waits up to 5 s for the activity thread)."""

    def __init__(self, app: Any, store: Any = None, stop_activity: Any = None) -> None:
        super().__init__(app)
        self.store = store
        self.stop_activity = stop_activity

    async def aclose(self) -> None:
        stop, self.stop_activity = self.stop_activity, None
        store, self.store = self.store, None
        if stop is not None or store is not None:
            await asyncio.to_thread(_stop_and_close, stop, store)
        await super().aclose()


def _stop_and_close(stop: Any, store: Any) -> None:
    if stop is not None:
        stop()
    if store is not None:
        store.close()


def demo_transport(
    *, reset: bool = False, path: Path | None = None, activity: float = 0.0
) -> httpx.AsyncBaseTransport:
    """The demo sandbox in-process, for a client (made in `startup/connection.py`); with
    `activity`, about that many requests a minute arrive on its running campaigns (in a
    background thread, stopped when the client closes)."""
    path = path or demo_db_path()
    ensure_private_dir(path.parent)  # 0700: the database holds what the user typed
    if reset:
        reset_demo_db(path)
    store = open_store(str(path))
    app = create_app(store, SandboxSettings())
    stop = None
    if activity > 0:
        from skipup_campaigns.sandbox.activity import activity_rng, start_activity

        stop = start_activity(store, activity, activity_rng(None))
    return _DemoTransport(app, store, stop)


def seed_history(store: HistoryStore, campaigns: Sequence[Any], now: datetime) -> None:
    """Thirty plausible days for the demo's campaigns (only into the demo's own file)."""
    from skipup_campaigns.history.demo import fabricate_history
    from skipup_campaigns.history.store import demo_history_path

    if store.path.name != demo_history_path().name:
        raise ValueError("fabricated history goes only into the demo's own history file")
    fabricate_history(store, campaigns, now=now)
