"""The report screen driven with Pilot against the in-process sandbox: its numbers against the
server's own list, keyboard scrolling, the threshold, going back, and a team chosen filtering
the list."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from skipup_campaigns.sandbox import Store
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from skipup_campaigns.tui.app import CampaignsApp
from skipup_campaigns.tui.list_screen import ListScreen
from skipup_campaigns.tui.report_screen import RATE_NOTE, ReportScreen, ReportView
from tests.conftest import campaigns_on_server
from tests.tui.conftest import list_screen, settle, shown_names, until

MakeApp = Callable[..., CampaignsApp]


def add_team(store: Store, name: str, team_id: str | None = None) -> str:
    """A team straight into the sandbox's file (the API has no call to make one)."""
    now = store.now()
    team_id = team_id or store.new_id("tm_")
    store.add_teams(
        [
            {
                "id": team_id,
                "workspace_id": MAIN_WORKSPACE,
                "name": name,
                "slug": name.lower(),
                "description": None,
                "mode": "pool",
                "email_address": None,
                "member_count": 1,
                "stack_always_apply": 0,
                "include_all_members": 1,
                "introduce_member": 0,
                "introduction_guidance": None,
                "deactivated_at": None,
                "created_at": now,
                "updated_at": now,
            }
        ]
    )
    return team_id


def report_screen(pilot: Any) -> ReportScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ReportScreen), screen
    return screen


def half_up(booked: int, requests: int) -> Decimal:
    return (Decimal(booked) * 100 / Decimal(requests)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def screen_text(pilot: Any) -> str:
    """Every line of the report, as plain text."""
    view = report_screen(pilot).view
    return "\n".join(view.line_text(i) for i in range(len(view.lines)))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_report_matches_sums_of_the_servers_list(
    make_app: MakeApp, store: Store, size: tuple[int, int]
) -> None:
    async with make_app().run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        screen = report_screen(pilot)
        active = campaigns_on_server(store, active=True)
        by_team: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for c in active:
            team = by_team[c["team_name"]]
            team[0] += 1
            team[1] += c["meeting_request_count"]
            team[2] += c["meetings_booked_count"]
        report = screen.report
        total_requests = sum(t[1] for t in by_team.values())
        assert report.campaigns == len(active)
        assert report.requests == total_requests
        assert report.booked == sum(t[2] for t in by_team.values())
        assert {
            line.label: [line.campaigns, line.requests, line.booked] for line in report.teams
        } == dict(by_team)
        for line in report.teams:
            assert line.rate == half_up(line.booked, line.requests)
            assert line.share == half_up(line.requests, total_requests)
        # What is drawn says the same: each team's line with its counts and rate.
        text = screen_text(pilot)
        for name, (_count, requests, booked) in by_team.items():
            line = next(row for row in text.split("\n") if row.strip().startswith(name[:8]))
            assert f"{requests:,}" in line and f"{booked:,}" in line
            assert f"{half_up(booked, requests)}%" in line
        assert "By status" in text and "Best 5" in text and "Worst 5" in text
        # Ranked only with at least 20 requests, best first.
        best = report.best
        assert best and all(item.requests >= 20 for item in best + report.worst)
        rates = [item.booked / item.requests for item in best]
        assert rates == sorted(rates, reverse=True)
        note = str(screen.query_one("#report-note").render())
        assert note.strip() == RATE_NOTE


async def test_report_covers_only_what_the_list_shows(make_app: MakeApp, store: Store) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("a", "slash", *"team:sales", "enter")
        await settle(pilot)
        shown = set(shown_names(pilot))
        await pilot.press("R")
        await settle(pilot)
        report = report_screen(pilot).report
        sales = [c for c in campaigns_on_server(store) if c["team_name"] == "Sales"]
        assert {c["name"] for c in sales} == shown
        assert report.campaigns == len(sales)
        assert [line.label for line in report.teams] == ["Sales"]
        assert report.requests == sum(c["meeting_request_count"] for c in sales)
        assert sum(line.campaigns for line in report.statuses) == len(sales)


async def test_threshold_changes_who_is_ranked(make_app: MakeApp, store: Store) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        screen = report_screen(pilot)
        assert screen.report.min_requests == 20
        await pilot.press("minus", "minus", "minus", "minus")  # 10, 5, 1, 0
        assert screen.report.min_requests == 0
        # With no floor, a small campaign with a high rate ranks (Customer advisory board:
        # 11 of 12 booked), which 20 kept out.
        assert any(item.requests < 20 for item in screen.report.best)
        await pilot.press("plus", "plus", "plus", "plus", "plus", "plus")  # ... 50, 100
        assert screen.report.min_requests == 100
        assert all(item.requests >= 100 for item in screen.report.best + screen.report.worst)
        assert "at least 100 requests" in screen_text(pilot)


async def test_scrolls_with_the_keyboard_and_esc_and_q_go_back(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        view = report_screen(pilot).view
        assert view.max_scroll_y > 0  # at 80x24 the report is longer than the screen
        await pilot.press("end")
        assert view.scroll_y == view.max_scroll_y
        await pilot.press("home")
        assert view.scroll_y == 0
        await pilot.press("pagedown")
        assert view.scroll_y > 0
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ListScreen)
        await pilot.press("R")
        await settle(pilot)
        await pilot.press("q")  # back, not quit
        await settle(pilot)
        assert isinstance(pilot.app.screen, ListScreen)
        assert pilot.app.is_running


async def test_enter_on_a_team_filters_the_list_by_it(make_app: MakeApp, store: Store) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        view = report_screen(pilot).view
        report = report_screen(pilot).report
        names = [line.label for line in report.teams]
        assert [view.lines[i].team_id for i in view.teams] == [line.key for line in report.teams]
        # The second team by requests: two words, one team.
        index = names.index("Customer Success")
        await pilot.press(*["j"] * index, "enter")
        await settle(pilot)
        screen = list_screen(pilot)
        team_id = report.teams[index].key
        assert screen.filter_input.value == f"team_id:{team_id}"
        expected = [
            c["name"] for c in campaigns_on_server(store, active=True) if c["team_id"] == team_id
        ]
        assert sorted(shown_names(pilot)) == sorted(expected)
        assert pilot.app.focused is screen.table


async def test_enter_on_sales_shows_sales_not_presales(make_app: MakeApp, store: Store) -> None:
    sales = next(c["team_id"] for c in campaigns_on_server(store) if c["team_name"] == "Sales")
    presales = add_team(store, "Presales")
    for n in range(3):
        store.create_campaign(MAIN_WORKSPACE, {"name": f"Presales pitch {n}", "team_id": presales})
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"team:sales", "down")  # both teams' campaigns
        assert {row.raw_team for row in list_screen(pilot).table.rows} == {"Sales", "Presales"}
        await pilot.press("R")
        await settle(pilot)
        screen = report_screen(pilot)
        index = [line.label for line in screen.report.teams].index("Sales")
        await pilot.press("home", *["j"] * index, "enter")
        await settle(pilot)
        assert list_screen(pilot).filter_input.value == f"team_id:{sales}"
        expected = [
            c["id"] for c in campaigns_on_server(store, active=True) if c["team_id"] == sales
        ]
        assert expected and sorted(row.id for row in list_screen(pilot).table.rows) == sorted(
            expected
        )


async def test_a_team_id_that_cannot_be_typed_leaves_the_filter(
    make_app: MakeApp, store: Store
) -> None:
    odd = add_team(store, "Odd", team_id="tm_odd \x1b[31m")
    store.create_campaign(MAIN_WORKSPACE, {"name": "Odd one", "team_id": odd})
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"odd one", "down", "R")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = list_screen(pilot)
        assert screen.filter_input.value == "odd one"
        assert [row.raw_name for row in screen.table.rows] == ["Odd one"]


async def test_report_is_offered_in_the_command_palette(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        names = [name for name, _, _ in list_screen(pilot).palette_commands()]
        assert "Report" in names
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Report")
        await until(pilot, lambda: palette_highlights(pilot, "Report"), "Report in the palette")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReportScreen)


def palette_highlights(pilot: Any, name: str) -> bool:
    """The command palette's search has put `name` first (enter would run it)."""
    from textual.command import CommandList

    hits = pilot.app.screen.query(CommandList)
    if not hits or hits.first().highlighted is None:
        return False
    commands = hits.first()
    return name in str(commands.get_option_at_index(commands.highlighted).prompt)


async def test_hostile_team_names_are_drawn_inert(make_app: MakeApp, store: Store) -> None:
    with store._lock:  # noqa: SLF001 - a team name no form would accept, straight in the file
        store._db.execute(
            "UPDATE teams SET name = ? WHERE name = 'Sales'", ("Sales\x1b[31m[bold]red[/bold]",)
        )
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        text = screen_text(pilot)
        assert "\x1b" not in text
        assert "Sales␛[31m" in text  # the escape shown as a picture, the markup as text
        assert isinstance(report_screen(pilot).view, ReportView)


async def test_a_report_of_nothing_says_so(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"xyzzy", "down", "R")
        await settle(pilot)
        screen = report_screen(pilot)
        assert screen.report.campaigns == 0 and screen.report.teams == []
        text = screen_text(pilot)
        assert "All teams" in text and "No campaign has that many requests." in text
        await pilot.press("enter")  # no team to choose: nothing happens
        await settle(pilot)
        assert pilot.app.screen is screen


async def test_one_campaign_is_one_campaign(make_app: MakeApp) -> None:
    from textual.widgets import Static

    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"NAA 2026", "enter")
        await settle(pilot)
        assert shown_names(pilot) == ["NAA 2026"]
        await pilot.press("R")
        await settle(pilot)
        title = str(report_screen(pilot).query_one("#report-title", Static).render())
        assert title.startswith("Report · 1 campaign (")


async def test_the_cursor_reaches_the_best_and_worst_and_enter_opens_that_campaign(
    make_app: MakeApp,
) -> None:
    from skipup_campaigns.tui.detail_screen import DetailScreen

    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        screen = report_screen(pilot)
        view = screen.view
        worst = screen.report.worst[-1]
        steps = len(view.choosable) - 1
        await pilot.press(*["j"] * steps)  # down to the last of the worst
        await pilot.pause()
        line = view.cursor_line
        assert line is not None and view.lines[line].campaign_id == worst.id
        top, height = round(view.scroll_y), view._view_height()
        assert top <= line < top + height  # scrolled into view at 80x24
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DetailScreen)
        assert pilot.app.screen.campaign.id == worst.id


async def test_a_team_chosen_in_the_report_is_named_in_the_top_bar(make_app: MakeApp) -> None:
    from textual.widgets import Static

    async with make_app().run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        report = report_screen(pilot).report
        index = [line.label for line in report.teams].index("Customer Success")
        await pilot.press(*["j"] * index, "enter")
        await settle(pilot)
        screen = list_screen(pilot)
        assert screen.filter_input.value.startswith("team_id:tm_")
        title = str(screen.query_one("#title", Static).render())
        assert "team Customer Success · " in title and "tm_" not in title


def a_hundred_thousand(with_baseline: bool) -> Any:
    """A report over 100,000 campaigns with counts in the millions (and gains, with a
    baseline): numbers wider than the columns' titles."""
    from skipup_campaigns.history.store import Counts
    from skipup_campaigns.report import Item, build_report

    items = [
        Item(
            f"cp_{n}",
            f"Campaign {n}",
            f"tm_{n % 4}",
            ("Sales", "Partnerships", "Customer Success", "Executive Office")[n % 4],
            "active" if n % 20 else "scheduled",
            0 if n % 20 == 0 else 300 + n % 7,
            0 if n % 20 == 0 else 150 + n % 5,
        )
        for n in range(100_000)
    ]
    items[1].requests, items[1].booked = 12_345_678, 6_543_210  # one campaign far ahead
    baseline = (
        {item.id: Counts(item.requests, item.booked, 0) for item in items[:50_000]}
        if with_baseline
        else None
    )
    if baseline is not None:
        for item in items[:50_000]:
            item.requests += 25
            item.booked += 12
    return build_report(items, min_requests=20, baseline=baseline)


def assert_columns_line_up(lines: list[str], titles: list[str], width: int) -> None:
    """Each title's column: every row's value ends where its title ends, with a space before
    it (no value wider than its column); no line wider than `width`."""
    header, *rows = lines
    for title in titles:
        end = header.index(title) + len(title)
        for row in rows:
            value = row[:end].split(" ")[-1]
            assert value and row[end : end + 1] in ("", " "), (title, header, row)
            assert value[-1].isdigit() or value[-1] in "%–", (title, header, row)
    assert all(len(line) <= width for line in lines), "\n".join(lines)


@pytest.mark.parametrize("width", [78, 118])
@pytest.mark.parametrize("with_gains", [False, True], ids=["no history", "with a Δ"])
def test_the_report_columns_size_to_their_widest_value(width: int, with_gains: bool) -> None:
    """100,000 campaigns, requests in the millions: "100,000" and "28,012,345" were drawn in
    columns 6 and 9 wide, pushing the rest of the line out of line."""
    from skipup_campaigns.tui.report_screen import report_lines

    report = a_hundred_thousand(with_gains)
    window = "Δ since the last session" if with_gains else None
    lines = [
        "".join(text for text, _ in line.parts)
        for line in report_lines(report, width, window=window)
    ]
    teams = lines[1 : 2 + len(report.teams) + 1]  # the header, the teams, all teams
    assert teams[-1].split()[2] == f"{report.campaigns:,}"  # all teams
    titles = ["Camp.", "Requests", "Booked"] + (["Δ req/booked"] if with_gains else [])
    assert_columns_line_up(teams, titles, width)
    at = lines.index(next(line for line in lines if line.strip().startswith("Status")))
    statuses = lines[at : at + 1 + len(report.statuses)]
    assert_columns_line_up(statuses, ["Camp.", "Requests", "Booked"], width)
    assert statuses[0].index("Booked") == teams[0].index("Booked")  # the two tables alike
    best = lines.index(next(line for line in lines if line.strip().startswith("Campaign")))
    assert_columns_line_up(lines[best : best + 1 + len(report.best)], ["Requests", "Booked"], width)
    assert f"{report.best[0].requests:,}" in lines[best + 1]


async def test_at_80x24_the_report_lines_up_billions(make_app: MakeApp, store: Store) -> None:
    """The same on screen: a campaign with billions of requests."""
    campaigns, _ = store.list_campaigns(MAIN_WORKSPACE, active=True, limit=1, cursor=None)
    store.record_requests(campaigns[0]["id"], 9_000_000_000, 4_000_000_000)
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await until(pilot, lambda: isinstance(pilot.app.screen, ReportScreen), "the report")
        lines = screen_text(pilot).splitlines()
        width = report_screen(pilot).view.scrollable_content_region.width
        teams = lines[1 : lines.index("")]
        assert any("9,000," in line for line in teams)
        assert_columns_line_up(teams, ["Camp.", "Requests", "Booked"], width)
        title = str(report_screen(pilot).query_one("#report-title").render())
        assert "…" not in title and title.endswith("%")  # whole parts dropped, no number cut
