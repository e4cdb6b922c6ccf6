"""The UI's flows as plain async calls on the workspace against the in-process sandbox: no
screen, no Pilot. The server's state is checked after each."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from skipup_campaigns.api.errors import ConfigurationError, PermissionDeniedError
from skipup_campaigns.sandbox import SandboxSettings, Store
from skipup_campaigns.sandbox.app import default_keys, parse_key_spec
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from skipup_campaigns.workspace import (
    CampaignsChanged,
    Conflict,
    LoadStateChanged,
    SetupProblem,
    UndoLogChanged,
    Workspace,
    WorkspaceEvent,
    WritePermissionChanged,
)
from skipup_campaigns.workspace.load_state import RETRY_DELAYS, status_text
from tests.conftest import READONLY, Clock, campaigns_on_server
from tests.transports import CountingTransport


def on_server(store: Store, campaign_id: str) -> dict:
    return store.get_campaign(MAIN_WORKSPACE, campaign_id)


def first_active(workspace: Workspace):  # noqa: ANN201 - a Campaign
    row = next(r for r in workspace.collection.rows() if r.active)
    return row.campaign


# -- loading -----------------------------------------------------------------------------------


async def test_load_takes_every_page_and_says_when(
    workspace: Workspace, store: Store, events: list[WorkspaceEvent], clock: Clock
) -> None:
    state = await workspace.load()
    assert len(workspace.collection) == len(campaigns_on_server(store))
    assert state.loaded_at == clock() and state.error is None and not state.loading
    states = [e.state for e in events if isinstance(e, LoadStateChanged)]
    assert states[0].loading and not states[-1].loading
    assert any(isinstance(e, CampaignsChanged) for e in events)
    assert status_text(state).startswith("updated ")


async def test_a_passing_failure_keeps_the_data_and_plans_growing_retries(
    workspace: Workspace, transport: CountingTransport, store: Store
) -> None:
    await workspace.load()
    loaded = len(workspace.collection)
    transport.fail = lambda request: True
    first = await workspace.load()
    assert first.error == "cannot reach the API" and first.temporary
    assert (first.failed_in_a_row, first.retry_in) == (1, RETRY_DELAYS[0])
    second = await workspace.load()
    assert (second.failed_in_a_row, second.retry_in) == (2, RETRY_DELAYS[1])
    assert len(workspace.collection) == loaded  # a failure keeps what was loaded
    assert "stale since" in status_text(second) and "retrying in 4s" in status_text(second)

    transport.fail = lambda request: False
    store.create_campaign(
        MAIN_WORKSPACE, {"name": "Arrived while away", "team_id": first_active(workspace).team_id}
    )
    back = await workspace.load()
    assert back.error is None and back.retry_in is None and back.failed_in_a_row == 0
    assert len(workspace.collection) == loaded + 1


async def test_a_refused_key_is_not_retried(make_workspace: Callable[..., Workspace]) -> None:
    workspace = make_workspace("sk_test_nobody")
    state = await workspace.load()
    assert state.error and "refused" in state.error
    assert not state.temporary and state.retry_in is None
    await workspace.aclose()


async def test_a_client_that_cannot_be_made_is_a_setup_problem(clock: Clock) -> None:
    def connect():  # noqa: ANN202
        raise ConfigurationError("no base URL")

    workspace = Workspace(connect=connect, clock=clock)
    seen: list[WorkspaceEvent] = []
    workspace.subscribe(seen.append)
    state = await workspace.load()
    assert not state.loading
    assert SetupProblem("no base URL") in seen


# -- save, with and without a conflict --------------------------------------------------------


async def test_save_sends_only_after_a_fresh_read_and_records_the_undo(
    workspace: Workspace, store: Store, events: list[WorkspaceEvent]
) -> None:
    await workspace.load()
    base = first_active(workspace)
    updated = await workspace.update(base, {"name": "Renamed here"})
    assert not isinstance(updated, Conflict)
    assert on_server(store, base.id)["name"] == "Renamed here"
    assert workspace.collection.get(base.id).raw_name == "Renamed here"
    assert workspace.last_edit(base.id).before == {"name": base.name}
    assert UndoLogChanged(base.id) in events


async def test_save_over_a_change_made_elsewhere_asks_then_overwrites(
    workspace: Workspace, store: Store, clock: Clock
) -> None:
    await workspace.load()
    base = first_active(workspace)
    clock.advance(minutes=1)
    store.update_campaign(MAIN_WORKSPACE, base.id, {"name": "Theirs"})

    conflict = await workspace.update(base, {"name": "Mine"})
    assert isinstance(conflict, Conflict) and conflict.fresh.name == "Theirs"
    assert on_server(store, base.id)["name"] == "Theirs"  # nothing sent
    assert workspace.last_edit(base.id) is None

    done = await workspace.update(conflict.fresh, {"name": "Mine"}, overwriting=conflict)
    assert not isinstance(done, Conflict)
    assert on_server(store, base.id)["name"] == "Mine"
    assert workspace.last_edit(base.id).before == {"name": "Theirs"}  # undo gives theirs back


async def test_create_with_one_key_twice_makes_one_campaign(
    workspace: Workspace, store: Store, events: list[WorkspaceEvent]
) -> None:
    await workspace.load()
    team = first_active(workspace).team_id
    before = len(campaigns_on_server(store))
    values = {"name": "Once only", "team_id": team, "description": None}
    created = await workspace.create(values, idempotency_key="key-1")
    again = await workspace.create(values, idempotency_key="key-1")
    assert again.id == created.id
    assert len(campaigns_on_server(store)) == before + 1
    assert CampaignsChanged(frozenset({created.id}), select=created.id) in events
    assert created.id in workspace.collection


# -- undo --------------------------------------------------------------------------------------


async def test_undo_walks_back_edit_by_edit(workspace: Workspace, store: Store) -> None:
    await workspace.load()
    base = first_active(workspace)
    original = base.name
    first = await workspace.update(base, {"name": "One"})
    await workspace.update(first, {"name": "Two"})

    assert (await workspace.undo(base.id)).name == "One"
    assert on_server(store, base.id)["name"] == "One"
    assert (await workspace.undo(base.id)).name == original
    assert on_server(store, base.id)["name"] == original
    assert await workspace.undo(base.id) is None  # nothing left to undo
    assert workspace.collection.get(base.id).raw_name == original


async def test_undo_over_a_change_made_elsewhere_asks_first(
    workspace: Workspace, store: Store, clock: Clock
) -> None:
    await workspace.load()
    base = first_active(workspace)
    await workspace.update(base, {"description": "ours"})
    clock.advance(minutes=1)  # the other client's change is a later one
    store.update_campaign(MAIN_WORKSPACE, base.id, {"description": "theirs"})

    conflict = await workspace.undo(base.id)
    assert isinstance(conflict, Conflict) and conflict.undo is not None
    assert conflict.fresh.description == "theirs"
    assert on_server(store, base.id)["description"] == "theirs"  # nothing sent

    restored = await workspace.undo(base.id, overwriting=conflict)
    assert restored.description == base.description
    assert on_server(store, base.id)["description"] == base.description
    assert workspace.last_edit(base.id) is None


# -- deactivate and permission -----------------------------------------------------------------


async def test_deactivate_after_a_fresh_read(
    workspace: Workspace, store: Store, events: list[WorkspaceEvent]
) -> None:
    await workspace.load()
    target = first_active(workspace)
    inactive = {c["id"] for c in campaigns_on_server(store, active=False)}
    fresh = await workspace.fetch(target.id)
    assert fresh.active
    result = await workspace.deactivate(fresh)
    done = result.after
    assert done is not None and not done.active
    assert on_server(store, target.id)["active"] is False
    assert not workspace.collection.get(target.id).active
    assert CampaignsChanged(frozenset({target.id})) in events
    assert {c["id"] for c in campaigns_on_server(store, active=False)} == inactive | {target.id}


async def test_a_single_deactivation_is_a_bulk_run_of_one(
    workspace: Workspace, store: Store
) -> None:
    from skipup_campaigns.bulk.engine import Outcome

    await workspace.load()
    target = first_active(workspace)  # as the list loaded it: active
    workspace.marks.toggle(target.id)
    store.deactivate_campaign(MAIN_WORKSPACE, target.id)  # meanwhile, elsewhere
    result = await workspace.deactivate(target)
    # The engine's fresh read found nothing to do: skipped, as in a bulk run, not failed.
    assert (result.outcome, result.reason, result.error) == (
        Outcome.SKIPPED,
        "already deactivated",
        None,
    )
    assert workspace.collection.get(target.id).deactivated_at is not None
    assert target.id not in workspace.marks  # done, as far as marks go
    assert workspace.bulk.last_step is None and workspace.bulk.running is None  # not a `u` step


async def test_a_key_without_write_scope_turns_writes_off_once(
    make_workspace: Callable[..., Workspace], store: Store
) -> None:
    workspace = make_workspace(READONLY)
    seen: list[WorkspaceEvent] = []
    workspace.subscribe(seen.append)
    await workspace.load()
    assert workspace.writable
    target = first_active(workspace)
    for _ in range(2):
        result = await workspace.deactivate(target)
        assert isinstance(result.error, PermissionDeniedError)
    assert not workspace.writable
    assert [e for e in seen if isinstance(e, WritePermissionChanged)] == [
        WritePermissionChanged(writable=False, learned=True)
    ]
    assert on_server(store, target.id)["active"] is True
    await workspace.aclose()


def test_read_only_is_configured_too(clock: Clock) -> None:
    workspace = Workspace(connect=lambda: None, read_only=True, clock=clock)  # type: ignore
    assert not workspace.writable


async def test_unsubscribed_callbacks_hear_nothing(workspace: Workspace) -> None:
    heard: list[WorkspaceEvent] = []
    stop = workspace.subscribe(heard.append)
    stop()
    await workspace.load()
    assert heard == []


async def test_an_early_first_page_that_cannot_be_merged_leaves_the_load_to_the_client(
    make_workspace: Callable[..., Workspace], store: Store
) -> None:
    """Finding 1: the early page's merge ran outside the load's guard, so a campaign it
    could not merge (here a NaN rate, which Row cannot sort) ended the load with a traceback.
    Now the page is dropped and the client's load shows the server's list."""
    from types import SimpleNamespace

    class BrokenFirstPage:
        def ready(self) -> bool:
            return True

        def wait(self, timeout: float) -> list[object]:
            return [SimpleNamespace(id="cmp_broken", booking_rate=float("nan"))]

    workspace = make_workspace(first_page=BrokenFirstPage())
    state = await workspace.load()
    assert state.error is None and not state.loading
    assert {r.id for r in workspace.collection.rows()} == {
        c["id"] for c in campaigns_on_server(store)
    }
    await workspace.aclose()


@pytest.mark.parametrize("header", ["inf", "1e20", "1e300"])
async def test_a_huge_retry_after_is_a_retry_within_a_day(header: str, clock: Clock) -> None:
    """Finding 4: a huge Retry-After ended the load with "Something went wrong
    (OverflowError)" and no retry; just under overflow it said "until year 5195"."""
    from datetime import timedelta

    from skipup_campaigns.api import SkipUpClient
    from tests.hostile_server import serve_hostile

    with serve_hostile("bad_waits") as url:
        url.state.retry_after = header
        workspace = Workspace(SkipUpClient("sk_test_x", url, max_retries=0), clock=clock)
        state = await workspace.load()
        await workspace.aclose()
    assert state.error is not None and state.error.startswith("rate limited")
    assert state.temporary and state.retry_in is not None
    assert 0 < state.retry_in <= 86_400
    assert state.rate_limited_until is None or (
        state.rate_limited_until <= clock() + timedelta(days=1)
    )


NOTEAMS = "sk_test_noteams"


@pytest.mark.parametrize(
    "settings",
    [
        SandboxSettings(
            rate_limit=0,
            keys={**default_keys(), NOTEAMS: parse_key_spec(f"{NOTEAMS}=campaigns.read")},
        )
    ],
)
async def test_teams_a_key_cannot_list_come_from_the_campaigns_read_for_them(
    make_workspace: Callable[..., Workspace], store: Store
) -> None:
    from skipup_campaigns.workspace.teams import why_unlisted

    workspace = make_workspace(NOTEAMS)
    with pytest.raises(PermissionDeniedError):  # nothing loaded: nothing to stand in
        await workspace.load_teams()
    teams = await workspace.load_teams(read_campaigns=True)  # a command's: no list loaded
    assert {team.id for team in teams} == {c["team_id"] for c in campaigns_on_server(store)}
    assert workspace.teams_from_campaigns
    assert why_unlisted(workspace.teams_unlisted) == "this key cannot list teams (teams.read)"
    await workspace.aclose()


async def test_a_cancelled_load_does_not_end_the_next_loads_pass(
    workspace: Workspace, transport: CountingTransport, store: Store
) -> None:
    """A refresh cancelled mid-read and another started at once (an exclusive worker): the
    old load's clean-up runs after the new one began its pass, and must not end it, or the
    new load drops nothing the server no longer has."""
    import asyncio

    await workspace.load()
    gone = first_active(workspace).id
    with store._lock:  # removed on the server (the API has no delete: another writer's SQL)
        store._db.execute("DELETE FROM campaigns WHERE id = ?", (gone,))
    transport.gate = asyncio.Event()
    held = [True]

    def hold_first(request: object) -> bool:
        first, held[0] = held[0], False
        return first

    transport.hold = hold_first
    old = asyncio.create_task(workspace.load())
    while not transport.in_flight:  # the old load's first request is held
        await asyncio.sleep(0.01)
    old.cancel()
    new = asyncio.create_task(workspace.load())
    await asyncio.gather(old, return_exceptions=True)
    state = await new
    assert state.error is None
    assert workspace.collection.get(gone) is None
    assert len(workspace.collection) == len(campaigns_on_server(store))
