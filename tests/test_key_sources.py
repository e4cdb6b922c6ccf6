"""A key only goes where it was configured (issue 16, section 4): the API key and the base URL
come from one place, one profile (or the file's top level) or the environment and flags, and a
mix is refused with one line naming both sources. A key holding a control character is refused
when it is loaded. Checked on the settings, and over real loopback HTTP that a listening server
never sees the key."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest

from skipup_campaigns import config
from skipup_campaigns.scripting import exit_codes
from tests.scripting.conftest import run_command
from tests.test_config import write_config

PROFILES = """default_profile = "staging"

[profiles.staging]
base_url = "http://127.0.0.1:8765/api/v1"
api_key = "sk_staging_key"

[profiles.production]
base_url = "https://api.skipup.ai/api/v1"
api_key = "sk_live_production_key"

[profiles.plain]
api_key = "sk_plain_key"
"""
ENV_URL = "http://127.0.0.1:9100/api/v1"


@pytest.fixture
def profiles() -> None:
    write_config(PROFILES)


# -- allowed: key and URL from one place ---------------------------------------------------


def test_key_and_url_both_from_the_environment_are_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKIPUP_API_KEY", "sk_env")
    monkeypatch.setenv("SKIPUP_BASE_URL", ENV_URL)
    settings = config.load_settings()
    assert (settings.api_key, settings.base_url, settings.problem) == ("sk_env", ENV_URL, None)
    assert settings.base_url_source == "SKIPUP_BASE_URL"


def test_environment_pair_with_a_profile_named_uses_the_pair(
    profiles: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both from the environment: the profile gives its other settings, not its server."""
    monkeypatch.setenv("SKIPUP_API_KEY", "sk_env")
    monkeypatch.setenv("SKIPUP_BASE_URL", ENV_URL)
    settings = config.load_settings(profile="production")
    assert (settings.api_key, settings.base_url, settings.problem) == ("sk_env", ENV_URL, None)


def test_environment_key_with_the_flag_url_is_one_place(
    profiles: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKIPUP_API_KEY", "sk_env")
    settings = config.load_settings(base_url=ENV_URL, profile="staging")
    assert (settings.api_key, settings.base_url, settings.base_url_source) == (
        "sk_env",
        ENV_URL,
        "--base-url",
    )


def test_environment_key_alone_goes_to_the_default_api(monkeypatch: pytest.MonkeyPatch) -> None:
    """No base URL configured anywhere: the real API, where any key may go."""
    monkeypatch.setenv("SKIPUP_API_KEY", "sk_env")
    settings = config.load_settings()
    assert (settings.api_key, settings.base_url, settings.problem) == ("sk_env", None, None)


def test_environment_key_with_a_profile_without_a_base_url_goes_to_the_default_api(
    profiles: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKIPUP_API_KEY", "sk_env")
    settings = config.load_settings(profile="plain")
    assert (settings.api_key, settings.base_url, settings.problem) == ("sk_env", None, None)


def test_a_profile_key_with_its_own_url(profiles: None) -> None:
    settings = config.load_settings(profile="production")
    assert settings.api_key == "sk_live_production_key"
    assert settings.base_url == "https://api.skipup.ai/api/v1" and settings.problem is None


def test_a_flag_repeating_the_profiles_own_url_is_no_mix(profiles: None) -> None:
    settings = config.load_settings(profile="staging", base_url="http://127.0.0.1:8765/api/v1/")
    assert settings.api_key == "sk_staging_key" and settings.problem is None


# -- refused: a mix -------------------------------------------------------------------------


def test_environment_url_never_gets_a_profiles_key(
    profiles: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKIPUP_BASE_URL", ENV_URL)
    settings = config.load_settings(profile="production")
    assert settings.api_key is None and settings.api_key_source is None
    assert "$SKIPUP_BASE_URL" in settings.problem and "[profiles.production]" in settings.problem
    assert "\n" not in settings.problem and "sk_live" not in settings.problem


def test_a_flag_url_never_gets_a_profiles_key(profiles: None) -> None:
    settings = config.load_settings(profile="staging", base_url=ENV_URL)
    assert settings.api_key is None
    assert "--base-url" in settings.problem and "[profiles.staging]" in settings.problem


def test_an_exported_key_never_goes_to_a_profiles_server(
    profiles: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKIPUP_API_KEY", "sk_exported")
    settings = config.load_settings(profile="staging")
    assert settings.api_key is None
    assert "$SKIPUP_API_KEY" in settings.problem and "[profiles.staging]" in settings.problem


def test_an_exported_key_never_goes_to_the_default_profiles_server(
    profiles: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No --profile given, but the file's default profile has its own server: still a mix."""
    monkeypatch.setenv("SKIPUP_API_KEY", "sk_exported")
    settings = config.load_settings()
    assert settings.profile == "staging" and settings.api_key is None
    assert "SKIPUP_BASE_URL" in settings.problem  # the fix: set it too


def test_the_top_level_key_never_goes_to_the_environment_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_config('api_key = "sk_file_key"\n')
    monkeypatch.setenv("SKIPUP_BASE_URL", ENV_URL)
    settings = config.load_settings()
    assert settings.api_key is None and "$SKIPUP_BASE_URL" in settings.problem


def test_a_mix_is_refused_by_a_command_in_one_line(
    profiles: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKIPUP_BASE_URL", ENV_URL)
    result = run_command("list", "--profile", "production")
    assert result.code == exit_codes.CONFIG
    assert result.err.count("\n") == 1 and "sk_live" not in result.err
    assert "$SKIPUP_BASE_URL" in result.err and "[profiles.production]" in result.err


# -- over the wire: the listening server never sees the key ---------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the handler's protocol
        type(self).seen.append(str(self.headers))
        self.send_response(500)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def listening_server() -> Iterator[tuple[str, list[str]]]:
    _Recorder.seen = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/v1", _Recorder.seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_a_server_named_by_the_environment_never_receives_the_profiles_key(
    profiles: None, monkeypatch: pytest.MonkeyPatch, listening_server: tuple[str, list[str]]
) -> None:
    url, seen = listening_server
    monkeypatch.setenv("SKIPUP_BASE_URL", url)
    result = run_command("list", "--profile", "production")
    assert result.code == exit_codes.CONFIG
    assert seen == []  # not a single request, so surely not the key


def test_an_exported_key_never_reaches_a_profiles_server(
    monkeypatch: pytest.MonkeyPatch, listening_server: tuple[str, list[str]]
) -> None:
    url, seen = listening_server
    write_config(f'[profiles.staging]\nbase_url = "{url}"\napi_key = "sk_staging_key"\n')
    monkeypatch.setenv("SKIPUP_API_KEY", "sk_exported_key")
    result = run_command("list", "--profile", "staging")
    assert result.code == exit_codes.CONFIG
    assert not any("sk_exported_key" in headers for headers in seen) and seen == []


# -- a key holding a control character ------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        "sk_live_a\x1b]0;title\x07",
        "sk_live_a\r\nX-Evil: 1",
        "sk_live_\x08bs",
        "sk_live_a\x7fb",
        "sk_live_\u202eab",
        "sk live with space",
    ],
)
def test_an_environment_key_with_a_control_character_is_refused(
    monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    monkeypatch.setenv("SKIPUP_API_KEY", key)
    with pytest.raises(config.ConfigError, match=r"\$SKIPUP_API_KEY contains a control") as err:
        config.load_settings()
    assert "sk_live" not in str(err.value)


def test_a_file_key_with_a_control_character_is_refused() -> None:
    write_config('[profiles.p]\napi_key = "sk_live_a\\u001b[2Jb"\n')
    with pytest.raises(config.ConfigError, match=r"\[profiles\.p\] contains a control"):
        config.load_settings(profile="p")


def test_a_profile_variable_key_with_a_control_character_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_config('[profiles.p]\napi_key_env = "P_KEY"\n')
    monkeypatch.setenv("P_KEY", "sk_a\tb")
    with pytest.raises(config.ConfigError, match=r"\$P_KEY contains a control"):
        config.load_settings(profile="p")
    result = run_command("list", "--profile", "p")
    assert result.code == exit_codes.CONFIG and "sk_a" not in result.err


def test_surrounding_whitespace_is_still_trimmed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A trailing newline (from `pass show`, say) is not part of the key: not a refusal."""
    monkeypatch.setenv("SKIPUP_API_KEY", "  sk_live_ok\n")
    assert config.load_settings().api_key == "sk_live_ok"
