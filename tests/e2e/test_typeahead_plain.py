"""Keys in one write to a real pseudo-terminal, as one SSH packet brings a fast typist's keys:
the plain three-field app without the mixin shows the problem, with it every key lands where
it was meant."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from tests.e2e.terminal import Terminal

APP = str(Path(__file__).parents[1] / "typeahead_apps.py")
SHIFT_TAB = "\x1b[Z"


def run_three_fields(keys: str, expected: str, *, plain: bool = False) -> None:
    """Start the app, write `keys` in one write, and see the fields end up as `expected`
    (and stay so: a key still on its way would change them)."""
    with Terminal([sys.executable, APP, *(["plain"] if plain else [])], cols=60, rows=8) as term:
        term.wait_for("ready a=|b=|c=")
        term.send(keys)
        term.wait_for(f"ready {expected} ")
        time.sleep(0.3)
        assert f"ready {expected} " in term.screen_text()
        term.send("\x11")  # ctrl+q
        assert term.wait_exit() == 0
    assert b"Traceback" not in term.raw


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ("\t\tZZ", "a=|b=|c=ZZ"),
        ("hi\tyo\tx", "a=hi|b=yo|c=x"),
        (f"\t\tZ{SHIFT_TAB}Y{SHIFT_TAB}X", "a=X|b=Y|c=Z"),
    ],
)
def test_keys_in_one_write_land_in_the_fields_they_were_meant_for(keys: str, expected: str) -> None:
    run_three_fields(keys, expected)
