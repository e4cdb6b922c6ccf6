"""Undo, conflicts, forms: undo walks back this session's own edits, the conflict
dialog marks the user's fields, field errors follow the text, Description's cursor, and `q`
closing a view. Pilot against the in-process sandbox; the server's state checked after."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from skipup_campaigns.sandbox import Store
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from skipup_campaigns.tui.app import CampaignsApp
from skipup_campaigns.tui.detail_screen import DetailScreen
from skipup_campaigns.tui.dialogs import ConflictDialog, HelpScreen
from skipup_campaigns.tui.list_screen import ListScreen
from tests.conftest import Clock
from tests.transports import CountingTransport
from tests.tui.conftest import settle, until
from tests.tui.test_edit_flows import field, open_editor, open_first, server, text_of, writes

MakeApp = Callable[..., CampaignsApp]


async def edit_name(pilot: Any, name: str) -> None:
    await open_editor(pilot)
    field(pilot, "#name").value = name
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert isinstance(pilot.app.screen, DetailScreen)


async def test_a_second_u_steps_back_through_our_own_edits(
    make_app: MakeApp, store: Store, clock: Clock, transport: CountingTransport
) -> None:
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
    assert [w[2] for w in writes(transport)] == [
        {"name": "One"},
        {"name": "Two"},
        {"name": "One"},
        {"name": original},
    ]


async def test_a_change_by_someone_else_between_undos_still_stops_the_second(
    make_app: MakeApp, store: Store, clock: Clock
) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        detail = await open_first(pilot)
        target = detail.campaign.id
        clock.advance(minutes=1)
        await edit_name(pilot, "One")
        # Their rename, in the same second as ours (updated_at cannot tell them apart).
        store.update_campaign(MAIN_WORKSPACE, target, {"name": "Theirs"})
        await pilot.press("r")  # the page reads their change
        await settle(pilot)
        await edit_name(pilot, "Two")
        await pilot.press("u")
        await settle(pilot)
        assert server(store, target)["name"] == "Theirs"
        await pilot.press("u")
        # Their edit sits in between: the dialog asks.
        await until(pilot, lambda: isinstance(pilot.app.screen, ConflictDialog), "the dialog")
        await pilot.press("enter")
        await settle(pilot)
        assert server(store, target)["name"] == "Theirs"


async def test_the_conflict_dialog_marks_only_the_users_fields_as_theirs_to_send(
    make_app: MakeApp, store: Store, clock: Clock, transport: CountingTransport
) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        detail = await open_first(pilot)
        target = detail.campaign.id
        await open_editor(pilot)
        field(pilot, "#name").value = "Mine"
        clock.advance(seconds=5)
        store.update_campaign(MAIN_WORKSPACE, target, {"name": "Theirs", "description": "theirs"})
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(pilot.app.screen, ConflictDialog), "the dialog")
        dialog = pilot.app.screen
        assert isinstance(dialog, ConflictDialog)
        rows = {
            str(row.query("Static").first().render()): [
                str(s.render()) for s in row.query("Static")
            ]
            for row in dialog.query(".conflict-row").exclude(".conflict-head")
        }
        assert rows["* Name"][1:] == ["Theirs", "Mine"]
        assert rows["  Description"][1:] == ["theirs", "not changed by you: theirs stays"]
        await pilot.click("#overwrite")
        await settle(pilot)
    assert writes(transport)[-1][2] == {"name": "Mine"}
    assert server(store, target)["description"] == "theirs"


async def test_a_field_error_goes_once_the_field_is_fixed_and_comes_as_it_breaks(
    make_app: MakeApp, transport: CountingTransport
) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_editor(pilot, "n")
        await pilot.press("ctrl+s")  # empty: refused before sending
        await settle(pilot)
        name_error = field(pilot, "#name-error")
        team_error = field(pilot, "#team_id-error")
        assert "required" in text_of(name_error) and "team" in text_of(team_error)
        await pilot.press(*"Fixed")
        await pilot.pause()
        assert text_of(name_error) == "" and not name_error.has_class("-shown")
        assert "team" in text_of(team_error)  # still wrong, still said
        await pilot.press(*["backspace"] * 5)
        await pilot.pause()
        assert "required" in text_of(name_error)  # broken again: said at once
        await pilot.press("tab", "tab", "down")  # Description, then the team picker
        await pilot.pause()
        assert text_of(team_error) == ""
    assert writes(transport) == []


async def test_tabbing_into_description_continues_its_text(make_app: MakeApp, store: Store) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        detail = await open_first(pilot)
        await open_editor(pilot)
        await pilot.press("tab", *" More.")
        await pilot.pause()
        description = field(pilot, "#description")
        assert pilot.app.focused is description
        assert description.text == "North American Assembly booth leads. More."
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert server(store, detail.campaign.id)["description"].endswith("leads. More.")


# -- q closes a view, as in less, man, tig and mutt ------------------------------------------


async def test_q_closes_help_and_a_campaigns_page_and_quits_from_the_list(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        scroller = help_screen.query_one("VerticalScroll")
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert scroller.scroll_y == 3
        await pilot.press("k")
        await pilot.pause()
        assert scroller.scroll_y == 2
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ListScreen)
        await open_first(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ListScreen) and pilot.app.is_running
        await pilot.press("q")
        await pilot.pause()
        assert not pilot.app.is_running


async def test_the_conflict_dialog_keeps_each_field_label_on_one_row_at_80x24(
    make_app: MakeApp,
) -> None:
    rows: list[tuple[str, str, str | None]] = [
        ("Description", "theirs", "mine"),
        ("Name", "Theirs", None),
        ("Scheduling window", "09:00-17:00", "10:00-16:00"),
    ]
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.app.push_screen(ConflictDialog(rows))
        await pilot.pause(0.1)
        labels = [row.query("Static").first() for row in pilot.app.screen.query(".conflict-row")]
        assert [str(label.render()).strip() for label in labels] == [
            "Field",
            "* Description",
            "Name",
            "* Scheduling window",
        ]
        for label in labels:  # the "*" and its field's name on one row, nothing cut
            assert label.size.height == 1
            assert label.content_size.width >= len(str(label.render()).rstrip())
