"""The config file's `history` setting."""

from __future__ import annotations

import pytest

from skipup_campaigns import config


def write_config(text: str) -> None:
    path = config.config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o600)


def test_on_unless_turned_off() -> None:
    assert config.load_settings().history is True
    write_config(
        'history = false\n[profiles.p]\napi_key = "sk_test_admin"\n[profiles.q]\nhistory = true\n'
    )
    assert config.load_settings().history is False
    assert config.load_settings(profile="p").history is False  # inherited from the top level
    assert config.load_settings(profile="q").history is True


def test_must_be_a_boolean() -> None:
    write_config('history = "no"\n')
    with pytest.raises(config.ConfigError, match="history must be a boolean"):
        config.load_settings()
