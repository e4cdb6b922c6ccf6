"""What acting on many campaigns looks like: the bulk edit form and its preview at 80×24, on
the demo data (fixed moment, fixed size)."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

from skipup_campaigns.tui.bulk_screens import BulkEditScreen, BulkPreviewScreen
from tests.demo_app import demo_app, loaded


async def wait_for_screen(pilot: Any, kind: type) -> None:
    for _ in range(200):
        if isinstance(pilot.app.screen, kind) and getattr(pilot.app.screen, "teams_loaded", True):
            await pilot.pause()
            return
        await pilot.pause(0.02)
    raise AssertionError(f"{kind.__name__} never opened")


async def bulk_form(pilot: Any) -> None:
    await loaded(pilot)
    await pilot.press("space", "space", "down", "space", "e")
    await wait_for_screen(pilot, BulkEditScreen)
    pilot.app.screen.query_one("#ends", Input).focus()
    await pilot.press(*"2027-07-15")
    await pilot.pause()


async def bulk_preview(pilot: Any) -> None:
    await bulk_form(pilot)
    await pilot.press("ctrl+s")
    await wait_for_screen(pilot, BulkPreviewScreen)


def test_bulk_edit_form_at_80x24(snap_compare: Any) -> None:
    assert snap_compare(demo_app(), terminal_size=(80, 24), run_before=bulk_form)


def test_bulk_edit_preview_at_80x24(snap_compare: Any) -> None:
    assert snap_compare(demo_app(), terminal_size=(80, 24), run_before=bulk_preview)
