"""The sandbox with a window on its traffic, for tests that count, hold, fail or lose requests.

- `CountingApp` wraps the sandbox's ASGI app (the `sandbox_app` fixture is one): requests by
  method, and the writes the server carried out per campaign (`writes`).
- `CountingTransport` is the client's side: every request noted, and chosen ones held until a
  gate opens, failed before they reach the server, or carried out with their answer lost.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx

_WRITE = re.compile(r"/campaigns/([^/]+)(/deactivate)?$")


class CountingApp:
    """ASGI wrapper: requests by method, and successful PATCH and deactivate requests per
    campaign id (injected faults answer before the handler, so they are not counted)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.methods: Counter[str] = Counter()
        self.writes: Counter[str] = Counter()

    @property
    def requests(self) -> int:
        """How many requests reached the sandbox."""
        return sum(self.methods.values())

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.methods[scope["method"]] += 1
        match = _WRITE.search(scope.get("path", ""))
        if match is None or scope["method"] not in ("PATCH", "POST"):
            await self.app(scope, receive, send)
            return

        async def counting_send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start" and 200 <= message["status"] < 300:
                self.writes[match.group(1)] += 1
            await send(message)

        await self.app(scope, receive, counting_send)


class CountingTransport(httpx.AsyncBaseTransport):
    """The sandbox in-process, counting requests and able to hold or fail chosen ones."""

    def __init__(self, app: Any) -> None:
        self.inner = httpx.ASGITransport(app)
        self.requests: list[httpx.Request] = []
        """Every request the client made."""
        self.sent: list[httpx.Request] = []
        """The requests that reached the server (not failed here)."""
        self.in_flight = 0
        self.most_in_flight = 0
        self.gate: asyncio.Event | None = None
        self.hold: Callable[[httpx.Request], bool] = lambda request: False
        """With a `gate`: the requests that wait for it to open."""
        self.fail: Callable[[httpx.Request], bool] = lambda request: False
        """The requests refused as a connection error, never reaching the server."""
        self.lose_answer: Callable[[httpx.Request], bool] = lambda request: False
        """The first matching request reaches the server, but its answer is lost."""
        self.lost: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if self.gate is not None and self.hold(request):
                await self.gate.wait()
            if self.fail(request):
                raise httpx.ConnectError("connection refused", request=request)
            self.sent.append(request)
            response = await self.inner.handle_async_request(request)
            if not self.lost and self.lose_answer(request):
                self.lost.append(request)
                await response.aread()
                raise httpx.ReadTimeout("answer lost on the way back", request=request)
            return response
        finally:
            self.in_flight -= 1
