"""Settings: flags, then environment, then the private config file; the remembered theme."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from skipup_campaigns import config
from skipup_campaigns.cli import main
from skipup_campaigns.startup.setup import build_workspace


def write_config(text: str, mode: int = 0o600) -> Path:
    path = config.config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)
    return path


def test_config_path_is_in_the_xdg_config_home(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "path"]) == 0
    printed = capsys.readouterr().out.strip()
    assert printed == str(config.config_path())
    assert printed.startswith(os.environ["XDG_CONFIG_HOME"])
    assert printed.endswith("skipup-campaigns/config.toml")


def test_environment_wins_over_the_file_and_flags_over_both(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_config(
        'api_key = "sk_file"\nbase_url = "https://file.example/api/v1"\n'
        'theme = "nord"\nread_only = true\nrefresh_seconds = 30\n'
    )
    settings = config.load_settings()
    assert (settings.api_key, settings.api_key_source) == ("sk_file", str(config.config_path()))
    assert settings.base_url == "https://file.example/api/v1"
    assert (settings.theme, settings.read_only, settings.refresh_seconds) == ("nord", True, 30.0)
    monkeypatch.setenv("SKIPUP_API_KEY", "sk_env")
    monkeypatch.setenv("SKIPUP_BASE_URL", "https://env.example/api/v1")
    settings = config.load_settings()
    assert (settings.api_key, settings.api_key_source) == ("sk_env", "SKIPUP_API_KEY")
    assert settings.base_url == "https://env.example/api/v1"
    flagged = config.load_settings(
        base_url="http://127.0.0.1:1/api/v1", theme="dracula", refresh_seconds=10
    )
    assert flagged.base_url == "http://127.0.0.1:1/api/v1"
    assert (flagged.theme, flagged.refresh_seconds) == ("dracula", 10.0)


def test_no_file_and_no_environment_means_no_key() -> None:
    settings = config.load_settings()
    assert settings.api_key is None and settings.base_url is None
    assert "SKIPUP_API_KEY" in config.missing_key_help()
    assert str(config.config_path()) in config.missing_key_help()


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_a_file_others_can_read_is_refused_with_the_fix(mode: int) -> None:
    path = write_config('api_key = "sk_file"\n', mode)
    with pytest.raises(config.ConfigError) as caught:
        config.load_settings()
    assert f"chmod 600 {path}" in str(caught.value)
    assert "sk_file" not in str(caught.value)


def test_a_symlinked_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.toml"
    target.write_text('api_key = "sk_file"\n')
    target.chmod(0o600)
    path = config.config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)
    with pytest.raises(config.ConfigError, match="symlink"):
        config.load_settings()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("api_key = [", "Cannot read"),
        ("api_key = 5\n", "api_key must be a string"),
        ("read_only = 'yes'\n", "read_only must be a boolean"),
        ("refresh_seconds = 'often'\n", "refresh_seconds must be a number"),
        ("refresh_seconds = true\n", "refresh_seconds must be a number"),
        ("refresh_seconds = 1\n", "at least 5"),
    ],
)
def test_a_broken_file_says_what_is_wrong(text: str, message: str) -> None:
    write_config(text)
    with pytest.raises(config.ConfigError, match=message):
        config.load_settings()


def test_theme_is_remembered_in_the_state_file_not_the_config() -> None:
    config.remember(theme="gruvbox")
    assert config.load_settings().theme == "gruvbox"
    assert not config.config_path().exists()
    config.state_path().write_text("{broken")
    assert config.load_state() == {}


async def test_changing_theme_in_the_app_remembers_it(make_client) -> None:  # noqa: ANN001
    from skipup_campaigns.tui.app import CampaignsApp

    async with make_client() as client:
        app = CampaignsApp(build_workspace(client))
        async with app.run_test() as pilot:
            pilot.app.theme = "nord"
            await pilot.pause()
    assert config.load_state()["theme"] == "nord"


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "skipup_campaigns", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def test_unknown_theme_is_a_usage_error_listing_the_choices() -> None:
    done = run_cli("--demo", "--theme", "no-such-theme")
    assert done.returncode == 2
    assert "unknown theme 'no-such-theme'" in done.stderr and "textual-light" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--refresh", "1"],
        ["--refresh", "soon"],
        ["sandbox", "--fail-rate", "2"],
        ["sandbox", "--port", "-1"],
        ["sandbox", "--api-key", "nope"],
    ],
)
def test_bad_flags_are_usage_errors(args: list[str]) -> None:
    done = run_cli(*args)
    assert done.returncode == 2 and "usage:" in done.stderr
    assert "Traceback" not in done.stderr


def test_sandbox_port_in_use_is_one_clear_line() -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = run_cli("sandbox", "--port", str(port))
    assert done.returncode == 1
    assert done.stderr.startswith("skipup-campaigns sandbox: cannot listen on 127.0.0.1:")
    assert "Traceback" not in done.stderr


def test_the_missing_key_help_leads_with_set_key_and_never_suggests_export() -> None:
    """A key typed after `export` stays in shell history: the help starts with the prompt that
    does not echo, and mentions the variable only for scripts."""
    text = config.missing_key_help("work")
    commands = [line.strip() for line in text.splitlines() if line.startswith("    ")]
    assert commands[0] == "skipup-campaigns config set-key --profile work"
    assert "export " not in text


def test_the_display_zone_is_utc_unless_the_file_or_the_flag_says_local() -> None:
    from zoneinfo import ZoneInfo

    from skipup_campaigns.display.dates import LOCAL_ZONE, UTC_ZONE, DisplayZone

    write_config('api_key = "sk_file"\n')
    assert config.load_settings().display_zone == UTC_ZONE
    assert config.load_settings(local_time=True).display_zone == LOCAL_ZONE
    write_config(
        'timezone = "local"\n[profiles.ny]\napi_key = "sk_ny"\n'
        'timezone = "America/New_York"\n[profiles.plain]\napi_key = "sk_plain"\n'
    )
    assert config.load_settings().display_zone == LOCAL_ZONE
    assert config.load_settings(profile="plain").display_zone == LOCAL_ZONE  # inherited
    assert config.load_settings(profile="ny").display_zone == DisplayZone(
        ZoneInfo("America/New_York")
    )
    assert config.load_settings(profile="ny", local_time=True).display_zone == LOCAL_ZONE


@pytest.mark.parametrize("value", ['"Mars/Olympus"', '"../etc/passwd"', "3"])
def test_a_timezone_that_is_no_zone_is_refused_with_the_choices(value: str) -> None:
    write_config(f'api_key = "sk_file"\ntimezone = {value}\n')
    with pytest.raises(config.ConfigError, match="timezone must be"):
        config.load_settings()
