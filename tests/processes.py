"""Starting the sandbox as its own process, as a user would (for kill and end-to-end tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def start_sandbox(db: Path, *extra: str) -> tuple[subprocess.Popen[str], str]:
    """`skipup-campaigns sandbox` on a free loopback port; returns the process and base URL."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "skipup_campaigns",
            "sandbox",
            "--port",
            "0",
            "--db",
            str(db),
            "--rate-limit",
            "0",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    assert first.startswith("SkipUp sandbox listening on "), first
    return process, first.split()[-1]
