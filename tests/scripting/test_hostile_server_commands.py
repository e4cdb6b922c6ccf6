"""The installed commands, as a script runs them (a subprocess), against the hostile server
(tests/hostile_server.py): every output format of `list`, `show`, `update`/`deactivate` of
several ids with `--dry-run`, and `report`; then bad numbers, an echoed key, a huge message and
a dripping body. Checked on the raw bytes of stdout and stderr: no control sequence from the
data, no key, no message longer than the client's cut, valid JSON."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.terminal import Terminal
from tests.e2e.test_console_script import console_script
from tests.hostile_server import (
    BAD_NUMBERS,
    ECHOED_KEY_SHAPE,
    HOSTILE_MESSAGE,
    HOSTILE_TEXTS,
    HostileURL,
    hostile_campaigns,
    hostile_teams,
    serve_hostile,
    terminal_output_problems,
)

KEY = "sk_test_hostile_cli_key_0123456789"
PAYLOADS = [*HOSTILE_TEXTS, HOSTILE_MESSAGE]
PLAIN = [f"cmp_plain{n}" for n in range(6)]
"""Campaigns whose id a command accepts (hostile ids are refused before any request), every
other field hostile, so the write commands reach the server."""
IDS = [c["id"] for c in hostile_campaigns()] + PLAIN
TIMEOUT = 120  # seconds: a bound on a hung command, never an expectation


def env(tmp_path: Path, url: str, **extra: str) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SKIPUP_")}
    return {
        **environ,
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "SKIPUP_API_KEY": KEY,
        "SKIPUP_BASE_URL": url,
        **extra,
    }


def run(
    tmp_path: Path, url: str, *argv: str, stdin: str = "", **extra: str
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [console_script(), *argv],
        input=stdin.encode(),
        capture_output=True,
        env=env(tmp_path, url, **extra),
        timeout=TIMEOUT,
        check=False,
    )


def assert_clean(result: subprocess.CompletedProcess[bytes]) -> None:
    for stream in (result.stdout, result.stderr):
        problems = terminal_output_problems(stream, payloads=PAYLOADS)
        assert not problems, "\n".join(problems)
        assert KEY.encode() not in stream and ECHOED_KEY_SHAPE.encode() not in stream
        assert b"Traceback" not in stream


def with_plain_ids(url: HostileURL) -> HostileURL:
    for n, campaign_id in enumerate(PLAIN):
        url.state.campaigns[campaign_id] = {**hostile_campaigns()[n], "id": campaign_id}
    return url


@pytest.fixture(scope="module")
def hostile_url() -> Iterator[HostileURL]:
    with serve_hostile("hostile_strings") as url:
        yield with_plain_ids(url)


@pytest.mark.parametrize(
    "argv",
    [
        ("list",),
        ("list", "--csv"),
        ("list", "--json"),
        (
            "list",
            "--fields",
            "id,name,description,team_id,team_name,email_address,slug,created_at,updated_at",
        ),
    ],
)
def test_list_in_every_format(
    tmp_path: Path, hostile_url: HostileURL, argv: tuple[str, ...]
) -> None:
    result = run(tmp_path, hostile_url, *argv)
    assert result.returncode == 0, result.stderr
    assert_clean(result)
    if "--json" in argv:  # exact text for programs, controls as \u escapes
        assert [c["id"] for c in json.loads(result.stdout)] == IDS
    else:
        assert len(result.stdout.decode().splitlines()) == 1 + len(IDS)  # one line each


def test_list_as_a_table_in_a_terminal(tmp_path: Path, hostile_url: HostileURL) -> None:
    with Terminal(
        [console_script(), "list"], cols=160, rows=50, env=env(tmp_path, hostile_url)
    ) as term:
        assert term.wait_exit(timeout=TIMEOUT) == 0
    raw = bytes(term.raw)
    problems = terminal_output_problems(raw, payloads=PAYLOADS)
    assert not problems, "\n".join(problems)
    assert b"PWNED-TITLE" in raw and b"Traceback" not in raw


def test_show_every_campaign_and_a_missing_one(tmp_path: Path, hostile_url: HostileURL) -> None:
    for campaign_id in IDS[::3]:
        for argv in (("show", campaign_id), ("show", campaign_id, "--json")):
            result = run(tmp_path, hostile_url, *argv)
            assert result.returncode == 0, result.stderr
            assert_clean(result)
    missing = run(tmp_path, hostile_url, "show", "cmp_nope")  # 404 with a hostile message
    assert missing.returncode != 0
    assert_clean(missing)
    assert b"EVIL-ERROR" in missing.stderr or b"no campaign" in missing.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ("update", "-", "--description", "new", "--dry-run"),
        ("update", "-", "--team", hostile_teams()[1]["name"], "--dry-run"),  # zero-width joiners
        ("deactivate", "-", "--dry-run"),
        ("update", "-", "--description", "new", "--dry-run", "--json"),
    ],
)
def test_changing_several_campaigns_previews_inertly(
    tmp_path: Path, hostile_url: HostileURL, argv: tuple[str, ...]
) -> None:
    result = run(tmp_path, hostile_url, *argv, stdin=json.dumps([{"id": i} for i in PLAIN]))
    assert result.returncode == 0, result.stderr
    assert_clean(result)
    assert all(i.encode() in result.stdout + result.stderr for i in PLAIN)  # each previewed
    assert not [w for w in hostile_url.state.writes if w[0] != "GET"]  # a preview sends nothing


@pytest.mark.parametrize(
    "argv",
    [
        ("update", "-", "--description", "new", "--yes"),
        ("deactivate", "-", "--yes"),
        ("deactivate", "-", "--yes", "--json"),
    ],
)
def test_changing_several_campaigns_reports_inertly(tmp_path: Path, argv: tuple[str, ...]) -> None:
    with serve_hostile("hostile_strings") as url:
        with_plain_ids(url)
        result = run(tmp_path, url, *argv, stdin="\n".join(PLAIN))
        campaigns = url.state.campaigns
    assert result.returncode == 0, result.stderr
    assert_clean(result)
    if argv[0] == "update":
        assert all(campaigns[i]["description"] == "new" for i in PLAIN)
    else:
        assert not any(campaigns[i]["active"] for i in PLAIN)
    if "--json" in argv:
        json.loads(result.stdout)


@pytest.mark.parametrize("argv", [(), ("--markdown",), ("--csv",), ("--json",), ("--by", "status")])
def test_report_in_every_format(
    tmp_path: Path, hostile_url: HostileURL, argv: tuple[str, ...]
) -> None:
    result = run(tmp_path, hostile_url, "report", "--min-requests", "0", *argv)
    assert result.returncode == 0, result.stderr
    assert_clean(result)
    if "--json" in argv:
        json.loads(result.stdout)


def test_errors_from_writes_are_inert_and_keyless(tmp_path: Path) -> None:
    with serve_hostile("hostile_strings") as url:
        with_plain_ids(url)
        url.state.write_error = HOSTILE_MESSAGE
        first = run(tmp_path, url, "update", PLAIN[2], "--description", "x")
        url.state.write_error, url.state.echo_key = None, True
        second = run(tmp_path, url, "deactivate", PLAIN[2], "--yes")
    for result in (first, second):
        assert result.returncode != 0
        assert_clean(result)
    assert b"EVIL-ERROR" in first.stderr
    assert "«redacted»".encode() in second.stderr


# -- §3: bad numbers among good campaigns -------------------------------------------------


@pytest.mark.parametrize("fmt", [(), ("--json",), ("--csv",)])
def test_list_prints_the_good_campaigns_and_warns_of_the_unreadable(
    tmp_path: Path, fmt: tuple[str, ...]
) -> None:
    with serve_hostile("bad_numbers") as url:
        result = run(tmp_path, url, "list", *fmt)
    assert result.returncode == 0, result.stderr
    out, err = result.stdout.decode(), result.stderr.decode()
    if fmt == ("--json",):
        # Standard JSON: a NaN or Infinity would make this fail.
        rows = json.loads(out, parse_constant=lambda name: pytest.fail(f"{name} in --json"))
        assert [row["id"] for row in rows] == ["cmp_0", "cmp_1", "cmp_2"]
    assert all(f"cmp_{n}" in out for n in range(3)) and "cmp_bad" not in out
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning: 6 campaign(s) left out")
    assert "cmp_bad_huge_booked" in lines[0] and "1 more" in lines[0]
    assert len(BAD_NUMBERS) == 6


def test_report_counts_the_good_campaigns_and_warns_of_the_unreadable(tmp_path: Path) -> None:
    """report reads every page as list does (show's search by slug or name too: the same
    Session.all_campaigns): the good campaigns count, one line says what was left out."""
    with serve_hostile("bad_numbers") as url:
        result = run(tmp_path, url, "report", "--json")
    err = result.stderr.decode()
    assert result.returncode == 0, err
    warnings = [line for line in err.splitlines() if "left out" in line]
    assert len(warnings) == 1 and warnings[0].startswith("warning: 6 campaign(s) left out"), err
    assert json.loads(result.stdout)["campaigns"] == 3


# -- §2/§4: messages cut, the key never shown, the deadline configurable ------------------


@pytest.mark.parametrize("behaviour", ["key_echo", "huge_error"])
def test_a_failing_command_says_little_and_never_the_key(tmp_path: Path, behaviour: str) -> None:
    with serve_hostile(behaviour) as url:
        result = run(tmp_path, url, "list")
    assert result.returncode != 0
    assert_clean(result)
    assert len(result.stderr) < 1000, result.stderr[:200]
    if behaviour == "key_echo":
        assert "«redacted»".encode() in result.stderr


def test_the_request_deadline_comes_from_the_config_file(tmp_path: Path) -> None:
    with serve_hostile("drip") as url:
        config = tmp_path / "config" / "skipup-campaigns"
        config.mkdir(parents=True, mode=0o700)
        path = config / "config.toml"
        path.write_text(f'base_url = "{url}"\napi_key = "{KEY}"\nrequest_deadline = 1\n')
        path.chmod(0o600)
        started = time.monotonic()
        result = run(tmp_path, url, "list", SKIPUP_API_KEY="", SKIPUP_BASE_URL="")
        took = time.monotonic() - started
    assert result.returncode != 0
    assert b"did not answer in time" in result.stderr, result.stderr
    # Generous: three attempts of 1 s and their pauses; the default (60 s) would take minutes.
    assert took < 45
    assert_clean(result)


def test_the_request_deadline_setting_is_inherited_checked_and_used() -> None:
    from skipup_campaigns import config
    from skipup_campaigns.startup.connection import client_maker
    from tests.test_config import write_config

    write_config(
        'request_deadline = 5\n[profiles.a]\nbase_url = "http://127.0.0.1:1/api/v1"\n'
        f'api_key = "{KEY}"\n[profiles.b]\nbase_url = "http://127.0.0.1:1/api/v1"\n'
        f'api_key = "{KEY}"\nrequest_deadline = 90\n'
    )
    assert config.load_settings(profile="a").request_deadline == 5.0  # from the top level
    settings = config.load_settings(profile="b")
    assert settings.request_deadline == 90.0
    make = client_maker(settings)
    assert make is not None and make().deadline == 90.0  # the UI and the commands alike
    for bad in ("0", "-1", "true", '"60"', "100000"):
        write_config(f"request_deadline = {bad}\n")
        with pytest.raises(config.ConfigError, match="request_deadline"):
            config.load_settings()
    write_config("")
    assert config.load_settings().request_deadline == 60.0
