"""Where settings come from, in one place: command-line flags, then the environment, then the
config file (the chosen profile, then the file's top level), then defaults.

The config file is TOML in the user's config directory:

    default_profile = "staging"        # used when neither --profile nor SKIPUP_PROFILE names one
    refresh_seconds = 60               # top-level settings apply to every profile ...
    clipboard = "auto"                 # auto | osc52 | off

    [profiles.production]
    base_url = "https://api.skipup.ai/api/v1"
    key_source = "keyring"             # the key is in the OS keyring (put there by set-key)
    theme = "textual-light"            # ... unless the profile sets its own
    read_only = true

    [profiles.staging]
    base_url = "http://127.0.0.1:8765/api/v1"
    api_key = "sk_test_admin"          # or: api_key_env = "STAGING_SKIPUP_KEY"

    [keymap]
    "list.refresh" = "f5,r"            # any binding, by its id (the help screen lists them)

A file without profiles works as before: its top-level `api_key` and `base_url` are used. A
profile never inherits the top level's key or base URL, so one workspace's key is never sent to
another's server.

Because it can hold a key, it must not be readable by anyone else: a file that is group- or
world-accessible, or a symlink, is refused with the `chmod` that fixes it.

What the app remembers by itself (the last theme) lives apart from it, in the data directory,
so the tool never rewrites a file the user edits (only `config set-key` does, when asked).
"""

from __future__ import annotations

import json
import os
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skipup_campaigns.env_names import API_KEY_ENV, BASE_URL_ENV, PROFILE_ENV
from skipup_campaigns.paths import config_dir, data_dir

CLIPBOARD_METHODS = ("auto", "osc52", "off")
KEY_SOURCES = ("file", "keyring")

# Settings a profile takes from the top level when it does not set them itself.
_INHERITED = ("theme", "read_only", "refresh_seconds", "clipboard")
_PROFILE_KEYS = {"base_url", "api_key", "api_key_env", "key_source", *_INHERITED}
_TOP_KEYS = _PROFILE_KEYS | {"default_profile", "profiles", "keymap"}


class ConfigError(Exception):
    """The config file cannot be used; the message says why and how to fix it."""


def config_path() -> Path:
    return config_dir() / "config.toml"


def state_path() -> Path:
    return data_dir() / "state.json"


@dataclass(frozen=True)
class Settings:
    """Everything the UI and the commands need to start, with where the key came from (never
    the key in text)."""

    api_key: str | None = field(default=None, repr=False)
    """The key, from SKIPUP_API_KEY, the profile's variable, the OS keyring or the file (kept
    out of repr, so a traceback's locals cannot show it)."""
    api_key_source: str | None = None
    """Where the key came from, for messages: a variable's name, the keyring or the file."""
    base_url: str | None = None
    """None means the client's default (the real SkipUp API)."""
    theme: str | None = None
    read_only: bool = False
    refresh_seconds: float = 0.0
    profile: str | None = None
    """The profile's name, or None for the file's top level."""
    clipboard: str = "auto"
    keymap: dict[str, str] = field(default_factory=dict)
    problem: str | None = None
    """Why a key that was asked for could not be read (a locked keyring, an unset variable)."""
    profiles: tuple[str, ...] = ()
    """Every profile the config file names."""


def read_config_file(path: Path | None = None) -> dict[str, Any]:
    """The config file's table, or {} when there is none; ConfigError when it is unsafe or
    unreadable."""
    path = path or config_path()
    check_private(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"Cannot read the config file {path}: {exc}") from None


def check_private(path: Path) -> None:
    """ConfigError unless `path` is missing or a regular file only its owner can read."""
    if path.is_symlink():
        raise ConfigError(f"Refusing the config file {path}: it is a symlink. "
                          "Replace it with a regular file (mode 600).")
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(f"Refusing the config file {path}: other users can read it and it may "
                          f"hold your API key. Run: chmod 600 {path}")


def _typed(table: Mapping[str, Any], key: str, kind: type | tuple[type, ...],
           where: str) -> Any:
    value = table.get(key)
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if value is not None and (not isinstance(value, kinds) or isinstance(value, bool)
                              and bool not in kinds):
        names = " or ".join({str: "string", bool: "boolean", int: "number",
                             float: "number", dict: "table"}[k] for k in kinds)
        raise ConfigError(f"In {where}: {key} must be a {names}")
    return value


def _check_keys(table: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ConfigError(f"In {where}: unknown setting {unknown[0]!r}; "
                          f"known: {', '.join(sorted(allowed))}")


def profile_names(table: Mapping[str, Any]) -> list[str]:
    profiles = table.get("profiles")
    return sorted(profiles) if isinstance(profiles, dict) else []


def choose_profile(table: Mapping[str, Any], asked: str | None, path: Path,
                   environ: Mapping[str, str]) -> tuple[str | None, dict[str, Any]]:
    """The profile's name and its table; (None, the top level) when none is asked for."""
    name = asked or environ.get(PROFILE_ENV, "").strip() or _typed(
        table, "default_profile", str, str(path))
    if not name:
        return None, dict(table)
    profiles = _typed(table, "profiles", dict, str(path)) or {}
    if name not in profiles:
        known = ", ".join(profile_names(table)) or "none yet"
        raise ConfigError(f"No profile named {name!r} in {path} (profiles: {known}). "
                          f"Add a [profiles.{name}] table, or run: "
                          f"skipup-campaigns config set-key --profile {name}")
    own = _typed(profiles, name, dict, str(path))
    where = f"{path} [profiles.{name}]"
    _check_keys(own, _PROFILE_KEYS, where)
    return name, {**{k: table[k] for k in _INHERITED if k in table}, **own}


def load_settings(
    *,
    base_url: str | None = None,
    theme: str | None = None,
    read_only: bool = False,
    refresh_seconds: float | None = None,
    profile: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Flags (the arguments) win, then the environment, then the config file."""
    env = os.environ if environ is None else environ
    path = config_path()
    table = read_config_file(path)
    _check_keys(table, _TOP_KEYS, str(path))
    name, chosen = choose_profile(table, profile, path, env)
    where = f"{path} [profiles.{name}]" if name else str(path)
    for key, kind in (("api_key", str), ("api_key_env", str), ("key_source", str),
                      ("base_url", str), ("theme", str), ("read_only", bool),
                      ("refresh_seconds", (int, float)), ("clipboard", str)):
        _typed(chosen, key, kind, where)
    file_refresh = chosen.get("refresh_seconds")
    if file_refresh is not None and 0 < file_refresh < 5:
        raise ConfigError(f"In {where}: refresh_seconds must be 0 (off) or at least 5")
    clipboard = chosen.get("clipboard", "auto")
    if clipboard not in CLIPBOARD_METHODS:
        raise ConfigError(f"In {where}: clipboard must be one of {', '.join(CLIPBOARD_METHODS)}")
    key_source = chosen.get("key_source", "file")
    if key_source not in KEY_SOURCES:
        raise ConfigError(f"In {where}: key_source must be one of {', '.join(KEY_SOURCES)}")
    key, source, problem = _find_key(chosen, name, key_source, env, where)
    return Settings(
        api_key=key,
        api_key_source=source,
        base_url=base_url or env.get(BASE_URL_ENV) or chosen.get("base_url"),
        theme=theme or chosen.get("theme") or load_state().get("theme"),
        read_only=read_only or bool(chosen.get("read_only")),
        refresh_seconds=float(refresh_seconds if refresh_seconds is not None
                              else file_refresh or 0.0),
        profile=name,
        clipboard=clipboard,
        keymap=_keymap(table, path),
        problem=problem,
        profiles=tuple(profile_names(table)),
    )


def _find_key(chosen: Mapping[str, Any], profile: str | None, key_source: str,
              env: Mapping[str, str], where: str) -> tuple[str | None, str | None, str | None]:
    """(key, where it came from, why it could not be read)."""
    if env.get(API_KEY_ENV, "").strip():
        return env[API_KEY_ENV].strip(), API_KEY_ENV, None
    variable = chosen.get("api_key_env")
    if variable:
        if env.get(variable, "").strip():
            return env[variable].strip(), variable, None
        return None, None, f"{where} takes its key from ${variable}, which is not set."
    if key_source == "keyring":
        from skipup_campaigns import keystore

        try:
            key = keystore.read_from_keyring(profile)
        except keystore.KeyringUnavailable as exc:
            return None, None, f"{where} keeps its key in the OS keyring, but {exc}"
        if key:
            return key, keystore.keyring_label(profile), None
        return None, None, (f"{where} keeps its key in the OS keyring, but no key is stored "
                            f"there. Run: skipup-campaigns config set-key"
                            + (f" --profile {profile}" if profile else ""))
    key = chosen.get("api_key")
    if key and key.strip():
        return key.strip(), where, None
    return None, None, None


def _keymap(table: Mapping[str, Any], path: Path) -> dict[str, str]:
    keymap = _typed(table, "keymap", dict, str(path)) or {}
    for binding_id, keys in keymap.items():
        if not isinstance(keys, str) or not keys.strip():
            raise ConfigError(f"In {path} [keymap]: {binding_id} must be a string of keys, "
                              'e.g. "f5" or "f5,r"')
    return dict(keymap)


def missing_key_help(profile: str | None = None) -> str:
    """What to tell someone who has no key configured."""
    flag = f" --profile {profile}" if profile else ""
    return ("No SkipUp API key is configured"
            + (f" for the profile {profile!r}" if profile else "") + ".\n\n"
            f"Store one (asked for without echo; kept in the OS keyring when there is one):\n"
            f"    skipup-campaigns config set-key{flag}\n\n"
            f"or set the environment variable {API_KEY_ENV}:\n"
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
