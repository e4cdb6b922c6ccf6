"""A workspace on the in-process sandbox, through a transport that can fail chosen requests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from skipup_campaigns.api import SkipUpClient
from skipup_campaigns.workspace import Workspace, WorkspaceEvent
from tests.conftest import ADMIN, IN_PROCESS_URL, Clock
from tests.transports import CountingTransport


@pytest.fixture
def transport(sandbox_app: Any) -> CountingTransport:
    return CountingTransport(sandbox_app)


@pytest.fixture
def make_workspace(transport: CountingTransport, clock: Clock) -> Callable[..., Workspace]:
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
