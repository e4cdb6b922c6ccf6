"""Marks and bulk actions on the list, driven with Pilot against the in-process sandbox; the
server's state is checked afterwards."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.widgets import Button, Input, Select, Static

from skipup_campaigns.sandbox import Store
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from skipup_campaigns.tui.app import CampaignsApp
from skipup_campaigns.tui.bulk_screens import (
    BulkEditScreen,
    BulkPreviewScreen,
    BulkProgressScreen,
    BulkResultsScreen,
    ExportScreen,
)
from skipup_campaigns.tui.dialogs import ConfirmDialog, HelpScreen
from skipup_campaigns.tui.list_screen import ListScreen
from tests.conftest import READONLY, Clock, campaigns_on_server
from tests.transports import CountingTransport
from tests.tui.conftest import list_screen, settle, until
from tests.typeahead_apps import type_at_once

MakeApp = Callable[..., CampaignsApp]


def server_state(store: Store) -> dict[str, dict]:
    return {c["id"]: c for c in campaigns_on_server(store)}


def title(pilot: Any) -> str:
    return str(pilot.app.screen.query_one("#title", Static).render())


def shown_ids(pilot: Any) -> list[str]:
    return [row.id for row in list_screen(pilot).table.rows]


def marked(pilot: Any) -> set[str]:
    return set(pilot.app.workspace.marks)


async def test_space_marks_three_and_d_deactivates_exactly_those(
    make_app: MakeApp, store: Store
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = server_state(store)
        ids = shown_ids(pilot)
        await pilot.press("space", "space", "down", "space")
        chosen = {ids[0], ids[1], ids[3]}
        assert marked(pilot) == chosen
        assert list_screen(pilot).table.cursor_id == ids[4]  # space moves down
        assert "3 marked" in title(pilot)
        line = list_screen(pilot).table.render_line(1).text
        assert line.startswith("  ✓ ")  # visible without colour
        await pilot.press("d")
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkPreviewScreen), "preview")
        preview = pilot.app.screen
        assert pilot.app.focused is preview.query_one("#cancel", Button)
        text = str(preview.query_one("#bulk-preview-explanation", Static).render())
        assert "no way back" in text and "3 to change" in text
        await pilot.press("tab", "enter")  # Cancel → Deactivate 3
        await settle(pilot)
        assert isinstance(pilot.app.screen, ListScreen)
        after = server_state(store)
        assert {cid for cid in after if after[cid] != before[cid]} == chosen
        assert all(not after[cid]["active"] for cid in chosen)
        assert not marked(pilot) and "marked" not in title(pilot)
        assert any("3 done" in str(n.message) for n in pilot.app._notifications)


async def test_cancel_in_the_preview_sends_nothing(
    make_app: MakeApp, store: Store, transport: CountingTransport
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = server_state(store)
        await pilot.press("space", "space", "d")
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkPreviewScreen), "preview")
        await pilot.press("enter")  # focus starts on Cancel
        await settle(pilot)
        assert server_state(store) == before
        assert not [r for r in transport.requests if r.method != "GET"]
        assert len(marked(pilot)) == 2


async def test_star_marks_what_the_filter_shows_and_again_unmarks_esc_clears(
    make_app: MakeApp,
) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"team:sales", "enter")
        sales = shown_ids(pilot)
        assert 0 < len(sales) < 30
        await pilot.press("asterisk")
        assert marked(pilot) == set(sales)
        assert f"{len(sales)} marked" in title(pilot)
        await pilot.press("slash", "ctrl+u", *"team:partnerships", "enter")
        assert not set(shown_ids(pilot)) & set(sales)
        assert f"{len(sales)} marked ({len(sales)} hidden)" in title(pilot)
        await pilot.press("escape")  # the filter has text: esc clears it, the marks stay
        assert pilot.app.screen.query_one("#filter", Input).value == ""
        assert marked(pilot) == set(sales)
        await pilot.press("slash", *"team:sales", "enter", "asterisk")
        assert not marked(pilot)  # all shown were marked: * unmarks them
        await pilot.press("asterisk", "escape")
        assert marked(pilot) == set(sales)
        await pilot.press("escape")  # on the rows, no filter: esc clears the marks
        assert not marked(pilot)


async def test_marks_survive_sort_toggle_and_refresh(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space")
        chosen = marked(pilot)
        await pilot.press("s", "a", "S", "r")
        await settle(pilot)
        assert marked(pilot) == chosen
        table = list_screen(pilot).table
        rows = [table.render_line(y).text for y in range(1, 30)]
        assert sum("✓" in line for line in rows) == len(chosen & set(shown_ids(pilot)[:29]))


async def test_bulk_end_date_over_a_filtered_selection_and_u_undoes_it(
    make_app: MakeApp, store: Store
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = server_state(store)
        await pilot.press("slash", *"team:sales", "enter", "asterisk")
        chosen = set(shown_ids(pilot))
        await pilot.press("e")
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkEditScreen), "form")
        await until(pilot, lambda: pilot.app.screen.teams_loaded, "teams")
        form = pilot.app.screen
        form.query_one("#ends", Input).focus()
        await pilot.press(*"2027-07-15")
        await pilot.pause()
        assert form.mode("ends") == "set" and form.mode("starts") == "unchanged"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkPreviewScreen), "preview")
        text = str(pilot.app.screen.query_one("#bulk-preview-text", Static).render())
        assert "→ 2027-07-15 23:59 UTC" in text
        await pilot.press("tab", "enter")
        await settle(pilot)
        after = server_state(store)
        changed = {cid for cid in after if after[cid] != before[cid]}
        assert changed == chosen
        assert all(after[cid]["ends_at"] == "2027-07-15T23:59:59Z" for cid in chosen)
        assert all(after[cid]["description"] == before[cid]["description"] for cid in chosen)

        await pilot.press("escape", "u")  # to the rows; undo the bulk edit as one step
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkPreviewScreen), "undo")
        await pilot.press("tab", "enter")
        await settle(pilot)
        restored = server_state(store)
        for cid in chosen:
            assert restored[cid]["ends_at"] == before[cid]["ends_at"]
        await pilot.press("u")
        await settle(pilot)
        assert any("No bulk edit to undo" in str(n.message) for n in pilot.app._notifications)


async def test_u_after_a_bulk_deactivation_says_it_cannot_be_undone(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space", "d")
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkPreviewScreen), "preview")
        await pilot.press("tab", "enter")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ListScreen)
        assert any("no way back" in str(n.message) for n in pilot.app._notifications)


async def test_changed_by_another_client_is_skipped_stays_marked_with_its_reason(
    make_app: MakeApp, store: Store, clock: Clock
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        ids = shown_ids(pilot)
        await pilot.press("space", "space", "space")
        clock.advance(minutes=5)
        store.update_campaign(MAIN_WORKSPACE, ids[1], {"description": "theirs"})
        await pilot.press("e")
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkEditScreen), "form")
        await until(pilot, lambda: pilot.app.screen.teams_loaded, "teams")
        pilot.app.screen.query_one("#description", Input).focus()
        await pilot.press(*"ours", "ctrl+s")
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkPreviewScreen), "preview")
        await pilot.press("tab", "enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkResultsScreen), "results")
        results = pilot.app.screen
        assert "changed on the server" in str(
            results.query_one("#bulk-results-text", Static).render()
        )
        await pilot.press("escape")
        await settle(pilot)
        after = server_state(store)
        assert after[ids[1]]["description"] == "theirs"
        assert after[ids[0]]["description"] == after[ids[2]]["description"] == "ours"
        assert marked(pilot) == {ids[1]}
        table = list_screen(pilot).table
        table.select(ids[1])
        await pilot.pause()
        row = table.render_line(2).text
        # The ✗ says it was not done, without colour; the Status stays the real one, and the
        # reason has its own place: the summary line under the cursor's row.
        status = table.cursor_row.status if table.cursor_row is not None else ""
        assert "✗" in row and status in ("active", "scheduled", "ended") and status in row
        assert "skipped" not in row
        summary = str(pilot.app.screen.query_one("#summary", Static).render())
        assert "skipped" in summary and "changed on the server" in summary


async def test_esc_stops_mid_way_the_rest_untouched_and_still_marked(
    make_app: MakeApp, store: Store, transport: CountingTransport
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = server_state(store)
        await pilot.press("asterisk")
        chosen = marked(pilot)
        assert len(chosen) > 10
        transport.gate = asyncio.Event()
        transport.hold = lambda r: r.method == "POST"
        await pilot.press("d")
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkPreviewScreen), "preview")
        await pilot.press("tab", "enter")
        await until(pilot, lambda: transport.in_flight >= 4, "four in flight")
        assert isinstance(pilot.app.screen, BulkProgressScreen)
        await pilot.press("escape")
        transport.gate.set()
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkResultsScreen), "results")
        await pilot.press("escape")
        await settle(pilot)
        after = server_state(store)
        done = {cid for cid in after if after[cid] != before[cid]}
        assert 0 < len(done) <= 4
        assert marked(pilot) == chosen - done  # the rest: untouched and still marked
        assert all(after[cid] == before[cid] for cid in chosen - done)


async def test_quitting_while_a_bulk_action_runs_asks_first(
    make_app: MakeApp, transport: CountingTransport
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space")
        transport.gate = asyncio.Event()
        transport.hold = lambda r: r.method == "POST"
        await pilot.press("d")
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkPreviewScreen), "preview")
        await pilot.press("tab", "enter")
        await until(pilot, lambda: transport.in_flight >= 1, "in flight")
        await pilot.press("q")
        await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog), "asks")
        await pilot.press("enter")  # Cancel: stay
        await pilot.pause()
        assert pilot.app.is_running and isinstance(pilot.app.screen, BulkProgressScreen)
        transport.gate.set()
        await settle(pilot)


async def test_read_only_marks_and_exports_but_offers_no_writes(
    make_app: MakeApp, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    async with make_app(READONLY, read_only=True).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space")
        assert len(marked(pilot)) == 2
        screen = list_screen(pilot)
        # Not offered in the key bar; pressed, each says why and does nothing.
        assert {
            "edit",
            "deactivate",
            "undo_bulk",
            "new_campaign",
        } <= screen.key_bar_hidden_actions()
        await pilot.press("d", "e")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ListScreen)
        assert sum("read-only" in str(n.message) for n in pilot.app._notifications) == 2
        await pilot.press("x")
        await until(pilot, lambda: isinstance(pilot.app.screen, ExportScreen), "export")
        await pilot.press(*"out.json", "enter")
        await settle(pilot)
        data = json.loads((tmp_path / "out.json").read_text())
        assert {item["id"] for item in data} == marked(pilot)


async def test_export_without_marks_writes_what_is_shown_and_asks_before_replacing(
    make_app: MakeApp, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "shown.csv").write_text("keep me\n")
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"team:sales", "enter")
        shown = shown_ids(pilot)
        await pilot.press("x")
        await until(pilot, lambda: isinstance(pilot.app.screen, ExportScreen), "export")
        await pilot.press(*"shown.csv", "enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog), "asks")
        await pilot.press("enter")  # Cancel: back to the name, as typed
        await until(pilot, lambda: isinstance(pilot.app.screen, ExportScreen), "the name")
        assert pilot.app.screen.query_one("#export-file", Input).value == "shown.csv"
        assert (tmp_path / "shown.csv").read_text() == "keep me\n"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog), "asks")
        await pilot.press("tab", "enter")  # Replace
        await settle(pilot)
        lines = (tmp_path / "shown.csv").read_text().splitlines()
        assert (
            lines[0].startswith("id,name,") and [line.split(",")[0] for line in lines[1:]] == shown
        )


async def test_the_export_name_shown_is_the_default_written(
    make_app: MakeApp, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await until(pilot, lambda: isinstance(pilot.app.screen, ExportScreen), "export")
        field = pilot.app.screen.query_one("#export-file", Input)
        assert field.value == "" and field.placeholder == "campaigns.csv"
        await pilot.press("enter")  # nothing typed: the name shown
        await settle(pilot)
        assert (tmp_path / "campaigns.csv").read_text().startswith("id,name,")
        await pilot.press("x")
        await until(pilot, lambda: isinstance(pilot.app.screen, ExportScreen), "export")
        await pilot.press("tab", "right", "space")  # JSON
        await pilot.pause()
        assert pilot.app.screen.query_one("#export-file", Input).placeholder == "campaigns.json"


async def test_help_lists_the_mark_keys(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        keys = [str(s.render()) for s in help_screen.query(".help-key")]
        assert "space" in keys and "*" in keys


async def test_apply_anyway_writes_over_a_campaign_changed_since_it_was_loaded(
    make_app: MakeApp, store: Store, clock: Clock
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        ids = shown_ids(pilot)
        await pilot.press("space", "space")
        clock.advance(minutes=5)
        store.update_campaign(MAIN_WORKSPACE, ids[1], {"description": "theirs"})
        await pilot.press("d")
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkPreviewScreen), "preview")
        await pilot.press("tab", "tab", "enter")  # Cancel → Deactivate → Apply anyway
        await settle(pilot)
        after = server_state(store)
        assert not after[ids[0]]["active"] and not after[ids[1]]["active"]
        assert not marked(pilot)


async def test_keys_typed_at_once_mark_and_deactivate(make_app: MakeApp, store: Store) -> None:
    from tests.typeahead_apps import type_at_once

    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = server_state(store)
        ids = shown_ids(pilot)
        await type_at_once(pilot, "space", "j", "space", "d", "tab", "enter")
        await settle(pilot)
        after = server_state(store)
        assert {cid for cid in after if after[cid] != before[cid]} == {ids[0], ids[2]}


async def test_space_in_the_filter_is_a_space(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "a", "space", "b", "asterisk", "x", "u")
        assert pilot.app.screen.query_one("#filter", Input).value == "a b*xu"
        assert not marked(pilot)


async def test_stop_and_quit_waits_for_the_requests_in_flight_then_quits(
    make_app: MakeApp, store: Store, transport: CountingTransport
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = server_state(store)
        await pilot.press("asterisk")
        transport.gate = asyncio.Event()
        transport.hold = lambda r: r.method == "POST"
        await pilot.press("d")
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkPreviewScreen), "preview")
        await pilot.press("tab", "enter")
        await until(pilot, lambda: transport.in_flight >= 4, "in flight")
        await pilot.press("q")
        await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog), "asks")
        await pilot.press("tab", "enter")  # Stop and quit
        await pilot.pause(0.1)
        assert app.is_running  # still waiting for the four in flight
        transport.gate.set()
        await until(pilot, lambda: not app.is_running, "quits")
    after = server_state(store)
    assert len({cid for cid in after if after[cid] != before[cid]}) == 4


async def test_the_bulk_form_reads_naturally_and_its_refusal_clears_when_a_field_is_set(
    make_app: MakeApp,
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space", "space", "e")
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkEditScreen), "form")
        form = pilot.app.screen
        assert str(form.query_one("#bulk-edit-title", Static).render()) == (
            "Edit the 3 marked campaigns"
        )
        await pilot.press("ctrl+s")
        status = form.query_one("#bulk-edit-status", Static)
        assert "unchanged" in str(status.render()) and status.has_class("-error")
        form.query_one("#ends", Input).focus()
        await pilot.press(*"2027-01-01")
        await pilot.pause()
        assert str(status.render()) == "" and not status.has_class("-error")
        await pilot.press("escape")


async def test_a_stopped_undo_names_u_which_puts_back_the_rest(
    make_app: MakeApp, store: Store, transport: CountingTransport
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = server_state(store)
        await pilot.press(*["space"] * 6, "e")
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkEditScreen), "form")
        await until(pilot, lambda: pilot.app.screen.teams_loaded, "teams")
        pilot.app.screen.query_one("#description", Input).focus()
        await pilot.press(*"ours", "ctrl+s")
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkPreviewScreen), "preview")
        await pilot.press("tab", "enter")
        await settle(pilot)
        chosen = {cid for cid, c in server_state(store).items() if c["description"] == "ours"}
        assert len(chosen) == 6
        transport.gate = asyncio.Event()
        transport.hold = lambda r: r.method == "PATCH"
        await pilot.press("escape", "u")
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkPreviewScreen), "undo")
        await pilot.press("tab", "enter")
        await until(pilot, lambda: transport.in_flight >= 1, "a put-back on the wire")
        await pilot.press("escape")  # stop the undo
        transport.gate.set()
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkResultsScreen), "results")
        hint = " ".join(str(s.render()) for s in pilot.app.screen.query(".bulk-hint"))
        assert "u on the list puts back the rest" in hint
        await pilot.press("escape")
        await settle(pilot)
        left = {cid for cid, c in server_state(store).items() if c["description"] == "ours"}
        assert left and left < chosen  # stopped part-way
        transport.gate = None
        await pilot.press("u")  # as the dialog said
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkPreviewScreen), "the rest")
        await pilot.press("tab", "enter")
        await settle(pilot)
        after = server_state(store)
        assert all(after[cid]["description"] == before[cid]["description"] for cid in chosen)


async def test_the_preview_counts_the_marked_the_filter_hides_and_lists_them_first(
    make_app: MakeApp, store: Store
) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        names = [row.campaign.name for row in list_screen(pilot).table.rows[:3]]
        await pilot.press("space", "space", "space")
        await pilot.press("slash", *names[0], "enter")
        await settle(pilot)
        assert [row.campaign.name for row in list_screen(pilot).table.rows] == [names[0]]
        await pilot.press("d")
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkPreviewScreen), "preview")
        explanation = str(pilot.app.screen.query_one("#bulk-preview-explanation", Static).render())
        assert "2 of them are marked but hidden by the filter" in explanation
        text = str(pilot.app.screen.query_one("#bulk-preview-text", Static).render())
        order = [text.index(name) for name in names]
        assert order[1] < order[0] and order[2] < order[0]  # the hidden ones first
        await pilot.press("escape")  # nothing sent
        await settle(pilot)
        assert all(
            c["deactivated_at"] is None for c in campaigns_on_server(store) if c["name"] in names
        )


async def test_the_team_list_stays_inside_the_bulk_form_at_80x24(make_app: MakeApp) -> None:
    from textual.widget import Widget
    from textual.widgets import Select

    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space", "e")
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkEditScreen), "form")
        await until(pilot, lambda: pilot.app.screen.teams_loaded, "teams")
        form = pilot.app.screen
        form.query_one("#team", Select).focus()
        await pilot.press("enter")
        await pilot.pause(0.2)
        overlay = form.query_one("SelectOverlay", Widget)
        box = form.query_one("#bulk-edit-box").content_region
        assert overlay.region.height >= 3
        assert box.y <= overlay.region.y and overlay.region.bottom <= box.bottom
        await pilot.press("down", "enter")  # a team chosen from the fitted list
        assert form.mode("team") == "set"


async def test_keys_typed_while_the_teams_load_land_in_the_bulk_form(
    make_app: MakeApp, store: Store, transport: CountingTransport
) -> None:
    """Loading the teams is not a write: keys typed behind `e` (as a terminal delivers them,
    at once) land in the form's fields while the teams are still held back, and the picker
    fills in when they arrive. (The keys wait the app's usual patience: a shorter one made a
    key go on before a slow mount under load, landing in the wrong field.)"""
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space", "space")
        chosen = marked(pilot)
        before = server_state(store)
        transport.gate = asyncio.Event()
        transport.hold = lambda request: request.url.path.endswith("/teams")
        await type_at_once(pilot, "e", *["tab"] * 6, "space", "tab", *"Round two")
        # Settled with the teams still held back: no key waited for them.
        assert pilot.app.keys_settled and not transport.gate.is_set()
        assert not any("dropped" in str(n.message) for n in pilot.app._notifications)
        form = pilot.app.screen
        assert isinstance(form, BulkEditScreen) and not form.teams_loaded
        assert form.query_one("#description", Input).value == "Round two"
        assert form.mode("description") == "set"
        transport.gate.set()
        await until(pilot, lambda: form.teams_loaded, "teams")
        assert form.query_one("#team", Select).prompt == "Choose a team"  # filled in
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(pilot.app.screen, BulkPreviewScreen), "preview")
        assert "Round two" in str(pilot.app.screen.query_one("#bulk-preview-text", Static).render())
        await pilot.press("tab", "enter")
        await settle(pilot)
        after = server_state(store)
        assert {cid for cid in after if after[cid] != before[cid]} == chosen
        assert all(after[cid]["description"] == "Round two" for cid in chosen)
