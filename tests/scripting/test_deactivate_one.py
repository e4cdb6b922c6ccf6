"""`deactivate` of one campaign named on the command line is a bulk run of one: after its own
look (the one the question names), the engine reads the campaign again right before the write,
so one deactivated elsewhere in between is "already deactivated" (exit 0), not a refused
request; and the deactivation is sent once."""

from __future__ import annotations

from typing import Any

import pytest

from skipup_campaigns.sandbox import SandboxSettings, Store, create_app
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from skipup_campaigns.scripting import exit_codes
from tests.conftest import campaigns_on_server
from tests.scripting.conftest import Run


class ElsewhereAfterFirstLook:
    """ASGI wrapper: once the command has read `target` for the first time, someone else
    deactivates it; counts the deactivations the command sends."""

    def __init__(self, app: Any, store: Store) -> None:
        self.app = app
        self.store = store
        self.target: str | None = None
        self.looks = 0
        self.sent = 0

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if self.target is not None and scope["type"] == "http" and path.endswith(self.target):
            if scope["method"] == "GET":
                self.looks += 1
                if self.looks == 2:  # the engine's look, after the command's own
                    self.store.deactivate_campaign(MAIN_WORKSPACE, self.target)
        if scope["type"] == "http" and path.endswith("/deactivate"):
            self.sent += 1
        await self.app(scope, receive, send)


@pytest.fixture
def sandbox_app(store: Store, settings: SandboxSettings) -> ElsewhereAfterFirstLook:
    return ElsewhereAfterFirstLook(create_app(store, settings), store)


def test_one_deactivated_elsewhere_after_the_look_is_already_deactivated(
    run: Run, store: Store, sandbox_app: ElsewhereAfterFirstLook
) -> None:
    target = campaigns_on_server(store, active=True)[0]
    sandbox_app.target = target["id"]
    result = run("deactivate", target["id"], "--yes")
    assert result.code == exit_codes.OK, result.err
    assert f"({target['id']}) was already deactivated; nothing changed." in result.err
    assert result.out == ""  # as when it was deactivated before the command looked
    assert sandbox_app.looks == 2 and sandbox_app.sent == 0


def test_one_deactivated_here_is_sent_once_and_printed(
    run: Run, store: Store, sandbox_app: ElsewhereAfterFirstLook
) -> None:
    target = campaigns_on_server(store, active=True)[0]
    result = run("deactivate", target["id"], "--yes", "--json")
    assert result.code == exit_codes.OK, result.err
    assert sandbox_app.sent == 1
    assert '"status": "deactivated"' in result.out
    assert store.get_campaign(MAIN_WORKSPACE, target["id"])["deactivated_at"]


@pytest.mark.parametrize("already", [False, True], ids=["active", "already deactivated"])
def test_one_id_with_json_follows_the_rules_of_several(
    run: Run, store: Store, already: bool
) -> None:
    """With --json one id is one of several: stdout the array of results (with `outcome`),
    stderr in a pipe JSON lines only, whether or not there was anything to do."""
    import json

    target, other = campaigns_on_server(store, active=True)[:2]
    if already:
        store.deactivate_campaign(MAIN_WORKSPACE, target["id"])
        store.deactivate_campaign(MAIN_WORKSPACE, other["id"])
    one = run("deactivate", target["id"], "--yes", "--json")
    two = run("deactivate", other["id"], "cmp_missing", "--yes", "--json")
    assert one.code == exit_codes.OK, one.err
    [row] = json.loads(one.out)
    assert row["id"] == target["id"]
    assert row["outcome"] == ("skipped" if already else "done")
    assert set(row) == set(json.loads(two.out)[0])
    for result in (one, two):
        lines = result.err.splitlines()
        assert lines and all(isinstance(json.loads(line), dict) for line in lines), result.err
    assert json.loads(one.err)["outcome"] == row["outcome"]
    assert store.get_campaign(MAIN_WORKSPACE, target["id"])["deactivated_at"]
