"""Views in a real pseudo-terminal over `--demo`, each step's keys in ONE write: views from
the config file as tabs with their counts, `2` switching, and the next session starting in the
last view used."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from tests.e2e.terminal import Terminal
from tests.e2e.test_console_script import console_script, xdg  # noqa: F401 (fixture)

CONFIG = """
[[views]]
name = "Sales"
filter = "team:sales"

[[views]]
name = "Everything"
active = false
sort = "name"

[[views]]
name = "Busy"
filter = "requests:>=10 rate:<50"
sort = "requests"
"""


def write_config(env: dict[str, str], text: str) -> Path:
    path = Path(env["XDG_CONFIG_HOME"]) / "skipup-campaigns" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    os.chmod(path, 0o600)
    return path


def shown_of(screen: str) -> int:
    found = re.search(r" ([\d,]+) of 40 campaigns", screen)
    assert found, screen
    return int(found.group(1).replace(",", ""))


def test_views_from_the_config_are_tabs_with_counts(xdg: dict[str, str]) -> None:  # noqa: F811
    write_config(xdg, CONFIG)
    with Terminal([console_script(), "--demo"], cols=100, rows=30, env=xdg) as term:
        term.wait_for("3 Busy")
        term.wait_for("team:sales")  # the first view is shown
        screen = term.wait_for("2 Everything 40")
        sales = re.search(r"1 Sales (\d+)", screen)
        assert sales and int(sales.group(1)) == shown_of(screen)
        term.send("2")
        screen = term.wait_for(" 40 of 40 campaigns")
        assert "all · by name" in screen
        term.send("q")
        assert term.wait_exit() == 0
    # The next session starts in the view used last.
    with Terminal([console_script(), "--demo"], cols=100, rows=30, env=xdg) as term:
        term.wait_for(" 40 of 40 campaigns · all · by name")
        term.wait_for("/ filter: words")  # (the placeholder: no filter)
        term.send("3")
        screen = term.wait_for("requests:>=10 rate:<50")
        busy = re.search(r"3 Busy (\d+)", screen)
        assert busy and int(busy.group(1)) == shown_of(term.wait_for("by requests"))
        term.send("q")
        assert term.wait_exit() == 0


def test_a_wrong_filter_is_said_under_it_at_80x24(xdg: dict[str, str]) -> None:  # noqa: F811
    with Terminal([console_script(), "--demo"], cols=80, rows=24, env=xdg) as term:
        term.wait_for("of 40 campaigns")
        term.send("/naa ends:<7x")
        term.wait_for("ends: takes a span")
        term.wait_for("naa ends:<7x")  # what was typed stays
        term.send("\x7f\x7f\x7f7d")  # fixed: the error goes, the filter applies
        term.wait_gone("ends: takes a span")
        term.send("\x1b")
        term.send("q")
        assert term.wait_exit() == 0


def booked_column(screen: str) -> list[int]:
    """The Booked column's numbers, read by the header's position."""
    lines = screen.split("\n")
    header_at = next(i for i, line in enumerate(lines) if "Boo" in line and "Name" in line)
    header = lines[header_at]
    end = header.index("Boo") + len("Booked")  # ("Boo… ↓" when sorted: the arrow stays)
    values = []
    for line in lines[header_at + 1 :]:
        cell = line[end - 6 : end].strip()
        if not cell.replace(",", "").isdigit():
            break
        values.append(int(cell.replace(",", "")))
    return values


def test_command_line_sorts_and_saves_a_view(xdg: dict[str, str]) -> None:  # noqa: F811
    with Terminal([console_script(), "--demo"], cols=120, rows=40, env=xdg) as term:
        term.wait_for("of 40 campaigns")
        term.send(":sort booked desc\r")
        term.wait_for("by booked")
        term.wait_for("Pricing page demo")  # the most booked, first
        deadline = time.monotonic() + 10
        while True:  # (a frame may reach the terminal in more than one read)
            screen = term.screen_text()
            try:
                booked = booked_column(screen)
            except StopIteration:
                booked = []
            if len(booked) > 10 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert len(booked) > 10 and booked == sorted(booked, reverse=True), screen
        term.send(":filter team:sales\r")
        term.wait_for("team:sales")
        term.send(":view save Sales by booked\r")
        term.wait_for("1 Sales by booked")
        term.send(":q\r")
        assert term.wait_exit() == 0
    with Terminal([console_script(), "--demo"], cols=120, rows=40, env=xdg) as term:
        term.wait_for("1 Sales by booked")  # kept, and where this session starts
        term.wait_for("by booked")
        term.wait_for("team:sales")
        term.send(":srot\r")
        term.wait_for("No command 'srot'")
        term.send("\x1b")
        term.send("q")
        assert term.wait_exit() == 0


def test_columns_added_survive_a_restart_at_80x24(xdg: dict[str, str]) -> None:  # noqa: F811
    write_config(xdg, CONFIG)
    with Terminal([console_script(), "--demo"], cols=80, rows=24, env=xdg) as term:
        term.wait_for("team:sales")
        term.send(":columns -team -status -start -end -delta +updated\r")
        screen = term.wait_for("Updated")
        assert "Team" not in screen.split("Updated")[0].split("\n")[-1]
        term.send("s")  # s steps through the columns shown: after Created, Updated
        term.wait_for("by updated")
        term.send("s")
        term.wait_for("by name")
        term.send("q")
        assert term.wait_exit() == 0
    with Terminal([console_script(), "--demo"], cols=80, rows=24, env=xdg) as term:
        term.wait_for("Updated")  # kept with the view, where this session starts
        term.send("2")  # the other view has its own columns
        term.wait_for("Team")
        term.send("1")
        term.wait_for("Updated")
        term.send("q")
        assert term.wait_exit() == 0


def command_row(screen: str) -> str:
    """What the `:` line shows, the screen's last row but the key bar's (a toast may cover
    its right end: only its first run of text counts)."""
    return screen.rstrip("\n").split("\n")[-2].strip().split("   ")[0]


@pytest.mark.parametrize("cols, rows", [(80, 24), (100, 30)])
def test_the_command_line_shows_what_is_typed_and_completed(
    xdg: dict[str, str],  # noqa: F811
    cols: int,
    rows: int,
) -> None:
    with Terminal([console_script(), "--demo"], cols=cols, rows=rows, env=xdg) as term:
        term.wait_for("of 40 campaigns")
        term.send(":sort boo")
        screen = term.wait_for("sort boo")
        assert command_row(screen) == "sort boo", screen
        term.send("\t")  # what Tab filled in is seen
        screen = term.wait_for("sort booked")
        assert command_row(screen) == "sort booked", screen
        term.send("\r")
        term.wait_for("by booked")
        term.send(":\x1b[A")  # and what ↑ recalled
        screen = term.wait_for("sort booked")
        assert command_row(screen) == "sort booked", screen
        term.escape(until_gone="sort booked")
        term.send("q")
        assert term.wait_exit() == 0
