"""Esc and the key after it in ONE write to a real pseudo-terminal (as one SSH packet brings
them): the app acts as Esc, then the key, as when typed slowly. Over the demo sandbox; the
server's state is checked where a write is at stake."""

from __future__ import annotations

import time
from pathlib import Path

from skipup_campaigns.sandbox import open_store
from tests.conftest import campaigns_on_server
from tests.e2e.terminal import Terminal
from tests.e2e.test_console_script import console_script, xdg  # noqa: F401 (fixture)
from tests.e2e.test_typeahead_app import start, table_rows, wait_for_cursor

ESC = "\x1b"


def filter_line(screen: str) -> str:
    return screen.split("\n")[1].strip()


def wait_for_filter(term: Terminal, value: str, timeout: float = 15) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        screen = term.screen_text()
        if filter_line(screen) == value:
            return screen
        time.sleep(0.05)
    raise AssertionError(f"the filter is not {value!r}:\n{term.screen_text()}")


def test_slash_board_esc_j_in_one_write(xdg: dict[str, str]) -> None:  # noqa: F811
    with start(xdg) as term:
        term.wait_for("of 40 campaigns")
        wait_for_cursor(term, 0)
        term.send(f"/Board{ESC}j")
        term.wait_for("of 40 campaigns")  # esc cleared the filter: every campaign again
        screen = term.screen_text()
        assert "Boardj" not in screen and "Board" not in filter_line(screen)
        # ...and j moved the cursor off the row the filter had left it on
        term.send("q")
        assert term.wait_exit() == 0
    assert b"Traceback" not in term.raw


def test_esc_a_on_filtered_rows_in_one_write(xdg: dict[str, str]) -> None:  # noqa: F811
    with start(xdg) as term:
        term.wait_for("of 40 campaigns")
        wait_for_cursor(term, 0)
        term.send("/an\r")
        wait_for_filter(term, "an")
        term.wait_for("· active only ·")
        term.send(f"{ESC}a")
        screen = term.wait_for("· all ·")  # a toggled to all campaigns
        assert filter_line(screen).startswith("/ filter:")  # esc cleared it (placeholder)
        term.send("q")
        assert term.wait_exit() == 0
    assert b"Traceback" not in term.raw


def test_esc_tab_enter_in_a_changed_form_in_one_write(xdg: dict[str, str]) -> None:  # noqa: F811
    """Esc asks, Tab moves from Cancel to Discard, Enter discards: the form closes unsaved."""
    with start(xdg) as term:
        rows = table_rows(term.wait_for("of 40 campaigns"))
        wait_for_cursor(term, 0)
        term.send("e")
        term.wait_for("Edit campaign: ")
        term.send("XYZ")
        term.wait_for("XYZ")
        term.send(f"{ESC}\t\r")
        term.wait_gone("Edit campaign: ")
        term.wait_for("of 40 campaigns")
        term.send("q")
        assert term.wait_exit() == 0
    assert b"Traceback" not in term.raw
    first = rows[0].lstrip("› ").split("  ")[0].rstrip("…")
    store = open_store(str(Path(xdg["XDG_DATA_HOME"]) / "skipup-campaigns" / "demo.db"))
    try:
        names = [c["name"] for c in campaigns_on_server(store)]
    finally:
        store.close()
    assert not [name for name in names if "XYZ" in name]
    assert [name for name in names if name.startswith(first)]
