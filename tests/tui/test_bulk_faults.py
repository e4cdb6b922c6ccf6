"""Bulk actions on the list when something else happens meanwhile: a dialog opened over the
progress, a hostile rate-limit header, an undo written over a later change. Pilot against the
in-process sandbox; the server's state is checked afterwards."""

from __future__ import annotations

from typing import Any

import httpx
from textual.widgets import Input

from skipup_campaigns.api import SkipUpClient
from skipup_campaigns.sandbox import Store
from skipup_campaigns.tui.bulk_screens import (
    BulkEditScreen,
    BulkPreviewScreen,
    BulkResultsScreen,
)
from skipup_campaigns.tui.list_screen import ListScreen
from tests.conftest import ADMIN, IN_PROCESS_URL, Clock
from tests.transports import CountingTransport
from tests.tui.conftest import build_app, settle, until
from tests.tui.test_bulk_list import marked, server_state, shown_ids


class EndlessResetTransport(CountingTransport):
    """The sandbox, but every answer says the rate limit resets at infinity, with a little
    room left: the progress estimate becomes endless (the client may refuse the header)."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        response.headers["X-RateLimit-Limit"] = "100"
        response.headers["X-RateLimit-Remaining"] = "5"
        response.headers["X-RateLimit-Reset"] = "inf"
        return response


async def edit_description(pilot: Any, text: str) -> None:
    """e, type the description, ctrl+s: the preview is on top."""
    await pilot.press("e")
    await until(pilot, lambda: isinstance(pilot.app.screen, BulkEditScreen), "form")
    await until(pilot, lambda: pilot.app.screen.teams_loaded, "teams")
    pilot.app.screen.query_one("#description", Input).focus()
    await pilot.press(*text, "ctrl+s")
    await until(pilot, lambda: isinstance(pilot.app.screen, BulkPreviewScreen), "preview")


async def test_an_endless_rate_limit_reset_neither_breaks_the_run_nor_its_undo(
    sandbox_app: Any, store: Store, clock: Clock
) -> None:
    client = SkipUpClient(
        ADMIN, IN_PROCESS_URL, transport=EndlessResetTransport(sandbox_app), max_retries=0
    )
    app = build_app(client, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = server_state(store)
        ids = shown_ids(pilot)[:4]
        await pilot.press("space", "space", "space", "space")
        await edit_description(pilot, "q3")
        await pilot.press("tab", "enter")
        await settle(pilot)  # a worker that failed fails the test here
        assert isinstance(pilot.app.screen, ListScreen)
        after = server_state(store)
        assert all(after[cid]["description"] == "q3" for cid in ids)
        assert not marked(pilot)
        await pilot.press("u")
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkPreviewScreen), "undo")
        await pilot.press("tab", "enter")
        await settle(pilot)
        restored = server_state(store)
        assert all(restored[cid]["description"] == before[cid]["description"] for cid in ids)


async def test_a_run_broken_midway_says_so_sends_no_more_and_u_puts_back_what_it_did(
    make_app: Any, store: Store, monkeypatch: Any
) -> None:
    from skipup_campaigns.tui import bulk_screens

    shown = []

    def breaks_on_the_second(progress: Any) -> str:
        shown.append(progress)
        if len(shown) == 2:
            raise RuntimeError("display broke")
        return "…"

    monkeypatch.setattr(bulk_screens, "estimate_text", breaks_on_the_second)
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = server_state(store)
        await pilot.press("asterisk")
        chosen = marked(pilot)
        assert len(chosen) > 8
        await edit_description(pilot, "q3")
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ListScreen)
        assert pilot.app.workspace.bulk.running is None
        assert any(
            "unexpected error (RuntimeError)" in str(n.message) for n in pilot.app._notifications
        )
        after = server_state(store)
        done = {cid for cid in chosen if after[cid]["description"] == "q3"}
        assert 2 <= len(done) < len(chosen)  # the others were never sent
        await pilot.press("u")
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkPreviewScreen), "undo")
        await pilot.press("tab", "enter")
        await settle(pilot)
        restored = server_state(store)
        assert all(restored[cid]["description"] == before[cid]["description"] for cid in done)


async def test_a_dialog_over_the_progress_when_the_run_ends_stays_and_the_progress_goes_after(
    make_app: Any, store: Store, transport: CountingTransport
) -> None:
    import asyncio

    from skipup_campaigns.tui.bulk_screens import BulkProgressScreen
    from skipup_campaigns.tui.dialogs import ConfirmDialog, HelpScreen

    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for opener, kind, closer in (
            ("q", ConfirmDialog, "enter"),  # Cancel: stay
            ("question_mark", HelpScreen, "escape"),
        ):
            before = server_state(store)
            await pilot.press("space", "space")
            transport.gate = asyncio.Event()
            transport.hold = lambda r: r.method == "POST"
            await pilot.press("d")
            await until(pilot, lambda: isinstance(pilot.app.screen, BulkPreviewScreen), "preview")
            await pilot.press("tab", "enter")
            await until(pilot, lambda: transport.in_flight >= 1, "in flight")
            await pilot.press(opener)
            await until(
                pilot, lambda kind=kind: isinstance(pilot.app.screen, kind), "dialog on top"
            )
            transport.gate.set()
            await until(pilot, lambda: pilot.app.workspace.bulk.running is None, "run ends")
            await pilot.pause(0.1)
            assert isinstance(pilot.app.screen, kind)  # not closed by the run's end
            await pilot.press(closer)
            await settle(pilot)
            assert pilot.app.is_running
            assert isinstance(pilot.app.screen, ListScreen), pilot.app.screen_stack
            assert not any(isinstance(s, BulkProgressScreen) for s in pilot.app.screen_stack)
            after = server_state(store)
            assert len({cid for cid in after if after[cid] != before[cid]}) == 2
            assert any("2 done" in str(n.message) for n in pilot.app._notifications)
            pilot.app.clear_notifications()
            transport.gate = None


async def test_apply_anyway_in_the_undo_preview_puts_back_over_a_later_change(
    make_app: Any, store: Store, clock: Clock
) -> None:
    from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE

    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = server_state(store)
        ids = shown_ids(pilot)[:2]
        await pilot.press("space", "space")
        await edit_description(pilot, "ours")
        await pilot.press("tab", "enter")
        await settle(pilot)
        clock.advance(minutes=5)
        store.update_campaign(MAIN_WORKSPACE, ids[1], {"description": "theirs"})
        await pilot.press("u")
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkPreviewScreen), "undo")
        await pilot.press("tab", "tab", "enter")  # Cancel → Apply → Apply anyway
        await until(pilot, lambda: pilot.app.workspace.bulk.running is None, "run ends")
        await pilot.pause(0.1)
        assert isinstance(pilot.app.screen, ListScreen)  # no "not done" results to show
        await settle(pilot)
        after = server_state(store)
        assert all(after[cid]["description"] == before[cid]["description"] for cid in ids)
        await pilot.press("u")  # all put back: nothing left of that step
        await settle(pilot)
        assert any("No bulk edit to undo" in str(n.message) for n in pilot.app._notifications)


async def test_undo_without_apply_anyway_leaves_a_later_change_alone(
    make_app: Any, store: Store, clock: Clock
) -> None:
    from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE

    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = server_state(store)
        ids = shown_ids(pilot)[:2]
        await pilot.press("space", "space")
        await edit_description(pilot, "ours")
        await pilot.press("tab", "enter")
        await settle(pilot)
        clock.advance(minutes=5)
        store.update_campaign(MAIN_WORKSPACE, ids[1], {"description": "theirs"})
        await pilot.press("u")
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkPreviewScreen), "undo")
        await pilot.press("tab", "enter")  # Apply: checked first
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkResultsScreen), "results")
        await pilot.press("escape")
        await settle(pilot)
        after = server_state(store)
        assert after[ids[0]]["description"] == before[ids[0]]["description"]
        assert after[ids[1]]["description"] == "theirs"


async def test_without_teams_scope_the_bulk_picker_offers_the_teams_of_the_campaigns(
    store: Store, clock: Clock
) -> None:
    from textual.widgets import Select, Static

    from skipup_campaigns.sandbox import SandboxSettings, create_app, parse_key_spec
    from tests.conftest import campaigns_on_server

    settings = SandboxSettings(rate_limit=0)
    key = parse_key_spec("sk_test_noteams=campaigns.read,campaigns.write")
    settings.keys[key.key] = key
    client = SkipUpClient(
        key.key, IN_PROCESS_URL, transport=httpx.ASGITransport(create_app(store, settings))
    )
    async with build_app(client, clock=clock).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space", "e")
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkEditScreen), "form")
        await until(pilot, lambda: pilot.app.screen.teams_loaded, "teams")
        form = pilot.app.screen
        picker = form.query_one("#team", Select)
        offered = {value for _, value in picker._options}
        seen = {c["team_id"] for c in campaigns_on_server(store)}
        assert seen <= offered
        note = str(form.query_one("#team-note", Static).render())
        assert "teams from your campaigns; this key cannot list teams" in note
        await pilot.press("escape")
        await settle(pilot)


async def test_a_network_failure_loading_teams_is_reported_not_hidden(
    make_app: Any, transport: CountingTransport
) -> None:
    from textual.widgets import Select

    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("space")
        transport.fail = lambda r: r.url.path.endswith("/teams")
        await pilot.press("e")
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkEditScreen), "form")
        await until(pilot, lambda: pilot.app.screen.teams_loaded, "teams")
        assert any("Could not load the teams" in str(n.message) for n in pilot.app._notifications)
        form = pilot.app.screen
        assert not list(form.query("#team").results(Select))  # a team id box instead
        assert form.query_one("#team-id", Input) is not None
        await pilot.press("escape")
        await settle(pilot)


async def test_retry_runs_the_last_change_again_on_the_rows_it_left_undone(
    make_app: Any, store: Store, transport: CountingTransport
) -> None:
    """:retry after a partly failed bulk edit: the same change, on the ✗ rows only."""
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space", "space", "space")
        chosen = marked(pilot)
        failing = set(sorted(chosen)[:2])
        transport.fail = lambda request: (
            request.method == "PATCH" and request.url.path.rsplit("/", 1)[-1] in failing
        )
        await edit_description(pilot, "retried")
        await pilot.press("tab", "enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkResultsScreen), "results")
        await pilot.press("escape")
        await settle(pilot)
        after = server_state(store)
        assert {cid for cid in chosen if after[cid]["description"] != "retried"} == failing
        assert set(pilot.app.workspace.marks.notes) == failing  # the ✗ rows
        transport.fail = lambda request: False
        patches_before = [r for r in transport.requests if r.method == "PATCH"]
        await pilot.press("colon", *"retry", "enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkPreviewScreen), "preview")
        await pilot.press("tab", "enter")
        await settle(pilot)
        after = server_state(store)
        assert all(after[cid]["description"] == "retried" for cid in chosen)
        patched = [
            r.url.path.rsplit("/", 1)[-1]
            for r in transport.requests
            if r.method == "PATCH" and r not in patches_before
        ]
        assert sorted(patched) == sorted(failing)  # only the ✗ rows were sent again
        assert not pilot.app.workspace.marks
        await pilot.press("colon", *"retry", "enter")  # nothing left: says so
        await pilot.pause()
        assert "No ✗ rows" in str(pilot.app.screen.query_one("#command-hint").render())
