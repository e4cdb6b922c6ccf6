"""The key never leaves the process except in the Authorization header: not on screen, not in
the debug log, the cache, the state file or a crash report. Checked by running with a
recognisable key and searching every byte the tool writes."""

from __future__ import annotations

import argparse
import os
import stat
from pathlib import Path

import pytest

from skipup_campaigns.cli import build_parser
from skipup_campaigns.debug_log import LogFileError, start_log
from tests.e2e.terminal import Terminal
from tests.e2e.test_console_script import console_script
from tests.processes import start_sandbox

KEY = "sk_live_RECOGNISABLE_7f3a9c"
SCOPES = "campaigns.read,campaigns.write,teams.read"


def every_file_under(*roots: Path) -> dict[Path, bytes]:
    return {
        path: path.read_bytes()
        for root in roots
        if root.exists()
        for path in root.rglob("*")
        if path.is_file()
    }


def test_a_whole_session_writes_the_key_nowhere(tmp_path: Path) -> None:
    sandbox, url = start_sandbox(tmp_path / "secret.db", "--api-key", f"{KEY}={SCOPES}")
    home = tmp_path / "home"
    env = {
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "SKIPUP_API_KEY": KEY,
        "SKIPUP_KEYRING": "off",
    }
    log = tmp_path / "debug.log"
    try:
        with Terminal(
            [console_script(), "--base-url", url, "--log", str(log)], cols=100, rows=30, env=env
        ) as term:
            term.wait_for("NAA 2026")
            term.send("\r")
            term.wait_for("fetched")
            term.send("e")
            term.wait_for("Edit campaign")
            term.send("\x7f" * 12)  # empty the name (the cursor starts at its end): refused
            term.send("\x13")
            term.wait_for("a name is required")
            term.escape(until_shown="Discard your changes?")
            term.send("\t\r")  # from Cancel to Discard
            term.wait_for("fetched")
            term.escape(until_gone="fetched")
            term.wait_for("of ")
            term.send("q")
            assert term.wait_exit() == 0
        # A second run with a key the server refuses: the error is shown, the key is not.
        with Terminal(
            [console_script(), "--base-url", url, "--log", str(log)],
            cols=100,
            rows=30,
            env={**env, "SKIPUP_API_KEY": KEY + "_revoked"},
        ) as refused:
            refused.wait_for("key was refused")
            refused.send("q")
            assert refused.wait_exit() == 0
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert b"Authorization: Bearer" not in log.read_bytes()
    assert b"authorization: Bearer \xc2\xabredacted\xc2\xbb" in log.read_bytes()
    written = every_file_under(home)
    written[log] = log.read_bytes()
    written[Path("terminal")] = bytes(term.raw) + bytes(refused.raw)
    assert len(written) >= 3  # the terminal, the log and the cached list at least
    for where, data in written.items():
        assert KEY.encode() not in data, f"the key is in {where}"
        assert b"RECOGNISABLE" not in data, f"part of the key is in {where}"


def test_command_output_and_errors_never_hold_the_key(tmp_path: Path) -> None:
    import subprocess

    sandbox, url = start_sandbox(tmp_path / "cmd.db", "--api-key", f"{KEY}={SCOPES}")
    env = {
        **os.environ,
        "SKIPUP_API_KEY": KEY,
        "SKIPUP_BASE_URL": url,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "SKIPUP_KEYRING": "off",
    }
    try:
        runs = [
            subprocess.run(
                [console_script(), *argv, "--log", str(tmp_path / "cmd.log")],
                env=env,
                capture_output=True,
                timeout=60,
            )
            for argv in (["list", "--json"], ["show", "cmp_missing"], ["list", "--csv"])
        ]
        revoked = subprocess.run(
            [console_script(), "list"],
            capture_output=True,
            timeout=60,
            env={**env, "SKIPUP_API_KEY": KEY + "x"},
        )
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)
    assert [r.returncode for r in runs] == [0, 7, 0] and revoked.returncode == 5
    shown = subprocess.run(
        [console_script(), "config", "show"], env=env, capture_output=True, timeout=60
    )
    for data in [r.stdout + r.stderr for r in (*runs, revoked, shown)] + [
        (tmp_path / "cmd.log").read_bytes()
    ]:
        assert b"RECOGNISABLE" not in data


def test_no_option_takes_the_users_key() -> None:
    """A key on the command line shows in `ps` and shell history. (The sandbox's --api-key
    names test keys the local server accepts, not a user's secret.)"""
    parser = build_parser()
    found = []

    def walk(p: object, path: str) -> None:
        for action in p._actions:  # type: ignore[attr-defined]
            for option in action.option_strings:
                if "key" in option or "token" in option or "secret" in option:
                    found.append(f"{path} {option}")
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, f"{path} {name}")

    walk(parser, "skipup-campaigns")
    assert found == ["skipup-campaigns sandbox --api-key"]


def test_the_log_file_is_private_and_refuses_to_be_shared(tmp_path: Path) -> None:
    import logging

    shared = tmp_path / "shared.log"
    shared.write_text("")
    shared.chmod(0o644)
    with pytest.raises(LogFileError, match="chmod 600"):
        start_log(shared)
    link = tmp_path / "link.log"
    link.symlink_to(shared)
    with pytest.raises(LogFileError, match="symlink"):
        start_log(link)
    private = tmp_path / "private.log"
    handler = start_log(private, secrets=["sk_custom_format_key"])
    try:
        logging.getLogger("skipup_campaigns.test").debug(
            "echo sk_custom_format_key and sk_live_abcdef and \x1b]0;title\x07"
        )
    finally:
        logging.getLogger("skipup_campaigns").removeHandler(handler)
        logging.getLogger("skipup_campaigns").setLevel(logging.NOTSET)
        handler.close()
    text = private.read_text()
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert "sk_custom" not in text and "sk_live_abcdef" not in text
    assert text.count("«redacted»") == 2 and "\x1b" not in text and "\\x1b]0;title" in text


def test_no_screenshot_or_snapshot_shows_a_key() -> None:
    root = Path(__file__).resolve().parents[2]
    pictures = [*root.glob("screenshots/*.svg"), *root.glob("tests/tui/__snapshots__/**/*.svg")]
    assert len(pictures) >= 10
    for picture in pictures:
        assert b"sk_" not in picture.read_bytes(), picture


def test_the_log_file_open_wins_the_race_with_a_planted_symlink(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The symlink is planted after any check of the path could run (here: a check that
    answers "no symlink" whatever is there, as the old check did when the race was lost): the
    open itself must refuse it, and the file it points to is neither created nor written."""
    monkeypatch.setattr(Path, "is_symlink", lambda self: False)
    monkeypatch.setattr(os.path, "islink", lambda path: False)
    victim = tmp_path / "victim"
    victim.write_text("")
    victim.chmod(0o600)  # private and the user's own: only the open can tell it is a link
    link = tmp_path / "debug.log"
    link.symlink_to(victim)
    with pytest.raises(LogFileError, match="symlink"):
        start_log(link)
    dangling = tmp_path / "dangling.log"
    dangling.symlink_to(tmp_path / "created-through-the-link")
    with pytest.raises(LogFileError, match="symlink"):
        start_log(dangling)
    assert not (tmp_path / "created-through-the-link").exists()


def test_the_log_file_refuses_a_fifo_and_another_users_file(tmp_path: Path) -> None:
    import threading

    fifo = tmp_path / "fifo.log"
    os.mkfifo(fifo, 0o600)
    outcome: list[BaseException | None] = []

    def open_it() -> None:
        try:
            start_log(fifo)
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - handed to the test's thread
            outcome.append(exc)

    opener = threading.Thread(target=open_it, daemon=True)
    opener.start()
    opener.join(timeout=5)
    if opener.is_alive():  # waiting for a reader: be one, so the thread ends, then fail
        os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
        opener.join(timeout=5)
        pytest.fail("opening the log waited on a FIFO")
    assert isinstance(outcome[0], LogFileError)
    if os.geteuid() == 0:
        theirs = tmp_path / "theirs.log"
        theirs.write_text("")
        theirs.chmod(0o600)
        os.chown(theirs, 65534, 65534)
        with pytest.raises(LogFileError, match="another user"):
            start_log(theirs)
