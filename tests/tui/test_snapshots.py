"""What the list looks like: snapshots of the real app on the demo data at fixed sizes."""

from __future__ import annotations

from typing import Any

from tests.demo_app import demo_app, loaded


def test_list_at_80x24(snap_compare: Any) -> None:
    assert snap_compare(demo_app(), terminal_size=(80, 24), run_before=loaded)


def test_list_at_narrow_60x20_keeps_name_and_rate(snap_compare: Any) -> None:
    assert snap_compare(demo_app(), terminal_size=(60, 20), run_before=loaded)


def test_list_at_120x40_filtered_and_sorted(snap_compare: Any) -> None:
    async def filtered(pilot: Any) -> None:
        await loaded(pilot)
        await pilot.press("a", "s", "s", "slash", *"team:sales")

    assert snap_compare(demo_app(), terminal_size=(120, 40), run_before=filtered)


def test_list_in_the_ansi_theme(snap_compare: Any) -> None:
    assert snap_compare(demo_app(theme="textual-ansi"), terminal_size=(80, 24),
                        run_before=loaded)


def test_empty_filter_result(snap_compare: Any) -> None:
    async def nothing(pilot: Any) -> None:
        await loaded(pilot)
        await pilot.press("slash", *"xyzzy")

    assert snap_compare(demo_app(), terminal_size=(80, 24), run_before=nothing)
