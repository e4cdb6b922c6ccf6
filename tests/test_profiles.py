"""Profiles for several workspaces, and where `config set-key` keeps a key (the keyring
when one works, else the private file), with the real keyring never touched."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from skipup_campaigns import config, keystore
from skipup_campaigns.scripting import exit_codes
from tests.file_keyring import FileKeyring
from tests.scripting.conftest import run_command
from tests.test_config import write_config

PROFILES = """# my settings
default_profile = "staging"
theme = "nord"
api_key = "sk_top_level"

[profiles.staging]
base_url = "http://127.0.0.1:8765/api/v1"
api_key = "sk_staging"

[profiles.production]
base_url = "https://api.skipup.ai/api/v1"
api_key_env = "PROD_SKIPUP_KEY"
theme = "textual-light"
read_only = true
"""


@pytest.fixture
def working_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FileKeyring]:
    monkeypatch.setenv("TEST_KEYRING_FILE", str(tmp_path / "keyring.json"))
    monkeypatch.delenv("SKIPUP_KEYRING")
    previous = keyring.get_keyring()
    backend = FileKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_the_default_profile_is_used_and_never_inherits_the_top_level_key() -> None:
    write_config(PROFILES)
    settings = config.load_settings()
    assert settings.profile == "staging"
    assert settings.api_key == "sk_staging" and settings.base_url.startswith("http://127.0.0.1")
    assert settings.theme == "nord"  # inherited from the top level
    assert "[profiles.staging]" in settings.api_key_source


def test_flag_then_environment_pick_the_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    write_config(PROFILES)
    monkeypatch.setenv("PROD_SKIPUP_KEY", "sk_live_prod")
    monkeypatch.setenv("SKIPUP_PROFILE", "production")
    production = config.load_settings()
    assert (production.profile, production.api_key, production.api_key_source) == (
        "production",
        "sk_live_prod",
        "PROD_SKIPUP_KEY",
    )
    assert production.read_only and production.theme == "textual-light"
    assert config.load_settings(profile="staging").profile == "staging"


def test_a_profile_whose_key_variable_is_unset_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    write_config(PROFILES)
    settings = config.load_settings(profile="production")
    assert settings.api_key is None and "$PROD_SKIPUP_KEY" in settings.problem


def test_an_unknown_profile_or_setting_is_refused_with_the_choices() -> None:
    write_config(PROFILES)
    with pytest.raises(config.ConfigError, match="production, staging"):
        config.load_settings(profile="prod")
    write_config(PROFILES + '\n[profiles.typo]\nbase_ulr = "x"\n')
    with pytest.raises(config.ConfigError, match="base_ulr"):
        config.load_settings(profile="typo")


def test_keymap_and_clipboard_are_read_and_checked() -> None:
    write_config('clipboard = "osc52"\n[keymap]\n"list.refresh" = "f5"\n')
    settings = config.load_settings()
    assert (settings.clipboard, settings.keymap) == ("osc52", {"list.refresh": "f5"})
    write_config('clipboard = "xclip"\n')
    with pytest.raises(config.ConfigError, match="auto, osc52, off"):
        config.load_settings()


def test_set_key_without_a_keyring_writes_the_private_file_keeping_comments() -> None:
    path = write_config(PROFILES)
    result = run_command("config", "set-key", "--profile", "production", stdin="sk_live_new\n")
    assert result.code == 0, result.err
    assert "config file" in result.out and "not usable" in result.out
    assert "sk_live_new" not in result.out + result.err
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    assert text.startswith("# my settings") and 'api_key = "sk_staging"' in text
    assert "api_key_env" not in text  # the key just stored is the one the profile uses
    settings = config.load_settings(profile="production")
    assert (settings.api_key, settings.read_only) == ("sk_live_new", True)


def test_set_key_creates_a_first_profile_and_makes_it_the_default() -> None:
    result = run_command("config", "set-key", "--profile", "work", stdin="sk_test_admin\n")
    assert result.code == 0
    assert stat.S_IMODE(config.config_path().stat().st_mode) == 0o600
    settings = config.load_settings()
    assert (settings.profile, settings.api_key) == ("work", "sk_test_admin")


def test_set_key_with_a_working_keyring_keeps_the_key_out_of_the_file(
    working_keyring: FileKeyring,
) -> None:
    path = write_config(PROFILES)
    result = run_command("config", "set-key", "--profile", "staging", stdin="sk_from_prompt\n")
    assert result.code == 0, result.err
    assert "OS keyring" in result.out
    assert working_keyring.get_password("skipup-campaigns", "staging") == "sk_from_prompt"
    text = path.read_text()
    assert "sk_from_prompt" not in text and "sk_staging" not in text
    assert 'key_source = "keyring"' in text
    settings = config.load_settings(profile="staging")
    assert settings.api_key == "sk_from_prompt"
    assert settings.api_key_source == "the OS keyring (skipup-campaigns / staging)"
    shown = run_command("config", "show", "--profile", "staging")
    assert "OS keyring" in shown.out and "sk_from_prompt" not in shown.out


def test_a_keyring_profile_without_a_keyring_cannot_start_and_says_why() -> None:
    write_config('[profiles.vault]\nkey_source = "keyring"\n')
    result = run_command("list", "--profile", "vault")
    assert result.code == exit_codes.CONFIG
    assert "OS keyring" in result.err and "turned off" in result.err


def test_set_key_refuses_an_unsafe_config_file_and_an_empty_key() -> None:
    write_config(PROFILES, mode=0o644)
    result = run_command("config", "set-key", stdin="sk_x\n")
    assert result.code == exit_codes.CONFIG and "chmod 600" in result.err
    write_config(PROFILES)
    assert run_command("config", "set-key", stdin="\n").code == exit_codes.USAGE
    assert run_command("config", "set-key", stdin="sk bad key\n").code == exit_codes.USAGE
    assert "sk_staging" in config.config_path().read_text()


def test_show_names_every_source_and_never_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    write_config(PROFILES)
    monkeypatch.setenv("SKIPUP_API_KEY", "sk_env_secret")
    # With its base URL from the environment too: the exported key never goes to a profile's.
    monkeypatch.setenv("SKIPUP_BASE_URL", "http://127.0.0.1:9/api/v1")
    result = run_command("config", "show")
    assert result.code == 0
    assert "API key:     from SKIPUP_API_KEY" in result.out
    assert "base URL:    http://127.0.0.1:9/api/v1 (from SKIPUP_BASE_URL)" in result.out
    assert "profiles:    production, staging" in result.out
    assert "sk_env_secret" not in result.out and "sk_staging" not in result.out


def test_a_read_only_profile_refuses_writes_before_any_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_config(PROFILES)
    monkeypatch.setenv("PROD_SKIPUP_KEY", "sk_live_prod")
    result = run_command("deactivate", "cmp_x", "--yes", "--profile", "production")
    assert result.code == exit_codes.FORBIDDEN and "read-only" in result.err


def test_store_key_reports_a_keyring_that_does_not_keep_the_key(
    working_keyring: FileKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(FileKeyring, "set_password", lambda *args: None)  # loses every key
    said = keystore.store_key("sk_kept", "p")
    assert "config file" in said and "did not keep" in said
    assert config.load_settings(profile="p").api_key == "sk_kept"


def test_key_text_stays_out_of_a_json_error(monkeypatch: pytest.MonkeyPatch) -> None:
    write_config('[profiles.x]\nbase_url = "http://10.0.0.1/api/v1"\napi_key = "sk_secret_9"\n')
    result = run_command("list", "--profile", "x", "--json")
    assert result.code == exit_codes.CONFIG
    assert "sk_secret_9" not in result.err and "plain http" in result.err.lower()


def test_set_key_never_writes_through_a_planted_temporary_name(tmp_path: Path) -> None:
    """Every name the old code could pick (.config.toml.<pid>.tmp) and a few likely others are
    symlinks to a world-readable file: the key must not land there, and the config file must
    stay a private regular file."""
    import os

    path = write_config(PROFILES)
    victim = tmp_path / "world-readable"
    victim.write_text("")
    victim.chmod(0o644)
    for name in (
        f".{path.name}.{os.getpid()}.tmp",
        f"{path.name}.tmp",
        ".config.tmp",
        f"{path.stem}.tmp",
    ):
        (path.parent / name).symlink_to(victim)
    result = run_command("config", "set-key", "--profile", "staging", stdin="sk_planted_test\n")
    assert result.code == 0, result.err
    assert victim.read_text() == ""
    assert not path.is_symlink() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "sk_planted_test" in path.read_text()
    assert config.load_settings(profile="staging").api_key == "sk_planted_test"


def test_set_key_refuses_a_config_file_that_is_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "elsewhere.toml"
    real.write_text(PROFILES)
    real.chmod(0o600)
    path = config.config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(real)
    result = run_command("config", "set-key", stdin="sk_x\n")
    assert result.code == exit_codes.CONFIG and "symlink" in result.err
    assert "sk_x" not in real.read_text()


def test_config_and_keystore_do_not_import_each_other() -> None:
    """Issue 13: no import circle. keystore may use the shared config_file module, never
    config; config reaches keystore only for the keyring."""
    import ast
    import inspect

    def imported(module: object) -> set[str]:
        names: set[str] = set()
        for node in ast.walk(ast.parse(inspect.getsource(module))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        return names

    from skipup_campaigns import config_file

    assert "skipup_campaigns.config" not in imported(keystore)
    assert not {"skipup_campaigns.config", "skipup_campaigns.keystore"} & imported(config_file)
    assert config.ConfigError is config_file.ConfigError  # one error, wherever it is caught
