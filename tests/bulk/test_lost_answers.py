"""Answers lost behind a gateway (tests/lossy_gateway.py) after the origin applied the PATCH:
each is read back, never resent blindly. Exactly one PATCH per campaign reaches the origin
(counted there), and each reported result is what the server holds."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime, timezone

import pytest

from skipup_campaigns.api import SkipUpClient
from skipup_campaigns.bulk import engine as bulk
from skipup_campaigns.bulk.engine import BulkEdit, BulkRun, Outcome
from skipup_campaigns.checked_write import ANSWER_LOST, CHANGED_MEANWHILE
from skipup_campaigns.sandbox import Store
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from tests.conftest import ADMIN, campaigns_on_server
from tests.lossy_gateway import Fate, LossyGateway, first_patch

NEW_END = datetime(2026, 12, 31, 23, 59, 59, tzinfo=timezone.utc)
DEADLINE = 0.6
"""The client's deadline behind the gateway; "late" answers come after it."""


def server(store: Store, campaign_id: str) -> dict:
    return store.get_campaign(MAIN_WORKSPACE, campaign_id)


def patches_at_origin(gateway: LossyGateway) -> Counter[str]:
    return Counter(
        {
            path.rsplit("/", 1)[-1]: n
            for (method, path), n in gateway.forwarded.items()
            if method == "PATCH"
        }
    )


async def edit_through(
    url: str, store: Store, count: int, edit: BulkEdit
) -> tuple[list[str], bulk.BulkReport]:
    ids = [row["id"] for row in campaigns_on_server(store, active=True)[:count]]
    async with SkipUpClient(ADMIN, url, deadline=DEADLINE) as client:
        chosen = [await client.get_campaign(campaign_id) for campaign_id in ids]
        report = await BulkRun(client, bulk.plan(chosen, edit)).run()
    return ids, report


@pytest.mark.parametrize("fate", ["drop", "503", "late"])
async def test_a_patch_applied_whose_answer_is_lost_is_done_once_and_can_be_undone(
    live_url: str, store: Store, writes: Counter[str], fate: Fate
) -> None:
    gateway = LossyGateway(live_url, first_patch(fate), late_seconds=DEADLINE * 2)
    with gateway.serving() as url:
        ids, report = await edit_through(url, store, 4, BulkEdit(ends_at=NEW_END))
        assert [(r.outcome, r.reason) for r in report.results] == [(Outcome.DONE, ANSWER_LOST)] * 4
        assert patches_at_origin(gateway) == Counter(dict.fromkeys(ids, 1))
        assert writes == Counter(dict.fromkeys(ids, 1))
        assert all(server(store, i)["ends_at"] == "2026-12-31T23:59:59Z" for i in ids)
        # In the undo as a lost answer would be: the undo's own first PATCH loses its answer too.
        originals = {r.campaign_id: r.before for r in report.results}
        async with SkipUpClient(ADMIN, url, deadline=DEADLINE) as client:
            undo = await BulkRun(client, report.undo_targets()).run()
    assert [r.outcome for r in undo.results] == [Outcome.DONE] * 4
    assert patches_at_origin(gateway) == Counter(dict.fromkeys(ids, 2))  # one each way
    for campaign_id in ids:
        before = originals[campaign_id]
        assert before is not None
        assert server(store, campaign_id)["ends_at"] == (before.model_dump(mode="json")["ends_at"])


async def test_a_patch_the_origin_never_saw_is_checked_and_sent_again_once(
    live_url: str, store: Store, writes: Counter[str]
) -> None:
    gateway = LossyGateway(live_url, first_patch("refuse"))
    with gateway.serving() as url:
        ids, report = await edit_through(url, store, 3, BulkEdit(description="ours"))
    assert [(r.outcome, r.reason) for r in report.results] == [(Outcome.DONE, None)] * 3
    assert gateway.fates["refuse"] == 3
    assert patches_at_origin(gateway) == Counter(dict.fromkeys(ids, 1))
    assert all(server(store, i)["description"] == "ours" for i in ids)


async def test_a_lost_answer_over_someone_elses_change_is_unknown_and_theirs_stays(
    live_url: str, store: Store, writes: Counter[str]
) -> None:
    def second_writer(method: str, path: str) -> None:
        if method == "PATCH":  # right after ours landed, before our answer comes back
            store.update_campaign(
                MAIN_WORKSPACE, path.rsplit("/", 1)[-1], {"description": "theirs"}
            )

    gateway = LossyGateway(live_url, first_patch("503"), after_forward=second_writer)
    with gateway.serving() as url:
        ids, report = await edit_through(url, store, 2, BulkEdit(description="ours"))
    assert [(r.outcome, r.reason) for r in report.results] == [
        (Outcome.UNKNOWN, CHANGED_MEANWHILE)
    ] * 2
    assert patches_at_origin(gateway) == Counter(dict.fromkeys(ids, 1))
    assert all(server(store, i)["description"] == "theirs" for i in ids)
    assert not report.can_undo  # nothing known to be ours to put back


def test_the_update_command_reports_unknown_with_its_own_exit_code(
    live_url: str, store: Store, writes: Counter[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from skipup_campaigns.scripting import exit_codes
    from tests.scripting.conftest import run_command

    ids = [row["id"] for row in campaigns_on_server(store, active=True)[:3]]
    victim = ids[1]

    def second_writer(method: str, path: str) -> None:
        if method == "PATCH" and path.endswith(victim):
            store.update_campaign(MAIN_WORKSPACE, victim, {"description": "theirs"})

    fates: Callable[[str, str, int], Fate] = first_patch("drop")
    gateway = LossyGateway(live_url, fates, after_forward=second_writer)
    with gateway.serving() as url:
        monkeypatch.setenv("SKIPUP_API_KEY", ADMIN)
        monkeypatch.setenv("SKIPUP_BASE_URL", url)
        result = run_command("update", *ids, "--description", "ours", "--yes", "--json")
    assert result.code == exit_codes.UNKNOWN == 12, result.err
    rows = {row["id"]: row for row in json.loads(result.out)}
    assert {i: rows[i]["outcome"] for i in ids} == {
        ids[0]: "done",
        victim: "unknown",
        ids[2]: "done",
    }
    assert rows[victim]["exit_code"] == exit_codes.UNKNOWN
    # With --json in a pipe stderr is JSON too: one line a campaign, the victim's unknown.
    on_stderr = {row["id"]: row for row in map(json.loads, result.err.splitlines())}
    assert on_stderr[victim]["outcome"] == "unknown"
    assert patches_at_origin(gateway) == Counter(dict.fromkeys(ids, 1))
    assert [server(store, i)["description"] for i in ids] == ["ours", "theirs", "ours"]


async def test_abort_abandons_a_change_on_its_way_as_unknown_and_the_rest_not_started(
    live_url: str, store: Store, writes: Counter[str]
) -> None:
    import asyncio

    from skipup_campaigns.bulk.engine import ABANDONED

    gateway = LossyGateway(live_url, first_patch("late"), late_seconds=30)
    ids = [row["id"] for row in campaigns_on_server(store, active=True)[:3]]
    with gateway.serving() as url:
        async with SkipUpClient(ADMIN, url) as client:
            chosen = [await client.get_campaign(campaign_id) for campaign_id in ids]
            run = BulkRun(client, bulk.plan(chosen, BulkEdit(description="ours")), concurrency=1)
            task = asyncio.ensure_future(run.run())
            while not patches_at_origin(gateway):  # the first PATCH applied, its answer held
                await asyncio.sleep(0.02)
            run.cancel()  # first Ctrl-C: the one on the wire is awaited…
            await asyncio.sleep(0.2)
            assert not task.done()
            run.abort()  # …second: abandoned
            report = await asyncio.wait_for(task, 5)
    assert [(r.outcome, r.reason) for r in report.results] == [
        (Outcome.UNKNOWN, ABANDONED),
        (Outcome.NOT_STARTED, bulk.STOPPED),
        (Outcome.NOT_STARTED, bulk.STOPPED),
    ]
    assert writes == Counter({ids[0]: 1})  # it did land: "unknown" was the honest word
    assert [server(store, i)["description"] == "ours" for i in ids] == [True, False, False]


async def test_a_single_edit_and_its_undo_whose_answers_are_lost_are_read_back_once_each(
    live_url: str, store: Store, writes: Counter[str]
) -> None:
    from skipup_campaigns.workspace import Workspace

    campaign_id = campaigns_on_server(store, active=True)[0]["id"]
    original = server(store, campaign_id)["name"]
    gateway = LossyGateway(
        live_url,
        lambda method, path, seen: "drop" if method == "PATCH" and seen in (0, 1) else "pass",
    )
    with gateway.serving() as url:
        workspace = Workspace(SkipUpClient(ADMIN, url, deadline=DEADLINE))
        try:
            base = await workspace.fetch(campaign_id)
            notes: list[str] = []
            saved = await workspace.update(base, {"name": "Renamed here"}, notes=notes)
            assert not isinstance(saved, bulk.BulkReport) and saved.name == "Renamed here"
            assert notes == ["The server was slow, but your change landed (read back)."]
            assert workspace.last_edit(campaign_id) is not None  # in the undo log
            restored = await workspace.undo(campaign_id)  # its answer is lost too
            assert restored is not None and getattr(restored, "name", None) == original
            assert workspace.last_edit(campaign_id) is None
        finally:
            await workspace.aclose()
    assert patches_at_origin(gateway) == Counter({campaign_id: 2})  # one each way
    assert server(store, campaign_id)["name"] == original


def test_the_update_command_on_one_campaign_reads_a_lost_answer_back(
    live_url: str, store: Store, writes: Counter[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from skipup_campaigns.scripting import exit_codes
    from tests.scripting.conftest import run_command

    campaign_id = campaigns_on_server(store, active=True)[0]["id"]
    gateway = LossyGateway(live_url, first_patch("503"))
    with gateway.serving() as url:
        monkeypatch.setenv("SKIPUP_API_KEY", ADMIN)
        monkeypatch.setenv("SKIPUP_BASE_URL", url)
        result = run_command("update", campaign_id, "--description", "ours", "--json")
    assert result.code == exit_codes.OK, result.err
    assert "the answer was lost, but the change landed" in result.err
    assert '"description": "ours"' in result.out
    assert patches_at_origin(gateway) == Counter({campaign_id: 1})
    assert server(store, campaign_id)["description"] == "ours"
