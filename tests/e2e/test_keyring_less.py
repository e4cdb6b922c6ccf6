"""`config set-key` on a machine with no keyring (a jump box: no Secret Service, no D-Bus
session): it says so, asks before keeping the key in the config file (0600), or tells how to
use SKIPUP_API_KEY instead; never a traceback."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.e2e.terminal import Terminal
from tests.e2e.test_console_script import console_script

NO_KEYRING = {
    "fail backend": {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
    "no D-Bus session": {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent/bus"},
}


@pytest.fixture(params=sorted(NO_KEYRING))
def env(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        **NO_KEYRING[request.param],
    }
    for name in ("SKIPUP_KEYRING", "SKIPUP_API_KEY"):  # the keyring is not turned off here
        env.pop(name, None)
    if request.param == "no D-Bus session":
        env.pop("PYTHON_KEYRING_BACKEND", None)
    return env


def config_file(tmp_path: Path) -> Path:
    return tmp_path / "config" / "skipup-campaigns" / "config.toml"


def set_key_at_a_terminal(env: dict[str, str], answer: str) -> Terminal:
    terminal = Terminal([console_script(), "config", "set-key"], cols=100, rows=24)
    terminal.env = env
    with terminal as term:
        term.wait_for("SkipUp API key (not shown):")
        term.send("sk_test_jump_box\r")
        term.wait_for("[y/N]")
        assert "The OS keyring is unavailable" in term.screen_text()
        term.send(answer + "\r")
        term.wait_exit()
    assert b"Traceback" not in term.raw and b"sk_test_jump_box" not in term.raw
    return term


def test_yes_keeps_the_key_in_the_private_config_file(env: dict[str, str], tmp_path: Path) -> None:
    term = set_key_at_a_terminal(env, "y")
    assert term.process.returncode == 0
    assert "Stored the key in the config file" in term.screen_text()
    path = config_file(tmp_path)
    assert 'api_key = "sk_test_jump_box"' in path.read_text()
    assert path.stat().st_mode & 0o777 == 0o600


def test_no_stores_nothing_and_points_to_the_environment(
    env: dict[str, str], tmp_path: Path
) -> None:
    term = set_key_at_a_terminal(env, "n")
    assert term.process.returncode == 3
    screen = " ".join(term.screen_text().split())
    assert "Nothing was stored" in screen and "export SKIPUP_API_KEY=" in screen
    assert not config_file(tmp_path).exists()


def test_a_piped_key_is_not_written_without_a_yes(env: dict[str, str], tmp_path: Path) -> None:
    done = subprocess.run(
        [console_script(), "config", "set-key"],
        input="sk_test_piped\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 3
    assert "keyring is unavailable" in done.stderr and "SKIPUP_KEYRING=off" in done.stderr
    assert "SKIPUP_API_KEY" in done.stderr and "Traceback" not in done.stderr
    assert not config_file(tmp_path).exists()
    done = subprocess.run(
        [console_script(), "config", "set-key"],
        input="sk_test_piped\n",
        env={**env, "SKIPUP_KEYRING": "off"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert 'api_key = "sk_test_piped"' in config_file(tmp_path).read_text()
