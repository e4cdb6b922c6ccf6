"""The README's curl examples, run with real curl against the sandbox on a loopback port."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.sandbox.test_campaigns_api import CAMPAIGN_KEYS

README = Path(__file__).resolve().parents[2] / "README.md"
DOCUMENTED_URL = "http://127.0.0.1:8765/api/v1"


def readme_curl_lines() -> list[str]:
    text = README.read_text()
    block = text.split("<!-- curl-examples", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.startswith("curl ")]


def run_curl(line: str, url: str) -> tuple[int, dict]:
    argv = shlex.split(line.replace(DOCUMENTED_URL, url))
    done = subprocess.run(
        [*argv, "-w", "\n%{http_code}"], capture_output=True, text=True, timeout=30, check=True
    )
    body, _, status = done.stdout.rpartition("\n")
    return int(status), json.loads(body)


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_readme_curl_examples_give_the_documented_shapes(live_url: str) -> None:
    lines = readme_curl_lines()
    assert len(lines) == 8
    results = [run_curl(line, live_url) for line in lines]
    statuses = [status for status, _ in results]
    assert statuses == [200, 200, 200, 201, 200, 200, 403, 422]
    listed, one, teams, created, patched, deactivated, forbidden, invalid = [b for _, b in results]
    assert set(listed["meta"]) == {"limit", "has_more", "next_cursor"}
    assert len(listed["data"]) == 2 and all(c["active"] for c in listed["data"])
    assert list(one["data"]) == CAMPAIGN_KEYS and one["data"]["name"] == "NAA 2026"
    assert "Sales" in {t["name"] for t in teams["data"]}
    assert created["data"]["slug"] == "naa-2027" and created["data"]["team_name"] == "Sales"
    assert patched["data"]["description"] == "Booth 12, hall B"
    assert deactivated["data"]["active"] is False
    assert forbidden["error"]["message"] == "API key missing required scope: campaigns.write"
    assert invalid["error"] == {"type": "validation_error", "message": "name can't be blank"}
    # As the README says: the same Idempotency-Key gives back the same campaign.
    assert run_curl(lines[3], live_url) == (201, created)
