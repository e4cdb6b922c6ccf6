"""Issue 20, waits, as a user meets them: a sandbox process with `--rate-limit 3`, the console
script in a real pty (the list's top bar) and in a pipe (a command's stderr). The countdown
must be there within a second of the wait starting, which the client's own `--log` dates."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from tests.e2e.terminal import Terminal
from tests.e2e.test_console_script import console_script
from tests.processes import start_sandbox

WAIT_LOGGED = "for the rate limit"
"""What the client's debug log says as a wait starts (api/rate_wait.py)."""


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[str]:
    process, url = start_sandbox(tmp_path / "paced.db", "--rate-limit", "3", "--seed-count", "300")
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def env(tmp_path: Path, sandbox: str) -> dict[str, str]:
    return {
        **os.environ,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "SKIPUP_API_KEY": "sk_test_admin",
        "SKIPUP_BASE_URL": sandbox,
        "SKIPUP_KEYRING": "off",
    }


def wait_started(log: Path, timeout: float = 20.0) -> float:
    """When the first rate-limit wait started, as the client logged it (epoch seconds)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in log.read_text(encoding="utf-8").splitlines() if log.exists() else ():
            if WAIT_LOGGED in line:
                stamp = " ".join(line.split()[:2])  # "2026-12-07 13:40:00,123", local time
                return datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S,%f").timestamp()
        time.sleep(0.05)
    raise AssertionError(f"no wait in the log:\n{log.read_text(encoding='utf-8')[-2000:]}")


def test_the_list_top_bar_counts_down_within_a_second(env: dict[str, str], tmp_path: Path) -> None:
    log = tmp_path / "ui.log"
    with Terminal([console_script(), "--log", str(log)], cols=120, rows=30, env=env) as term:
        deadline = time.monotonic() + 30
        seen = ""
        while time.monotonic() < deadline:
            seen = term.screen_text().split("\n")[0]
            if "rate limited: next request in" in seen:
                break
            time.sleep(0.05)
        shown_at = time.time()
        assert "rate limited: next request in" in seen, term.screen_text()
        assert seen.rstrip().endswith("3 a minute") or "3 a minute" in seen, seen
        assert shown_at - wait_started(log) < 1.0
        first = term.screen_text().split("\n")[0]
        time.sleep(2.2)
        assert term.screen_text().split("\n")[0] != first  # it counts down
        term.send("q")
        code = term.wait_exit()
        assert code == 0, bytes(term.raw[-3000:]).decode("utf-8", "replace")


def test_a_commands_stderr_counts_down_within_a_second(
    env: dict[str, str], sandbox: str, tmp_path: Path
) -> None:
    ids = [
        c["id"]
        for c in httpx.get(
            f"{sandbox}/campaigns",
            params={"limit": 6},
            headers={"Authorization": "Bearer sk_test_admin"},
        ).json()["data"]
    ]  # 1 of the 3
    log = tmp_path / "command.log"
    process = subprocess.Popen(
        [console_script(), "deactivate", "--dry-run", "--log", str(log), *ids],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[tuple[float, str]] = []

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.append((time.time(), line))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any(
            "next request in" in line for _, line in lines
        ):
            time.sleep(0.05)
        said = [(at, line) for at, line in lines if "next request in" in line]
        assert said, lines
        at, line = said[0]
        assert line.startswith("rate limited") and line.rstrip().endswith("3 a minute"), line
        assert at - wait_started(log) < 1.0
    finally:
        process.terminate()
        process.wait(timeout=10)
