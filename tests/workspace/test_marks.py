"""Marks and bulk actions as plain async calls on the workspace against the in-process
sandbox: no screen, no Pilot. The server's state is checked after each."""

from __future__ import annotations

import json
import stat
from datetime import datetime, timezone
from pathlib import Path

import pytest

from skipup_campaigns.bulk.engine import BulkEdit, Deactivation, Outcome
from skipup_campaigns.display import records
from skipup_campaigns.display.export import format_for, write_export
from skipup_campaigns.sandbox import Store
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from skipup_campaigns.scripting import output
from skipup_campaigns.workspace import MarksChanged, Workspace, WorkspaceEvent
from skipup_campaigns.workspace.collection import spec_for
from skipup_campaigns.workspace.marks import marked_among, marks_text
from tests.conftest import Clock, campaigns_on_server
from tests.transports import CountingTransport

NEW_END = datetime(2027, 7, 15, 23, 59, 59, tzinfo=timezone.utc)


def shown(workspace: Workspace, text: str = "", active_only: bool = True) -> list:
    return workspace.collection.view(
        spec_for(text, active_only=active_only, sort="created", reverse=False)
    )


def server_state(store: Store) -> dict[str, dict]:
    return {c["id"]: c for c in campaigns_on_server(store)}


async def test_marks_survive_filter_sort_toggle_and_refresh_and_count_when_hidden(
    workspace: Workspace, events: list[WorkspaceEvent]
) -> None:
    await workspace.load()
    rows = shown(workspace)
    for row in rows[:3]:
        assert workspace.marks.toggle(row.id)
    assert any(isinstance(e, MarksChanged) for e in events)
    word = rows[0].name.split()[0].lower()
    filtered = shown(workspace, f"{word} xyzzy")  # hides every marked one
    assert not filtered and len(workspace.marks) == 3
    assert marks_text(3, marked_among(workspace.marks.ids, filtered)) == "3 marked (3 hidden)"
    await workspace.load()  # a refresh keeps them
    assert set(workspace.marks) == {row.id for row in rows[:3]}
    assert marks_text(3, marked_among(workspace.marks.ids, shown(workspace))) == "3 marked"
    assert not workspace.marks.toggle(rows[0].id) and len(workspace.marks) == 2


async def test_star_marks_all_shown_and_again_unmarks_them_keeping_hidden_marks(
    workspace: Workspace,
) -> None:
    await workspace.load()
    hidden = next(row for row in workspace.collection.rows() if not row.active)
    workspace.marks.toggle(hidden.id)
    active = shown(workspace)
    assert workspace.marks.toggle_all(active)
    assert len(workspace.marks) == len(active) + 1
    assert not workspace.marks.toggle_all(active)
    assert set(workspace.marks) == {hidden.id}


async def test_a_complete_refresh_prunes_marks_of_campaigns_the_server_no_longer_has(
    workspace: Workspace,
) -> None:
    await workspace.load()
    kept = workspace.collection.rows()[0]
    ghost = kept.campaign.model_copy(update={"id": "cmp_gone"})
    workspace.collection.merge([ghost])
    workspace.marks.toggle(kept.id)
    workspace.marks.toggle("cmp_gone")
    await workspace.load()
    assert set(workspace.marks) == {kept.id}


async def test_bulk_deactivation_of_three_marked_changes_exactly_those(
    workspace: Workspace, store: Store
) -> None:
    await workspace.load()
    before = server_state(store)
    three = shown(workspace)[2:5]
    for row in three:
        workspace.marks.toggle(row.id)
    progress = []
    action = workspace.bulk.start(workspace.bulk.plan(Deactivation()), on_progress=progress.append)
    report = await action.run()
    assert report.summary() == "3 done"
    assert [p.done for p in progress] == [1, 2, 3] and progress[-1].total == 3
    after = server_state(store)
    changed = {cid for cid in after if after[cid] != before[cid]}
    assert changed == {row.id for row in three}
    assert all(not after[row.id]["active"] for row in three)
    assert not workspace.marks  # done ones are unmarked
    assert all(not workspace.collection.get(row.id).active for row in three)  # in place
    with pytest.raises(ValueError, match="no way back"):
        workspace.bulk.undo_targets()


async def test_bulk_edit_then_undo_as_one_step_puts_every_campaign_back(
    workspace: Workspace, store: Store
) -> None:
    await workspace.load()
    before = server_state(store)
    rows = shown(workspace)[:4]
    for row in rows:
        workspace.marks.toggle(row.id)
    report = await workspace.bulk.start(
        workspace.bulk.plan(BulkEdit(ends_at=NEW_END, description=None))
    ).run()
    assert report.count(Outcome.DONE) == 4
    after = server_state(store)
    assert all(after[row.id]["ends_at"] == "2027-07-15T23:59:59Z" for row in rows)
    assert all(after[row.id]["description"] is None for row in rows)
    assert workspace.collection.get(rows[0].id).ends_at == NEW_END.timestamp()
    assert len(workspace.undo_log) == 4 and len(workspace.bulk.steps) == 1

    undo = await workspace.bulk.start_undo().run()
    assert undo.count(Outcome.DONE) == 4
    restored = server_state(store)
    for row in rows:
        for name in ("ends_at", "description", "name", "team_id", "starts_at"):
            assert restored[row.id][name] == before[row.id][name]
    assert len(workspace.undo_log) == 0 and not workspace.bulk.steps
    with pytest.raises(ValueError):
        workspace.bulk.undo_targets()


async def test_a_campaign_changed_by_someone_else_is_skipped_not_overwritten_and_stays_marked(
    workspace: Workspace, store: Store, clock: Clock
) -> None:
    await workspace.load()
    rows = shown(workspace)[:3]
    for row in rows:
        workspace.marks.toggle(row.id)
    clock.advance(minutes=5)
    store.update_campaign(MAIN_WORKSPACE, rows[1].id, {"description": "theirs"})
    report = await workspace.bulk.start(workspace.bulk.plan(BulkEdit(description="ours"))).run()
    assert report.count(Outcome.DONE) == 2 and report.count(Outcome.SKIPPED) == 1
    after = server_state(store)
    assert after[rows[1].id]["description"] == "theirs"
    assert after[rows[0].id]["description"] == after[rows[2].id]["description"] == "ours"
    assert set(workspace.marks) == {rows[1].id}
    note = workspace.marks.notes[rows[1].id]
    assert note.outcome == "skipped" and "changed on the server" in note.reason
    # the list now shows theirs (the fresh read), so a second run plans from it
    assert workspace.collection.get(rows[1].id).description == "theirs"


async def test_a_failed_write_stays_marked_with_its_reason_the_rest_are_done(
    workspace: Workspace, store: Store, transport: CountingTransport
) -> None:
    await workspace.load()
    rows = shown(workspace)[:3]
    for row in rows:
        workspace.marks.toggle(row.id)
    transport.fail = lambda r: r.method == "PATCH" and r.url.path.endswith(rows[2].id)
    report = await workspace.bulk.start(workspace.bulk.plan(BulkEdit(description="x"))).run()
    assert report.summary() == "2 done, 1 failed"
    assert set(workspace.marks) == {rows[2].id}
    assert workspace.marks.notes[rows[2].id].outcome == "failed"
    assert server_state(store)[rows[2].id]["description"] != "x"


async def test_cancelled_before_it_starts_sends_nothing_and_keeps_the_marks(
    workspace: Workspace, store: Store, transport: CountingTransport
) -> None:
    await workspace.load()
    for row in shown(workspace)[:5]:
        workspace.marks.toggle(row.id)
    sent = len(transport.sent)
    action = workspace.bulk.start(workspace.bulk.plan(Deactivation()))
    action.cancel()
    report = await action.run()
    assert report.count(Outcome.NOT_STARTED) == 5 and report.cancelled
    assert len(transport.sent) == sent and len(workspace.marks) == 5
    # Not done, so each is ✗ with its reason, as a failed one is (never ✓).
    assert {(note.outcome, note.reason) for note in workspace.marks.notes.values()} == {
        ("not started", "stopped before its turn")
    }
    assert set(workspace.marks.notes) == set(workspace.marks)
    assert workspace.bulk.running is None and action.finished.is_set()


async def test_a_refused_write_scope_stops_the_rest(make_workspace, store: Store) -> None:
    from tests.conftest import READONLY

    workspace = make_workspace(READONLY)
    await workspace.load()
    for row in shown(workspace)[:6]:
        workspace.marks.toggle(row.id)
    report = await workspace.bulk.start(
        workspace.bulk.plan(BulkEdit(description="x")),
    ).run()
    assert not workspace.writable
    assert report.count(Outcome.FAILED) <= 4  # the ones in flight; the rest never started
    assert report.count(Outcome.NOT_STARTED) >= 2
    assert len(workspace.marks) == 6
    await workspace.aclose()


async def test_export_writes_what_list_json_and_csv_write_0644_never_over_a_file(
    workspace: Workspace, tmp_path: Path
) -> None:
    await workspace.load()
    rows = shown(workspace)[:3]
    target = tmp_path / "out.json"
    assert format_for(target) == "json" and format_for("a.CSV") == "csv"
    assert format_for("a.txt") is None
    assert write_export(target, rows, "json", now=records.now()) == 3
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    data = json.loads(target.read_text())
    assert [item["id"] for item in data] == [row.id for row in rows]
    assert list(data[0]) == list(output.FIELDS)
    assert data[0] == records.record(rows[0].campaign, records.now())
    with pytest.raises(FileExistsError):
        write_export(target, rows[:1], "json")
    assert len(json.loads(target.read_text())) == 3
    write_export(target, rows[:1], "csv", replace=True)
    lines = target.read_text().splitlines()
    assert lines[0] == ",".join(output.FIELDS) and len(lines) == 2
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


async def test_undoing_one_campaign_on_its_own_leaves_the_bulk_undo_the_rest(
    workspace: Workspace, store: Store
) -> None:
    await workspace.load()
    before = server_state(store)
    rows = shown(workspace)[:3]
    for row in rows:
        workspace.marks.toggle(row.id)
    await workspace.bulk.start(workspace.bulk.plan(BulkEdit(ends_at=NEW_END))).run()
    await workspace.undo(rows[0].id)  # the campaign's page: its own last edit
    assert server_state(store)[rows[0].id]["ends_at"] == before[rows[0].id]["ends_at"]
    targets = workspace.bulk.undo_targets()
    assert {t.campaign.id for t in targets} == {rows[1].id, rows[2].id}
    report = await workspace.bulk.start_undo().run()
    assert report.count(Outcome.DONE) == 2
    after = server_state(store)
    assert all(after[row.id]["ends_at"] == before[row.id]["ends_at"] for row in rows)
    assert not workspace.bulk.steps


async def test_already_as_asked_is_judged_on_the_server_copy_not_the_loaded_one(
    workspace: Workspace, store: Store, clock: Clock
) -> None:
    rows_on_server = campaigns_on_server(store)
    chosen = next(r for r in rows_on_server if r["active"])["id"]
    store.update_campaign(MAIN_WORKSPACE, chosen, {"description": "ours"})
    await workspace.load()  # loaded as already asked
    workspace.marks.toggle(chosen)
    clock.advance(minutes=5)
    store.update_campaign(MAIN_WORKSPACE, chosen, {"description": "theirs"})
    report = await workspace.bulk.start(workspace.bulk.plan(BulkEdit(description="ours"))).run()
    result = report.results[0]
    assert result.outcome is Outcome.SKIPPED and "changed on the server" in (result.reason or "")
    assert server_state(store)[chosen]["description"] == "theirs"
    assert set(workspace.marks) == {chosen}  # not done: still marked, with why
    # Asked to write anyway, it writes; the undo puts back what that write replaced.
    report = await workspace.bulk.start(
        workspace.bulk.plan(BulkEdit(description="ours")), apply_anyway=True
    ).run()
    assert report.results[0].outcome is Outcome.DONE
    assert server_state(store)[chosen]["description"] == "ours"
    undo = await workspace.bulk.start_undo().run()
    assert undo.count(Outcome.DONE) == 1
    assert server_state(store)[chosen]["description"] == "theirs"


async def test_undo_after_apply_anyway_restores_the_server_values_our_write_replaced(
    workspace: Workspace, store: Store, clock: Clock
) -> None:
    await workspace.load()
    rows = shown(workspace)[:3]
    for row in rows:
        workspace.marks.toggle(row.id)
    loaded = {row.id: row.description for row in rows}
    clock.advance(minutes=5)
    store.update_campaign(
        MAIN_WORKSPACE, rows[1].id, {"description": "theirs", "name": "Renamed by them"}
    )
    report = await workspace.bulk.start(
        workspace.bulk.plan(BulkEdit(description="ours")), apply_anyway=True
    ).run()
    assert report.count(Outcome.DONE) == 3
    assert loaded[rows[1].id] != "theirs"
    entry = workspace.undo_log.last(rows[1].id)
    assert entry is not None and entry.before == {"description": "theirs"}
    clock.advance(minutes=1)
    undo = await workspace.bulk.start_undo().run()
    assert undo.count(Outcome.DONE) == 3
    after = server_state(store)
    assert after[rows[1].id]["description"] == "theirs"  # their change, not the loaded copy's
    assert after[rows[1].id]["name"] == "Renamed by them"
    assert after[rows[0].id]["description"] == loaded[rows[0].id]
    assert workspace.undo_log.last(rows[1].id) is None  # put back: nothing left to undo


async def test_a_run_that_breaks_midway_stops_sending_and_what_it_did_can_be_undone(
    workspace: Workspace, store: Store
) -> None:
    import asyncio

    await workspace.load()
    before = server_state(store)
    rows = shown(workspace)[:8]
    for row in rows:
        workspace.marks.toggle(row.id)
    calls = []

    def breaks_on_the_third(progress: object) -> None:
        calls.append(progress)
        if len(calls) == 3:
            raise RuntimeError("the progress display broke")

    action = workspace.bulk.start(
        workspace.bulk.plan(BulkEdit(ends_at=NEW_END)), on_progress=breaks_on_the_third
    )
    with pytest.raises(RuntimeError):
        await action.run()
    for _ in range(20):
        await asyncio.sleep(0)
    after = server_state(store)
    changed = {row.id for row in rows if after[row.id] != before[row.id]}
    assert 3 <= len(changed) < len(rows)  # the rest were never sent
    assert workspace.bulk.running is None and action.finished.is_set()
    assert {t.campaign.id for t in workspace.bulk.undo_targets()} == changed
    undo = await workspace.bulk.start_undo().run()
    assert undo.count(Outcome.DONE) == len(changed)
    assert server_state(store)[rows[0].id]["ends_at"] == before[rows[0].id]["ends_at"]
    assert all(server_state(store)[cid]["ends_at"] == before[cid]["ends_at"] for cid in changed)


async def test_an_undo_finding_a_campaign_already_put_back_by_someone_leaves_nothing_to_undo(
    workspace: Workspace, store: Store, clock: Clock
) -> None:
    await workspace.load()
    rows = shown(workspace)[:2]
    loaded = {row.id: row.description for row in rows}
    for row in rows:
        workspace.marks.toggle(row.id)
    await workspace.bulk.start(workspace.bulk.plan(BulkEdit(description="ours"))).run()
    clock.advance(minutes=5)
    store.update_campaign(MAIN_WORKSPACE, rows[1].id, {"description": loaded[rows[1].id]})
    undo = await workspace.bulk.start_undo().run()
    assert [(r.outcome, r.reason) for r in undo.results][1] == (Outcome.SKIPPED, "already as asked")
    assert not workspace.bulk.steps and len(workspace.undo_log) == 0
    assert all(server_state(store)[cid]["description"] == loaded[cid] for cid in loaded)
