"""Hostile server text through the UI's own rendering: shown as inert characters everywhere."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from textual.widgets import Static

from skipup_campaigns.api import SkipUpClient
from skipup_campaigns.sandbox import Store, create_app
from skipup_campaigns.startup.setup import build_workspace
from skipup_campaigns.tui.app import CampaignsApp, UISettings
from skipup_campaigns.tui.detail_screen import DetailScreen
from tests.conftest import IN_PROCESS_URL, Clock
from tests.hostile import HOSTILE_NAMES, add_hostile_campaigns
from tests.tui.conftest import list_screen, settle


def has_control(text: str) -> bool:
    return any(
        ord(ch) < 0x20
        and ch != "\n"
        or 0x7F <= ord(ch) < 0xA0
        or ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
        for ch in text
    )


@pytest.fixture
def hostile_app(store: Store, clock: Clock) -> CampaignsApp:
    add_hostile_campaigns(store)
    client = SkipUpClient(
        "sk_test_admin", IN_PROCESS_URL, transport=httpx.ASGITransport(create_app(store))
    )
    return CampaignsApp(build_workspace(client, clock=clock), ui=UISettings(remember_theme=False))


async def test_rows_draw_hostile_names_as_plain_characters(hostile_app: CampaignsApp) -> None:
    async with hostile_app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        table = list_screen(pilot).table
        lines = [table.render_line(y).text for y in range(table.size.height)]
        assert not any(has_control(line) for line in lines)
        joined = "\n".join(lines)
        assert "[@click=app.quit]click me" in joined
        assert "[link=https://evil.example]phish[/link] [b]bold[/b" in joined
        assert "␛]52;c;UFdORUQtQ0xJUA==␇" in joined
        assert "[bold red]Tea…" in joined  # the team column is narrow: cut, not parsed


async def test_clicking_a_markup_name_does_nothing_but_select(hostile_app: CampaignsApp) -> None:
    async with hostile_app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        table = list_screen(pilot).table
        index = next(
            i for i, row in enumerate(table.rows) if row.campaign.name.startswith("[@click")
        )
        await pilot.click("#campaigns", offset=(5, index + 1))
        await pilot.pause()
        assert pilot.app.is_running
        assert table.cursor_row.campaign.name == HOSTILE_NAMES[0]


CHUNKS = 2
"""The hostile campaigns are walked in this many tests, so a parallel run spreads them."""


@pytest.mark.parametrize("chunk", range(CHUNKS))
async def test_detail_screen_shows_hostile_fields_inertly(
    hostile_app: CampaignsApp, chunk: int
) -> None:
    async with hostile_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = list_screen(pilot)
        for row in list(screen.table.rows)[: len(HOSTILE_NAMES)][chunk::CHUNKS]:
            screen.table.select(row.id)
            await pilot.press("enter")
            await pilot.pause()
            detail = pilot.app.screen
            assert isinstance(detail, DetailScreen)
            for widget in detail.query(Static):
                assert not has_control(str(widget.render()))
            await pilot.press("escape")
            await pilot.pause()


async def test_filtering_hostile_text_with_hostile_input(hostile_app: CampaignsApp) -> None:
    async with hostile_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = list_screen(pilot)
        screen.filter_input.value = "[@click"
        await pilot.pause()
        assert [r.campaign.name for r in screen.table.rows] == [HOSTILE_NAMES[0]]
        screen.filter_input.value = "\x1b]52;nothing"
        await pilot.pause()
        assert screen.table.rows == []
        line = screen.table.render_line(2).text
        assert "␛]52;nothing" in line and not has_control(line)


def test_every_hostile_payload_is_exercised() -> None:
    assert any("\x1b]52" in n for n in HOSTILE_NAMES) and any("\x9b" in n for n in HOSTILE_NAMES)
    assert any(len(n) >= 10_000 for n in HOSTILE_NAMES)


@pytest.mark.parametrize("chunk", range(CHUNKS))
async def test_edit_form_shows_hostile_values_inertly_and_round_trips_them(
    hostile_app: CampaignsApp, store: Store, chunk: int
) -> None:
    from textual.widgets import Input, TextArea

    from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
    from skipup_campaigns.tui.edit_screen import EditScreen

    async with hostile_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = list_screen(pilot)
        for name in HOSTILE_NAMES[:9][chunk::CHUNKS]:
            row = next(r for r in screen.table.rows if r.campaign.name == name)
            before = store.get_campaign(MAIN_WORKSPACE, row.id)
            screen.table.select(row.id)
            await pilot.press("e")
            await settle(pilot)
            form = pilot.app.screen
            assert isinstance(form, EditScreen)
            assert not has_control(form.query_one("#name", Input).value)
            assert not has_control(form.query_one("#description", TextArea).text)
            await pilot.press("ctrl+s")  # untouched: nothing to send
            await settle(pilot)
            assert "Nothing changed" in str(form.query_one("#form-status", Static).render())
            form.query_one("#description", TextArea).text = "replaced"
            await pilot.press("ctrl+s")
            await settle(pilot)
            after = store.get_campaign(MAIN_WORKSPACE, row.id)
            assert after["name"] == before["name"]  # the exact bytes, ESC and all
            assert after["description"] == "replaced"
            await pilot.pause()


async def test_a_hostile_error_message_from_the_server_is_shown_inertly(
    make_app: Any, transport: Any
) -> None:
    async def hostile_500(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            500,
            json={
                "error": {
                    "type": "internal_error",
                    "message": "\x1b]0;PWNED\x07boom [@click=app.quit]x",
                }
            },
        )

    transport.handle_async_request = hostile_500
    async with make_app().run_test(size=(180, 40)) as pilot:  # the status shows it whole
        await settle(pilot)
        messages = [str(n.message) for n in pilot.app._notifications]
        status = str(list_screen(pilot).query_one("#load-status", Static).render())
    shown = [m for m in messages if "boom" in m] + [status]
    assert len(shown) == 2
    for text in shown:
        assert "␛]0;PWNED␇boom [@click=app.quit]x" in text and not has_control(text)
