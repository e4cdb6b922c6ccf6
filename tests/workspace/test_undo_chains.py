"""Undo chains by value: after several edits of the same campaigns (bulk or single, all in the
same second, so `updated_at` cannot tell them apart), each `u` puts one step back, newest
first, until the campaigns are as they were; a change by someone else in between stops the
chain there instead of being overwritten."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from skipup_campaigns.bulk.engine import BulkEdit, Outcome
from skipup_campaigns.sandbox import Store
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from skipup_campaigns.workspace import Workspace
from skipup_campaigns.workspace.workspace import Conflict
from tests.conftest import campaigns_on_server

ENDS = [datetime(2027, month, 1, tzinfo=timezone.utc) for month in (1, 2, 3)]
WIRE_ENDS = ["2027-01-01T00:00:00Z", "2027-02-01T00:00:00Z", "2027-03-01T00:00:00Z"]


def on_server(store: Store) -> dict[str, dict]:
    return {c["id"]: c for c in campaigns_on_server(store)}


async def marked_three(workspace: Workspace) -> list[str]:
    await workspace.load()
    ids = [row.id for row in workspace.collection.rows() if row.active][:3]
    for campaign_id in ids:
        workspace.marks.toggle(campaign_id)
    return ids


async def bulk_edit(workspace: Workspace, ids: list[str], **values: object) -> None:
    for campaign_id in ids:
        if campaign_id not in workspace.marks:
            workspace.marks.toggle(campaign_id)
    report = await workspace.bulk.start(workspace.bulk.plan(BulkEdit(**values))).run()
    assert report.count(Outcome.DONE) == len(ids), report.summary()


@pytest.mark.parametrize("steps", [2, 3])
async def test_bulk_undos_walk_back_step_by_step(
    workspace: Workspace, store: Store, steps: int
) -> None:
    ids = await marked_three(workspace)
    original = on_server(store)
    for step in range(steps):
        await bulk_edit(workspace, ids, ends_at=ENDS[step], description=f"step {step}")
    assert len(workspace.bulk.steps) == steps
    for step in reversed(range(steps)):
        undo = await workspace.bulk.start_undo().run()
        assert undo.count(Outcome.DONE) == 3, undo.summary()
        now = on_server(store)
        for campaign_id in ids:
            if step:  # as the step before left it
                assert now[campaign_id]["ends_at"] == WIRE_ENDS[step - 1]
                assert now[campaign_id]["description"] == f"step {step - 1}"
            else:  # as it was before the first
                assert now[campaign_id] == {
                    **original[campaign_id],
                    "updated_at": now[campaign_id]["updated_at"],
                }
    assert not workspace.bulk.steps and len(workspace.undo_log) == 0
    with pytest.raises(ValueError):
        workspace.bulk.undo_targets()


@pytest.mark.parametrize("steps", [2, 3])
async def test_single_undos_walk_back_step_by_step(
    workspace: Workspace, store: Store, steps: int
) -> None:
    await workspace.load()
    campaign_id = next(row.id for row in workspace.collection.rows() if row.active)
    original = on_server(store)[campaign_id]
    base = await workspace.fetch(campaign_id)
    for step in range(steps):
        result = await workspace.update(base, {"name": f"Name {step}", "ends_at": ENDS[step]})
        assert not isinstance(result, Conflict)
        base = result
    for step in reversed(range(steps)):
        restored = await workspace.undo(campaign_id)
        assert restored is not None and not isinstance(restored, Conflict)
        now = on_server(store)[campaign_id]
        expected_name = f"Name {step - 1}" if step else original["name"]
        expected_end = WIRE_ENDS[step - 1] if step else original["ends_at"]
        assert (now["name"], now["ends_at"]) == (expected_name, expected_end)
    assert await workspace.undo(campaign_id) is None


async def test_a_bulk_undo_chain_stops_where_someone_else_wrote_in_between(
    workspace: Workspace, store: Store
) -> None:
    ids = await marked_three(workspace)
    original = on_server(store)
    await bulk_edit(workspace, ids, description="first")
    # Someone else, in the same second, between our two edits, on one campaign.
    store.update_campaign(MAIN_WORKSPACE, ids[1], {"description": "theirs"})
    await workspace.load()
    await bulk_edit(workspace, ids, description="second")
    undo = await workspace.bulk.start_undo().run()  # back to what each held before "second"
    assert undo.count(Outcome.DONE) == 3
    assert [on_server(store)[i]["description"] for i in ids] == ["first", "theirs", "first"]
    undo = await workspace.bulk.start_undo().run()
    assert [(r.campaign_id, r.outcome) for r in undo.results] == [
        (ids[0], Outcome.DONE),
        (ids[1], Outcome.SKIPPED),
        (ids[2], Outcome.DONE),
    ]
    now = on_server(store)
    assert now[ids[1]]["description"] == "theirs"  # not overwritten
    for campaign_id in (ids[0], ids[2]):
        assert now[campaign_id]["description"] == original[campaign_id]["description"]
