"""The installed console script in a real pseudo-terminal."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from skipup_campaigns.sandbox import open_store
from tests.conftest import campaigns_on_server
from tests.e2e.terminal import Terminal
from tests.hostile import FORBIDDEN_BYTES, add_hostile_campaigns


def console_script() -> str:
    beside = Path(sys.executable).with_name("skipup-campaigns")
    found = str(beside) if beside.exists() else shutil.which("skipup-campaigns")
    if found is None:
        pytest.fail("the skipup-campaigns console script is not installed")
    return found


@pytest.fixture
def xdg(tmp_path: Path) -> dict[str, str]:
    return {
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }


def test_demo_starts_filters_as_you_type_and_quits(xdg: dict[str, str]) -> None:
    with Terminal([console_script(), "--demo"], cols=80, rows=24, env=xdg) as term:
        term.wait_for("NAA 2026")
        screen = term.wait_for("of 40 campaigns")
        assert "Booking rate" in screen and "█" in screen
        term.send("/")
        term.send("dream")
        # Dreamforce has ended: the active-only view hides it, and says so
        screen = term.wait_for("Only 1 inactive campaign matches 'dream'")
        assert " 0 of 40 campaigns" in screen and "a shows it" in screen
        term.escape(until_gone="matches 'dream'")  # esc clears the filter
        term.send("a")
        term.send("/")
        term.send("dream")
        screen = term.wait_for("1 of 40 campaigns")
        assert "Dreamforce 2026 booth" in screen and "NAA 2026" not in screen
        term.send("\r")
        term.send("q")
        assert term.wait_exit() == 0
    assert b"Traceback" not in term.raw
    assert (Path(xdg["XDG_DATA_HOME"]) / "skipup-campaigns" / "demo.db").exists()


def test_missing_key_explains_itself_in_the_terminal(xdg: dict[str, str]) -> None:
    with Terminal([console_script()], cols=80, rows=24, env={**xdg, "SKIPUP_API_KEY": ""}) as term:
        screen = term.wait_for("SKIPUP_API_KEY")
        assert "cannot start" in screen
        term.send("q")
        assert term.wait_exit() == 0
    assert b"Traceback" not in term.raw


def test_hostile_server_text_never_reaches_the_terminal(xdg: dict[str, str]) -> None:
    data = Path(xdg["XDG_DATA_HOME"]) / "skipup-campaigns"
    data.mkdir(parents=True)
    store = open_store(str(data / "demo.db"))
    add_hostile_campaigns(store)
    store.close()
    with Terminal([console_script(), "--demo"], cols=120, rows=40, env=xdg) as term:
        screen = term.wait_for("[@click=app.quit]click")
        assert "[link=https://evil.exa" in screen
        assert "␛[2J␛[31mREDTEXT" in screen and "␛]0;PWNED-TITLE␇" in screen
        term.send("/")
        term.send("hostile")  # the slug is not shown, but the filter finds every row by it
        term.wait_for("13 of")
        term.send("\r")  # to the rows, then open the first (the long name)
        term.send("\r")
        term.wait_for("E-mail        hostile-12.acme@skipup.co")
        term.escape(until_gone="E-mail        hostile-12.acme@skipup.co")
        term.wait_for("of 5")  # back on the list
        term.send("\x10")  # ctrl+p: the command palette lists campaigns by name
        term.wait_for("Search for commands")
        term.send("click")
        term.wait_for("Go to [@click=app.quit]click me")
        term.send("\x1b")
        term.send("q")
        assert term.wait_exit() == 0
    for forbidden in FORBIDDEN_BYTES:
        assert forbidden not in term.raw, forbidden
    assert b"Traceback" not in term.raw


def test_edit_a_name_against_a_sandbox_on_loopback(xdg: dict[str, str], tmp_path: Path) -> None:
    import httpx

    from tests.processes import start_sandbox

    sandbox, url = start_sandbox(tmp_path / "e2e.db")
    try:
        env = {**xdg, "SKIPUP_API_KEY": "sk_test_admin"}
        with Terminal([console_script(), "--base-url", url], cols=80, rows=24, env=env) as term:
            term.wait_for("NAA 2026")
            term.send("\r")  # open it
            term.wait_for("fetched")
            term.send("e")
            term.wait_for("Edit campaign: NAA 2026")
            term.send(" (pty)\x13")  # typed and saved in one packet, as over SSH
            term.wait_for("NAA 2026 (pty)")
            term.wait_for("Saved.")
            term.send("\x1b")
            term.send("q")
            assert term.wait_exit() == 0
        assert b"Traceback" not in term.raw
        campaigns = httpx.get(
            f"{url}/campaigns",
            params={"limit": 100},
            headers={"Authorization": "Bearer sk_test_admin"},
        ).json()["data"]
        assert "NAA 2026 (pty)" in [c["name"] for c in campaigns]
        assert "NAA 2026" not in [c["name"] for c in campaigns]
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)


def test_a_create_typed_in_one_packet_lands_whole(xdg: dict[str, str]) -> None:
    """Name, tab past the description, ↓ to the first team, ctrl+s: all in one write, as a
    fast typist's keys arrive over SSH. Nothing typed may be lost on the way."""
    with Terminal([console_script(), "--demo"], cols=100, rows=30, env=xdg) as term:
        term.wait_for("NAA 2026")
        term.send("n")
        term.wait_for("Choose a team")
        term.send("Typed ahead\t\t\x1b[B\x13")
        term.wait_for("Campaign created.")
        term.send("qq")  # the first q closes the new campaign's page, the second quits
        assert term.wait_exit() == 0
    store = open_store(str(Path(xdg["XDG_DATA_HOME"]) / "skipup-campaigns" / "demo.db"))
    try:
        made = [c for c in campaigns_on_server(store) if c["name"] == "Typed ahead"]
    finally:
        store.close()
    assert len(made) == 1 and made[0]["team_name"]
