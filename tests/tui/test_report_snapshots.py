"""What the report, the Δ column and the trend look like: snapshots of the real app on the demo
data with the demo's seeded history, at fixed sizes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from skipup_campaigns.sandbox import Store
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from tests.demo_app import demo_app, loaded


async def open_report(pilot: Any) -> None:
    await loaded(pilot)
    await pilot.press("R")
    await loaded(pilot)


def test_report_at_80x24(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(demo_app(history=tmp_path), terminal_size=(80, 24), run_before=open_report)


def test_report_at_120x40(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(demo_app(history=tmp_path), terminal_size=(120, 40), run_before=open_report)


def test_report_scrolled_to_the_worst_at_80x24(snap_compare: Any, tmp_path: Path) -> None:
    async def scrolled(pilot: Any) -> None:
        await open_report(pilot)
        await pilot.press("end")
        await loaded(pilot)

    assert snap_compare(demo_app(history=tmp_path), terminal_size=(80, 24), run_before=scrolled)


def test_list_with_delta_at_120x40(snap_compare: Any, tmp_path: Path) -> None:
    async def by_delta(pilot: Any) -> None:
        await loaded(pilot)
        await pilot.press(*["s"] * 5)
        await loaded(pilot)

    assert snap_compare(demo_app(history=tmp_path), terminal_size=(120, 40), run_before=by_delta)


def test_detail_with_sparklines_at_120x40(snap_compare: Any, tmp_path: Path) -> None:
    async def detail(pilot: Any) -> None:
        await loaded(pilot)
        await pilot.press("enter")
        await loaded(pilot)

    assert snap_compare(demo_app(history=tmp_path), terminal_size=(120, 40), run_before=detail)


def a_big_workspace(store: Store) -> None:
    """Totals in the billions: the summary line at 80 columns has room for less than all."""
    campaigns, _ = store.list_campaigns(MAIN_WORKSPACE, active=True, limit=1, cursor=None)
    store.record_requests(campaigns[0]["id"], 9_000_000_000, 4_000_000_000)


def test_a_first_session_at_80x24_keeps_the_empty_delta_on_the_summary(
    snap_compare: Any, tmp_path: Path
) -> None:
    """No earlier record: the Δ total is "–", kept whole; the requests give way."""
    app = demo_app(history=tmp_path, seeded_history=False, on_store=a_big_workspace)
    assert snap_compare(app, terminal_size=(80, 24), run_before=loaded)


def test_report_of_billions_at_80x24_keeps_its_columns_in_line(
    snap_compare: Any, tmp_path: Path
) -> None:
    """Counts wider than the columns' titles: each column as wide as its widest value. (A
    first session: the demo's thirty days seeded from billions would take minutes.)"""
    app = demo_app(history=tmp_path, seeded_history=False, on_store=a_big_workspace)
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_report)
