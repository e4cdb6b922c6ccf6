"""The history in the UI: every load recorded (checked in the file), nothing with
--no-history, the Δ column after the sandbox's activity moved counts between two loads, `h`
cycling the window, and a damaged file's one-line warning."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from skipup_campaigns import config
from skipup_campaigns.cli import build_parser
from skipup_campaigns.history.store import demo_history_path, open_history
from skipup_campaigns.sandbox import Store
from skipup_campaigns.sandbox.activity import running_campaigns, tick
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from skipup_campaigns.startup.setup import Options, history_settings
from skipup_campaigns.tui.app import CampaignsApp
from skipup_campaigns.tui.widgets.campaign_table import gained_text
from skipup_campaigns.workspace.events import LoadStateChanged
from skipup_campaigns.workspace.history_link import HistoryLink, HistorySettings
from tests.conftest import Clock, campaigns_on_server
from tests.tui.conftest import list_screen, settle, until

MakeApp = Callable[..., CampaignsApp]


def counts_on_server(store: Store) -> dict[str, tuple[int, int]]:
    return {
        c["id"]: (c["meeting_request_count"], c["meetings_booked_count"])
        for c in campaigns_on_server(store)
    }


def summary(pilot: Any) -> str:
    return str(list_screen(pilot).query_one("#summary").render())


async def baseline_read(pilot: Any) -> None:
    """Settled, and the Δ baseline read: it is asked for only once the first rows are on
    screen (after a refresh), so a worker may start after `settle` saw none running."""
    await settle(pilot)
    collection = list_screen(pilot).collection
    await until(pilot, lambda: collection.baseline, "the Δ baseline read")
    await settle(pilot)


async def test_a_load_records_every_campaigns_counts(
    make_app: MakeApp, store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "history.sqlite3"
    async with make_app(history=HistorySettings(path)).run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert pilot.app.workspace.history.recorded == len(counts_on_server(store))
    with open_history(path) as history:
        latest = {cid: (c.requests, c.booked) for cid, c in history.latest().items()}
    assert latest == counts_on_server(store)


async def test_the_frame_saying_the_load_is_over_comes_before_the_record(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A load's end starts the history's record, whose copy of every row's counts on the UI's
    loop (~35 ms at 100,000) held back the frame that says the load is over."""
    frames: list[str] = []  # the status line in each frame drawn
    display = CampaignsApp._display

    def counted(app: CampaignsApp, screen: Any, renderable: Any) -> None:
        frames.append(str(app.screen.query_one("#load-status").render()))
        display(app, screen, renderable)

    copied_after: list[list[str]] = []
    counts_now = HistoryLink._counts_now

    def copied(link: HistoryLink) -> Any:
        copied_after.append(list(frames))
        return counts_now(link)

    monkeypatch.setattr(CampaignsApp, "_display", counted)
    monkeypatch.setattr(HistoryLink, "_counts_now", copied)
    async with make_app(history=HistorySettings(tmp_path / "h.sqlite3")).run_test() as pilot:
        await settle(pilot)
        status = str(list_screen(pilot).query_one("#load-status").render())
    assert len(copied_after) == 1 and status in copied_after[0]


async def test_quitting_as_a_load_ends_keeps_its_record(
    make_app: MakeApp, store: Store, clock: Clock, tmp_path: Path
) -> None:
    """The record waits for the frame saying the load is over; a quit in that frame (the
    app will draw no other) starts it at once, and the close waits for it."""
    path = tmp_path / "history.sqlite3"
    app = make_app(history=HistorySettings(path))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        first = app.workspace.history.recorded
        campaign = campaigns_on_server(store)[0]
        store.record_requests(campaign["id"], 7, 3)  # the refresh's record differs
        clock.advance(minutes=5)

        loaded_first = app.workspace.load_state.loaded_at

        def quit_at_the_end(event: object) -> None:
            if isinstance(event, LoadStateChanged) and event.state.loaded_at not in (
                None,
                loaded_first,
            ):
                app.exit()  # in the step that starts the record: no frame after it

        app.workspace.subscribe(quit_at_the_end)
        await pilot.press("r")
        for _ in range(500):  # until the app has closed (at most 5 s)
            if app._exit or not app.is_running:
                break
            await asyncio.sleep(0.01)
    assert app.workspace.history.recorded == first + 1  # the one campaign that changed
    with open_history(path) as history:
        latest = {cid: (c.requests, c.booked) for cid, c in history.latest().items()}
    assert latest == counts_on_server(store)


async def test_without_history_nothing_is_recorded_and_there_is_no_delta(
    make_app: MakeApp, tmp_path: Path
) -> None:
    async with make_app().run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = list_screen(pilot)
        assert pilot.app.workspace.history is None
        assert "gained" not in {column.key for column, _ in screen.table._columns}
        await pilot.press("h")  # says there is no history; nothing breaks
        await settle(pilot)
    history_dir = Path(demo_history_path()).parent
    assert not history_dir.exists() or not any(history_dir.iterdir())


def test_no_history_flag_and_setting_turn_it_off(tmp_path: Path) -> None:
    parser = build_parser(with_commands=False)
    on = config.Settings(api_key="sk_test_admin", history=True)
    off = config.Settings(api_key="sk_test_admin", history=False)

    def history(argv: list[str], settings: config.Settings) -> HistorySettings | None:
        return history_settings(Options.from_args(parser.parse_args(argv), ui=True), settings)

    assert history([], on) is not None
    assert history(["--no-history"], on) is None
    assert history([], off) is None
    assert history(["--demo", "--no-history"], on) is None
    demo = history(["--demo", "--since", "7d"], on)
    assert demo is not None
    assert demo.path == demo_history_path() and demo.since == "7d" and demo.seed is not None
    real = history([], on)
    assert real is not None and real.path != demo_history_path() and real.seed is None


async def test_delta_after_activity_between_two_loads(
    make_app: MakeApp, store: Store, clock: Clock, tmp_path: Path
) -> None:
    path = tmp_path / "history.sqlite3"
    # The last session: its load recorded the counts then.
    async with make_app(history=HistorySettings(path)).run_test(size=(120, 30)) as pilot:
        await settle(pilot)
    before = counts_on_server(store)
    clock.advance(hours=3)
    arrivals = tick(store, 40, random.Random(7))
    assert arrivals
    created = store.create_campaign(
        _main(store), {"name": "Arrived after last time", "team_id": _a_team(store)}
    )
    after = counts_on_server(store)
    async with make_app(history=HistorySettings(path)).run_test(size=(140, 40)) as pilot:
        await baseline_read(pilot)
        screen = list_screen(pilot)
        collection = screen.collection
        for campaign_id, (requests, booked) in after.items():
            row = collection.get(campaign_id)
            if row is None:
                continue  # another workspace's
            expected = (
                None
                if campaign_id not in before
                else (requests - before[campaign_id][0], booked - before[campaign_id][1])
            )
            assert collection.gained(row) == expected
        new_row = collection.get(created["id"])
        assert collection.gained(new_row) is None and gained_text(None) == ""
        moved = {a.campaign_id for a in arrivals}
        assert any(collection.gained(collection.get(cid)) != (0, 0) for cid in moved)
        # Sorted by Δ: the biggest gain first, campaigns without a baseline last.
        await pilot.press("a", *["s"] * 5)
        assert screen.sort == "gained"
        rows = screen.table.rows
        gains = [collection.gained(row) for row in rows]
        known = [g[0] for g in gains if g is not None]
        assert known == sorted(known, reverse=True)
        assert gains[-1] is None and all(g is not None for g in gains[: len(known)])
        # Drawn: the top row's Δ cell and the summary's total.
        await pilot.press("home")
        assert gained_text(gains[0]) in screen.table.render_line(1).text
        total = sum(g[0] for g in gains if g is not None)
        assert f"Δ session +{total:,}/" in summary(pilot)
        # More arrive during this session: a refresh shows them in the Δ.
        clock.advance(minutes=10)
        more = tick(store, 25, random.Random(8))
        await pilot.press("r")
        await settle(pilot)
        total_after = sum(g[0] for g in map(collection.gained, screen.table.rows) if g is not None)
        shown_ids = {row.id for row in screen.table.rows}
        assert total_after == total + sum(1 for a in more if a.campaign_id in shown_ids)


async def test_h_cycles_the_window(
    make_app: MakeApp, store: Store, clock: Clock, tmp_path: Path
) -> None:
    path = tmp_path / "history.sqlite3"
    async with make_app(history=HistorySettings(path)).run_test(size=(120, 30)) as pilot:
        await settle(pilot)
    clock.advance(hours=2)
    tick(store, 30, random.Random(3), running_campaigns(store, (MAIN_WORKSPACE,)))
    async with make_app(history=HistorySettings(path)).run_test(size=(120, 30)) as pilot:
        await baseline_read(pilot)
        history = pilot.app.workspace.history
        assert history.window == "session" and "Δ session +30/" in summary(pilot)
        table = list_screen(pilot).table
        assert "Δ session" in table.render_line(0).text  # the header names its window
        await pilot.press("h")
        await settle(pilot)
        # Nothing was recorded 24 hours ago (the last session was 2 hours ago): empty, not
        # zero.
        assert history.window == "24h" and summary(pilot).endswith("Δ 24h –")
        assert "Δ 24h" in table.render_line(0).text
        said = [n.message for n in pilot.app._notifications]
        assert "The Δ column now counts in the last 24h." in said  # h says what it chose
        await pilot.press("h")
        await settle(pilot)
        assert history.window == "7d" and summary(pilot).endswith("Δ 7d –")
        await pilot.press("h", "h")
        await settle(pilot)
        assert history.window == "session" and "Δ session +30/" in summary(pilot)


async def test_no_change_reads_0_in_the_summary_as_in_the_column(
    make_app: MakeApp, clock: Clock, tmp_path: Path
) -> None:
    """Nothing arrived since the last session: "Δ session 0", as the Δ cell and the report say
    it (the summary said "+0/+0", found in a user test)."""
    path = tmp_path / "history.sqlite3"
    async with make_app(history=HistorySettings(path)).run_test(size=(120, 30)) as pilot:
        await settle(pilot)
    clock.advance(hours=2)
    async with make_app(history=HistorySettings(path)).run_test(size=(120, 30)) as pilot:
        await baseline_read(pilot)
        assert summary(pilot).endswith("Δ session 0"), summary(pilot)
        row = list_screen(pilot).table.rows[0]
        assert gained_text(list_screen(pilot).collection.gained(row)) == "0"


async def test_since_a_date_counts_from_that_day(
    make_app: MakeApp, store: Store, clock: Clock, tmp_path: Path
) -> None:
    path = tmp_path / "history.sqlite3"
    async with make_app(history=HistorySettings(path)).run_test(size=(120, 30)) as pilot:
        await settle(pilot)
    clock.advance(days=3)
    tick(store, 12, random.Random(4), running_campaigns(store, (MAIN_WORKSPACE,)))
    day = (clock.now.date()).isoformat()
    settings = HistorySettings(path, since=day)
    async with make_app(history=settings).run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        # Nothing recorded since the start of today: the baseline is the first session's.
        assert f"Δ {day} +12/" in summary(pilot)


async def test_a_damaged_history_file_is_set_aside_with_one_warning(
    make_app: MakeApp, tmp_path: Path
) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"not a database at all" * 100)
    async with make_app(history=HistorySettings(path)).run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        warnings = [n for n in pilot.app._notifications if n.title == "History"]
        assert len(warnings) == 1 and "set aside" in warnings[0].message
    assert list(tmp_path.glob("history.sqlite3.unusable-*"))


def _main(store: Store) -> str:
    return MAIN_WORKSPACE


def _a_team(store: Store) -> str:
    teams, _ = store.list_teams(_main(store), limit=10, cursor=None)
    return next(team["id"] for team in teams if team["deactivated_at"] is None)


async def test_at_80_columns_the_summary_keeps_the_delta_total_whatever_its_length(
    make_app: MakeApp, store: Store, clock: Clock, tmp_path: Path
) -> None:
    """Big totals at 80 columns: the Δ total ("–" with no earlier record, then a long gain)
    stays whole on the summary line; the requests give way (the booked and the rate say them).
    The "–" was cut: the totals were fitted beside the Δ text as it was before its total."""
    path = tmp_path / "history.sqlite3"
    active = [c for c in campaigns_on_server(store) if c["deactivated_at"] is None]
    store.record_requests(active[0]["id"], 9_000_000_000, 4_000_000_000)
    async with make_app(history=HistorySettings(path)).run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # (no earlier record: no baseline to wait for)
        line = summary(pilot)
        assert line.endswith(" · Δ session –") and len(line) <= 78, line
        assert "booked" in line and "%" in line and "requests" not in line
    clock.advance(hours=1)
    store.record_requests(active[1]["id"], 1_234_567, 345_678)
    async with make_app(history=HistorySettings(path)).run_test(size=(80, 24)) as pilot:
        await baseline_read(pilot)
        line = summary(pilot)
        assert line.endswith(" · Δ session +1,234,567/+345,678") and len(line) <= 78, line
        assert "booked" in line and "%" in line
