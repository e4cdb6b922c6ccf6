"""The report and the history in a real pseudo-terminal over `--demo`: each transition's keys
in ONE write (as SSH brings a fast typist's keys), at 80x24 and 120x40; the demo's own history
file recorded, and nothing with --no-history."""

from __future__ import annotations

from pathlib import Path

from skipup_campaigns.history.store import open_history
from tests.e2e.terminal import Terminal
from tests.e2e.test_console_script import console_script, xdg  # noqa: F401 (fixture)

ESC = "\x1b"


def history_file(env: dict[str, str]) -> Path:
    return Path(env["XDG_DATA_HOME"]) / "skipup-campaigns" / "history" / "demo.sqlite3"


def test_report_at_80x24_keys_in_one_write(xdg: dict[str, str]) -> None:  # noqa: F811
    with Terminal([console_script(), "--demo"], cols=80, rows=24, env=xdg) as term:
        term.wait_for("NAA 2026")
        term.wait_for("Δ session")  # the baseline is in: the history was read
        # Open the report, move down a team, go back: one write.
        term.send("Rj" + ESC)
        screen = term.wait_for("booked · ")  # the list's totals (at 80 columns, no "Shown:")
        assert "By team" not in screen
        assert "› NAA 2026" in screen  # j moved the report's cursor, not the list's
        # Open it again, down to the second team, choose it: the list filters by it.
        term.send("Rj\r")
        term.wait_for("team_id:tm_")  # exactly that team, by its id
        screen = term.wait_for("of 40 campaigns")
        rows = [line for line in screen.split("\n") if "Customer Succ" in line]
        assert len(rows) >= 5
        assert "Sales " not in "\n".join(screen.split("\n")[3:-2])
        term.send("q")
        assert term.wait_exit() == 0
    with open_history(history_file(xdg)) as history:
        latest = history.latest()
        # Thirty seeded days and this run's load: 40 campaigns, more than one day each.
        assert len(latest) == 40
        assert max(len(history.daily(campaign_id)) for campaign_id in latest) >= 30


def test_report_at_120x40_shows_every_section(xdg: dict[str, str]) -> None:  # noqa: F811
    with Terminal([console_script(), "--demo"], cols=120, rows=40, env=xdg) as term:
        term.wait_for("Δ session")
        term.send("R")
        term.wait_for("Worst 5 by booking rate")
        for text in (
            "By team",
            "Share of requests",
            "Δ req/booked",
            "By status",
            "Best 5 by booking rate",
            "All teams",
            "never averages",
        ):
            term.wait_for(text)  # (a frame may reach the terminal in more than one read)
        term.send("q")  # back to the list, not out of the app
        term.wait_for("Shown:")
        term.send("q")
        assert term.wait_exit() == 0


def test_no_history_records_nothing(xdg: dict[str, str]) -> None:  # noqa: F811
    with Terminal([console_script(), "--demo", "--no-history"], cols=100, rows=30, env=xdg) as term:
        term.wait_for("booking rate")  # the summary without a Δ
        screen = term.wait_for("q Quit")  # the key bar too: no `h Δ since` offered there
        assert "Δ" not in screen, screen
        term.send("h")  # pressed anyway, it says why
        term.wait_for("no history")
        term.send("r")
        term.wait_for("NAA 2026")
        term.send("q")
        assert term.wait_exit() == 0
    assert not history_file(xdg).parent.exists()


def test_the_report_command_fits_an_80_column_terminal(
    tmp_path: Path,
    xdg: dict[str, str],  # noqa: F811
) -> None:
    """`skipup-campaigns report --since session` on an 80-column terminal, the counts of
    100,000 campaigns (tens of millions of requests): the tables keep every number whole and
    in line, no line wrapped (with the full headings each line of the team table wrapped)."""
    from skipup_campaigns.sandbox import open_store
    from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
    from tests.conftest import ADMIN
    from tests.processes import start_sandbox

    db = tmp_path / "big.db"
    sandbox, url = start_sandbox(db)
    try:
        store = open_store(str(db))
        campaigns, _ = store.list_campaigns(MAIN_WORKSPACE, active=True, limit=1, cursor=None)
        store.record_requests(campaigns[0]["id"], 33_000_000, 16_000_000)
        store.close()
        argv = [console_script(), "report", "--since", "session", "--base-url", url]
        with Terminal(argv, cols=80, rows=40, env={**xdg, "SKIPUP_API_KEY": ADMIN}) as term:
            assert term.wait_exit() == 0
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)
    lines = term.screen_text().split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("team "))
    header, *teams = lines[at : lines.index(" " * 80, at)]
    assert header.split()[-2:] == ["+requests", "+booked"], "\n".join(lines)
    assert any("33,00" in line for line in teams)
    for title in ("camp.", "requests", "booked", "rate", "share"):
        end = header.index(title) + len(title)
        for line in teams:
            assert line[end - 1] in "0123456789%–" and line[end] == " ", (title, line)
