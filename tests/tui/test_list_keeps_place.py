"""The list keeps your place: a create under a filter keeps the filter and says when
the new campaign is hidden; a deactivation moves the cursor to the next row; the key bar follows
the cursor row as it comes and goes. Pilot against the in-process sandbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from skipup_campaigns.sandbox import Store
from skipup_campaigns.tui.app import CampaignsApp
from skipup_campaigns.tui.detail_screen import DetailScreen
from skipup_campaigns.tui.dialogs import ConfirmDialog
from tests.conftest import campaigns_on_server
from tests.tui.conftest import list_screen, settle, until
from tests.tui.test_edit_flows import field, open_editor

MakeApp = Callable[..., CampaignsApp]


def toasts(pilot: Any) -> list[str]:
    return [str(n.message) for n in pilot.app._notifications]


def footer_keys(pilot: Any) -> set[str]:
    """The keys the key bar shows now."""
    from skipup_campaigns.tui.widgets.key_bar import KeyBar

    return {item.key for item in pilot.app.screen.query_one(KeyBar).shown()}


async def create(
    pilot: Any, name: str, team: str | None = None, starts: str = "", ends: str = ""
) -> None:
    await open_editor(pilot, "n")
    picker = field(pilot, "#team")
    picker.value = team or next(v for label, v in picker._options if str(label) != "")
    field(pilot, "#name").value = name
    field(pilot, "#starts").value = starts
    field(pilot, "#ends").value = ends
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert isinstance(pilot.app.screen, DetailScreen)
    await pilot.press("escape")
    await pilot.pause()


def team_id_named(pilot: Any, name: str) -> str:
    return next(v for label, v in field(pilot, "#team")._options if str(label) == name)


async def test_a_create_under_a_filter_keeps_it_and_lands_on_the_new_campaign(
    make_app: MakeApp, store: Store
) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"team:sales", "enter")
        await pilot.pause()
        screen = list_screen(pilot)
        before = len(screen.table.rows)
        await open_editor(pilot, "n")
        sales = team_id_named(pilot, "Sales")
        await pilot.press("escape")
        await settle(pilot)
        await create(pilot, "Sales push", team=sales)
        assert screen.filter_input.value == "team:sales" and screen.active_only
        assert len(screen.table.rows) == before + 1
        assert screen.table.cursor_row.campaign.name == "Sales push"
        assert "Campaign created." in toasts(pilot)


async def test_a_create_the_filter_hides_says_so_and_keeps_the_filter(
    make_app: MakeApp, store: Store
) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"team:sales", "enter")
        await pilot.pause()
        screen = list_screen(pilot)
        shown = [row.id for row in screen.table.rows]
        await open_editor(pilot, "n")
        other = next(
            v for label, v in field(pilot, "#team")._options if str(label) not in ("", "Sales")
        )
        await pilot.press("escape")
        await settle(pilot)
        await create(pilot, "Elsewhere", team=other)
        assert screen.filter_input.value == "team:sales" and screen.active_only
        assert [row.id for row in screen.table.rows] == shown
        assert any("created; hidden by the filter" in t for t in toasts(pilot))
    assert [c["name"] for c in campaigns_on_server(store)].count("Elsewhere") == 1


async def test_deactivating_from_the_list_moves_the_cursor_to_the_next_row(
    make_app: MakeApp,
) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = list_screen(pilot)
        await pilot.press("down", "down")
        rows = [row.id for row in screen.table.rows]
        target, following = rows[2], rows[3]
        assert screen.table.cursor_id == target
        await pilot.press("d")
        await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog), "the dialog")
        await pilot.click("#confirm")
        await settle(pilot)
        assert target not in [row.id for row in screen.table.rows]
        assert screen.table.cursor_id == following


async def test_the_key_bar_offers_edit_whenever_there_is_a_row(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert "e" in footer_keys(pilot)
        await pilot.press("slash", *"zzz", "enter")  # back on the (empty) rows
        await pilot.pause()
        assert "e" not in footer_keys(pilot)  # nothing to edit
        await pilot.press("escape")  # clears the filter; the focus stays where it is
        await pilot.pause()
        assert "e" in footer_keys(pilot)


async def test_rows_arriving_on_an_empty_start_bring_edit_to_the_key_bar(
    make_app: MakeApp, transport: Any
) -> None:
    transport.fail = lambda request: True
    async with make_app().run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert "e" not in footer_keys(pilot)
        transport.fail = lambda request: False
        await pilot.press("r")
        await settle(pilot)
        assert list_screen(pilot).table.rows
        assert "e" in footer_keys(pilot)


async def test_an_ended_create_says_the_active_only_view_hides_it(
    make_app: MakeApp, store: Store
) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = list_screen(pilot)
        await create(pilot, "Back then", starts="2020-01-01", ends="2020-02-01")
        assert screen.active_only and "Back then" not in [
            r.campaign.name for r in screen.table.rows
        ]
        assert any("hidden by the active-only view (a shows all)" in t for t in toasts(pilot))
        await pilot.press("a")
        await pilot.pause()
        assert "Back then" in [r.campaign.name for r in screen.table.rows]
    assert [c["name"] for c in campaigns_on_server(store)].count("Back then") == 1
