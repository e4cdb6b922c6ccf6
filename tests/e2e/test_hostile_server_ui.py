"""The installed app in a real pseudo-terminal against the hostile server (tests/hostile_server.py):
every string field of every campaign and team, ids and the page cursor included, holds
control sequences, markup or bidi text, and so do its error messages. Every screen, dialog and
toast is driven, and the raw bytes the app wrote are checked: the only escape sequences are the
app's own (see `terminal_output_problems`), nothing is copied that holds a control, and the key
never appears even when the server echoes it."""

from __future__ import annotations

import base64
import os
import re
import time
import warnings
from pathlib import Path

import pytest

from tests.e2e.terminal import Terminal
from tests.e2e.test_console_script import console_script
from tests.hostile_server import (
    ECHOED_KEY_SHAPE,
    HOSTILE_MESSAGE,
    HOSTILE_TEXTS,
    HostileURL,
    hostile_campaigns,
    serve_hostile,
    terminal_output_problems,
)

KEY = "sk_test_hostile_ui_key_0123456789"
COLS, ROWS = 120, 40
PAYLOADS = [*HOSTILE_TEXTS, HOSTILE_MESSAGE]


def app_env(tmp_path: Path, url: str) -> dict[str, str]:
    return {
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "SKIPUP_API_KEY": KEY,
        "SKIPUP_BASE_URL": url,
        "SKIPUP_PROFILE": "",
        # Copies go out as OSC 52, as over SSH (not to a local tool or tmux's buffer).
        "TMUX": "",
        "SSH_CONNECTION": "127.0.0.1 50000 127.0.0.1 22",
    }


def escape(term: Terminal, gone: str) -> None:
    """Press esc and wait until `gone` leaves the screen: then the esc was read as a key, and
    the next key cannot join it into alt+key (faster than Terminal.send's fixed pause)."""
    os.write(term._master, b"\x1b")
    try:
        term.wait_gone(gone)
    except AssertionError as lost:
        # Seen once in CI on a loaded 2-core machine: a lone esc sent the instant a dialog
        # appeared was not read. Not reproduced since (17 runs of this test and 400 esc presses
        # at dialogs and forms in a pty, at load 10 on 2 cores). This test is about the bytes
        # of hostile text, not key delivery: press it once more, still checking, and say so in
        # the run's warnings, so a recurrence is seen rather than hidden.
        warnings.warn(f"esc not read at {gone!r}, pressed again: {lost}", stacklevel=2)
        os.write(term._master, b"\x1b")
        term.wait_gone(gone)


def wait_footer(term: Terminal, footer: str) -> str:
    """Wait until the key bar (the last row) shows `footer`: the screen is drawn whole."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        screen = term.screen_text()
        if footer in screen.split("\n")[-1]:
            return screen
        time.sleep(0.05)
    raise AssertionError(f"{footer!r} is not on the key bar:\n{term.screen_text()}")


def copyable_values() -> set[str]:
    """What may be copied: an id or address without a control character (checked again by
    `terminal_output_problems`: a copy holding one is a problem whatever this says)."""
    return {c[field] for c in hostile_campaigns() for field in ("id", "email_address")}


def test_the_checker_catches_every_payload_written_raw() -> None:
    """The check below can fail: each payload, if it reached the terminal as sent, is found."""
    for payload in PAYLOADS:
        if payload.isprintable() or not re.search(
            "[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]",
            payload.replace("\t", "").replace("\n", ""),
        ):
            continue
        assert terminal_output_problems(f"x{payload}y".encode(), payloads=PAYLOADS), payload
    clean = b"\x1b[38;2;1;2;3mtext\x1b[0m\x1b[5;1H\x1b]22;default\x1b\\"
    assert terminal_output_problems(clean, payloads=PAYLOADS) == []
    osc52 = b"\x1b]52;c;" + base64.b64encode(b"cmp_1") + b"\x07"
    assert terminal_output_problems(osc52, copyable={"cmp_1"}) == []
    assert terminal_output_problems(osc52)  # a copy nobody asked for
    for query in (b"\x1b[6n", b"\x1b[c", b"\x1b[21t", b"\x1bPq\x1b\\", b"\x1b_G\x1b\\"):
        assert terminal_output_problems(query), query


def test_every_screen_dialog_and_toast_keeps_hostile_server_text_inert(tmp_path: Path) -> None:
    with (
        serve_hostile("hostile_strings") as url,
        Terminal([console_script()], cols=COLS, rows=ROWS, env=app_env(tmp_path, url)) as term,
    ):
        count = len(url.state.campaigns)
        term.wait_for(f"{count} of {count} campaigns")
        wait_footer(term, "Filter")
        walk_every_campaign(term, count)
        filter_help_and_palette(term, count)
        create_with_a_hostile_team(term)
        edit_with_conflict_and_errors(term, url)
        term.send("q")
        assert term.wait_exit() == 0
    raw = bytes(term.raw)
    problems = terminal_output_problems(raw, copyable=copyable_values(), payloads=PAYLOADS)
    assert not problems, "\n".join(problems)
    assert b"Traceback" not in raw
    assert KEY.encode() not in raw and ECHOED_KEY_SHAPE.encode() not in raw
    assert b"\x1b]52;c;" in raw  # the plain ids were copied (so the check above saw copies)
    assert max(map(len, re.findall(rb"E{20,}", raw)), default=0) <= 600  # a cut message
    # The create (POST), the overwrite and the refused saves (PATCH), the refused
    # deactivation (POST): no other.
    assert [path for method, path, _ in url.state.writes if method == "POST"][0] == "/campaigns"
    assert {method for method, _, _ in url.state.writes} == {"PATCH", "POST"}


def walk_every_campaign(term: Terminal, count: int) -> None:
    """Each campaign's page (every field), copying its id and address, its edit form and the
    deactivate dialog, cancelled."""
    term.send("\r")  # from the filter to the rows
    for _ in range(count):
        term.send("\r")
        wait_footer(term, "q Back")
        term.wait_for("fetched")
        term.send("yc")  # copy the id and the address: refused where they hold controls
        term.send("e")  # (keys are read in order: the form shows once both copies are done)
        wait_footer(term, "^s Save")
        escape(term, "^s Save")
        term.send("d")
        term.wait_for("Deactivate this campaign?")
        escape(term, "Deactivate this campaign?")
        wait_footer(term, "q Back")
        escape(term, "q Back")
        wait_footer(term, "Filter")
        term.send("j")
    term.wait_for("Not copied: it holds a line break or a control character")


def filter_help_and_palette(term: Terminal, count: int) -> None:
    term.send("/")
    term.send("title")  # matches names and teams holding an OSC 0 payload
    term.wait_for("PWNED-TITLE")
    term.wait_gone(f"{count} of {count} campaigns")
    os.write(term._master, b"\x1b")  # clears the filter
    term.wait_for(f"{count} of {count} campaigns")
    term.send("?")
    term.wait_for("binding ids, for [keymap]")
    escape(term, "binding ids, for [keymap]")
    wait_footer(term, "Filter")
    term.send("\x10")  # ctrl+p: campaigns by name in the command palette
    term.wait_for("Search for commands")
    term.send("DCS")
    term.wait_for("Go to ␛P1$qm␛\\DCS-QUERY")
    escape(term, "Go to")
    wait_footer(term, "Filter")


def create_with_a_hostile_team(term: Terminal) -> None:
    """The new-campaign form: the team picker's menu lists the hostile team names; the server
    answers the create with a campaign whose id is hostile, shown on its page."""
    term.send("n")
    wait_footer(term, "^s Save")
    term.send("New one\t\t\r")  # name, (description), open the team menu
    wait_footer(term, "Dismiss menu")
    term.wait_for("clipboard write")  # a team's name, in the menu
    term.send("\x1b[B\r")  # down to the first team, pick it
    wait_footer(term, "^s Save")
    term.send("\x13")
    term.wait_for("Campaign created.")
    wait_footer(term, "q Back")
    term.wait_for("NEW-ID")
    escape(term, "q Back")
    wait_footer(term, "Filter")


def edit_with_conflict_and_errors(term: Terminal, url: HostileURL) -> None:
    """Someone else changes every campaign (to a hostile description): the save meets the
    conflict dialog; overwriting is answered with a hostile error, then a key-echoing one,
    then a 20,000-character one; leaving asks whether to discard."""
    state = url.state
    for campaign_id in list(state.campaigns):
        state.touch(campaign_id)
    term.send("e")
    wait_footer(term, "^s Save")
    term.send("X")  # the name field has focus: a change
    term.send("\x13")  # ctrl+s
    term.wait_for("Changed on the server since you opened it")
    term.send("\t\t\r")  # keep editing -> take theirs -> overwrite with mine
    term.wait_for("Saved.")
    wait_footer(term, "Filter")
    # The server's answers to the next saves are hostile.
    state.write_error = HOSTILE_MESSAGE
    term.send("e")
    wait_footer(term, "^s Save")
    term.send("Y\x13")
    term.wait_for("Not saved")
    term.wait_for("EVIL-ERROR")
    state.write_error, state.echo_key = None, True
    term.send("Z\x13")
    term.wait_for("redacted")
    state.echo_key, state.write_error = False, "E" * 20_000
    term.send("W\x13")
    term.wait_gone("redacted")  # the form's status now holds the long message (cut)
    escape(term, "^s Save")  # changed: asks first
    term.wait_for("Discard your changes?")
    term.send("\t\r")  # cancel -> discard
    wait_footer(term, "Filter")
    # Error toasts: a refused deactivation, then a campaign gone from the server (its 404
    # message is hostile too).
    state.write_error = HOSTILE_MESSAGE
    term.send("d")
    term.wait_for("Deactivate this campaign?")
    term.send("\t\r")  # cancel -> deactivate
    term.wait_for("Could not deactivate the campaign")
    term.wait_for("EVIL-ERROR")
    state.write_error = None
    other = {**next(iter(state.campaigns.values())), "id": "cmp_elsewhere"}
    state.campaigns.clear()  # every campaign on screen is gone from the server now
    state.campaigns["cmp_elsewhere"] = other
    term.send("\r")
    term.wait_for("Could not fetch the campaign")
    wait_footer(term, "q Back")
    escape(term, "q Back")
    wait_footer(term, "Filter")


@pytest.mark.parametrize("behaviour", ["key_echo", "huge_error"])
def test_a_failing_load_shows_a_short_keyless_message(tmp_path: Path, behaviour: str) -> None:
    with (
        serve_hostile(behaviour) as url,
        Terminal([console_script()], cols=COLS, rows=ROWS, env=app_env(tmp_path, url)) as term,
    ):
        term.wait_for("Could not load campaigns")
        screen = term.screen_text()
        term.send("q")
        assert term.wait_exit() == 0
    raw = bytes(term.raw)
    assert KEY.encode() not in raw and ECHOED_KEY_SHAPE.encode() not in raw
    assert terminal_output_problems(raw) == []
    if behaviour == "key_echo":
        assert "redacted" in screen
    else:
        assert max(map(len, re.findall(rb"E{20,}", raw)), default=0) <= 600


@pytest.mark.parametrize("behaviour, shown", [("bad_numbers", 3), ("hostile_timestamps", 0)])
def test_unreadable_campaigns_are_counted_in_the_top_bar(
    tmp_path: Path, behaviour: str, shown: int
) -> None:
    with (
        serve_hostile(behaviour) as url,
        Terminal([console_script()], cols=COLS, rows=ROWS, env=app_env(tmp_path, url)) as term,
    ):
        top = term.wait_for("unreadable").split("\n")[0]
        term.send("a")  # all campaigns, not only active ones: still no crash
        term.send("s")
        wait_footer(term, "Filter")
        term.send("q")
        assert term.wait_exit() == 0
    # bad_numbers keeps its campaigns (3 good); hostile_timestamps sends one per payload.
    unreadable = len(url.state.campaigns) - shown if url.state.campaigns else len(HOSTILE_TEXTS)
    assert f"{shown} of {shown} campaigns" in top and f"{unreadable} unreadable" in top
    problems = terminal_output_problems(bytes(term.raw), payloads=PAYLOADS)
    assert not problems, "\n".join(problems)
    assert b"Traceback" not in term.raw
