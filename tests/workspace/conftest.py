"""A workspace on the in-process sandbox, with a transport that can fail chosen requests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from skipup_campaigns.api import SkipUpClient
from skipup_campaigns.workspace import Workspace, WorkspaceEvent
from tests.conftest import ADMIN, IN_PROCESS_URL, Clock


class FailingTransport(httpx.AsyncBaseTransport):
    """The sandbox, except for requests `fail` picks: those never reach it."""

    def __init__(self, app: Any) -> None:
        self.inner = httpx.ASGITransport(app)
        self.fail: Callable[[httpx.Request], bool] = lambda request: False
        self.sent: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.fail(request):
            raise httpx.ConnectError("connection refused", request=request)
        self.sent.append(request)
        return await self.inner.handle_async_request(request)


@pytest.fixture
def transport(sandbox_app: Any) -> FailingTransport:
    return FailingTransport(sandbox_app)


@pytest.fixture
def make_workspace(transport: FailingTransport,
                   clock: Clock) -> Callable[..., Workspace]:
    def make(key: str = ADMIN, **kwargs: Any) -> Workspace:
        client = SkipUpClient(key, IN_PROCESS_URL, transport=transport, max_retries=0)
        return Workspace(client, clock=clock, **kwargs)

    return make


@pytest.fixture
async def workspace(make_workspace: Callable[..., Workspace]) -> AsyncIterator[Workspace]:
    ws = make_workspace()
    yield ws
    await ws.aclose()


@pytest.fixture
def events(workspace: Workspace) -> list[WorkspaceEvent]:
    """Everything the workspace announces, in order."""
    seen: list[WorkspaceEvent] = []
    workspace.subscribe(seen.append)
    return seen
