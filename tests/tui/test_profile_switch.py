"""`:profile NAME` switches the app onto another profile's workspace in place, against two
sandboxes on loopback ports (a config file of two profiles, opened by the one setup as the
command line does): the rows, the writes, the marks, the views and the label follow the
profile; an unknown or broken profile, or work in flight, leaves everything as it was."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from textual.widgets import Static

from skipup_campaigns import config
from skipup_campaigns.sandbox import SandboxSettings, Store, create_app, open_store
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from skipup_campaigns.sandbox.server import serve_in_thread
from skipup_campaigns.startup.setup import Options, open_profile
from skipup_campaigns.tui.app import CampaignsApp, UISettings
from skipup_campaigns.tui.bulk_screens import BulkPreviewScreen
from skipup_campaigns.tui.colon_commands import CommandError
from skipup_campaigns.tui.dialogs import HelpScreen
from skipup_campaigns.tui.list_screen import ListScreen
from skipup_campaigns.tui.widgets.command_line import CommandLine
from tests.conftest import ADMIN, Clock, campaigns_on_server
from tests.test_config import write_config
from tests.transports import CountingApp
from tests.tui.conftest import list_screen, settle
from tests.typeahead_apps import type_at_once


@dataclass
class Sandbox:
    store: Store
    app: CountingApp
    url: str

    def names(self) -> set[str]:
        return {c["name"] for c in campaigns_on_server(self.store)}


@pytest.fixture
def two_sandboxes(clock: Clock) -> Iterator[tuple[Sandbox, Sandbox]]:
    """The demo data on one, synthetic campaigns (other names) on the other."""
    first = open_store(":memory:", clock=clock)
    second = open_store(":memory:", seed="empty", seed_count=12, clock=clock)
    first_app = CountingApp(create_app(first, SandboxSettings(rate_limit=0)))
    second_app = CountingApp(create_app(second, SandboxSettings(rate_limit=0)))
    with serve_in_thread(first_app) as first_url, serve_in_thread(second_app) as second_url:
        write_config(
            f"""default_profile = "first"
[profiles.first]
base_url = "{first_url}"
api_key = "{ADMIN}"
[[profiles.first.views]]
name = "Sales"
filter = "team:sales"

[profiles.second]
base_url = "{second_url}"
api_key = "{ADMIN}"
theme = "nord"

[profiles.keyless]
base_url = "{second_url}"
"""
        )
        yield Sandbox(first, first_app, first_url), Sandbox(second, second_app, second_url)
    first.close()
    second.close()


def started_app(*, remember_theme: bool = False) -> CampaignsApp:
    """The app as `skipup-campaigns` starts it (the one setup, the default profile)."""
    setup = open_profile(Options(), early_page=False)
    ui = UISettings(remember_theme=remember_theme, theme=setup.settings.theme)  # type: ignore[union-attr]
    return CampaignsApp(setup, ui=ui.for_profile(setup))


def shown_names(pilot: Any) -> set[str]:
    return {row.name for row in list_screen(pilot).table.rows}


def shows(pilot: Any, sandbox: Sandbox, other: Sandbox) -> bool:
    """The list shows the rows of `sandbox`, none of `other` (the two have no name in
    common)."""
    shown = shown_names(pilot)
    return bool(shown) and shown <= sandbox.names() and not shown & other.names()


def top_bar(pilot: Any) -> str:
    return str(pilot.app.screen.query_one("#title", Static).render())


async def switch(pilot: Any, name: str) -> None:
    await pilot.press("colon", *f"profile {name}", "enter")
    await settle(pilot)


async def test_a_switch_puts_the_list_and_its_writes_on_the_other_sandbox(
    two_sandboxes: tuple[Sandbox, Sandbox],
) -> None:
    first, second = two_sandboxes
    async with started_app().run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert shows(pilot, first, second) and pilot.app.sub_title == "SkipUp (first)"
        old_workspace = pilot.app.workspace
        await switch(pilot, "second")
        assert pilot.app.setup.profile == "second" and pilot.app.sub_title == "SkipUp (second)"
        assert top_bar(pilot).startswith("SkipUp (second)")
        assert shows(pilot, second, first)
        assert old_workspace.history is not None and old_workspace._client is not None
        assert old_workspace._client._http.is_closed  # the old client was closed
        # A write now goes to the second sandbox, never the first.
        target = list_screen(pilot).table.cursor_id
        await pilot.press("space", "d")
        for _ in range(200):
            if isinstance(pilot.app.screen, BulkPreviewScreen):
                break
            await pilot.pause(0.02)
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert dict(second.app.writes) == {target: 1}
        assert not first.app.writes
        assert not second.store.get_campaign(MAIN_WORKSPACE, target)["active"]


async def test_marks_views_and_label_are_per_profile_and_come_back(
    two_sandboxes: tuple[Sandbox, Sandbox],
) -> None:
    first, second = two_sandboxes
    async with started_app().run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space")
        marked = set(pilot.app.workspace.marks.ids)
        assert len(marked) == 2
        assert [v.name for v in pilot.app.workspace.views.views] == ["Sales"]
        await switch(pilot, "second")
        assert not pilot.app.workspace.marks and pilot.app.workspace.views.views == []
        await pilot.press("colon", *"view save Mine", "enter")
        await settle(pilot)
        assert [v.name for v in pilot.app.workspace.views.views] == ["Mine"]
        await switch(pilot, "first")
        assert pilot.app.setup.profile == "first" and shows(pilot, first, second)
        assert set(pilot.app.workspace.marks.ids) == marked  # kept while away
        assert [v.name for v in pilot.app.workspace.views.views] == ["Sales"]
        await switch(pilot, "second")
        assert [v.name for v in pilot.app.workspace.views.views] == ["Mine"]  # remembered


async def test_keys_typed_after_the_switch_go_to_the_new_list(
    two_sandboxes: tuple[Sandbox, Sandbox],
) -> None:
    async with started_app().run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, "colon", *"profile second", "enter", "space", "space")
        await settle(pilot)
        assert pilot.app.setup.profile == "second"
        shown = [row.id for row in list_screen(pilot).table.rows]
        assert set(pilot.app.workspace.marks.ids) == set(shown[:2])


async def test_an_unknown_or_broken_profile_changes_nothing(
    two_sandboxes: tuple[Sandbox, Sandbox],
) -> None:
    first, second = two_sandboxes
    async with started_app().run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        workspace = pilot.app.workspace
        await pilot.press("colon", *"profile nope", "enter")
        await pilot.pause()
        hint = str(pilot.app.screen.query_one("#command-hint", Static).render())
        assert "No profile named 'nope' (profiles: first, keyless, second, demo)" in hint
        assert pilot.app.screen.query_one(CommandLine).is_open  # what was typed is kept
        await pilot.press("escape")
        await switch(pilot, "keyless")
        assert pilot.app.workspace is workspace and pilot.app.setup.profile == "first"
        assert isinstance(pilot.app.screen, ListScreen) and shows(pilot, first, second)
        messages = [str(n.message) for n in pilot.app._notifications]
        assert any("No SkipUp API key" in m and "keyless" in m for m in messages)
        await switch(pilot, "first")
        hint = str(pilot.app.screen.query_one("#command-hint", Static).render())
        assert "Already on the profile 'first'" in hint and pilot.app.workspace is workspace
        await pilot.press("escape")
        await pilot.press("colon", *"profile", "enter")
        await pilot.pause()
        messages = [str(n.message) for n in pilot.app._notifications]
        assert "Profile: first (others: keyless, second, demo)." in messages


async def test_work_in_flight_refuses_the_switch(two_sandboxes: tuple[Sandbox, Sandbox]) -> None:
    async with started_app().run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        app = pilot.app
        workspace = app.workspace
        held = asyncio.Event()
        app.run_worker(held.wait(), group="list-write", exit_on_error=False)
        with pytest.raises(CommandError, match="the request is still running"):
            app.switch_profile("second")
        held.set()
        await settle(pilot)
        assert app.workspace is workspace
        app.switch_profile("second")
        await settle(pilot)
        assert app.setup.profile == "second"


async def test_a_profile_with_its_own_theme_shows_it_and_it_is_not_remembered(
    two_sandboxes: tuple[Sandbox, Sandbox],
) -> None:
    async with started_app(remember_theme=True).run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        started = pilot.app.theme
        assert started != "nord"
        await switch(pilot, "second")
        assert pilot.app.theme == "nord"  # the profile's own
        await switch(pilot, "first")
        assert pilot.app.theme == started  # no theme of its own: the one chosen
        await pilot.press("colon", *"theme dracula", "enter")
        await switch(pilot, "second")
        await switch(pilot, "first")
        assert pilot.app.theme == "dracula"
    assert config.load_state().get("theme") == "dracula"  # never nord, the profile's


async def test_help_and_the_palette_offer_the_profile_command(
    two_sandboxes: tuple[Sandbox, Sandbox],
) -> None:
    async with started_app().run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        titles = {str(title) for title, _, _ in list_screen(pilot).palette_commands()}
        assert {"Switch profile…", "Profile: second", "Profile: keyless"} <= titles
        assert "Profile: first" not in titles  # (the one in use)
        await pilot.press("colon", *"profile s", "tab")
        assert pilot.app.screen.query_one(CommandLine).input.value == "profile second"
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        assert any(":profile NAME" in str(s.render()) for s in help_screen.query(Static))


async def test_the_demo_switches_to_a_profile_and_back(
    two_sandboxes: tuple[Sandbox, Sandbox],
) -> None:
    first, second = two_sandboxes
    setup = open_profile(Options(demo=True), early_page=False)
    app = CampaignsApp(setup, ui=UISettings(remember_theme=False).for_profile(setup))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert pilot.app.sub_title == "SkipUp (demo)"
        await switch(pilot, "second")
        assert pilot.app.sub_title == "SkipUp (second)" and shows(pilot, second, first)
        await switch(pilot, "demo")
        assert pilot.app.sub_title == "SkipUp (demo)" and pilot.app.setup.label == "demo"
        assert shown_names(pilot) and not shown_names(pilot) & second.names()


async def test_a_profile_that_cannot_start_can_be_left_from_the_palette(
    two_sandboxes: tuple[Sandbox, Sandbox], monkeypatch: pytest.MonkeyPatch
) -> None:
    from skipup_campaigns.tui.commands import CampaignCommands
    from skipup_campaigns.tui.dialogs import SetupProblemScreen

    first, second = two_sandboxes
    monkeypatch.setenv("SKIPUP_PROFILE", "keyless")
    async with started_app().run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert isinstance(pilot.app.screen, SetupProblemScreen)
        provider = CampaignCommands(pilot.app.screen)
        hits = {str(hit.text): hit for hit in [h async for h in provider.search("profile")]}
        assert "Profile: keyless" not in hits and "Profile: second" in hits  # the others
        hits["Profile: second"].command()
        await settle(pilot)
        assert isinstance(pilot.app.screen, ListScreen) and shows(pilot, second, first)
        assert len(pilot.app.screen_stack) == 2  # the problem page was replaced


async def test_undo_single_and_bulk_survives_a_round_trip(
    two_sandboxes: tuple[Sandbox, Sandbox],
) -> None:
    from textual.widgets import Input

    from skipup_campaigns.tui.bulk_screens import BulkEditScreen, BulkResultsScreen

    first, second = two_sandboxes
    async with started_app().run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        ids = [row.id for row in list_screen(pilot).table.rows[:3]]
        before = {c["id"]: c for c in campaigns_on_server(first.store)}
        # One edit of its own (as the campaign's page makes it), then a bulk edit of two.
        await pilot.app.workspace.update(ids[2], {"description": "single"})
        await pilot.press("space", "space", "e")
        for _ in range(200):
            screen = pilot.app.screen
            if isinstance(screen, BulkEditScreen) and screen.teams_loaded:
                break
            await pilot.pause(0.02)
        pilot.app.screen.query_one("#description", Input).focus()
        await pilot.press(*"ours", "ctrl+s")
        for _ in range(200):
            if isinstance(pilot.app.screen, BulkPreviewScreen):
                break
            await pilot.pause(0.02)
        await pilot.press("tab", "enter")
        for _ in range(200):
            if isinstance(pilot.app.screen, BulkResultsScreen):
                break
            await pilot.pause(0.02)
        await pilot.press("escape")
        await settle(pilot)
        server = {c["id"]: c for c in campaigns_on_server(first.store)}
        assert [server[cid]["description"] for cid in ids] == ["ours", "ours", "single"]

        await switch(pilot, "second")
        await switch(pilot, "first")
        await pilot.press("u")  # the bulk edit, as one step
        for _ in range(200):
            if isinstance(pilot.app.screen, BulkPreviewScreen):
                break
            await pilot.pause(0.02)
        assert isinstance(pilot.app.screen, BulkPreviewScreen)
        await pilot.press("tab", "enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert await pilot.app.workspace.undo(ids[2]) is not None  # the single edit
        server = {c["id"]: c for c in campaigns_on_server(first.store)}
        assert [server[cid]["description"] for cid in ids] == [
            before[cid]["description"] for cid in ids
        ]
        assert not second.app.writes


async def test_the_lists_filter_toggle_sort_columns_and_cursor_come_back(
    two_sandboxes: tuple[Sandbox, Sandbox],
) -> None:
    async with started_app().run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert list_screen(pilot).filter_input.value == "team:sales"  # (its last view)
        await pilot.press("colon", *"sort name", "enter")
        await pilot.press("colon", *"columns +updated", "enter")
        await pilot.press("slash", *" e", "enter", "a", "j", "j")
        await settle(pilot)
        screen = list_screen(pilot)
        assert screen.filter_input.value == "team:sales e"
        cursor, columns = screen.table.cursor_id, screen.table.chosen_columns
        assert cursor is not None and columns is not None and "updated" in columns
        assert screen.table.rows.index(screen.table.cursor_row) > 0  # not where a list starts
        bar = top_bar(pilot)
        assert "all" in bar and "by name" in bar
        await switch(pilot, "second")
        assert list_screen(pilot).filter_input.value == ""  # (the other profile's own)
        await switch(pilot, "first")
        screen = list_screen(pilot)
        assert screen.filter_input.value == "team:sales e"
        assert (screen.active_only, screen.sort, screen.reverse) == (False, "name", False)
        assert screen.table.chosen_columns == columns
        assert screen.table.cursor_id == cursor
        assert top_bar(pilot) == bar


async def test_since_stays_with_its_workspace(two_sandboxes: tuple[Sandbox, Sandbox]) -> None:
    setup = open_profile(Options(since="24h"), early_page=False)
    app = CampaignsApp(setup, ui=UISettings(remember_theme=False).for_profile(setup))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)

        def summary() -> str:
            return str(pilot.app.screen.query_one("#summary", Static).render())

        assert "Δ 24h" in summary()
        await switch(pilot, "demo")
        assert "Δ session" in summary()  # --since named the first workspace only
        await switch(pilot, "first")
        assert "Δ 24h" in summary()


async def test_a_switch_clears_the_old_workspaces_toasts(
    two_sandboxes: tuple[Sandbox, Sandbox],
) -> None:
    async with started_app().run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        pilot.app.notify("Campaign deactivated.", markup=False)
        await switch(pilot, "second")
        messages = [str(n.message) for n in pilot.app._notifications]
        assert messages == ["Profile: second."]


async def test_slash_on_a_views_filter_types_after_it_also_right_after_a_switch(
    two_sandboxes: tuple[Sandbox, Sandbox],
) -> None:
    async with started_app().run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert list_screen(pilot).filter_input.value == "team:sales"  # the Sales view's
        await pilot.press("escape", "1")  # cleared (the field's cursor at 0), then the view
        assert list_screen(pilot).filter_input.value == "team:sales"
        await pilot.press("slash", "x")
        assert list_screen(pilot).filter_input.value == "team:salesx"  # as after typing it
        await pilot.press("backspace", "enter")
        await switch(pilot, "second")
        await type_at_once(
            pilot, "colon", *"profile first", "enter", "slash", "space", *"Summer", "enter"
        )
        await settle(pilot)
        assert pilot.app.setup.profile == "first"
        assert list_screen(pilot).filter_input.value == "team:sales Summer"


async def test_a_profile_added_to_the_config_while_running_can_be_switched_to(
    two_sandboxes: tuple[Sandbox, Sandbox],
) -> None:
    first, second = two_sandboxes
    async with started_app().run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        path = config.config_path()
        path.write_text(
            path.read_text() + f'\n[profiles.down]\nbase_url = "{second.url}"\n'
            f'api_key = "{ADMIN}"\n'
        )
        titles = {str(title) for title, _, _ in list_screen(pilot).palette_commands()}
        assert "Profile: down" in titles
        await pilot.press("colon", *"profile do", "tab")
        assert pilot.app.screen.query_one(CommandLine).input.value == "profile down"
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.setup.profile == "down" and shows(pilot, second, first)
        await pilot.press("colon", *"profile", "enter")
        await pilot.pause()
        messages = [str(n.message) for n in pilot.app._notifications]
        assert "Profile: down (others: first, keyless, second, demo)." in messages
