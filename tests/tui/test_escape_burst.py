"""Esc followed by a key in one read (one SSH packet): Textual reads `ESC j` as alt+j and
`ESC Tab` as shift+tab; the app acts on them as Esc, then the key, exactly as when typed
slowly. The bytes go through the parser the app installs, then all at once to the app."""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable
from time import monotonic
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from skipup_campaigns.sandbox import Store
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from skipup_campaigns.tui import escape_burst
from skipup_campaigns.tui.app import CampaignsApp
from skipup_campaigns.tui.edit_screen import EditScreen
from tests.tui.conftest import list_screen, settle

MakeApp = Callable[..., CampaignsApp]


def read(data: str) -> list[Any]:
    """The events one terminal read of `data` becomes, as the app's parser makes them."""
    parser_class = escape_burst._make_parser_class()
    assert parser_class is not None
    parser = parser_class()
    return [*parser.feed(data), *parser.feed("")]


def names(data: str) -> list[str]:
    return [event.key for event in read(data)]


async def send(pilot: Pilot[Any], data: str) -> None:
    """`data` as one read: every event on the app's queue at once, then wait for them."""
    app = pilot.app
    for event in read(data):
        event.set_sender(app)
        app.post_message(event)
    deadline = monotonic() + 10
    await pilot.pause()
    while not app.keys_settled and monotonic() < deadline:  # type: ignore[attr-defined]
        await asyncio.sleep(0.01)
    await pilot.pause()


def test_the_parser_yields_what_textual_does_tagging_esc_and_a_key_read_together() -> None:
    assert names("/Board\x1bjk") == ["slash", "B", "o", "a", "r", "d", "alt+j", "k"]
    assert names("\x1b\t\r") == ["shift+tab", "enter"]  # Textual's own reading of ESC Tab
    assert [[k.key for k in getattr(e, "_escape_then", [])] for e in read("\x1b\t")] == [["tab"]]
    assert names("\x1b[A\x1b[Z") == ["up", "shift+tab"]  # sequences are untouched
    assert [getattr(e, "_escape_then", None) for e in read("\x1b[Z")] == [None]


@pytest.mark.parametrize(
    ("data", "positions"),
    [
        ("\x1bj", [0]),
        ("ab\x1b\tc", [2]),
        ("\x1b[A", []),
        ("\x1b\x1bj", []),
        ("\x1b", []),
        ("\x1b[200~x\x1bj\x1b[201~", []),
        ("\x1bO", []),
    ],
)
def test_burst_positions(data: str, positions: list[int]) -> None:
    assert escape_burst.burst_positions(data, False)[0] == positions


def test_the_textual_internals_the_parser_relies_on_exist() -> None:
    for module, name in escape_burst.PRIVATE_NAMES:
        assert hasattr(importlib.import_module(module), name), f"{module}.{name} is gone"
    assert escape_burst.install()
    from textual.drivers import linux_driver

    assert linux_driver.XTermParser.__name__ == "EscapeBurstParser"


async def test_slash_board_esc_j_is_esc_then_j_not_boardj(make_app: MakeApp) -> None:
    """Esc in the filter clears it and goes to the rows (as typed slowly); j moves down."""
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = list_screen(pilot)
        await send(pilot, "/Board\x1bj")
        assert screen.filter_input.value != "Boardj"
        assert screen.focused is screen.table
        slow = (screen.filter_input.value, screen.table.cursor_id)
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = list_screen(pilot)
        for key in ("slash", *"Board", "escape"):
            await pilot.press(key)
        before_j = screen.table.cursor_id
        await pilot.press("j")
        assert (screen.filter_input.value, screen.table.cursor_id) == slow
        assert screen.table.cursor_id != before_j  # (j moved the cursor)


async def test_esc_a_on_filtered_rows_acts_as_esc_then_a(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = list_screen(pilot)
        await send(pilot, "/an\r")
        assert screen.filter_input.value == "an" and screen.focused is screen.table
        assert screen.active_only
        await send(pilot, "\x1ba")
        assert not screen.active_only  # a toggled (and esc did what esc does on the rows)
        assert screen.filter_input.value == ""


async def test_esc_tab_enter_in_a_changed_form_discards_it(make_app: MakeApp, store: Store) -> None:
    """Esc asks (focus on Cancel), Tab moves to Discard, Enter discards: not shift+tab."""
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        first = list_screen(pilot).table.cursor_row.campaign
        await send(pilot, "e")
        assert isinstance(pilot.app.screen, EditScreen)
        await send(pilot, "X")
        await send(pilot, "\x1b\t\r")
        await settle(pilot)
        assert list_screen(pilot)
    assert store.get_campaign(MAIN_WORKSPACE, first.id)["name"] == first.name


async def test_an_alt_key_with_a_binding_of_its_own_is_kept(make_app: MakeApp) -> None:
    """In the filter, ESC backspace is readline's alt+backspace (a field's delete-word)."""
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = list_screen(pilot)
        await send(pilot, "/team:sales Board\x1b\x7f")
        assert screen.focused is screen.filter_input
        assert screen.filter_input.value == "team:sales "


async def test_alt_j_from_two_close_reads_is_split_too(make_app: MakeApp) -> None:
    """ESC at the end of one read, j at the start of the next: Textual's alt+j, untagged."""
    from textual import events

    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = list_screen(pilot)
        await send(pilot, "/Board")
        event = events.Key("alt+j", "j")
        event.set_sender(pilot.app)
        pilot.app.post_message(event)
        await settle(pilot)
        assert screen.query_one("#filter", Input).value != "Boardj"
        assert screen.focused is screen.table
