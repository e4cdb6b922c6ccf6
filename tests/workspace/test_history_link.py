"""The workspace's history link without Textual: loads recorded through plain asyncio tasks,
the Δ baseline handed to the collection, and no Textual or HTTP stack imported by it."""

from __future__ import annotations

import asyncio
import random
import sqlite3
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest

from skipup_campaigns.api import SkipUpClient
from skipup_campaigns.history.store import OPEN_LOCK, open_history, workspace_history_path
from skipup_campaigns.sandbox import Store
from skipup_campaigns.sandbox.activity import running_campaigns, tick
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from skipup_campaigns.workspace import CampaignsChanged, Workspace
from skipup_campaigns.workspace.history_link import HistoryClosed, HistoryLink, HistorySettings
from tests.conftest import ADMIN, IN_PROCESS_URL, Clock
from tests.scripting.conftest import run_command


async def test_loads_are_recorded_and_the_baseline_reaches_the_collection(
    sandbox_app: Any, store: Store, clock: Clock, tmp_path: Path
) -> None:
    path = tmp_path / "history.sqlite3"

    def workspace() -> Workspace:
        client = SkipUpClient(ADMIN, IN_PROCESS_URL, transport=httpx.ASGITransport(sandbox_app))
        return Workspace(client, clock=clock)

    first = workspace()
    link = HistoryLink(first, HistorySettings(path))
    await first.load()
    await link.idle()
    assert link.recorded == len(first.collection)
    await link.aclose()
    await first.aclose()

    clock.advance(hours=1)
    arrivals = tick(store, 20, random.Random(5), running_campaigns(store, (MAIN_WORKSPACE,)))
    second = workspace()
    events: list[Any] = []
    second.subscribe(events.append)
    link = HistoryLink(second, HistorySettings(path))
    await second.load()
    await link.idle()
    # Since the last session: exactly the arrivals, per campaign.
    gained = [second.collection.gained(row) for row in second.collection.rows()]
    assert sum(g[0] for g in gained if g is not None) == len(arrivals)
    assert second.collection.gained_total(second.collection.rows())[0] == len(arrivals)
    assert isinstance(events[-1], CampaignsChanged)  # the baseline was announced
    await link.set_window("24h")  # nothing that old
    assert second.collection.gained_total(second.collection.rows()) is None
    await link.aclose()
    await second.aclose()
    with open_history(path) as history:
        assert len(history.latest()) == len(second.collection)


def test_the_link_imports_no_textual_and_no_http_stack() -> None:
    code = (
        "import sys; import skipup_campaigns.workspace.history_link\n"
        "bad = [m for m in ('textual', 'httpx', 'pydantic', 'skipup_campaigns.tui')"
        " if m in sys.modules]\nprint(bad)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()
    assert out == "[]"


class GatedOpener:
    """Opens the real store, but holds each opening until the test lets it go, counting them."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.opened: list[Any] = []
        self.entered = threading.Event()
        self.release = threading.Event()

    def __call__(self, path: Path) -> Any:
        self.entered.set()
        self.release.wait(10)
        store = open_history(path, clock=self.clock)
        self.opened.append(store)
        return store


def in_process_workspace(sandbox_app: Any, clock: Clock) -> Workspace:
    client = SkipUpClient(ADMIN, IN_PROCESS_URL, transport=httpx.ASGITransport(sandbox_app))
    return Workspace(client, clock=clock)


async def test_the_store_is_opened_once_when_trend_and_a_record_ask_at_once(
    sandbox_app: Any, clock: Clock, tmp_path: Path
) -> None:
    workspace = in_process_workspace(sandbox_app, clock)
    opener = GatedOpener(clock)
    link = HistoryLink(workspace, HistorySettings(tmp_path / "h.sqlite3"), opener=opener)
    await workspace.load()  # starts the record: its thread waits in the opener
    await asyncio.to_thread(opener.entered.wait, 10)
    first = workspace.collection.rows()[0].id
    trend = asyncio.ensure_future(link.trend(first))  # asks for the store meanwhile
    await asyncio.sleep(0.2)  # a chance for trend's thread to reach the opener too
    opener.release.set()
    await link.idle()
    assert (await trend).daily  # it read what the record stored
    assert len(opener.opened) == 1
    await link.aclose()
    await workspace.aclose()
    with pytest.raises(sqlite3.ProgrammingError):  # the one store was closed
        opener.opened[0]._db.execute("SELECT 1")  # noqa: SLF001


async def test_after_aclose_nothing_opens_the_store_again(
    sandbox_app: Any, clock: Clock, tmp_path: Path
) -> None:
    workspace = in_process_workspace(sandbox_app, clock)
    opener = GatedOpener(clock)
    opener.release.set()
    link = HistoryLink(workspace, HistorySettings(tmp_path / "h.sqlite3"), opener=opener)
    await workspace.load()
    await link.idle()
    await link.aclose()
    with pytest.raises(HistoryClosed):
        await link.trend(workspace.collection.rows()[0].id)
    await link.refresh_baseline()  # a late job does nothing
    assert len(opener.opened) == 1
    await workspace.aclose()


async def test_the_counts_recorded_are_those_of_the_load_not_changed_after(
    sandbox_app: Any, clock: Clock, tmp_path: Path
) -> None:
    workspace = in_process_workspace(sandbox_app, clock)
    opener = GatedOpener(clock)
    path = tmp_path / "h.sqlite3"
    link = HistoryLink(workspace, HistorySettings(path), opener=opener)
    await workspace.load()
    await asyncio.to_thread(opener.entered.wait, 10)  # the record's thread is on its way
    row = workspace.collection.rows()[0]
    loaded = (row.requests, row.booked)
    # A bulk result lands on the loop meanwhile and updates the row in place.
    changed = row.campaign.model_copy(update={"meeting_request_count": row.requests + 50})
    workspace.collection.merge([changed], clock())
    assert row.requests == loaded[0] + 50
    opener.release.set()
    await link.idle()
    await link.aclose()
    await workspace.aclose()
    with open_history(path) as history:
        assert history.latest()[row.id][:2] == loaded


async def test_aclose_with_a_wait_does_not_wait_out_a_stuck_record(
    sandbox_app: Any, clock: Clock, tmp_path: Path
) -> None:
    """A quit gives a record held up (another instance writing) a bounded wait; the record
    closes the file itself when it ends, and nothing opens it again."""
    workspace = in_process_workspace(sandbox_app, clock)
    opener = GatedOpener(clock)
    link = HistoryLink(workspace, HistorySettings(tmp_path / "h.sqlite3"), opener=opener)
    await workspace.load()
    await asyncio.to_thread(opener.entered.wait, 10)  # the record is stuck in its thread
    await link.aclose(wait=0.1)  # returns while the record still waits
    assert link._tasks and not opener.opened  # noqa: SLF001
    opener.release.set()
    await link.idle()
    assert len(opener.opened) == 1
    with pytest.raises(sqlite3.ProgrammingError):  # the record closed it when it ended
        opener.opened[0]._db.execute("SELECT 1")  # noqa: SLF001
    with pytest.raises(HistoryClosed):
        await link.trend("cmp_any")
    await workspace.aclose()


async def test_a_report_between_two_ui_sessions_leaves_the_delta_as_it_was(
    sandbox_app: Any, store: Store, live_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKIPUP_API_KEY", ADMIN)
    monkeypatch.setenv("SKIPUP_BASE_URL", live_url)
    path = workspace_history_path(live_url, ADMIN)  # the file `report` records into too
    # The report stamps with the real time: the UI sessions' clock puts them around it.
    clock = Clock(datetime.now(timezone.utc) - timedelta(hours=2))
    running = running_campaigns(store, (MAIN_WORKSPACE,))

    async def ui_session() -> Workspace:
        client = SkipUpClient(ADMIN, IN_PROCESS_URL, transport=httpx.ASGITransport(sandbox_app))
        workspace = Workspace(client, clock=clock)
        link = HistoryLink(workspace, HistorySettings(path))
        await workspace.load()
        await link.idle()
        await link.aclose()
        await workspace.aclose()
        return workspace

    await ui_session()
    before_report = tick(store, 20, random.Random(11), running)
    report = await asyncio.to_thread(run_command, "report", "--json")  # a cron'd report
    assert report.code == 0 and report.err == ""
    after_report = tick(store, 15, random.Random(12), running)
    clock.advance(hours=3)
    second = await ui_session()
    # Since the last UI session: every arrival, the report's recording notwithstanding.
    assert second.collection.gained_total(second.collection.rows())[0] == (
        len(before_report) + len(after_report)
    )


async def test_a_history_that_cannot_be_used_now_is_one_warning_and_left_alone(
    sandbox_app: Any, clock: Clock, tmp_path: Path
) -> None:
    path = tmp_path / "history.sqlite3"
    with open_history(path) as history:
        history.record([("cmp_kept", 4, 1)], at=clock())
    kept = path.read_bytes()
    (tmp_path / "history.sqlite3-wal").symlink_to(tmp_path / "elsewhere")
    warnings: list[str] = []
    client = SkipUpClient(ADMIN, IN_PROCESS_URL, transport=httpx.ASGITransport(sandbox_app))
    workspace = Workspace(client, clock=clock)
    link = HistoryLink(workspace, HistorySettings(path), on_warning=warnings.append)
    for _ in range(3):  # a load and two refreshes: still one warning
        await workspace.load()
        await link.idle()
    await link.aclose()
    await workspace.aclose()
    assert len(warnings) == 1 and str(path) in warnings[0] and "left as it is" in warnings[0]
    assert "\n" not in warnings[0] and "-wal file is a symlink" in warnings[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "history.sqlite3",
        "history.sqlite3-wal",
        "history.sqlite3" + OPEN_LOCK,  # the lock instances open it by (history/store.py)
    ]
    assert path.read_bytes() == kept and not (tmp_path / "elsewhere").exists()


async def test_a_command_run_counts_from_the_last_run_of_either_and_says_where_it_started(
    sandbox_app: Any, store: Store, clock: Clock, tmp_path: Path
) -> None:
    """`record_run` (the report command's): the same window choice as the UI's Δ, read before
    its own record; "session" is the last run of either; a window older than the history
    counts from its oldest sample and says so; the UI's mark stays where the UI left it."""
    path = tmp_path / "history.sqlite3"
    running = running_campaigns(store, (MAIN_WORKSPACE,))
    ui = in_process_workspace(sandbox_app, clock)
    ui_link = HistoryLink(ui, HistorySettings(path))
    await ui.load()
    await ui_link.idle()
    await ui_link.aclose()
    await ui.aclose()
    first_look = clock()

    async def command_run(window: str | None) -> tuple[Workspace, Any]:
        workspace = in_process_workspace(sandbox_app, clock)
        link = HistoryLink(workspace, HistorySettings(path))
        client = await workspace.get_client()
        async for page in client.iter_campaign_pages():  # as `report` loads: no workspace load
            workspace.collection.merge(page.data, clock())
        try:
            return workspace, await link.record_run(clock(), window=window)
        finally:
            await link.aclose()
            await workspace.aclose()

    clock.advance(hours=1)
    arrivals = tick(store, 20, random.Random(21), running)
    workspace, baseline = await command_run("session")
    gained = sum(
        row.requests - baseline.counts[row.id].requests
        for row in workspace.collection.rows()
        if row.id in baseline.counts
    )
    assert gained == len(arrivals) and baseline.counted_from is None
    clock.advance(hours=1)
    more = tick(store, 10, random.Random(22), running)
    workspace, baseline = await command_run("session")  # since the run before: the report's
    assert sum(
        row.requests - baseline.counts[row.id].requests
        for row in workspace.collection.rows()
        if row.id in baseline.counts
    ) == len(more)
    _, baseline = await command_run("30d")
    # The history is two hours old: counted from its oldest sample (the UI's first look).
    assert baseline.counted_from is not None
    assert abs(baseline.counted_from - first_look) < timedelta(seconds=1)
    assert (await command_run(None))[1] is None  # no window: recorded, nothing read
    with open_history(path) as history:
        mark = history.session_mark()
    assert mark is not None and abs(mark - first_look) < timedelta(seconds=1)  # the UI's still
