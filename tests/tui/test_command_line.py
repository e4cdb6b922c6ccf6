"""The `:` command line, driven with Pilot over the in-process sandbox: the commands, Tab
completion, history across sessions, errors that keep what was typed, and the palette and
the `:` line offering the same commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import Static

from skipup_campaigns.sandbox import Store
from skipup_campaigns.tui import colon_commands
from skipup_campaigns.tui.app import CampaignsApp
from skipup_campaigns.tui.list_commands import PALETTE_EQUIVALENTS
from skipup_campaigns.tui.widgets.campaign_table import NAME_MIN
from skipup_campaigns.tui.widgets.command_line import CommandLine
from skipup_campaigns.workspace.views import views_from_config
from tests.conftest import campaigns_on_server
from tests.tui.conftest import list_screen, settle

MakeApp = Callable[..., CampaignsApp]
VIEWS = views_from_config(
    [
        {"name": "Sales", "filter": "team:sales"},
        {"name": "Ending soon", "filter": "ends:<30d", "sort": "end"},
    ],
    "t",
)


def prompt(pilot: Any) -> CommandLine:
    return pilot.app.screen.query_one(CommandLine)


def hint(pilot: Any) -> str:
    return str(pilot.app.screen.query_one("#command-hint", Static).render())


async def command(pilot: Any, line: str) -> None:
    await pilot.press("colon", *line, "enter")
    await pilot.pause()


async def test_sort_filter_and_marks_from_the_command_line(make_app: MakeApp, store: Store) -> None:
    async with make_app().run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await command(pilot, "sort booked desc")
        screen = list_screen(pilot)
        booked = [row.booked for row in screen.table.rows]
        assert booked == sorted(booked, reverse=True) and (screen.sort, screen.reverse) == (
            "booked",
            False,
        )
        assert not prompt(pilot).is_open and pilot.app.focused is screen.table
        await command(pilot, "sort booked asc")
        assert [row.booked for row in screen.table.rows] == sorted(booked)
        await command(pilot, "filter team:sales")
        assert screen.filter_input.value == "team:sales"
        sales = {row.id for row in screen.table.rows}
        await command(pilot, "mark")
        assert set(pilot.app.workspace.marks.ids) == sales
        await command(pilot, "filter")  # nothing after it: the filter takes the keys
        assert pilot.app.focused is screen.filter_input
        await pilot.press("escape")  # clears it
        await command(pilot, "marked")
        assert {row.id for row in screen.table.rows} == sales
        assert "marked" in screen.filter_input.value
        await command(pilot, "active off")
        await command(pilot, "invert")  # on what is shown: the marked ones, now unmarked
        assert not pilot.app.workspace.marks
        await command(pilot, "marked")  # again: the filter drops it
        assert "marked" not in screen.filter_input.value
        await command(pilot, "marked")  # nothing marked: says so, the prompt keeps the line
        assert prompt(pilot).is_open and "Nothing is marked" in hint(pilot)
        assert prompt(pilot).input.value == "marked"
        await pilot.press("escape")
        await command(pilot, "filter")
        await pilot.press("escape")
        all_rows = len(campaigns_on_server(store))
        await command(pilot, "mark")
        assert len(pilot.app.workspace.marks) == all_rows
        await command(pilot, "unmark")
        assert not pilot.app.workspace.marks


async def test_unknown_commands_and_bad_arguments_say_what_exists(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await command(pilot, "srot name")
        assert "No command 'srot'" in hint(pilot) and "sort" in hint(pilot)
        assert prompt(pilot).input.value == "srot name"  # kept as typed
        await pilot.press("ctrl+u", *"sort colour", "enter")
        assert "no column 'colour'" in hint(pilot) and "booked" in hint(pilot)
        await pilot.press("ctrl+u", *"view nope", "enter")
        assert "no view named 'nope'" in hint(pilot)
        await pilot.press("escape")
        assert not prompt(pilot).is_open


async def test_tab_completes_and_history_survives_a_restart(make_app: MakeApp) -> None:
    async with make_app(views=VIEWS, state_name="p").run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("colon", "s", "o", "tab")
        assert prompt(pilot).input.value == "sort "
        await pilot.press("b", "o", "tab", "a", "tab", "enter")
        screen = list_screen(pilot)
        assert (screen.sort, screen.reverse) == ("booked", True)  # booked ascending
        await pilot.press("colon", *"view ", "tab")  # several: listed, Tab steps through
        assert "save" in hint(pilot) and "Ending soon" in hint(pilot)
        await pilot.press("ctrl+u", *"view E", "tab")
        assert prompt(pilot).input.value == "view Ending soon"
        await pilot.press("enter")
        assert screen.filter_input.value == "ends:<30d"
        await command(pilot, "view save Mine")
        assert [v.name for v in pilot.app.workspace.views.views] == ["Sales", "Ending soon", "Mine"]
    async with make_app(views=VIEWS, state_name="p").run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert list_screen(pilot).filter_input.value == "ends:<30d"  # Mine, the last view
        assert "3 Mine" in str(pilot.app.screen.query_one("#view-tabs", Static).render())
        await pilot.press("colon", "up")
        assert prompt(pilot).input.value == "view save Mine"
        await pilot.press("up", "up")
        assert prompt(pilot).input.value == "sort booked asc"
        await pilot.press("down", "down", "down")
        assert prompt(pilot).input.value == ""  # back to what was being typed
        await pilot.press(*"view delete Mine", "enter")
        assert [v.name for v in pilot.app.workspace.views.views] == ["Sales", "Ending soon"]


async def test_q_quits_and_report_opens(make_app: MakeApp) -> None:
    from skipup_campaigns.tui.report_screen import ReportScreen

    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await command(pilot, "report")
        assert isinstance(pilot.app.screen, ReportScreen)
        await pilot.press("escape")
        await pilot.pause()
        await command(pilot, "q")
        await pilot.pause()
    assert app.return_code == 0


async def test_the_palette_and_the_command_line_offer_the_same_commands(make_app: MakeApp) -> None:
    async with make_app(views=VIEWS).run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        entries = list_screen(pilot).palette_commands()
        titles = {str(title) for title, _, _ in entries}
        # every palette entry is a : command ...
        for title, _, help_text in entries:
            name = PALETTE_EQUIVALENTS.get(title)
            if name is None:
                assert help_text.startswith(":"), title
                name = colon_commands.split(help_text)[0]
            assert colon_commands.find(name) is not None, title
        # ... and every : command is in the palette
        for spec in colon_commands.COMMANDS:
            assert spec.palette in titles or spec.name in PALETTE_EQUIVALENTS.values(), spec
        assert "View: Sales" in titles
        run = dict((str(title), action) for title, action, _ in entries)
        run["View: Ending soon"]()
        await pilot.pause()
        assert list_screen(pilot).filter_input.value == "ends:<30d"
        run["Sort by a column…"]()
        await pilot.pause()
        assert prompt(pilot).is_open and prompt(pilot).input.value == "sort "


@pytest.mark.parametrize(
    "line, head, candidates",
    [
        ("", "", ("view", "sort", "columns", "filter")),
        ("so", "", ("sort",)),
        ("sort b", "sort ", ("booked",)),
        ("sort booked d", "sort booked ", ("desc",)),
        ("view s", "view ", ("save", "Sales")),
        ("view save S", "view save ", ("Sales",)),
    ],
)
def test_completion_candidates(line: str, head: str, candidates: tuple[str, ...]) -> None:
    found = colon_commands.complete(
        line, {"view": ["Sales", "Ending soon"], "column": ["name", "booked", "rate"]}
    )
    assert found.head == head
    assert found.candidates[: len(candidates)] == candidates


async def test_a_view_name_with_markup_is_plain_text_in_the_palette(make_app: MakeApp) -> None:
    from skipup_campaigns.tui.commands import CampaignCommands

    name = "[b red]x[/] \\[link=http://e]"
    views = views_from_config([{"name": name}], "t")
    async with make_app(views=views).run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        provider = CampaignCommands(pilot.app.screen)
        hits = [hit async for hit in provider.search("view")]
        shown = [hit.match_display for hit in hits if "link" in str(hit.text)]
        assert [str(getattr(c, "plain", c)) for c in shown] == [f"View: {name}"]


def header(pilot: Any) -> str:
    table = list_screen(pilot).table
    return "".join(segment.text for segment in table.render_line(0))


async def test_chosen_columns_that_are_cut_get_the_spare_room(make_app: MakeApp) -> None:
    """At 100 columns, `:columns name slug email team` gave Name all the spare room while
    slugs and addresses were cut (found in a user test): the rows in view are measured."""
    async with make_app(views=VIEWS, state_name="c").run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await command(pilot, "columns name slug email team")
        table = list_screen(pilot).table
        widths = {column.key: width for column, width in table._columns}
        in_view = table.rows[: table.scrollable_content_region.height]
        for key in ("slug", "email"):
            widest = max(len(getattr(row, key)) for row in in_view)
            assert widths[key] >= min(widest, widths[key] + widths["name"] - NAME_MIN), key


async def test_columns_added_removed_ordered_and_kept_with_the_view(make_app: MakeApp) -> None:
    async with make_app(views=VIEWS, state_name="c").run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert "Updated" not in header(pilot)
        await command(pilot, "columns +updated -team")
        assert "Updated" in header(pilot) and "Team" not in header(pilot)
        assert pilot.app.workspace.views.get("Sales").columns[-1] == "updated"
        await command(pilot, "columns name booked slug")
        assert header(pilot).split() == ["Name", "Booked", "Slug"]
        screen = list_screen(pilot)
        await pilot.press("s")  # s steps through the columns shown
        assert screen.sort == "name"
        await pilot.press("s")
        assert screen.sort == "booked"
        await pilot.press("s")
        assert screen.sort == "slug"
        slugs = [row.slug.casefold() for row in screen.table.rows]
        assert slugs == sorted(slugs)
        await command(pilot, "columns -name")  # the name stays
        assert "always shown" in hint(pilot)
        await pilot.press("escape")
        await pilot.press("2")  # the other view keeps its own (default) columns
        assert "Team" in header(pilot) and "Slug" not in header(pilot)
    async with make_app(views=VIEWS, state_name="c").run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        assert header(pilot).split()[:3] == ["Name", "Booked", "Slug"]


async def test_the_column_picker_shows_hides_and_moves(make_app: MakeApp) -> None:
    from skipup_campaigns.tui.column_picker import ColumnPicker

    async with make_app(state_name="nv").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("C")
        assert isinstance(pilot.app.screen, ColumnPicker)
        # down to Team (2nd), hide it; to the end (Id), show it and move it up one
        await pilot.press("j", "space", *["j"] * 12, "space", "K", "enter")
        await pilot.pause()
        kept = pilot.app.workspace.views.columns
        assert kept is not None and "team" not in kept and kept[-1] == "id"
        assert "Id" in header(pilot) or "Too narrow" in str(
            [n.message for n in pilot.app._notifications]
        )
        await pilot.press("C", "escape")  # esc: nothing changes
        assert pilot.app.workspace.views.columns == kept
    async with make_app(state_name="nv").run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # kept without a view, for the list itself
        assert "Team" not in header(pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_pickers_defaults_are_the_default_columns(
    make_app: MakeApp, size: tuple[int, int]
) -> None:
    """`r` then enter in the picker gives back the list as it was never changed: the same
    header at any width (it once kept all ten columns by name, and at 80×24 showed Booked
    without Requests or the rate)."""
    async with make_app(state_name="nv").run_test(size=size) as pilot:
        await settle(pilot)
        untouched = header(pilot)
        await command(pilot, "columns +updated -team")
        assert header(pilot) != untouched
        await pilot.press("C", "r", "enter")
        await settle(pilot)
        assert pilot.app.workspace.views.columns is None
        assert header(pilot) == untouched


async def test_a_header_click_sorts_by_booked(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        table = list_screen(pilot).table
        x = header(pilot).index("Booked") + 2
        await pilot.click(table, offset=(x, 0))
        assert list_screen(pilot).sort == "booked"
        booked = [row.booked for row in table.rows]
        assert booked == sorted(booked, reverse=True)
        assert "Booked ↓" in header(pilot) or "Boo… ↓" in header(pilot)


async def test_the_sorted_column_and_one_just_added_stay_at_100(make_app: MakeApp) -> None:
    async with make_app(state_name="sc").run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await command(pilot, "sort created")
        await command(pilot, "columns +updated -team")
        shown = header(pilot)
        assert "Created" in shown and "Updated" in shown, shown
        widths = dict((c.key, w) for c, w in list_screen(pilot).table._columns)
        assert widths["name"] >= 20 and "team" not in widths


async def test_hiding_status_in_the_picker_keeps_the_sorted_column_at_80(make_app: MakeApp) -> None:
    async with make_app(state_name="sp").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await command(pilot, "sort created")
        assert "Created" in header(pilot)
        await pilot.press("C", "j", "j", "space", "enter")  # Status (3rd): hidden
        await pilot.pause()
        assert "status" not in (pilot.app.workspace.views.columns or ())
        shown = header(pilot)
        assert "Created" in shown and "Status" not in shown, shown


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_any_choice_of_columns_keeps_the_name_readable(
    make_app: MakeApp, size: tuple[int, int]
) -> None:
    from skipup_campaigns.workspace.views import COLUMNS

    async with make_app().run_test(size=size) as pilot:
        await settle(pilot)
        await command(pilot, "columns " + " ".join(reversed(COLUMNS)))
        table = list_screen(pilot).table
        widths = dict((column.key, width) for column, width in table._columns)
        assert widths["name"] >= 20
        assert sum(widths.values()) + len(widths) <= size[0]


async def test_export_to_a_named_file(make_app: MakeApp, tmp_path: Any, monkeypatch: Any) -> None:
    import csv

    monkeypatch.chdir(tmp_path)
    async with make_app().run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await command(pilot, "filter team:sales")
        shown = [row.id for row in list_screen(pilot).table.rows]
        await command(pilot, "export sales.csv")
        await settle(pilot)
        with open(tmp_path / "sales.csv", newline="") as handle:
            assert [line["id"] for line in csv.DictReader(handle)] == shown
        await command(pilot, "export sales.txt")
        assert "Name a .csv or .json file" in hint(pilot)


async def test_marked_and_a_team_picked_keep_a_phrase_whole(
    make_app: MakeApp, store: Store
) -> None:
    """`:marked` and a team picked in the report rewrite the filter a term at a time: a
    phrase (open or closed) stays one term, so `marked` and the team are not swallowed into
    it nor taken out of it (found in review: the filter was split at every space)."""
    async with make_app().run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = list_screen(pilot)
        first = screen.table.rows[0]
        phrase = " ".join(first.name.split()[:2]).casefold()
        await command(pilot, "mark")  # every one shown
        await command(pilot, f'filter "{phrase}')  # a phrase left open
        await command(pilot, "marked")
        assert screen.filter_input.value == f'"{phrase}" marked'
        shown = screen.table.rows
        assert shown and all(phrase in " ".join(row.name.casefold().split()) for row in shown)
        await command(pilot, "marked")  # off again: the phrase is left as it was
        assert screen.filter_input.value == f'"{phrase}"'
        screen.filter_by_team(first.team_id)
        await pilot.pause()
        assert screen.filter_input.value.startswith(f'"{phrase}" team_id:')
        assert screen.table.rows and all(
            row.team_id == first.team_id and phrase in " ".join(row.name.casefold().split())
            for row in screen.table.rows
        )
