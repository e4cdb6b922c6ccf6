"""`:profile NAME` in a real pseudo-terminal, each step's keys in ONE write: a config file of two
profiles on two sandbox processes; the switch shows the other sandbox's rows (the keys typed
behind it act on them), a write then reaches the second sandbox only, and marks and views stay
with their profile when switching back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from skipup_campaigns.sandbox import open_store
from tests.conftest import ADMIN, campaigns_on_server
from tests.e2e.terminal import Terminal
from tests.e2e.test_console_script import console_script, xdg  # noqa: F401 (fixture)
from tests.e2e.test_views_pty import write_config
from tests.processes import start_sandbox


def state(db: Path) -> list[dict]:
    store = open_store(str(db))
    try:
        return campaigns_on_server(store)
    finally:
        store.close()


@pytest.fixture
def two_profiles(tmp_path: Path, xdg: dict[str, str]) -> Iterator[tuple[Path, Path]]:  # noqa: F811
    """`first`: the demo data (40 campaigns); `second`: 20 synthetic ones, on another port."""
    with ExitStack() as stack:
        dbs, urls = [], []
        for name, extra in (("first", ()), ("second", ("--seed", "empty", "--seed-count", "20"))):
            db = tmp_path / f"{name}.db"
            process, url = start_sandbox(db, *extra)
            stack.callback(process.wait, timeout=10)
            stack.callback(process.terminate)
            dbs.append(db)
            urls.append(url)
        write_config(
            xdg,
            f"""default_profile = "first"
[profiles.first]
base_url = "{urls[0]}"
api_key = "{ADMIN}"
[profiles.second]
base_url = "{urls[1]}"
api_key = "{ADMIN}"
""",
        )
        yield dbs[0], dbs[1]


def title(screen: str) -> str:
    return screen.split("\n")[0]


def test_profile_switches_in_place_and_back(
    two_profiles: tuple[Path, Path],
    xdg: dict[str, str],  # noqa: F811
) -> None:
    first_db, second_db = two_profiles
    first_before = state(first_db)
    with Terminal([console_script()], cols=100, rows=30, env=xdg) as term:
        term.wait_for("SkipUp (first)")
        term.wait_for("of 40 campaigns")
        term.send(" ")
        term.wait_for("1 marked")
        term.send(":view save Mine\r")
        term.wait_for("1 Mine")
        # The switch and two marks behind it, in one write: they land on the new list.
        term.send(":profile second\r  ")
        screen = term.wait_for("SkipUp (second)")
        screen = term.wait_for("of 20 campaigns")
        screen = term.wait_for("2 marked")
        assert "1 Mine" not in screen  # (the first profile's view)
        second_before = state(second_db)
        term.send("d\t\r")  # deactivate the two marked; Tab to it; confirm
        term.wait_for("2 done")
        changed = [c for c, was in zip(state(second_db), second_before, strict=True) if c != was]
        assert len(changed) == 2 and not any(c["active"] for c in changed)
        assert state(first_db) == first_before  # the first sandbox got no write
        term.send(":profile first\r")
        screen = term.wait_for("SkipUp (first)")
        screen = term.wait_for("1 Mine")
        screen = term.wait_for("of 40 campaigns")  # its rows
        assert "1 marked" in title(screen)  # and its marks, kept while away
        term.send(":profile\r")
        term.wait_for("Profile: first (others: second, demo)")
        term.send("q")
        assert term.wait_exit() == 0
        assert b"Traceback" not in term.raw


HOSTILE_PROFILE = "[b]x\x1b[2Jevil"
SHOWN_HOSTILE = "[b]x␛[2Jevil"


def test_a_hostile_profile_name_is_inert_in_tab_the_palette_and_toasts(
    tmp_path: Path,
    xdg: dict[str, str],  # noqa: F811
) -> None:
    """The config file's name, with markup and a screen-clearing sequence, through Tab, the
    palette's entries and the toasts of `:profile`: on the raw bytes, the sequence never
    reaches the terminal; the name shows as text (its ESC as ␛) and can still be switched to."""
    process, url = start_sandbox(tmp_path / "first.db")
    try:
        write_config(
            xdg,
            f"""default_profile = "first"
[profiles.first]
base_url = "{url}"
api_key = "{ADMIN}"
[profiles."[b]x\\u001b[2Jevil"]
base_url = "{url}"
api_key = "{ADMIN}"
""",
        )
        with Terminal([console_script()], cols=120, rows=30, env=xdg) as term:
            term.wait_for("of 40 campaigns")
            term.send(":profile \t")  # completion: the other profile's name
            term.wait_for(f"profile {SHOWN_HOSTILE}")
            term.escape(until_gone=f"profile {SHOWN_HOSTILE}")
            term.send("\x10")  # ctrl+p
            term.wait_for("Search for commands")
            term.send("Profile:")
            term.wait_for(f"Profile: {SHOWN_HOSTILE}")
            term.escape(until_gone=f"Profile: {SHOWN_HOSTILE}")
            if "Search for commands" in term.screen_text():  # (the first esc emptied it)
                term.escape(until_gone="Search for commands")
            term.send(":profile\r")  # which one is in use, and the others
            term.wait_for(f"Profile: first (others: {SHOWN_HOSTILE}, demo)")
            term.send(f":profile {SHOWN_HOSTILE}\r")  # as shown: switched to
            term.wait_for(f"SkipUp ({SHOWN_HOSTILE})")
            term.send(f":profile {SHOWN_HOSTILE}\r")
            term.wait_for(f"Already on the profile '{SHOWN_HOSTILE}'")
            term.send("\x1b:q\r")
            assert term.wait_exit() == 0
    finally:
        process.terminate()
        process.wait(timeout=10)
    raw = bytes(term.raw)
    assert b"\x1b[2Jevil" not in raw and b"x\x1b[2J" not in raw
    assert b"Traceback" not in raw
