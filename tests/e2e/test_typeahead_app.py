"""The app over its demo sandbox in a real pseudo-terminal, each transition's keys in ONE
write (as SSH brings a fast typist's keys): list → filter → rows, rows → page → form, Tab and
shift+Tab through every field, save → back, and the confirm dialog. The server's state is
checked afterwards."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from skipup_campaigns.sandbox import open_store
from tests.conftest import ADMIN, campaigns_on_server
from tests.e2e.terminal import Terminal
from tests.e2e.test_console_script import console_script, xdg  # noqa: F401 (fixture)
from tests.processes import start_sandbox

SHIFT_TAB, CTRL_S, CTRL_U, ESC = "\x1b[Z", "\x13", "\x15", "\x1b"


def table_rows(screen: str) -> list[str]:
    """The list's rows as shown (the cursor's row starts with ›), header and summary left out."""
    lines = screen.split("\n")
    start = next(i for i, line in enumerate(lines) if "Booking rate" in line and "Name" in line)
    rows = []
    for line in lines[start + 1 :]:
        if not line.strip() or line.lstrip().startswith("Shown:"):
            break
        rows.append(line)
    return rows


def wait_for_cursor(term: Terminal, position: int, timeout: float = 15) -> list[str]:
    """Wait until the cursor (›) is on row `position` (negative: from the end) and stays."""
    deadline = time.monotonic() + timeout
    rows: list[str] = []
    while time.monotonic() < deadline:
        rows = rows_now(term)
        if len(rows) > 1 and cursor_on(rows, position):
            time.sleep(0.3)  # a key still on its way would move it
            if cursor_on(rows_now(term), position):
                return rows
        time.sleep(0.05)
    raise AssertionError(f"the cursor is not on row {position}:\n{term.screen_text()}")


def rows_now(term: Terminal) -> list[str]:
    """The table's rows on screen now: none while no table is drawn."""
    try:
        return table_rows(term.screen_text())
    except StopIteration:
        return []


def cursor_on(rows: list[str], position: int) -> bool:
    """The cursor is on row `position` (False when the rows read are fewer: a frame being
    drawn, read under load, may hold only some of them)."""
    return -len(rows) <= position < len(rows) and rows[position].lstrip().startswith("›")


def form_title(term: Terminal) -> str:
    screen = term.wait_for("Edit campaign: ")
    line = next(line for line in screen.split("\n") if "Edit campaign: " in line)
    return line.split("Edit campaign: ", 1)[1].strip()


def start(env: dict[str, str]) -> Terminal:
    return Terminal([console_script(), "--demo"], cols=100, rows=40, env=env)


@contextmanager
def running(server: str, tmp_path: Path, env: dict[str, str]) -> Iterator[tuple[Terminal, Path]]:
    """The app in a terminal over the demo, or over a sandbox process on a loopback port;
    yields the terminal and the server's database file."""
    if server == "demo":
        with start(env) as term:
            yield term, Path(env["XDG_DATA_HOME"]) / "skipup-campaigns" / "demo.db"
        return
    db = tmp_path / "sandbox.db"
    sandbox, url = start_sandbox(db)
    try:
        with Terminal(
            [console_script(), "--base-url", url, "--no-cache"],
            cols=100,
            rows=40,
            env={**env, "SKIPUP_API_KEY": ADMIN},
        ) as term:
            yield term, db
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)


def test_filter_then_rows_in_one_write(xdg: dict[str, str]) -> None:  # noqa: F811
    with start(xdg) as term:
        term.wait_for("of 40 campaigns")
        wait_for_cursor(term, 0)
        term.send("/an\rjjj")  # filter, to the rows, three down
        rows = wait_for_cursor(term, 3)
        assert 4 < len(rows) < 40
        assert term.screen_text().split("\n")[1].strip() == "an"  # no j in the filter
        term.send("/\x7f\x7fna\rG")  # the filter again: "na" this time; the last row
        wait_for_cursor(term, -1)
        assert term.screen_text().split("\n")[1].strip() == "na"
        term.send("q")
        assert term.wait_exit() == 0
    assert b"Traceback" not in term.raw


@pytest.mark.parametrize("server", ["demo", "loopback"])
def test_keys_typed_as_the_app_starts_wait_for_its_first_screen(
    server: str,
    tmp_path: Path,
    xdg: dict[str, str],  # noqa: F811
) -> None:
    """Typed before the first frame (the user starts typing as the command starts): the
    keys act on the list once it is there. They once reached a first screen whose widgets
    were not composed yet and were lost, and the keys after them acted as list keys."""
    with running(server, tmp_path, xdg) as (term, _db):
        assert "Booking rate" not in term.screen_text()  # nothing drawn yet
        term.send("/an")
        term.wait_for(" of 40 campaigns")
        term.send("\rjj")  # to the rows (now there), two down
        rows = wait_for_cursor(term, 2)
        assert 4 < len(rows) < 40
        assert term.screen_text().split("\n")[1].strip() == "an"
        term.send("q")
        assert term.wait_exit() == 0
    assert b"Traceback" not in term.raw


def test_filter_then_rows_typed_at_launch_in_one_write(
    tmp_path: Path,
    xdg: dict[str, str],  # noqa: F811
) -> None:
    """`/an⏎jj` in one write as the command starts, over a sandbox whose answers take 1.5 s:
    the keys reach the app before its first rows, some before it took the terminal out of its
    line mode (which turns Enter into ctrl+j). The filter holds "an" and the cursor is two
    rows down once the rows come: "anjj" was left in the filter, on no rows."""
    sandbox, url = start_sandbox(tmp_path / "slow.db", "--latency-ms", "1500")
    try:
        with Terminal(
            [console_script(), "--base-url", url, "--no-cache"],
            cols=100,
            rows=40,
            env={**xdg, "SKIPUP_API_KEY": ADMIN},
        ) as term:
            term.send("/an\rjj")
            term.wait_for(" of 40 campaigns", timeout=30)
            rows = wait_for_cursor(term, 2)
            assert 4 < len(rows) < 40
            assert term.screen_text().split("\n")[1].strip() == "an"
            term.send("q")
            assert term.wait_exit() == 0
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)
    assert b"Traceback" not in term.raw


@pytest.mark.parametrize("server", ["demo", "loopback"])
def test_rows_page_form_fields_save_and_back_in_one_write_each(
    server: str,
    tmp_path: Path,
    xdg: dict[str, str],  # noqa: F811
) -> None:
    """Over the in-process demo and over a loopback port (where the save takes a real round
    trip, and the esc typed behind ctrl+s must wait for it rather than cancel the form)."""
    with running(server, tmp_path, xdg) as (term, db):
        term.wait_for("of 40 campaigns")
        term.send("/an\rjjj")
        wait_for_cursor(term, 3)
        term.send("\re")  # open the campaign, then its form (not the list's own form)
        name = form_title(term)
        # Every field in one write: Name, Description, (Team), Start, End; back up with
        # shift+Tab to Name; save; back to the list.
        term.send(
            f"X\tD\t\t{CTRL_U}2027-01-10 09:30\t{CTRL_U}2027-02-01"
            f"{SHIFT_TAB}{SHIFT_TAB}{SHIFT_TAB}{SHIFT_TAB}Y{CTRL_S}{ESC}"
        )
        term.wait_for("Booking rate  ")  # (a page's field) the form closed on the page...
        term.wait_for("of 40 campaigns")  # ... and esc went on to the list
        # (The saved name is checked on the server below: the list may cut a long one.)
        term.send("q")
        assert term.wait_exit() == 0
    assert b"Traceback" not in term.raw
    store = open_store(str(db))
    try:
        saved = next(c for c in campaigns_on_server(store) if c["name"] == f"{name}XY")
    finally:
        store.close()
    assert saved["description"].startswith("D") or saved["description"].endswith("D")
    assert saved["starts_at"].startswith("2027-01-10T09:30")
    assert saved["ends_at"].startswith("2027-02-01T")


def test_confirm_dialog_takes_the_keys_typed_behind_the_key_that_opens_it(
    tmp_path: Path,
    xdg: dict[str, str],  # noqa: F811
) -> None:
    """Over a sandbox on a loopback port: `d` reads the campaign afresh before it asks, so
    the dialog opens a network round trip after the key (the in-process demo answers before
    the next key is even looked at)."""
    with running("loopback", tmp_path, xdg) as (term, db):
        rows = table_rows(term.wait_for("of 40 campaigns"))
        term.send("\r")
        term.wait_for("fetched")
        term.send("d\t\r")  # deactivate; Tab from Cancel to Deactivate; confirm
        term.wait_for("Campaign deactivated")
        term.wait_for("Status        deactivated")  # still on the campaign's page
        term.send("qq")  # q closes the page, q quits
        assert term.wait_exit() == 0
    assert b"Traceback" not in term.raw
    first = rows[0].lstrip("› ").split("  ")[0].rstrip("…")
    store = open_store(str(db))
    try:
        deactivated = [c["name"] for c in campaigns_on_server(store) if not c["active"]]
    finally:
        store.close()
    assert [name for name in deactivated if name.startswith(first)]
