"""What the list's first frame is made of. The list is the app's first screen
(`get_default_screen`), not a screen pushed over Textual's empty one, so Textual draws its
first frame once; it can still be replaced (by a setup problem, or `:profile`'s new list),
which Textual's own switch cannot do for a first screen. The `:` field is made on first use."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.screen import Screen
from textual.widgets import Static

from skipup_campaigns.tui import app as app_module
from skipup_campaigns.tui.app import PUSH_RESULT_CALLBACK, CampaignsApp
from skipup_campaigns.tui.list_screen import ListScreen
from skipup_campaigns.tui.widgets.command_line import CommandInput, CommandLine
from skipup_campaigns.workspace import SetupProblem
from tests.tui.conftest import settle, until
from tests.typeahead_apps import type_at_once


def test_textual_still_has_what_replacing_the_first_screen_needs() -> None:
    assert callable(getattr(Screen(), PUSH_RESULT_CALLBACK, None))


async def test_the_list_is_the_first_screen(make_app: Callable[..., CampaignsApp]) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert [type(s) for s in pilot.app.screen_stack] == [ListScreen]


async def test_a_setup_problem_replaces_the_first_screen(
    make_app: Callable[..., CampaignsApp],
) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        listed = pilot.app.screen
        pilot.app.workspace.announce(SetupProblem("the key was revoked"))
        await until(pilot, lambda: not isinstance(pilot.app.screen, ListScreen), "replaced")
        await settle(pilot)
        assert len(pilot.app.screen_stack) == 1 and not listed.is_attached
        message = str(pilot.app.screen.query_one("#setup-message", Static).render())
        assert "the key was revoked" in message


async def test_the_command_field_comes_with_the_first_colon(
    make_app: Callable[..., CampaignsApp],
) -> None:
    """Not in the first frame (nothing shows it); keys typed behind `:` go into it."""
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert not pilot.app.screen.query(CommandInput)
        await type_at_once(pilot, "colon", *"sort name")
        await settle(pilot)
        prompt = pilot.app.screen.query_one(CommandLine)
        assert prompt.is_open and pilot.app.focused is prompt.input
        assert prompt.input.value == "sort name"


async def test_a_textual_whose_first_screen_cannot_be_replaced_shows_the_problem_over_it(
    make_app: Callable[..., CampaignsApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fails open: should the private method fail, the new screen goes over the list."""

    def changed(self: Screen[object], *args: object) -> None:
        raise TypeError("takes other arguments now")

    # (Textual calls its own method too: the one replace_screen calls is made to fail.)
    monkeypatch.setattr(Screen, "_changed_push_result_callback", changed, raising=False)
    monkeypatch.setattr(app_module, "PUSH_RESULT_CALLBACK", "_changed_push_result_callback")
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        pilot.app.workspace.announce(SetupProblem("the key was revoked"))
        await until(pilot, lambda: not isinstance(pilot.app.screen, ListScreen), "shown")
        await settle(pilot)
        message = str(pilot.app.screen.query_one("#setup-message", Static).render())
        assert "the key was revoked" in message
