"""The installed app in a pseudo-terminal against a sandbox process that is slow, fails 30% of
requests and rate-limits at 30 a minute; then the sandbox is killed mid-session and brought
back. Nothing may be lost, duplicated or injected, and the app must keep answering keys.

Slow (about a minute): `pytest -m slow`."""

from __future__ import annotations

import json
import os
import re
import signal
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from skipup_campaigns.sandbox import open_store
from tests.conftest import campaigns_on_server
from tests.e2e.terminal import Terminal
from tests.e2e.test_console_script import console_script
from tests.processes import start_sandbox

pytestmark = pytest.mark.slow

FAULTS = (
    "--latency-ms",
    "300",
    "--fail-rate",
    "0.3",
    "--rate-limit",
    "30",
    "--random-seed",
    "11",
    "--seed-count",
    "400",
)
SORTS = ("name", "booking rate", "requests", "start", "Δ", "created")  # Δ: history is on


def until(term: Terminal, done: Callable[[str], bool], what: str, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        screen = term.screen_text()
        if done(screen):
            return screen
        assert term.process.poll() is None, f"the app exited while waiting for {what}"
        time.sleep(0.02)
    raise AssertionError(f"{what} did not happen:\n{term.screen_text()}")


def retry_until(term: Terminal, done: str, failed: str, retry_key: str) -> None:
    """Wait for `done`; each new `failed` toast means press `retry_key` and wait again."""
    for _ in range(8):
        failures = term.screen_text().count(failed)
        screen = until(
            term, lambda s, failures=failures: done in s or s.count(failed) > failures, done, 60
        )
        if done in screen:
            return
        term.send(retry_key)
    raise AssertionError(f"{done!r} never came in eight tries")


def save_until_done(term: Terminal, form_title: str) -> int:
    """ctrl+s until the form closes (saved); each failure must say so and keep the form."""
    failures = 0
    while True:
        typed = term.screen_text().split("\n")[1]  # the name field, as typed
        term.send("\x13")
        term.wait_for("Saving…", timeout=30)
        screen = until(
            term,
            lambda s: (
                form_title not in s or ("Saving…" not in s and ("Not saved" in s or "refused" in s))
            ),
            "an answer",
        )
        if form_title not in screen:
            return failures
        assert screen.split("\n")[1] == typed  # the form kept what was typed
        failures += 1
        assert failures < 8, screen


def shown_of(screen: str) -> str:
    """The top bar's "N of M campaigns"."""
    found = re.search(r"[\d,]+ of [\d,]+ campaigns", screen.split("\n")[0])
    assert found is not None, screen.split("\n")[0]
    return found.group(0)


def test_a_session_under_faults_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "faults.db"
    sandbox, url = start_sandbox(db, *FAULTS)
    home = tmp_path / "home"
    env = {
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "SKIPUP_API_KEY": "sk_test_admin",
        "SKIPUP_KEYRING": "off",
    }
    delays: list[float] = []
    try:
        with Terminal([console_script(), "--base-url", url], cols=100, rows=30, env=env) as term:
            # 1. Keys keep answering while pages arrive slowly: time each sort key to screen.
            # ("loading…" under the cold start's early first page, "N loaded…", or "N loaded ·
            # rate limited, next page in 12s" while the client waits on the 30/min limit.)
            until(term, lambda s: "load" in s.split("\n")[0], "pages arriving", 60)
            for sort in SORTS * 2:
                if "updated" in term.screen_text().split("\n")[0]:
                    break
                started = time.monotonic()
                term.send("s")
                until(
                    term,
                    lambda s, sort=sort: f"by {sort}" in s.split("\n")[0],
                    f"sort by {sort}",
                    timeout=10,
                )
                delays.append(time.monotonic() - started)
            while "by created" not in term.screen_text().split("\n")[0]:
                term.send("s")
                time.sleep(0.3)
            until(term, lambda s: "updated" in s.split("\n")[0], "the whole list")
            # 2. Filter, open, edit and save twice.
            term.send("/NAA 2026")
            term.wait_for("1 of")
            term.send("\r\r")
            retry_until(term, "fetched", "Could not fetch", "r")
            failed_saves = 0
            for suffix in (" A", " B"):
                term.send("e")
                term.wait_for("Edit campaign", timeout=60)
                term.send(suffix)
                failed_saves += save_until_done(term, "Edit campaign")
                term.wait_for("fetched")
            term.send("\x1b")
            term.send("\x1b")  # clear the filter
            # 3. Create one (its page opens when it is made).
            for _ in range(8):  # the team list may fail three times over: then try again
                term.send("n")
                term.wait_for("New campaign", timeout=60)
                screen = until(
                    term,
                    lambda s: "Choose a team" in s or "team id, e.g." in s,
                    "the team list",
                    timeout=60,
                )
                if "Choose a team" in screen:
                    break
                term.send("\x1b")
                until(term, lambda s: "New campaign" not in s, "the form closed", timeout=30)
            term.send("Fault create\t\t\x1b[B")  # name, past the description, first team
            until(term, lambda s: "Choose a team" not in s.split("\n")[3], "a team chosen", 10)
            failed_saves += save_until_done(term, "New campaign")
            # 4. Deactivate it (the cursor is on it); a failed try says so, and d tries again.
            for _ in range(8):
                failures = term.screen_text().count("Could not")
                term.send("d")
                screen = until(
                    term,
                    lambda s, failures=failures: (
                        "Deactivate this campaign?" in s or s.count("Could not") > failures
                    ),
                    "the confirmation",
                    60,
                )
                if "Deactivate this campaign?" not in screen:
                    continue
                failures = screen.count("Could not")
                term.send("\t\r")
                screen = until(
                    term,
                    lambda s, failures=failures: (
                        "Campaign deactivated:" in s or s.count("Could not") > failures
                    ),
                    "the deactivation",
                    60,
                )
                if "Campaign deactivated:" in screen:
                    break
            else:
                raise AssertionError("could not deactivate in eight tries")
            # 5. Back to the list and refresh; then lose the server: the data stays, the
            #    state says so.
            term.send("\x1b")
            until(term, lambda s: " campaigns · " in s.split("\n")[0], "the list")
            term.send("r")
            until(term, lambda s: "updated" in s.split("\n")[0], "the refresh")
            shown = term.screen_text().split("\n")[0]
            port = urlsplit(url).port
            os.kill(sandbox.pid, signal.SIGKILL)
            sandbox.wait(timeout=10)
            term.send("r")
            # (The sort and scope words give way to the reason when the top bar is short.)
            screen = until(
                term, lambda s: "cannot rea" in s.split("\n")[0], "cannot reach", timeout=60
            )
            assert shown_of(screen) == shown_of(shown)  # N of M kept
            # 6. It comes back on the same port and database: picked up without a key.
            sandbox, url = start_sandbox(db, *FAULTS[:-2], "--port", str(port))
            until(term, lambda s: "updated" in s.split("\n")[0], "recovery", timeout=90)
            term.send("q")
            assert term.wait_exit() == 0
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)
    assert b"Traceback" not in term.raw
    store = open_store(str(db))
    try:
        on_server = campaigns_on_server(store)
    finally:
        store.close()
    names = [c["name"] for c in on_server]
    assert "NAA 2026 A B" in names and "NAA 2026" not in names and "NAA 2026 A" not in names
    created = [c for c in on_server if c["name"] == "Fault create"]
    assert len(created) == 1 and created[0]["deactivated_at"] is not None
    # The list the app last loaded in full is its cache: every campaign, once, none extra.
    cache_file = next((home / "cache" / "skipup-campaigns").glob("list-*.json"))
    lines = cache_file.read_text().splitlines()
    cached = [json.loads(line)["id"] for line in lines[1:]]
    assert len(cached) == len(set(cached))
    assert sorted(cached) == sorted(c["id"] for c in on_server)
    keys = (
        f"worst key-to-screen while loading {max(delays) * 1000:.0f} ms (median "
        f"{sorted(delays)[len(delays) // 2] * 1000:.0f} ms, {len(delays)} keys)"
        if delays
        else "the load ended before a key was timed"
    )
    print(
        f"\nfault session: {len(on_server)} campaigns, {failed_saves} failed saves retried; " + keys
    )
