"""A command on several campaigns with a key that may not write stops at the first refusal
(the requests already on the wire are heard, nothing more is sent) and exits with the
permission code, not one 403 per id and "run again on just these"."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from skipup_campaigns.sandbox import SandboxSettings, Store, create_app
from skipup_campaigns.scripting import exit_codes
from tests.conftest import READONLY, campaigns_on_server
from tests.scripting.conftest import Run


class RefusalCounter:
    """ASGI wrapper: counts the write requests the sandbox answered 403."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.refused = 0

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        writing = scope["type"] == "http" and scope["method"] in ("PATCH", "POST")

        async def counting_send(message: dict[str, Any]) -> None:
            if writing and message["type"] == "http.response.start" and message["status"] == 403:
                self.refused += 1
            await send(message)

        await self.app(scope, receive, counting_send)


@pytest.fixture
def sandbox_app(store: Store, settings: SandboxSettings) -> RefusalCounter:
    return RefusalCounter(create_app(store, settings))


@pytest.mark.parametrize("command", [("deactivate",), ("update", "--description", "Not allowed")])
def test_several_ids_with_a_read_only_key_stop_at_the_first_refusal(
    run: Run,
    store: Store,
    sandbox_app: RefusalCounter,
    monkeypatch: pytest.MonkeyPatch,
    command: tuple[str, ...],
) -> None:
    from skipup_campaigns.bulk.engine import DEFAULT_CONCURRENCY

    monkeypatch.setenv("SKIPUP_API_KEY", READONLY)
    before = campaigns_on_server(store)
    ids = [c["id"] for c in campaigns_on_server(store, active=True)[:20]]
    result = run(command[0], *ids, *command[1:], "--yes")
    assert result.code == exit_codes.FORBIDDEN == 6, result.err
    assert 1 <= sandbox_app.refused <= DEFAULT_CONCURRENCY  # those on the wire, then none
    assert "stopped at the first refusal" in result.err
    assert "run again on just these" not in result.err
    assert (
        Counter(line.split()[0] for line in result.err.splitlines() if line.startswith("failed"))[
            "failed"
        ]
        == sandbox_app.refused
    )
    assert campaigns_on_server(store) == before
