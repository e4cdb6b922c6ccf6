"""A page with unreadable campaigns among good ones (the hostile server's `bad_numbers`: 10**400
booked, a NaN or infinite rate, a negative count, dates leaving years 1-9999): the list shows
the good ones and says how many were unreadable; errors from a server echoing the key or
sending a huge message reach the screen redacted and cut."""

from __future__ import annotations

from datetime import datetime, timezone

import httpx
from textual.widgets import Static

from skipup_campaigns.api import SkipUpClient
from skipup_campaigns.startup.setup import build_workspace
from skipup_campaigns.tui.app import CampaignsApp, UISettings
from skipup_campaigns.tui.detail_screen import DetailScreen
from skipup_campaigns.workspace import Workspace
from skipup_campaigns.workspace.load_state import LoadState, status_text
from tests.conftest import IN_PROCESS_URL, Clock
from tests.hostile_server import BAD_NUMBERS, ECHOED_KEY_SHAPE, create_hostile_app
from tests.tui.conftest import list_screen, settle

KEY = "sk_test_hostile_unreadable_0123456789"


def hostile_client(behaviour: str) -> SkipUpClient:
    return SkipUpClient(
        KEY,
        IN_PROCESS_URL,
        max_retries=0,
        transport=httpx.ASGITransport(create_hostile_app(behaviour)),
    )


def test_the_status_says_how_many_were_unreadable() -> None:
    loaded = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)
    assert status_text(LoadState(loaded_at=loaded, unreadable=6)).endswith(" · 6 unreadable")
    assert "unreadable" not in status_text(LoadState(loaded_at=loaded))


async def test_the_workspace_keeps_the_good_campaigns_and_counts_the_rest(clock: Clock) -> None:
    workspace = Workspace(hostile_client("bad_numbers"), clock=clock)
    for _ in range(2):  # counted per load, not added up across loads
        state = await workspace.load()
        assert state.error is None and state.unreadable == len(BAD_NUMBERS)
        assert sorted(row.id for row in workspace.collection.rows()) == ["cmp_0", "cmp_1", "cmp_2"]
    await workspace.aclose()


async def test_the_list_shows_the_good_ones_and_n_unreadable(clock: Clock) -> None:
    server = create_hostile_app("bad_numbers")
    client = SkipUpClient(KEY, IN_PROCESS_URL, max_retries=0, transport=httpx.ASGITransport(server))
    app = CampaignsApp(build_workspace(client, clock=clock), ui=UISettings(remember_theme=False))
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        screen = list_screen(pilot)
        assert sorted(row.id for row in screen.table.rows) == ["cmp_0", "cmp_1", "cmp_2"]
        status = str(screen.query_one("#load-status", Static).render())
        assert f"{len(BAD_NUMBERS)} unreadable" in status
        for key in ("s", "s", "a", "r"):  # sorting and reloading never meet a bad number
            await pilot.press(key)
            await settle(pilot)
        # It turns bad on the server after the list loaded: its page says it could not fetch
        # it and shows the list's copy, saying so.
        server.state.hostile.campaigns["cmp_1"]["meetings_booked_count"] = 10**400
        screen.table.select("cmp_1")
        await pilot.press("enter")
        await settle(pilot)
        page = pilot.app.screen
        assert isinstance(page, DetailScreen)
        assert "not fetched" in str(page.query_one("#detail-meta", Static).render())
        messages = [str(n.message) for n in pilot.app._notifications]
        assert any(
            "Could not fetch the campaign" in m and "meetings_booked_count" in m for m in messages
        ), messages
        assert pilot.app.is_running


async def test_error_toasts_are_redacted_and_cut(clock: Clock) -> None:
    for behaviour in ("key_echo", "huge_error"):
        app = CampaignsApp(
            build_workspace(hostile_client(behaviour), clock=clock),
            ui=UISettings(remember_theme=False),
        )
        async with app.run_test(size=(140, 30)) as pilot:
            await settle(pilot)
            shown = [str(n.message) for n in pilot.app._notifications]
            shown.append(str(list_screen(pilot).query_one("#load-status", Static).render()))
        assert any("Could not load" in text for text in shown)
        for text in shown:
            assert KEY not in text and ECHOED_KEY_SHAPE not in text
            assert len(text) < 800, text[:100]
        if behaviour == "key_echo":
            assert any("«redacted»" in text for text in shown)
