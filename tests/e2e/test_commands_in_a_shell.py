"""The scripting commands as a shell runs them: the installed console script, real pipes and a
real pseudo-terminal, a sandbox process on loopback."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.terminal import Terminal
from tests.e2e.test_console_script import console_script
from tests.processes import start_sandbox

COMMANDS = ("list", "show", "create", "update", "deactivate", "config", "sandbox", "completion")


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[str]:
    process, url = start_sandbox(tmp_path / "shell.db")
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


def shell(
    *argv: str, env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [console_script(), *argv],
        env=env,
        input=stdin,
        text=True,
        capture_output=True,
        timeout=60,
        stdin=None if stdin is not None else subprocess.DEVNULL,
    )


def active_ids(url: str) -> list[str]:
    response = httpx.get(
        f"{url}/campaigns",
        params={"limit": 100, "active": "true"},
        headers={"Authorization": "Bearer sk_test_admin"},
    )
    return [c["id"] for c in response.json()["data"]]


def test_version_and_every_commands_help_with_examples(env: dict[str, str]) -> None:
    version = shell("--version", env=env)
    assert version.returncode == 0 and version.stdout.startswith("skipup-campaigns ")
    for command in COMMANDS:
        helped = shell(command, "--help", env=env)
        assert helped.returncode == 0, command
        assert "examples:" in helped.stdout, command


def test_a_pipe_of_list_into_deactivate(env: dict[str, str], sandbox: str) -> None:
    listed = shell("list", "--active", "--json", "--fields", "id,name", env=env)
    assert listed.returncode == 0, listed.stderr
    ids = [c["id"] for c in json.loads(listed.stdout)]
    assert ids == active_ids(sandbox)
    refused = shell("deactivate", ids[0], env=env)  # stdin is /dev/null, not a terminal
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert ids[0] in active_ids(sandbox)
    done = shell("deactivate", ids[0], "--yes", env=env)
    assert done.returncode == 0, done.stderr
    assert ids[0] not in active_ids(sandbox)


def test_deactivate_asks_on_a_terminal(env: dict[str, str], sandbox: str) -> None:
    target = active_ids(sandbox)[0]
    for answer, kept in (("n", True), ("y", False)):
        with Terminal([console_script(), "deactivate", target], env=env) as term:
            assert "no way back" in term.wait_for("[y/N]")
            term.send(answer + "\r")
            assert term.wait_exit() == (2 if kept else 0)
        assert (target in active_ids(sandbox)) is kept


def test_set_key_prompts_without_echo(env: dict[str, str], tmp_path: Path) -> None:
    del env["SKIPUP_API_KEY"]
    with Terminal([console_script(), "config", "set-key", "--profile", "work"], env=env) as term:
        term.wait_for("SkipUp API key for the profile 'work' (not shown):")
        term.send("sk_test_typed_secret\r")
        assert term.wait_exit() == 0
        term.wait_for("Stored the key in the config file")
    assert b"sk_test_typed_secret" not in term.raw
    config = tmp_path / "config" / "skipup-campaigns" / "config.toml"
    assert 'api_key = "sk_test_typed_secret"' in config.read_text()
    assert config.stat().st_mode & 0o077 == 0


def test_the_ui_header_shows_the_profile(env: dict[str, str], sandbox: str, tmp_path: Path) -> None:
    del env["SKIPUP_API_KEY"], env["SKIPUP_BASE_URL"]
    config = tmp_path / "config" / "skipup-campaigns" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'[profiles.staging]\nbase_url = "{sandbox}"\napi_key = "sk_test_admin"\n')
    config.chmod(0o600)
    with Terminal([console_script(), "--profile", "staging"], env=env) as term:
        term.wait_for("NAA 2026")
        assert "SkipUp (staging)" in term.screen_text()
        term.send("q")
        assert term.wait_exit() == 0


def test_bash_completes_commands_and_options(env: dict[str, str]) -> None:
    script = shell("completion", "bash", env=env)
    assert script.returncode == 0
    program = console_script()
    probe = (
        script.stdout.replace("skipup-campaigns", program) + "\n"
        f'COMP_WORDS=({program} li); COMP_CWORD=1; COMP_LINE="{program} li"; '
        f"COMP_POINT=${{#COMP_LINE}}; COMP_TYPE=9\n"
        f'_python_argcomplete {program} li {program}; echo "[${{COMPREPLY[*]}}]"\n'
        f'COMP_WORDS=({program} list --a); COMP_CWORD=2; COMP_LINE="{program} list --a"; '
        f"COMP_POINT=${{#COMP_LINE}}\n"
        f'_python_argcomplete {program} --a list; echo "[${{COMPREPLY[*]}}]"\n'
    )
    done = subprocess.run(
        ["bash", "-c", probe], env=env, text=True, capture_output=True, timeout=60
    )
    lines = done.stdout.splitlines()
    assert lines[0].strip("[] ") == "list", done.stderr
    assert lines[1].strip("[] ") == "--active", done.stderr


@pytest.mark.parametrize("shell_name, marker", [("zsh", "#compdef"), ("fish", "complete")])
def test_zsh_and_fish_scripts_are_generated(
    env: dict[str, str], shell_name: str, marker: str
) -> None:
    script = shell("completion", shell_name, env=env)
    assert script.returncode == 0 and marker in script.stdout
    assert "skipup-campaigns" in script.stdout
