"""Where settings come from, in one place: command-line flags, then the environment, then the
config file, then defaults.

The config file is TOML in the user's config directory:

    api_key = "sk_live_..."                        # used when SKIPUP_API_KEY is not set
    base_url = "https://api.skipup.ai/api/v1"      # used when SKIPUP_BASE_URL is not set
    theme = "gruvbox"                              # a Textual theme name
    read_only = false                              # true: never offer a write action
    refresh_seconds = 60                           # auto-refresh the list; 0 = off

Because it can hold a key, it must not be readable by anyone else: a file that is group- or
world-accessible, or a symlink, is refused with the `chmod` that fixes it.

What the app remembers by itself (the last theme) lives apart from it, in the data directory,
so the tool never rewrites a file the user edits.
"""

from __future__ import annotations

import json
import os
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skipup_campaigns.paths import config_dir, data_dir

API_KEY_ENV = "SKIPUP_API_KEY"
BASE_URL_ENV = "SKIPUP_BASE_URL"


class ConfigError(Exception):
    """The config file cannot be used; the message says why and how to fix it."""


def config_path() -> Path:
    return config_dir() / "config.toml"


def state_path() -> Path:
    return data_dir() / "state.json"


@dataclass(frozen=True)
class Settings:
    """Everything the UI needs to start, with where the key came from (never the key in text)."""

    api_key: str | None = None
    """The key, from SKIPUP_API_KEY or the config file."""
    api_key_source: str | None = None
    """Where the key came from, for messages: the variable's name or the file's path."""
    base_url: str | None = None
    """None means the client's default (the real SkipUp API)."""
    theme: str | None = None
    read_only: bool = False
    refresh_seconds: float = 0.0


def read_config_file(path: Path | None = None) -> dict[str, Any]:
    """The config file's table, or {} when there is none; ConfigError when it is unsafe or
    unreadable."""
    path = path or config_path()
    if path.is_symlink():
        raise ConfigError(f"Refusing the config file {path}: it is a symlink. "
                          "Replace it with a regular file (mode 600).")
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return {}
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(f"Refusing the config file {path}: other users can read it and it may "
                          f"hold your API key. Run: chmod 600 {path}")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"Cannot read the config file {path}: {exc}") from None


def _typed(table: Mapping[str, Any], key: str, kind: type | tuple[type, ...],
           path: Path) -> Any:
    value = table.get(key)
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if value is not None and (not isinstance(value, kinds) or isinstance(value, bool)
                              and bool not in kinds):
        names = " or ".join({str: "string", bool: "boolean", int: "number",
                             float: "number"}[k] for k in kinds)
        raise ConfigError(f"In {path}: {key} must be a {names}")
    return value


def load_settings(
    *,
    base_url: str | None = None,
    theme: str | None = None,
    read_only: bool = False,
    refresh_seconds: float | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Flags (the arguments) win, then the environment, then the config file."""
    env = os.environ if environ is None else environ
    path = config_path()
    table = read_config_file(path)
    file_key = _typed(table, "api_key", str, path)
    file_refresh = _typed(table, "refresh_seconds", (int, float), path)
    if file_refresh is not None and 0 < file_refresh < 5:
        raise ConfigError(f"In {path}: refresh_seconds must be 0 (off) or at least 5")
    if env.get(API_KEY_ENV, "").strip():
        key, source = env[API_KEY_ENV].strip(), API_KEY_ENV
    elif file_key and file_key.strip():
        key, source = file_key.strip(), str(path)
    else:
        key, source = None, None
    return Settings(
        api_key=key,
        api_key_source=source,
        base_url=base_url or env.get(BASE_URL_ENV) or _typed(table, "base_url", str, path),
        theme=theme or _typed(table, "theme", str, path) or load_state().get("theme"),
        read_only=read_only or bool(_typed(table, "read_only", bool, path)),
        refresh_seconds=float(refresh_seconds if refresh_seconds is not None
                              else file_refresh or 0.0),
    )


def missing_key_help() -> str:
    """What to tell someone who has no key configured."""
    return (f"No SkipUp API key is configured.\n\n"
            f"Set the environment variable {API_KEY_ENV}:\n"
            f"    export {API_KEY_ENV}=sk_live_...\n\n"
            f"or put it in the config file {config_path()}:\n"
            f'    api_key = "sk_live_..."\n'
            f"and make the file private: chmod 600 {config_path()}\n\n"
            f"To look around first: skipup-campaigns --demo")


def load_state() -> dict[str, Any]:
    """What the app remembered last time (best effort: a broken file is ignored)."""
    try:
        state = json.loads(state_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def remember(**values: Any) -> None:
    """Merge `values` into the state file, atomically (best effort: never fails the app)."""
    path = state_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        state = load_state() | values
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(state, indent=2), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass
