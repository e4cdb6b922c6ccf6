"""Settings → a client, in one place, for the UI and the commands alike: the only place a
`SkipUpClient` is made (tests/test_one_way_in.py checks). `--demo`'s client talks to the
sandbox in-process (`demo.py`).

Nothing is made here: `client_maker` returns how to make the client (a closure), so the UI can
draw its first frame before the HTTP stack is imported, and a command makes it when it first
sends a request."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from skipup_campaigns.api.client import SkipUpClient
    from skipup_campaigns.config import Settings

ClientMaker = Callable[[], "SkipUpClient"]


def client_maker(settings: Settings) -> ClientMaker | None:
    """How to make the client `settings` describe; None when they hold no key (the caller
    says what to configure). Making it may raise the client's ConfigurationError."""
    if not settings.api_key:
        return None

    # The key stays inside `settings` (whose repr hides it): no local of this frame, or of
    # the closure, holds it for a crash report's list of locals to show.
    def make() -> SkipUpClient:
        from skipup_campaigns.api.client import SkipUpClient

        return SkipUpClient(settings.api_key, settings.base_url, deadline=settings.request_deadline)

    return make


def demo_maker(
    *, reset: bool = False, path: Path | None = None, activity: float | None = None
) -> ClientMaker:
    """How to make a client of the demo sandbox (see `demo.demo_transport`); `activity`:
    requests a minute on its campaigns (None: the demo's own, DEMO_ACTIVITY). Nothing of the
    sandbox is imported until the client is made."""

    def make() -> SkipUpClient:
        from skipup_campaigns.api.client import SkipUpClient
        from skipup_campaigns.demo import DEMO_ACTIVITY, DEMO_KEY, DEMO_URL, demo_transport

        pace = DEMO_ACTIVITY if activity is None else activity
        return SkipUpClient(
            DEMO_KEY, DEMO_URL, transport=demo_transport(reset=reset, path=path, activity=pace)
        )

    return make


def demo_client(
    *, reset: bool = False, path: Path | None = None, activity: float = 0.0
) -> SkipUpClient:
    """A client of the demo sandbox, made now."""
    return demo_maker(reset=reset, path=path, activity=activity)()
