"""The app given each transition's keys at once (as one terminal read brings them), with
Pilot against the in-process sandbox; the server's state is checked afterwards. A held
request stands in for a slow network, so the keys typed behind a save or a deactivation are
typed while it is on its way."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.widgets import Input, TextArea

from skipup_campaigns.sandbox import Store
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from skipup_campaigns.tui.app import CampaignsApp
from skipup_campaigns.tui.detail_screen import DetailScreen
from skipup_campaigns.tui.dialogs import ConfirmDialog
from skipup_campaigns.tui.edit_screen import EditScreen
from skipup_campaigns.tui.list_screen import ListScreen
from tests.transports import CountingTransport
from tests.tui.conftest import list_screen, settle
from tests.typeahead_apps import post_keys, type_at_once

MakeApp = Callable[..., CampaignsApp]


async def test_filter_then_rows(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = list_screen(pilot)
        await type_at_once(pilot, "slash", "a", "n", "enter", "j", "j", "j")
        assert screen.filter_input.value == "an"
        assert screen.focused is screen.table
        assert screen.table.cursor_id == screen.table.rows[3].campaign.id
        await type_at_once(pilot, "slash", "backspace", "backspace", "n", "a", "enter", "G")
        assert screen.filter_input.value == "na"
        assert screen.table.cursor_id == screen.table.rows[-1].campaign.id


async def test_every_form_field_by_tab_and_shift_tab_then_save_and_back(
    make_app: MakeApp, store: Store
) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        first = list_screen(pilot).table.cursor_row.campaign
        await type_at_once(pilot, "enter", "e")  # its page, then its form
        form = pilot.app.screen
        assert isinstance(form, EditScreen) and form.original is not None
        assert form.original.id == first.id
        await settle(pilot)
        await type_at_once(
            pilot,
            "X",
            "tab",
            "D",
            "tab",
            "tab",
            "ctrl+u",
            *"2027-01-10 9:30",
            "tab",
            "ctrl+u",
            *"2027-02-01",
            "shift+tab",
            "shift+tab",
            "shift+tab",
            "shift+tab",
            "Y",
        )
        assert form.query_one("#name", Input).value == f"{first.name}XY"
        assert "D" in form.query_one("#description", TextArea).text
        assert form.query_one("#starts", Input).value == "2027-01-10 9:30"
        assert form.query_one("#ends", Input).value == "2027-02-01"
        await type_at_once(pilot, "ctrl+s", "escape")  # save; then back to the list
        await settle(pilot)
        assert isinstance(pilot.app.screen, ListScreen)
    saved = store.get_campaign(MAIN_WORKSPACE, first.id)
    assert saved["name"] == f"{first.name}XY"
    assert saved["starts_at"].startswith("2027-01-10T09:30")
    assert saved["ends_at"].startswith("2027-02-01T23:59:59")


async def test_keys_typed_behind_a_slow_save_wait_for_it(
    make_app: MakeApp, store: Store, transport: CountingTransport
) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        first = list_screen(pilot).table.cursor_row.campaign
        await type_at_once(pilot, "enter", "e")
        await settle(pilot)
        transport.gate = asyncio.Event()
        transport.hold = lambda request: request.method == "PATCH"
        post_keys(pilot.app, "Q", "ctrl+s", "escape")  # esc typed while the PATCH is away
        await asyncio.sleep(0.3)
        assert isinstance(pilot.app.screen, EditScreen)  # no "discard your changes?"
        transport.gate.set()
        await settle(pilot)
        for _ in range(100):
            if pilot.app.keys_settled:  # type: ignore[attr-defined]
                break
            await asyncio.sleep(0.01)
        await settle(pilot)
        assert isinstance(pilot.app.screen, ListScreen)  # saved; the page; esc to the list
    assert store.get_campaign(MAIN_WORKSPACE, first.id)["name"] == f"{first.name}Q"


async def test_the_confirm_dialog_takes_the_keys_typed_behind_d(
    make_app: MakeApp, store: Store, transport: CountingTransport
) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        first = list_screen(pilot).table.cursor_row.campaign
        await type_at_once(pilot, "enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DetailScreen)
        transport.gate = asyncio.Event()
        transport.hold = lambda request: request.method == "GET" and first.id in str(request.url)
        post_keys(pilot.app, "d", "tab", "enter")  # Tab, Enter before the dialog could open
        await asyncio.sleep(0.3)
        assert not isinstance(pilot.app.screen, ConfirmDialog)
        transport.gate.set()
        for _ in range(300):
            if pilot.app.keys_settled and not isinstance(  # type: ignore[attr-defined]
                pilot.app.screen, ConfirmDialog
            ):
                break
            await asyncio.sleep(0.01)
        await settle(pilot)
        assert isinstance(pilot.app.screen, DetailScreen)
    assert store.get_campaign(MAIN_WORKSPACE, first.id)["active"] is False


async def test_the_discard_dialog_takes_the_keys_typed_behind_esc(
    make_app: MakeApp, store: Store
) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        first = list_screen(pilot).table.cursor_row.campaign
        await type_at_once(pilot, "enter", "e")
        await settle(pilot)
        # A change, esc (asks), Tab from Cancel to Discard, Enter; then esc on the page.
        await type_at_once(pilot, "X", "escape", "tab", "enter", "escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ListScreen)
        assert not pilot.app.screen.filter_input.value  # no stray key landed in the filter
    assert store.get_campaign(MAIN_WORKSPACE, first.id)["name"] == first.name


async def test_keys_typed_behind_a_save_that_outlasts_the_patience_are_dropped(
    make_app: MakeApp, store: Store, transport: CountingTransport
) -> None:
    """`e`, text, ctrl+s, then `j j d` while the PATCH hangs past the patience: the three keys
    are dropped with a notice, never typed into the form being saved (nor deactivating
    anything once it closes)."""
    app = make_app()
    app.TYPEAHEAD_PATIENCE = 0.5  # type: ignore[misc]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        first = list_screen(pilot).table.cursor_row.campaign
        transport.gate = asyncio.Event()
        transport.hold = lambda request: request.method == "PATCH"
        post_keys(pilot.app, "e", "Q", "ctrl+s", "j", "j", "d")
        for _ in range(300):
            if any("dropped" in n.message for n in app._notifications):
                break
            await asyncio.sleep(0.01)
        form = pilot.app.screen
        assert isinstance(form, EditScreen)
        assert form.query_one("#name", Input).value == f"{first.name}Q"
        messages = [n.message for n in app._notifications]
        assert "3 keys typed during the save were dropped (it took over 0.5 s)." in messages
        transport.gate.set()
        await settle(pilot)
        assert isinstance(pilot.app.screen, ListScreen)
        assert pilot.app.keys_settled  # type: ignore[attr-defined]
    saved = store.get_campaign(MAIN_WORKSPACE, first.id)
    assert saved["name"] == f"{first.name}Q" and saved["active"] is True


async def test_keys_typed_behind_a_save_go_where_it_leaves_the_focus(
    make_app: MakeApp, store: Store, transport: CountingTransport
) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = list_screen(pilot)
        first = screen.table.cursor_row.campaign
        transport.gate = asyncio.Event()
        transport.hold = lambda request: request.method == "PATCH"
        post_keys(pilot.app, "e", "Q", "ctrl+s", "j", "j")
        await asyncio.sleep(0.3)
        assert isinstance(pilot.app.screen, EditScreen)
        transport.gate.set()
        for _ in range(300):
            if pilot.app.keys_settled:  # type: ignore[attr-defined]
                break
            await asyncio.sleep(0.01)
        await settle(pilot)
        assert pilot.app.screen is screen
        assert screen.table.cursor_id == screen.table.rows[2].campaign.id
    assert store.get_campaign(MAIN_WORKSPACE, first.id)["name"] == f"{first.name}Q"


async def test_filter_then_rows_typed_before_the_first_rows(
    make_app: MakeApp, transport: CountingTransport
) -> None:
    """`/an⏎jj` typed while the first page is on its way: enter leaves the filter for the
    (empty) list, and the two j act on it once the rows come. Once rows have been shown, a
    cursor key on a list emptied by the filter does nothing, later."""
    transport.gate = asyncio.Event()
    transport.hold = lambda request: request.method == "GET" and "/campaigns" in str(request.url)
    async with make_app().run_test(size=(100, 30)) as pilot:
        await type_at_once(pilot, "slash", "a", "n", "enter", "j", "j")
        screen = list_screen(pilot)
        assert not screen.table.rows and pilot.app.focused is screen.table
        transport.gate.set()
        await settle(pilot)
        assert screen.filter_input.value == "an"
        rows = screen.table.rows
        assert len(rows) > 3 and screen.table.cursor_row is rows[2]
        await type_at_once(pilot, "slash", "z", "z", "z", "enter", "j", "j")
        assert not screen.table.rows
        await type_at_once(pilot, "slash", "backspace", "backspace", "backspace", "enter")
        assert screen.filter_input.value == "an" and screen.table.cursor_row is rows[0]


async def test_cursor_keys_on_a_list_loaded_empty_are_not_kept_for_later_rows(
    make_app: MakeApp, transport: CountingTransport
) -> None:
    """`/zzz⏎jjj` typed as the list loads, then `jjjj` on the list loaded with nothing to
    show: once the load has ended, no rows are coming for them, so they do nothing, and
    clearing the filter later puts the cursor on the first row (found in review: the seven
    were replayed there)."""
    transport.gate = asyncio.Event()
    transport.hold = lambda request: request.method == "GET" and "/campaigns" in str(request.url)
    async with make_app().run_test(size=(100, 30)) as pilot:
        await type_at_once(pilot, "slash", "z", "z", "z", "enter", "j", "j", "j")
        screen = list_screen(pilot)
        transport.gate.set()
        await settle(pilot)
        assert not screen.table.rows and screen.filter_input.value == "zzz"
        await type_at_once(pilot, "j", "j", "j", "j")
        await type_at_once(pilot, "slash", "backspace", "backspace", "backspace", "enter")
        await settle(pilot)
        rows = screen.table.rows
        assert len(rows) > 8 and screen.table.cursor_row is rows[0]


def test_an_enter_typed_before_the_terminal_left_its_line_mode_is_enter() -> None:
    from textual import events

    from skipup_campaigns.tui.typeahead import typed_before_raw_mode

    enter = typed_before_raw_mode(events.Key("ctrl+j", "\n"))
    assert isinstance(enter, events.Key) and enter.key == "enter"
    j = events.Key("j", "j")
    assert typed_before_raw_mode(j) is j
