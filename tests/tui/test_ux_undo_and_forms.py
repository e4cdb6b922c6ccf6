"""Issue 12, "Undo, conflicts, forms": undo walks back this session's own edits, the conflict
dialog marks the user's fields, field errors follow the text, Description's cursor, and `q`
closing a view. Pilot against the in-process sandbox; the server's state checked after."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widgets import Input, TextArea

from skipup_campaigns.sandbox import Store
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from skipup_campaigns.tui.app import CampaignsApp
from skipup_campaigns.tui.detail_screen import DetailScreen
from skipup_campaigns.tui.dialogs import ConflictDialog, HelpScreen
from skipup_campaigns.tui.edit_screen import EditScreen
from skipup_campaigns.tui.list_screen import ListScreen
from tests.conftest import Clock
from tests.tui.conftest import CountingTransport, list_screen, settle
from tests.tui.test_edit_flows import field, open_editor, open_first, server, text_of, writes

MakeApp = Callable[..., CampaignsApp]


async def edit_name(pilot: Any, name: str) -> None:
    await open_editor(pilot)
    field(pilot, "#name").value = name
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert isinstance(pilot.app.screen, DetailScreen)


async def test_a_second_u_steps_back_through_our_own_edits(
        make_app: MakeApp, store: Store, clock: Clock, transport: CountingTransport) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        detail = await open_first(pilot)
        target = detail.campaign.id
        original = detail.campaign.name
        for name in ("One", "Two"):
            clock.advance(minutes=1)  # every write leaves a new updated_at
            await edit_name(pilot, name)
        clock.advance(minutes=1)
        await pilot.press("u")
        await settle(pilot)
        assert server(store, target)["name"] == "One"
        clock.advance(minutes=1)
        await pilot.press("u")
        await pilot.pause(0.3)
        assert not isinstance(pilot.app.screen, ConflictDialog)  # our undo is not "theirs"
        await settle(pilot)
        assert server(store, target)["name"] == original
        assert detail.check_action("undo", ()) is False
    assert [w[2] for w in writes(transport)] == [{"name": "One"}, {"name": "Two"},
                                                 {"name": "One"}, {"name": original}]


async def test_a_change_by_someone_else_between_undos_still_stops_the_second(
        make_app: MakeApp, store: Store, clock: Clock) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        detail = await open_first(pilot)
        target = detail.campaign.id
        clock.advance(minutes=1)
        await edit_name(pilot, "One")
        clock.advance(minutes=1)
        store.update_campaign(MAIN_WORKSPACE, target, {"description": "elsewhere"})
        await pilot.press("r")  # the page reads their change
        await settle(pilot)
        clock.advance(minutes=1)
        await edit_name(pilot, "Two")
        clock.advance(minutes=1)
        await pilot.press("u")
        await settle(pilot)
        assert server(store, target)["name"] == "One"
        clock.advance(minutes=1)
        await pilot.press("u")
        await pilot.pause(0.2)
        assert isinstance(pilot.app.screen, ConflictDialog)  # their edit sits in between
        await pilot.press("enter")
        await settle(pilot)
        assert server(store, target)["name"] == "One"


async def test_the_conflict_dialog_marks_only_the_users_fields_as_theirs_to_send(
        make_app: MakeApp, store: Store, clock: Clock, transport: CountingTransport) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        detail = await open_first(pilot)
        target = detail.campaign.id
        await open_editor(pilot)
        field(pilot, "#name").value = "Mine"
        clock.advance(seconds=5)
        store.update_campaign(MAIN_WORKSPACE, target, {"name": "Theirs",
                                                       "description": "theirs"})
        await pilot.press("ctrl+s")
        await pilot.pause(0.3)
        dialog = pilot.app.screen
        assert isinstance(dialog, ConflictDialog)
        rows = {str(row.query("Static").first().render()): [str(s.render()) for s in
                                                            row.query("Static")]
                for row in dialog.query(".conflict-row").exclude(".conflict-head")}
        assert rows["* Name"][1:] == ["Theirs", "Mine"]
        assert rows["  Description"][1:] == ["theirs", "not changed by you: theirs stays"]
        await pilot.click("#overwrite")
        await settle(pilot)
    assert writes(transport)[-1][2] == {"name": "Mine"}
    assert server(store, target)["description"] == "theirs"
