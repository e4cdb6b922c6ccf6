"""Detail, edit, create, deactivate and undo, driven with Pilot against the in-process sandbox;
every test checks what the server holds afterwards, and what was (not) sent."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from textual.widgets import Select, Static

from skipup_campaigns.sandbox import SandboxSettings, Store
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from skipup_campaigns.startup.setup import build_workspace
from skipup_campaigns.tui.app import CampaignsApp, UISettings
from skipup_campaigns.tui.detail_screen import DetailScreen
from skipup_campaigns.tui.dialogs import ConfirmDialog, ConflictDialog
from skipup_campaigns.tui.edit_screen import EditScreen
from tests.conftest import READONLY, Clock, campaigns_on_server
from tests.transports import CountingTransport
from tests.tui.conftest import list_screen, settle

MakeApp = Callable[..., CampaignsApp]


def writes(transport: CountingTransport) -> list[tuple[str, str, Any]]:
    out = []
    for request in transport.requests:
        if request.method in ("POST", "PATCH"):
            body = json.loads(request.content) if request.content else None
            out.append((request.method, request.url.path, body))
    return out


def server(store: Store, campaign_id: str) -> dict[str, Any]:
    return store.get_campaign(MAIN_WORKSPACE, campaign_id)


async def open_first(pilot: Any) -> DetailScreen:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DetailScreen)
    return screen


async def open_editor(pilot: Any, key: str = "e") -> EditScreen:
    await pilot.press(key)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, EditScreen)
    return screen


def field(pilot: Any, selector: str) -> Any:
    return pilot.app.screen.query_one(selector)


def choose_a_team(pilot: Any) -> str:
    team = field(pilot, "#team")
    team.value = next(v for _, v in team._options if v is not Select.NULL)
    return team.value


def text_of(widget: Static) -> str:
    return str(widget.render())


# -- detail ----------------------------------------------------------------------------------


async def test_detail_fetches_afresh_and_shows_every_field(
    make_app: MakeApp, store: Store, clock: Clock
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        first = list_screen(pilot).table.cursor_row.campaign
        store.update_campaign(MAIN_WORKSPACE, first.id, {"description": "changed meanwhile"})
        detail = await open_first(pilot)
        assert detail.campaign.description == "changed meanwhile"
        assert text_of(field(pilot, "#detail-meta")).startswith("fetched ")
        values = {w.id: text_of(w.query_one(".value")) for w in detail.query(".field")}
        assert values["field-description"] == "changed meanwhile"
        assert values["field-status"] == "active"
        assert values["field-email"] == first.email_address
        assert "(ends in" in values["field-ends"] and "(started" in values["field-starts"]
        assert "43.0%" in values["field-rate"] and "█" in values["field-rate"]
        # The list shows the fresh answer too.
        await pilot.press("escape")
        row = list_screen(pilot).table.cursor_row
        assert row.id == first.id and row.campaign.description == "changed meanwhile"


async def test_copy_email_and_id(make_app: MakeApp) -> None:
    async with make_app(clipboard="osc52").run_test(size=(80, 24)) as pilot:
        detail = await open_first(pilot)
        await pilot.press("c")
        await settle(pilot)  # the copy runs in a thread
        assert pilot.app.clipboard == detail.campaign.email_address
        await pilot.press("y")
        await settle(pilot)
        assert pilot.app.clipboard == detail.campaign.id
        messages = [str(n.message) for n in pilot.app._notifications]
        assert any(m.startswith("Copied the id: cmp_") for m in messages)


# -- edit ------------------------------------------------------------------------------------


async def test_edit_sends_only_changed_fields_and_list_shows_the_answer(
    make_app: MakeApp, store: Store, transport: CountingTransport
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        detail = await open_first(pilot)
        target = detail.campaign.id
        form = await open_editor(pilot)
        assert pilot.app.focused is field(pilot, "#name")
        await pilot.press("end", *" (EMEA)")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DetailScreen)
        assert server(store, target)["name"] == "NAA 2026 (EMEA)"
        assert writes(transport) == [
            ("PATCH", f"/api/v1/campaigns/{target}", {"name": "NAA 2026 (EMEA)"})
        ]
        await pilot.press("escape")
        assert list_screen(pilot).table.cursor_row.campaign.name == "NAA 2026 (EMEA)"
        del form


async def test_nothing_changed_sends_nothing(
    make_app: MakeApp, transport: CountingTransport
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_first(pilot)
        form = await open_editor(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert writes(transport) == []
        assert pilot.app.screen is form
        assert "Nothing changed" in text_of(field(pilot, "#form-status"))


@pytest.mark.parametrize(
    ("selector", "typed", "error_id", "message"),
    [
        ("#name", "", "#name-error", "a name is required"),
        ("#name", "x" * 201, "#name-error", "at most 200 characters"),
        ("#starts", "tomorrow", "#starts_at-error", "not a date"),
        ("#starts", "2026-13-01", "#starts_at-error", "not a date"),
        ("#starts", "2026-06-01 25:00", "#starts_at-error", "not a date"),
        ("#ends", "2026-10-01", "#ends_at-error", "the end must be after the start"),
    ],
)
async def test_a_rejected_form_sends_no_request_and_keeps_the_text(
    make_app: MakeApp,
    transport: CountingTransport,
    selector: str,
    typed: str,
    error_id: str,
    message: str,
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_first(pilot)
        form = await open_editor(pilot)
        if selector == "#ends":
            field(pilot, "#starts").value = "2026-12-01"
        field(pilot, selector).value = typed
        sent = len(transport.requests)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert len(transport.requests) == sent  # not even the conflict check
        assert message in text_of(field(pilot, error_id))
        assert pilot.app.focused is field(pilot, selector)
        assert field(pilot, selector).value == typed
        assert pilot.app.screen is form


async def test_dates_show_their_utc_value_as_typed(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_editor(pilot, "n")
        starts, ends = field(pilot, "#starts"), field(pilot, "#ends")
        starts.value = "2026-07-01 09:30"
        ends.value = "2026-07-31"
        await pilot.pause()
        assert text_of(field(pilot, "#starts-hint")) == "= 2026-07-01T09:30:00Z"
        assert text_of(field(pilot, "#ends-hint")) == "= 2026-07-31T23:59:59Z"
        starts.value = "2026-07-01T09:30:00+02:00"
        await pilot.pause()
        assert text_of(field(pilot, "#starts-hint")) == "= 2026-07-01T07:30:00Z"


async def test_double_ctrl_s_makes_one_request(
    make_app: MakeApp, store: Store, transport: CountingTransport
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        detail = await open_first(pilot)
        await open_editor(pilot)
        field(pilot, "#name").value = "Once"
        transport.gate = asyncio.Event()
        transport.hold = lambda request: request.method == "PATCH"
        await pilot.press("ctrl+s", "ctrl+s", "ctrl+s")
        await pilot.pause(0.1)
        transport.gate.set()
        await settle(pilot)
        assert [w[0] for w in writes(transport)] == ["PATCH"]
        assert server(store, detail.campaign.id)["name"] == "Once"


async def test_a_422_lands_on_its_field_and_the_form_stays(make_app: MakeApp, store: Store) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_first(pilot)
        form = await open_editor(pilot)
        partnerships = next(
            t
            for t in store.list_teams(MAIN_WORKSPACE, limit=10, cursor=None)[0]
            if t["name"] == "Partnerships"
        )
        field(pilot, "#team").value = partnerships["id"]
        field(pilot, "#name").value = "Moved team"
        store.deactivate_team(partnerships["id"])  # meanwhile, on the server
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is form
        assert "team_id does not match" in text_of(field(pilot, "#team_id-error"))
        assert field(pilot, "#name").value == "Moved team"


async def test_network_failure_keeps_the_form_and_says_the_change_did_not_land(
    make_app: MakeApp, store: Store, transport: CountingTransport
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        detail = await open_first(pilot)
        form = await open_editor(pilot)
        field(pilot, "#name").value = "Typed with care"
        field(pilot, "#description").text = "line one\nline two"
        transport.fail = lambda request: request.method == "PATCH"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is form
        assert "did not land" in text_of(field(pilot, "#form-status"))
        assert field(pilot, "#name").value == "Typed with care"
        assert field(pilot, "#description").text == "line one\nline two"
        assert server(store, detail.campaign.id)["name"] == "NAA 2026"
        transport.fail = lambda request: False
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert server(store, detail.campaign.id)["name"] == "Typed with care"
        assert server(store, detail.campaign.id)["description"] == "line one\nline two"


async def test_a_timed_out_edit_that_landed_is_reported_as_landed(
    make_app: MakeApp, store: Store, transport: CountingTransport
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        detail = await open_first(pilot)
        await open_editor(pilot)
        field(pilot, "#name").value = "Slow but saved"
        transport.lose_answer = lambda request: request.method == "PATCH"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert transport.lost
        assert isinstance(pilot.app.screen, DetailScreen)
        assert server(store, detail.campaign.id)["name"] == "Slow but saved"
        assert any("your change landed" in str(n.message) for n in pilot.app._notifications)


# -- conflicts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("choice", "expected_name", "expected_description"),
    [
        ("overwrite", "Mine", "theirs"),
        ("theirs", "Theirs", "theirs"),
        ("keep", "Theirs", "theirs"),
    ],
)
async def test_conflict_shows_what_differs_and_obeys_the_choice(
    make_app: MakeApp,
    store: Store,
    clock: Clock,
    transport: CountingTransport,
    choice: str,
    expected_name: str,
    expected_description: str,
) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        detail = await open_first(pilot)
        target = detail.campaign.id
        form = await open_editor(pilot)
        field(pilot, "#name").value = "Mine"
        clock.advance(seconds=5)
        store.update_campaign(MAIN_WORKSPACE, target, {"name": "Theirs", "description": "theirs"})
        await pilot.press("ctrl+s")
        await pilot.pause(0.2)
        dialog = pilot.app.screen
        assert isinstance(dialog, ConflictDialog)
        shown = {(label, theirs, yours) for label, theirs, yours in dialog.rows}
        assert ("Name", "Theirs", "Mine") in shown
        # Description moved on the server but is not the user's: marked so, never sent.
        assert ("Description", "theirs", None) in shown
        assert pilot.app.focused.id == "keep"
        await pilot.click(f"#{choice}")
        await settle(pilot)
        stored = server(store, target)
        assert (stored["name"], stored["description"]) == (expected_name, expected_description)
        if choice == "overwrite":
            assert writes(transport)[-1][2] == {"name": "Mine"}
            assert isinstance(pilot.app.screen, DetailScreen)
        else:
            assert pilot.app.screen is form
            assert [w for w in writes(transport) if w[0] == "PATCH"] == []
            shown_name = field(pilot, "#name").value
            assert shown_name == ("Theirs" if choice == "theirs" else "Mine")


# -- create ----------------------------------------------------------------------------------


async def test_create_selects_the_new_campaign_and_opens_it(
    make_app: MakeApp, store: Store, transport: CountingTransport
) -> None:
    before = len(campaigns_on_server(store))
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"zzz", "enter")  # a filter the new one does not match
        form = await open_editor(pilot, "n")
        assert form.creating and pilot.app.focused is field(pilot, "#name")
        team = field(pilot, "#team")
        options = [value for _, value in team._options if value is not Select.NULL]
        assert len(options) == 4  # active teams only
        team.value = options[0]
        await pilot.press(*"Brand new")
        field(pilot, "#ends").value = "2026-12-31"
        await pilot.press("ctrl+s")
        await settle(pilot)
        detail = pilot.app.screen
        assert isinstance(detail, DetailScreen) and detail.campaign.name == "Brand new"
        await pilot.press("escape")
        screen = list_screen(pilot)
        assert screen.filter_input.value == "zzz"  # the filter is kept, and says it hides it
        assert any("hidden by the filter" in str(n.message) for n in pilot.app._notifications)
        await pilot.press("escape")  # clears the filter: the cursor is still on it
        assert screen.table.cursor_row.campaign.name == "Brand new"
    created = [c for c in campaigns_on_server(store) if c["name"] == "Brand new"]
    assert len(campaigns_on_server(store)) == before + 1 and len(created) == 1
    assert created[0]["ends_at"] == "2026-12-31T23:59:59Z"
    posts = [r for r in transport.requests if r.method == "POST"]
    assert len(posts) == 1 and posts[0].headers["idempotency-key"]


async def test_a_create_retried_after_a_lost_answer_makes_one_campaign(
    make_app: MakeApp, store: Store, transport: CountingTransport
) -> None:
    before = len(campaigns_on_server(store))
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_editor(pilot, "n")
        choose_a_team(pilot)
        field(pilot, "#name").value = "Exactly one"
        transport.lose_answer = lambda request: request.method == "POST"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "cannot create two" in text_of(field(pilot, "#form-status"))
        await pilot.press("ctrl+s")  # the user retries
        await settle(pilot)
        assert isinstance(pilot.app.screen, DetailScreen)
    posts = [r for r in transport.requests if r.method == "POST"]
    assert len(posts) == 2
    assert posts[0].headers["idempotency-key"] == posts[1].headers["idempotency-key"]
    assert len(campaigns_on_server(store)) == before + 1


async def test_without_teams_scope_the_picker_offers_the_teams_of_the_campaigns(
    store: Store, clock: Clock
) -> None:
    from skipup_campaigns.api import SkipUpClient
    from skipup_campaigns.sandbox import create_app, parse_key_spec
    from tests.conftest import IN_PROCESS_URL

    settings = SandboxSettings(rate_limit=0)
    key = parse_key_spec("sk_test_noteams=campaigns.read,campaigns.write")
    settings.keys[key.key] = key
    client = SkipUpClient(
        key.key, IN_PROCESS_URL, transport=httpx.ASGITransport(create_app(store, settings))
    )
    async with CampaignsApp(
        build_workspace(client, clock=clock), ui=UISettings(remember_theme=False)
    ).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_editor(pilot, "n")
        picker = field(pilot, "#team")
        offered = {value for _, value in picker._options}
        seen = {c["team_id"] for c in campaigns_on_server(store)}
        assert seen <= offered
        team = sorted(seen)[0]
        assert "teams from your campaigns; this key cannot list teams" in text_of(
            field(pilot, "#team-note")
        )
        picker.value = team
        field(pilot, "#name").value = "By id"
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert [c["team_id"] for c in campaigns_on_server(store) if c["name"] == "By id"] == [team]


# -- cancel ----------------------------------------------------------------------------------


async def test_cancel_asks_when_something_changed_and_discard_sends_nothing(
    make_app: MakeApp, store: Store, transport: CountingTransport
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        detail = await open_first(pilot)
        form = await open_editor(pilot)
        await pilot.press("escape")  # unchanged: leaves at once
        await settle(pilot)
        assert pilot.app.screen is detail
        form = await open_editor(pilot)
        field(pilot, "#name").value = "Half typed"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        assert pilot.app.focused.id == "cancel"
        await pilot.press("enter")  # Cancel: back to the form, text intact
        await settle(pilot)
        assert pilot.app.screen is form and field(pilot, "#name").value == "Half typed"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.click("#confirm")
        await settle(pilot)
        assert pilot.app.screen is detail
    assert writes(transport) == []
    assert server(store, detail.campaign.id)["name"] == "NAA 2026"


# -- deactivate and undo ---------------------------------------------------------------------


async def test_deactivate_asks_with_focus_on_cancel_then_updates_everywhere(
    make_app: MakeApp, store: Store
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        detail = await open_first(pilot)
        target = detail.campaign.id
        await pilot.press("d")
        await pilot.pause(0.2)  # the worker waits for the answer: do not wait for it
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog) and dialog.subject == "NAA 2026"
        assert "no way to undo" in dialog.explanation
        assert pilot.app.focused.id == "cancel"
        await pilot.press("enter")
        await settle(pilot)
        assert server(store, target)["active"] is True
        await pilot.press("d")
        await pilot.pause(0.2)
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert server(store, target)["active"] is False
        assert pilot.app.screen is detail and detail.campaign.active is False
        assert detail.check_action("deactivate", ()) is False  # not offered again
        await pilot.press("escape")
        assert target not in [r.id for r in list_screen(pilot).table.rows]  # active only


async def test_undo_patches_back_the_old_values(make_app: MakeApp, store: Store) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        detail = await open_first(pilot)
        target = detail.campaign.id
        assert detail.check_action("undo", ()) is False
        await open_editor(pilot)
        field(pilot, "#name").value = "Renamed"
        field(pilot, "#description").text = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert server(store, target)["description"] is None
        await pilot.press("u")
        await settle(pilot)
        restored = server(store, target)
        assert restored["name"] == "NAA 2026"
        assert restored["description"] == "North American Assembly booth leads."
        assert detail.check_action("undo", ()) is False


async def test_undo_after_someone_else_changed_it_asks_first(
    make_app: MakeApp, store: Store, clock: Clock
) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        detail = await open_first(pilot)
        target = detail.campaign.id
        await open_editor(pilot)
        field(pilot, "#name").value = "Mine"
        await pilot.press("ctrl+s")
        await settle(pilot)
        clock.advance(seconds=5)
        store.update_campaign(MAIN_WORKSPACE, target, {"name": "Someone else's"})
        await pilot.press("u")
        await pilot.pause(0.2)
        assert isinstance(pilot.app.screen, ConflictDialog)
        await pilot.press("enter")  # keep (the default): nothing is undone
        await settle(pilot)
        assert server(store, target)["name"] == "Someone else's"


# -- permissions -----------------------------------------------------------------------------


async def test_read_only_offers_no_write_anywhere(make_app: MakeApp) -> None:
    async with make_app(read_only=True).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = list_screen(pilot)
        # Not offered (the key bar leaves them out); pressed, they say why and do nothing.
        assert {"new_campaign", "edit", "deactivate"} <= screen.key_bar_hidden_actions()
        detail = await open_first(pilot)
        assert {"edit", "deactivate", "undo"} <= detail.key_bar_hidden_actions()
        await pilot.press("e", "d")
        await settle(pilot)
        assert pilot.app.screen is detail
        assert sum("read-only" in str(n.message) for n in pilot.app._notifications) == 2


async def test_a_key_without_write_scope_turns_writing_off_after_the_first_403(
    make_app: MakeApp, store: Store
) -> None:
    async with make_app(READONLY).run_test(size=(80, 24)) as pilot:
        detail = await open_first(pilot)
        form = await open_editor(pilot)  # offered: scopes are not guessed from the key
        field(pilot, "#name").value = "Not allowed"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is form and field(pilot, "#name").value == "Not allowed"
        assert "campaigns.write" in text_of(field(pilot, "#form-status"))
        assert not pilot.app.workspace.writable
        warnings = [n for n in pilot.app._notifications if n.title == "Read-only key"]
        assert len(warnings) == 1
        assert "edit" in detail.key_bar_hidden_actions()
        assert "new_campaign" in list_screen_from(pilot).key_bar_hidden_actions()
    assert server(store, detail.campaign.id)["name"] == "NAA 2026"


def list_screen_from(pilot: Any) -> Any:
    from skipup_campaigns.tui.list_screen import ListScreen

    return next(s for s in pilot.app.screen_stack if isinstance(s, ListScreen))


async def test_a_401_mid_session_keeps_the_form_and_says_how_to_fix_it(
    make_app: MakeApp, settings: SandboxSettings
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_first(pilot)
        form = await open_editor(pilot)
        field(pilot, "#name").value = "Typed before the key expired"
        settings.keys.pop("sk_test_admin")  # the key is revoked on the server
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is form
        assert field(pilot, "#name").value == "Typed before the key expired"
        status = text_of(field(pilot, "#form-status"))
        assert "API key was refused" in status and "SKIPUP_API_KEY" in status
        assert "config set-key" in status


async def test_n_on_a_campaign_page_creates_and_opens_the_new_one(
    make_app: MakeApp, store: Store
) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await open_first(pilot)
        await open_editor(pilot, "n")
        choose_a_team(pilot)
        field(pilot, "#name").value = "From a page"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DetailScreen)
        assert pilot.app.screen.campaign.name == "From a page"
        await pilot.press("escape")
        assert list_screen(pilot).table.cursor_row.campaign.name == "From a page"
    assert [c["name"] for c in campaigns_on_server(store)].count("From a page") == 1


async def test_deactivate_from_the_list_reads_the_campaign_afresh_first(
    make_app: MakeApp, store: Store
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        target = list_screen(pilot).table.cursor_row.id
        store.deactivate_campaign(MAIN_WORKSPACE, target)  # meanwhile, elsewhere
        await pilot.press("d")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, ConfirmDialog)  # nothing left to confirm
        assert any("already deactivated" in str(n.message) for n in pilot.app._notifications)
        assert target not in [r.id for r in list_screen(pilot).table.rows]


async def test_quitting_with_unsaved_changes_asks_first(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_first(pilot)
        form = await open_editor(pilot)
        field(pilot, "#name").value = "Not saved yet"
        pilot.app.set_focus(field(pilot, "#team"))  # not a text field: q is the quit key here
        await pilot.press("q")
        await pilot.pause(0.2)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        assert pilot.app.focused.id == "cancel"
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert pilot.app.screen is form and field(pilot, "#name").value == "Not saved yet"
        assert pilot.app.is_running
        await pilot.press("ctrl+q")  # Textual's own quit key asks too
        await pilot.pause(0.2)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.click("#confirm")
        await pilot.pause(0.2)
    assert not pilot.app.is_running


async def test_ctrl_c_quits_asking_first_with_unsaved_changes_even_in_a_field(
    make_app: MakeApp,
) -> None:
    """As in k9s, lazygit or less (not Textual's "press ctrl+q to quit"); a second ctrl+c
    leaves the question on screen, once."""
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_first(pilot)
        await open_editor(pilot)
        await pilot.press("X")  # typed into Name, which keeps the focus
        await pilot.press("ctrl+c")
        await pilot.pause(0.2)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("ctrl+c")
        await pilot.pause(0.2)
        assert len([s for s in pilot.app.screen_stack if isinstance(s, ConfirmDialog)]) == 1
        await pilot.click("#confirm")
        await pilot.pause(0.2)
    assert not pilot.app.is_running


async def test_ctrl_c_quits_from_the_list_at_once(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        await pilot.pause(0.2)
    assert not pilot.app.is_running
    assert not any("ctrl+q" in str(n.message) for n in pilot.app._notifications)


async def test_saving_before_the_teams_arrive_keeps_the_campaigns_team(
    make_app: MakeApp, store: Store, transport: CountingTransport
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        detail = await open_first(pilot)
        transport.gate = asyncio.Event()
        transport.hold = lambda request: request.url.path.endswith("/teams")
        await pilot.press("e")
        await pilot.pause(0.1)
        field(pilot, "#name").value = "Quick save"
        await pilot.press("ctrl+s")
        for _ in range(50):
            await pilot.pause(0.02)
            if isinstance(pilot.app.screen, DetailScreen):
                break
        transport.gate.set()
        await settle(pilot)
        stored = server(store, detail.campaign.id)
        assert stored["name"] == "Quick save" and stored["team_id"] == detail.campaign.team_id


async def test_a_crash_report_never_shows_the_key(
    transport: CountingTransport,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    """Textual's crash screen lists each frame's locals: none may hold the key."""
    from skipup_campaigns.api import SkipUpClient
    from skipup_campaigns.tui.list_screen import ListScreen
    from tests.conftest import IN_PROCESS_URL

    key = "sk_test_admin"
    client = SkipUpClient(key, IN_PROCESS_URL, transport=transport, max_retries=0)
    app = CampaignsApp(build_workspace(client, clock=clock), ui=UISettings(remember_theme=False))

    def broken(self: ListScreen, *args: Any, **kwargs: Any) -> None:
        raise RuntimeError("a bug, on purpose")

    with pytest.raises(RuntimeError, match="on purpose"):
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            monkeypatch.setattr(ListScreen, "update_view", broken)
            await pilot.press("a")
            await pilot.pause()
    report = capfd.readouterr().err  # Textual printed its crash report, locals and all
    assert "a bug, on purpose" in report and "update_view" in report and "locals" in report
    assert key not in report


async def test_arrows_step_through_teams_in_place_and_the_create_lands(
    make_app: MakeApp, store: Store
) -> None:
    from skipup_campaigns.tui.widgets.team_picker import TeamPicker

    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        form = await open_editor(pilot, "n")
        await settle(pilot)
        await pilot.press(*"Stepped", "tab", "tab", "down", "down", "up")
        picker = form.query_one(TeamPicker)
        teams = [value for _, value in picker._options if value is not Select.NULL]
        assert picker.value == teams[0] and not picker.expanded
        await pilot.press("enter")  # enter still opens the whole list
        await pilot.pause()
        assert picker.expanded
        await pilot.press("escape", "ctrl+s")
        await settle(pilot)
    made = [c for c in campaigns_on_server(store) if c["name"] == "Stepped"]
    assert len(made) == 1 and made[0]["team_id"] == teams[0]
