"""The bulk engine against the sandbox over loopback, with every write the server carried out
counted."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator

import pytest

from skipup_campaigns.api import SkipUpClient
from skipup_campaigns.sandbox import SandboxSettings, Store, create_app
from tests.bulk.write_counter import WriteCounter
from tests.conftest import ADMIN


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
