"""`report` and `history` against the sandbox over loopback: every total is checked against
sums computed from the API's own list, and trends against counts the sandbox moved."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import resource
import subprocess
import sys
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from skipup_campaigns import config
from skipup_campaigns.display.dates import campaign_status
from skipup_campaigns.history.store import open_history, workspace_history_path
from skipup_campaigns.report import percent
from skipup_campaigns.sandbox import Store
from skipup_campaigns.sandbox.activity import running_campaigns, tick
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from tests.conftest import ADMIN, campaigns_on_server
from tests.hostile import add_hostile_campaigns
from tests.scripting.conftest import Run
from tests.scripting.test_hostile_output import assert_inert


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text.replace("Z", "+00:00"))


def by_team(campaigns: list[dict[str, Any]]) -> dict[str, tuple[int, int, int]]:
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for campaign in campaigns:
        line = sums[campaign["team_id"]]
        line[0] += 1
        line[1] += campaign["meeting_request_count"]
        line[2] += campaign["meetings_booked_count"]
    return {team: tuple(line) for team, line in sums.items()}  # type: ignore[misc]


def report_json(run: Run, *argv: str) -> dict[str, Any]:
    result = run("report", "--json", *argv)
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_totals_and_teams_match_the_apis_list(run: Run, store: Store) -> None:
    campaigns = campaigns_on_server(store)
    report = report_json(run)
    assert report["campaigns"] == len(campaigns)
    assert report["requests"] == sum(c["meeting_request_count"] for c in campaigns)
    assert report["booked"] == sum(c["meetings_booked_count"] for c in campaigns)
    assert report["booking_rate"] == float(percent(report["booked"], report["requests"]))
    expected = by_team(campaigns)
    assert {
        t["team_id"]: (t["campaigns"], t["requests"], t["booked"]) for t in report["teams"]
    } == expected
    for team in report["teams"]:
        _, requests, booked = expected[team["team_id"]]
        assert team["booking_rate"] == (float(percent(booked, requests)) if requests else None)
        assert team["share_of_requests"] == float(percent(requests, report["requests"]))
    assert [t["requests"] for t in report["teams"]] == sorted(
        (t["requests"] for t in report["teams"]), reverse=True
    )
    assert sum(t["campaigns"] for t in report["teams"]) == len(campaigns)


def test_statuses_match_the_apis_list(run: Run, store: Store) -> None:
    campaigns = campaigns_on_server(store)
    report = report_json(run, "--by", "status")
    now = datetime.now(timezone.utc)
    counted: dict[str, int] = defaultdict(int)
    for c in campaigns:
        counted[
            campaign_status(
                deactivated_at=_moment(c["deactivated_at"]),
                starts_at=_moment(c["starts_at"]),
                ends_at=_moment(c["ends_at"]),
                now=now,
            )
        ] += 1
    assert {s["status"]: s["campaigns"] for s in report["statuses"]} == {
        status: counted.get(status, 0) for status in ("active", "scheduled", "ended", "deactivated")
    }
    assert sum(s["requests"] for s in report["statuses"]) == report["requests"]


def test_best_and_worst_follow_the_threshold(run: Run, store: Store) -> None:
    campaigns = [c for c in campaigns_on_server(store) if c["meeting_request_count"] >= 20]
    report = report_json(run)
    rates = sorted(
        (c["meetings_booked_count"] / c["meeting_request_count"] for c in campaigns), reverse=True
    )
    assert [b["booked"] / b["requests"] for b in report["best"]] == rates[:5]
    assert [w["booked"] / w["requests"] for w in report["worst"]] == sorted(rates)[:5]
    lowered = report_json(run, "--min-requests", "1")
    assert lowered["min_requests"] == 1
    assert all(b["requests"] >= 1 for b in lowered["best"])


def test_active_and_filter_narrow_like_the_list(run: Run, store: Store) -> None:
    active = campaigns_on_server(store, active=True)
    sales = [c for c in active if "sales" in c["team_name"].casefold()]
    report = report_json(run, "--active", "--filter", "team:sales")
    assert (report["campaigns"], report["requests"], report["booked"]) == (
        len(sales),
        sum(c["meeting_request_count"] for c in sales),
        sum(c["meetings_booked_count"] for c in sales),
    )
    assert report["active_only"] is True and report["filter"] == "team:sales"
    words = report_json(run, "--filter", "webinar")
    assert words["campaigns"] == sum(
        1
        for c in campaigns_on_server(store)
        if "webinar"
        in "\n".join(
            (c["name"], c["slug"], c["team_name"], c["description"] or "", c["email_address"] or "")
        ).casefold()
    )


def test_csv_by_team_and_by_status(run: Run, store: Store) -> None:
    campaigns = campaigns_on_server(store)
    result = run("report", "--csv")
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert {
        r["team_id"]: (int(r["campaigns"]), int(r["requests"]), int(r["booked"])) for r in rows
    } == by_team(campaigns)
    result = run("report", "--csv", "--by", "status")
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert [r["status"] for r in rows] == ["active", "scheduled", "ended", "deactivated"]
    assert sum(int(r["requests"]) for r in rows) == sum(
        c["meeting_request_count"] for c in campaigns
    )


def test_text_and_markdown_show_the_totals_and_the_note(run: Run, store: Store) -> None:
    campaigns = campaigns_on_server(store)
    total = sum(c["meeting_request_count"] for c in campaigns)
    text = run("report")
    assert text.code == 0, text.err
    assert f"{total:,} requests" in text.out and "never averages of rates" in text.out
    markdown = run("report", "--markdown", "--by", "status")
    assert markdown.out.startswith("**Campaigns report, by status**")
    assert "| status | campaigns | requests | booked | booking rate | share of requests |" in (
        markdown.out
    )
    assert "|---|---:|---:|---:|---:|---:|" in markdown.out


def test_hostile_names_are_inert_and_cannot_break_a_markdown_table(run: Run, store: Store) -> None:
    add_hostile_campaigns(store)
    store.create_campaign(
        "ws_acme",
        {"name": "Pipe | *bold* [link](x)", "team_id": campaigns_on_server(store)[0]["team_id"]},
    )
    campaign = next(c for c in campaigns_on_server(store) if c["name"].startswith("Pipe"))
    store.record_requests(campaign["id"], 500, 499)  # the best rate: it is listed
    for argv in ((), ("--markdown",), ("--csv",), ("--by", "status")):
        result = run("report", "--min-requests", "1", *argv)
        assert result.code == 0, result.err
        assert_inert(result.out)
    markdown = run("report", "--markdown", "--min-requests", "1").out
    assert r"Pipe \| \*bold\* \[link\](x)" in markdown
    # JSON gives the exact text back.
    report = report_json(run, "--min-requests", "1")
    assert "Pipe | *bold* [link](x)" in [b["name"] for b in report["best"]]


def test_since_session_shows_what_the_sandbox_gained(run: Run, store: Store) -> None:
    first = report_json(run, "--since", "session")
    assert first["gained_requests"] is None  # no history yet: unknown, not zero
    assert all(t["gained_requests"] is None for t in first["teams"])
    events = tick(store, 40, random.Random(3), running_campaigns(store, [MAIN_WORKSPACE]))
    assert events
    second = report_json(run, "--since", "session")
    expected: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for event in events:
        expected[event.team_id][0] += 1
        expected[event.team_id][1] += event.booked
    for team in second["teams"]:
        assert [team["gained_requests"], team["gained_booked"]] == expected.get(
            team["team_id"], [0, 0]
        )
    assert second["gained_requests"] == len(events)
    assert second["requests"] == first["requests"] + len(events)
    # Nothing moved since: the next run's window starts at the second run.
    third = report_json(run, "--since", "session")
    assert third["gained_requests"] == 0
    # ... and says so as the list's Δ does: "0", not "+0" (found in a user test).
    assert ": 0 requests, 0 booked" in run("report", "--since", "session").out
    # The history is minutes old: 7d counts from its oldest sample, and says so.
    with open_history(workspace_history_path(os.environ["SKIPUP_BASE_URL"], ADMIN)) as history:
        oldest = history.oldest()
    assert oldest is not None
    text = run("report", "--since", "7d")
    assert (
        f"Gained since {oldest:%Y-%m-%d %H:%M} UTC (the history's start; 7d asked): "
        f"+{len(events):,} requests"
    ) in text.out
    assert report_json(run, "--since", "7d")["history_from"].startswith(f"{oldest:%Y-%m-%d}")


def test_cells_read_as_in_the_ui(run: Run, store: Store) -> None:
    """Thousands separators and `34.3%`, as the list and the report screen write them."""
    teams = by_team(campaigns_on_server(store))
    text = run("report").out
    big = [(requests, booked) for _, requests, booked in teams.values() if requests >= 1000]
    assert big
    for requests, booked in big:
        assert any(
            f"{requests:,}" in line and f"{percent(booked, requests)}%" in line
            for line in text.splitlines()
        ), text
    assert " %" not in text


def test_since_a_date_reads_the_history_then(run: Run, store: Store) -> None:
    path = workspace_history_path(os.environ["SKIPUP_BASE_URL"], ADMIN)
    campaigns = campaigns_on_server(store)
    with open_history(path) as history:  # what an earlier run would have recorded in May
        history.record(
            [
                (c["id"], max(0, c["meeting_request_count"] - 2), c["meetings_booked_count"])
                for c in campaigns
            ],
            at=datetime(2026, 5, 1, tzinfo=timezone.utc),
        )
    report = report_json(run, "--since", "2026-05-02")
    assert report["gained_requests"] == sum(min(2, c["meeting_request_count"]) for c in campaigns)
    assert report["gained_booked"] == 0


@pytest.mark.parametrize("since", ["yesterday", "0d", "2999-01-01", "7x"])
def test_a_bad_since_is_a_usage_error(run: Run, since: str) -> None:
    result = run("report", "--since", since)
    assert result.code == 2 and "--since" in result.err
    as_json = run("report", "--since", since, "--json")
    assert as_json.code == 2 and json.loads(as_json.err)["error"]["kind"] == "usage"


def test_history_off_writes_nothing(run: Run, store: Store) -> None:
    path = workspace_history_path(os.environ["SKIPUP_BASE_URL"], ADMIN)
    assert run("report", "--no-history").code == 0
    assert not path.exists()
    assert run("report", "--no-history", "--since", "7d").code == 2
    config.config_path().parent.mkdir(parents=True, exist_ok=True)
    config.config_path().write_text("history = false\n")
    config.config_path().chmod(0o600)
    assert run("report").code == 0
    assert not path.exists()
    assert run("report", "--since", "session").code == 3
    off = run("history", "path")
    assert off.code == 0 and "History is off" in off.err


def test_history_path_and_clear(run: Run, store: Store) -> None:
    path = Path(run("history", "path").out.strip())
    assert path == workspace_history_path(os.environ["SKIPUP_BASE_URL"], ADMIN)
    assert ADMIN not in str(path)
    assert not path.exists()
    assert run("report").code == 0
    assert path.exists()
    refused = run("history", "clear")  # stdin is not a terminal: nobody can confirm
    assert refused.code == 2 and path.exists()
    cleared = run("history", "clear", "--yes")
    assert cleared.code == 0 and "Deleted" in cleared.err
    assert not path.exists() and not path.with_name(path.name + "-wal").exists()
    again = run("history", "clear", "--yes")
    assert again.code == 0 and "nothing to delete" in again.err


def test_a_corrupt_history_is_a_warning_not_a_failure(run: Run, store: Store) -> None:
    path = workspace_history_path(os.environ["SKIPUP_BASE_URL"], ADMIN)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"garbage" * 1000)
    result = run("report", "--json")
    assert result.code == 0
    assert "set aside" in result.err and result.err.count("\n") == 1
    assert json.loads(result.out)["campaigns"] == len(campaigns_on_server(store))


def test_the_demo_report_has_trends_at_once_in_its_own_history() -> None:
    from skipup_campaigns.history.store import demo_history_path
    from tests.scripting.conftest import run_command

    result = run_command("report", "--demo", "--since", "7d", "--json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["gained_requests"] and report["gained_requests"] > 0
    assert demo_history_path().exists()
    assert [
        p.name for p in demo_history_path().parent.iterdir() if p.name.startswith("history-")
    ] == []  # no real workspace's file was touched


def test_history_options_before_the_command_name_count_too(run: Run, store: Store) -> None:
    path = workspace_history_path(os.environ["SKIPUP_BASE_URL"], ADMIN)
    assert run("--no-history", "report").code == 0
    assert not path.exists()
    result = run("--since", "7d", "report", "--json")
    assert result.code == 0 and json.loads(result.out)["since"] == "7d"


def test_long_names_are_clipped_in_the_text_table_only(run: Run, store: Store) -> None:
    team = campaigns_on_server(store)[0]["team_id"]
    long_name = "Quarterly " + "very " * 30 + "long name"
    created = store.create_campaign("ws_acme", {"name": long_name, "team_id": team})
    store.record_requests(created["id"], 1000, 999)
    text = run("report").out
    assert long_name not in text and "Quarterly very very" in text and "…" in text
    assert max(len(line) for line in text.splitlines() if "Quarterly" in line) < 100
    assert long_name in run("report", "--markdown").out


def test_the_text_table_clips_with_the_shared_cell_fitting(
    run: Run, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One way to fit text to cells (display/cells.fit), not a copy in the report."""
    from skipup_campaigns.display import cells
    from skipup_campaigns.scripting import report_commands

    team = campaigns_on_server(store)[0]["team_id"]
    created = store.create_campaign("ws_acme", {"name": "東京 " * 30, "team_id": team})
    store.record_requests(created["id"], 1000, 999)
    fitted: list[int] = []

    def counting_fit(text: str, width: int, right: bool = False) -> str:
        fitted.append(width)
        return cells.fit(text, width, right)

    monkeypatch.setattr(report_commands, "fit", counting_fit)
    text = run("report").out
    assert 40 in fitted  # the ranked name's column
    line = next(line for line in text.splitlines() if line.startswith("東京"))
    assert line.startswith(cells.fit("東京 " * 30, 40).rstrip())


def test_a_full_disk_leaves_the_history_in_place_with_one_warning(
    run: Run, store: Store, live_url: str
) -> None:
    assert run("report").code == 0  # a history with every campaign in it
    path = workspace_history_path(live_url, ADMIN)
    with open_history(path) as history:
        recorded = history.latest()
    tick(store, 30, random.Random(9), running_campaigns(store, [MAIN_WORKSPACE]))

    def file_size_limit() -> None:  # `ulimit -f 4` in the child only
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    result = subprocess.run(
        [sys.executable, "-m", "skipup_campaigns", "report", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ.copy(),
        preexec_fn=file_size_limit,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["campaigns"] == len(campaigns_on_server(store))
    assert result.stderr.count("\n") == 1, result.stderr
    assert str(path) in result.stderr and "left as it is" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(path.parent.glob("*.unusable-*"))
    with open_history(path) as history:
        assert history.latest() == recorded and history.warning is None


def test_report_loads_the_settings_once(
    run: Run, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The client and the history file are named from one load of the settings (the session's):
    a second load could read a config file changed meanwhile, and name another workspace."""
    loads: list[object] = []
    load = config.load_settings

    def counted(*args: Any, **kwargs: Any) -> config.Settings:
        loads.append(kwargs)
        return load(*args, **kwargs)

    monkeypatch.setattr(config, "load_settings", counted)
    assert run("report").code == 0
    assert workspace_history_path(os.environ["SKIPUP_BASE_URL"], ADMIN).exists()
    assert len(loads) == 1


def test_text_columns_size_to_their_widest_value(run: Run, store: Store) -> None:
    """Counts in the billions, wider than their headings: each column as wide as its widest
    cell, the numbers right-aligned under their heading's end (as the report screen)."""
    campaigns, _ = store.list_campaigns(MAIN_WORKSPACE, active=True, limit=1, cursor=None)
    store.record_requests(campaigns[0]["id"], 9_000_000_000, 4_000_000_000)
    text = run("report")
    assert text.code == 0, text.err
    lines = text.out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("team "))
    header, *rows = lines[at : lines.index("", at)]
    assert any("9,000," in row for row in rows)
    for heading in ("campaigns", "requests", "booked", "booking rate", "share of requests"):
        end = header.index(heading) + len(heading)
        for row in rows:
            assert row[end - 1] in "0123456789%–" and row[end : end + 1] in ("", " "), (
                heading,
                header,
                row,
            )


def test_on_a_narrow_terminal_the_text_tables_fit_headings_first_then_text() -> None:
    """On an 80-column terminal, 100,000 campaigns with their gains: the long headings
    shorten, then the team is cut; every number stays whole and in line. (A line wider than
    the terminal wraps, and the columns break.) Into a pipe, the full headings."""
    from skipup_campaigns.scripting.report_commands import _aligned

    headings = ["team", "campaigns", "requests", "booked", "booking rate", "share of requests"]
    headings += ["gained requests", "gained booked"]
    rows = [
        ["Customer Success and Renewals", "100,000", "33,924,654", "16,905,963", "49.8%"]
        + ["100.0%", "+1,250,000", "+600,000"],
        ["Sales", "1", "5", "0", "0.0%", "0.0%", "", ""],
    ]
    terminal = io.StringIO()
    _aligned(headings, rows, terminal, 80)
    header, *lines = terminal.getvalue().splitlines()
    assert header.split() == ["team", "camp.", "requests", "booked", "rate", "share"] + [
        "+requests",
        "+booked",
    ]
    assert all(len(line) <= 80 for line in [header, *lines]), terminal.getvalue()
    assert lines[0].startswith("Customer") and "…" in lines[0] and "33,924,654" in lines[0]
    for title in ("camp.", "requests", "booked", "rate", "share", "+booked"):
        end = header.index(title) + len(title)
        assert lines[0][end - 1] in "0123456789%" and lines[0][end : end + 1] in ("", " ")
    for title in ("camp.", "requests", "booked", "rate", "share"):  # (Sales: no gains)
        end = header.index(title) + len(title)
        assert lines[1][end - 1] in "0123456789%" and lines[1][end : end + 1] in ("", " ")
    piped = io.StringIO()
    _aligned(headings, rows, piped)
    assert piped.getvalue().splitlines()[0].split("  ")[-1].strip() == "gained booked"
    assert "Customer Success and Renewals" in piped.getvalue()
