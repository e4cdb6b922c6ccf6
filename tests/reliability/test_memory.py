"""The memory a whole list of 100,000 campaigns costs, loaded as the UI loads it (tests/
peak_memory.py: the workspace, the client and the list cache written at the end), over the
same process's floor with only the UI's imports. Slow: the sandbox makes 100,000 campaigns
and the load reads 1,000 pages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.processes import start_sandbox

CAMPAIGNS = 100_000
BUDGET_MB = 78
"""Peak resident memory the loaded list may add to the imports' (~44 MB): measured 73 MB on
the development machine (issue 23: 127, 95, 87, 80, then 75 MB before it). The issue's
target, 130 MB in all, would be ~86 MB here."""


def peak(*argv: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.peak_memory", *argv],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_a_loaded_list_of_100_000_stays_within_its_memory_budget(tmp_path: Path) -> None:
    sandbox, url = start_sandbox(
        tmp_path / "memory.db", "--seed", "empty", "--seed-count", str(CAMPAIGNS)
    )
    try:
        loaded = peak(url)
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=30)
    idle = peak("--idle")
    assert loaded["loaded"] == CAMPAIGNS
    added = loaded["peak_mb"] - idle["peak_mb"]
    assert added <= BUDGET_MB, f"{added:.0f} MB for {CAMPAIGNS:,} campaigns (budget {BUDGET_MB})"
