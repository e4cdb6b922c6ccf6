"""The terminals of jump boxes: GNU screen, tmux, a plain xterm, the Linux console and vt100-class
terminals with 16 (or 8 bright-doubled) colours and no COLORTERM. Read through the VT emulator:
the list draws whole, only the colours the terminal has are sent, and what colour would say
(the booking-rate bars, the marks, the cursor) is there in characters, visible on its
background."""

from __future__ import annotations

import re

import pytest

from tests.e2e.terminal import Terminal
from tests.e2e.test_console_script import console_script

SIXTEEN_COLOURS = ("screen", "xterm", "linux", "vt100")
TERMS = (*SIXTEEN_COLOURS, "tmux-256color")
BAR_CHARACTERS = set("█▏▎▍▌▋▊▉")
TRUECOLOUR = re.compile(rb"\x1b\[[0-9;]*[34]8;2;")
EIGHT_BIT = re.compile(rb"\x1b\[[0-9;]*[34]8;5;")
ROWS, COLS = 30, 100


@pytest.mark.parametrize("term_name", TERMS)
def test_the_list_draws_with_the_terminals_own_colours(term_name: str) -> None:
    terminal = Terminal([console_script(), "--demo"], cols=COLS, rows=ROWS)
    terminal.env.pop("COLORTERM", None)
    terminal.env.pop("NO_COLOR", None)
    terminal.env["TERM"] = term_name
    with terminal as term:
        term.wait_for("of 40 campaigns", timeout=60)
        term.send(" ")  # mark the first row: the mark must show without colour
        screen = term.wait_for("1 marked")
        cells = [[term._screen.buffer[y][x] for x in range(COLS)] for y in range(ROWS)]
        term.send("q")
        assert term.wait_exit() == 0
    raw = bytes(term.raw)
    assert b"Traceback" not in raw
    assert not TRUECOLOUR.search(raw)
    if term_name in SIXTEEN_COLOURS:
        assert not EIGHT_BIT.search(raw)
    lines = screen.splitlines()
    marked = [line for line in lines if line.lstrip().startswith("✓")]
    assert len(marked) == 1 and "›" in screen  # the mark and the cursor, as characters
    header = next(n for n, line in enumerate(lines) if "Booking rate" in line)
    table = lines[header + 1 : next(n for n, line in enumerate(lines) if "Shown:" in line)]
    rows_with_rates = [line for line in table if re.search(r"\d+\.\d%", line)]
    assert len(rows_with_rates) >= 10
    for line in rows_with_rates:  # the bar says what the number says, without colour
        rate = float(re.findall(r"(\d+\.\d)%", line)[0])
        assert (rate > 0) == any(char in BAR_CHARACTERS for char in line), line
    hex_colour = re.compile(r"[0-9a-f]{6}")
    for y, row in enumerate(cells[:-1]):  # the key bar's group separators are decoration
        for char in row:
            if term_name in SIXTEEN_COLOURS:  # only the 16 named colours
                assert not hex_colour.fullmatch(char.fg), (term_name, y, char)
                assert not hex_colour.fullmatch(char.bg), (term_name, y, char)
            if char.data.strip():  # text, bars and marks stand out from their background
                assert char.fg != char.bg, f"{char.data!r} invisible on line {y}: {char}"
