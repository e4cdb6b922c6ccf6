"""Every screen over the hostile server in-process (fast, beside the pty test in
tests/e2e/test_hostile_server_ui.py): each campaign's page, team line included (issue 16: its
team_id once reached the terminal raw), its edit form and the conflict dialog render only
inert text."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from textual.widgets import Input, Static, TextArea

from skipup_campaigns.api import SkipUpClient
from skipup_campaigns.display.safe_text import safe
from skipup_campaigns.startup.setup import build_workspace
from skipup_campaigns.tui.app import CampaignsApp, UISettings
from skipup_campaigns.tui.detail_screen import DetailScreen
from skipup_campaigns.tui.dialogs import ConflictDialog
from skipup_campaigns.tui.edit_screen import EditScreen
from tests.conftest import IN_PROCESS_URL, Clock
from tests.hostile_server import create_hostile_app
from tests.tui.conftest import list_screen, settle
from tests.tui.test_hostile_text import has_control

CHUNKS = 3
"""The campaigns are walked in this many tests, so a parallel run spreads them."""


def hostile_app(clock: Clock) -> tuple[CampaignsApp, Any]:
    server = create_hostile_app("hostile_strings")
    client = SkipUpClient(
        "sk_test_admin", IN_PROCESS_URL, max_retries=0, transport=httpx.ASGITransport(server)
    )
    return CampaignsApp(
        build_workspace(client, clock=clock), ui=UISettings(remember_theme=False)
    ), server.state.hostile


@pytest.mark.parametrize("chunk", range(CHUNKS))
async def test_every_page_and_form_is_inert(clock: Clock, chunk: int) -> None:
    app, state = hostile_app(clock)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = list_screen(pilot)
        lines = [screen.table.render_line(y).text for y in range(screen.table.size.height)]
        assert not any(has_control(line) for line in lines)
        for campaign in list(state.campaigns.values())[chunk::CHUNKS]:
            screen.table.select(campaign["id"])
            await pilot.press("enter")
            await settle(pilot)
            page = pilot.app.screen
            assert isinstance(page, DetailScreen)
            rendered = [str(widget.render()) for widget in page.query(Static)]
            assert not any(has_control(text) for text in rendered)
            team_line = str(page.query_one("#field-team .value", Static).render())
            assert f"({safe(campaign['team_id'])})" in team_line
            await pilot.press("e")
            await settle(pilot)
            form = pilot.app.screen
            assert isinstance(form, EditScreen)
            assert not has_control(form.query_one("#name", Input).value)
            assert not has_control(form.query_one("#description", TextArea).text)
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)


async def test_the_conflict_dialog_shows_hostile_text_inertly(clock: Clock) -> None:
    """Someone else changes the campaign: the conflict dialog shows their text inertly."""
    app, state = hostile_app(clock)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = list_screen(pilot)
        first = next(iter(state.campaigns))
        screen.table.select(first)
        await pilot.press("e")
        await settle(pilot)
        state.touch(first)
        pilot.app.screen.query_one("#description", TextArea).text = "mine"
        await pilot.press("ctrl+s")
        await pilot.pause()
        for _ in range(50):
            if isinstance(pilot.app.screen, ConflictDialog):
                break
            await pilot.pause(0.05)
        dialog = pilot.app.screen
        assert isinstance(dialog, ConflictDialog)
        rendered = [str(widget.render()) for widget in dialog.query(Static)]
        assert any("EVIL-ERROR" in text for text in rendered)
        assert not any(has_control(text) for text in rendered)
        await pilot.press("escape")
        await pilot.pause()
