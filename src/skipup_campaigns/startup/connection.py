"""Settings → a client, in one place, for the UI and the commands alike (`--demo` is not
settings: its client is the sandbox in-process, see `demo.py`).

Nothing is made here: `client_maker` returns how to make the client (a closure), so the UI can
draw its first frame before the HTTP stack is imported, and a command makes it when it first
sends a request."""

from __future__ import annotations

from collections.abc import Callable
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

        return SkipUpClient(settings.api_key, settings.base_url,
                            deadline=settings.request_deadline)

    return make
