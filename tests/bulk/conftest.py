"""The bulk engine against the sandbox over loopback, with every write the server carried out
counted (a write answered 2xx by the handler; injected faults answer before the handler)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from skipup_campaigns.api import SkipUpClient
from skipup_campaigns.sandbox import SandboxSettings, Store, create_app
from tests.conftest import ADMIN

_WRITE = re.compile(r"/campaigns/([^/]+)(/deactivate)?$")


class WriteCounter:
    """ASGI wrapper: counts successful PATCH and deactivate requests per campaign id."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.counts: Counter[str] = Counter()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        match = _WRITE.search(scope.get("path", "")) if scope["type"] == "http" else None
        writes = match is not None and scope["method"] in ("PATCH", "POST")
        if not writes:
            await self.app(scope, receive, send)
            return

        async def counting_send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start" and 200 <= message["status"] < 300:
                self.counts[match.group(1)] += 1
            await send(message)

        await self.app(scope, receive, counting_send)


@pytest.fixture
def settings() -> SandboxSettings:
    return SandboxSettings(rate_limit=0)


@pytest.fixture
def sandbox_app(store: Store, settings: SandboxSettings) -> WriteCounter:
    return WriteCounter(create_app(store, settings))


@pytest.fixture
def writes(sandbox_app: WriteCounter) -> Counter[str]:
    return sandbox_app.counts


@pytest.fixture
async def loopback_client(live_url: str) -> AsyncIterator[SkipUpClient]:
    async with SkipUpClient(ADMIN, live_url) as client:
        yield client


MakeLoopback = Callable[..., SkipUpClient]
