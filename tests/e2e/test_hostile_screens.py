"""Every screen fed hostile server text, in a real pseudo-terminal: the list, the filter, each
campaign's page, its edit form, the confirm dialog, toasts and the command palette. Checked on
the raw bytes the app wrote: no sequence from the data reaches the terminal, nothing crashes,
and each screen keeps its frame (title on top, key bar at the bottom)."""

from __future__ import annotations

import time
from pathlib import Path

from skipup_campaigns.sandbox import open_store
from tests.e2e.terminal import Terminal
from tests.e2e.test_console_script import console_script, xdg  # noqa: F401 (fixture)
from tests.hostile import FORBIDDEN_BYTES, HOSTILE_NAMES, add_hostile_campaigns

COLS, ROWS = 120, 40


def framed(term: Terminal, text: str, footer: str) -> str:
    """Wait for `text`, then for the layout to hold: the key bar on the bottom row (a frame
    may be read half-drawn, so this waits a little for the whole of it)."""
    screen = term.wait_for(text)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        lines = screen.split("\n")
        if (
            footer in lines[-1]
            and ("? Help" in lines[-1] or "^p Commands" in lines[-1])
            and text in screen
        ):
            return screen
        time.sleep(0.05)
        screen = term.screen_text()
    raise AssertionError(f"the key bar ({footer!r}) is not on the last row:\n{screen}")


def test_every_screen_keeps_hostile_text_inert(xdg: dict[str, str]) -> None:  # noqa: F811
    data = Path(xdg["XDG_DATA_HOME"]) / "skipup-campaigns"
    data.mkdir(parents=True)
    store = open_store(str(data / "demo.db"))
    add_hostile_campaigns(store)
    store.close()
    with Terminal([console_script(), "--demo"], cols=COLS, rows=ROWS, env=xdg) as term:
        term.wait_for("[@click=app.quit]click")
        term.send("/hostile")
        term.wait_for(f"{len(HOSTILE_NAMES)} of")
        term.send("\r")  # to the rows; they are newest first, so the last payload leads
        for position in range(len(HOSTILE_NAMES)):
            if position % 2 and position != len(HOSTILE_NAMES) - 2:
                term.send("j")
                continue
            term.send("\r")
            framed(term, "fetched", "q Back")
            term.send("e")
            framed(term, "Edit campaign", "^s Save")
            term.escape(until_gone="Edit campaign")  # nothing changed: straight back
            term.wait_for("fetched")
            term.send("d")
            term.wait_for("Deactivate this campaign?")
            term.escape(until_gone="Deactivate this campaign?")
            if position == len(HOSTILE_NAMES) - 2:  # the campaign whose e-mail is hostile
                term.send("c")  # control characters are never copied (issue 16)
                term.wait_for("Not copied: it holds a line break or a control character")
            term.escape(until_gone="fetched")
            framed(term, f"{len(HOSTILE_NAMES)} of", "Filter")
            term.send("j")
        term.send("\x10")  # ctrl+p: campaigns by name in the command palette
        term.wait_for("Search for commands")
        term.send("title")
        term.wait_for("title set")
        term.send("\x1b")
        term.send("q")
        assert term.wait_exit() == 0
    raw = bytes(term.raw)
    for forbidden in FORBIDDEN_BYTES:
        assert forbidden not in raw, forbidden
    assert b"Traceback" not in raw
    # The hostile address is refused, not copied: no OSC 52 at all.
    assert raw.count(b"\x1b]52;c;") == 0
