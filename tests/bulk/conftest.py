"""The bulk engine against the sandbox over loopback, with every write the server carried out
counted."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from skipup_campaigns.api import SkipUpClient
from skipup_campaigns.sandbox import SandboxSettings
from tests.conftest import ADMIN


@pytest.fixture
def settings() -> SandboxSettings:
    return SandboxSettings(rate_limit=0)


@pytest.fixture
async def loopback_client(live_url: str) -> AsyncIterator[SkipUpClient]:
    async with SkipUpClient(ADMIN, live_url) as client:
        yield client
