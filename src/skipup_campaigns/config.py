"""Where settings come from, in one place: command-line flags, then the environment, then the
config file (the chosen profile, then the file's top level), then defaults.

Except that an API key and its base URL always come from the same place, so a key is only sent
to the server configured beside it: both from the environment / --base-url, or both from the
chosen profile (or the file's top level). The default URL (the real SkipUp API, when no base
URL is configured anywhere) goes with either. A mix (SKIPUP_BASE_URL with a profile's key,
SKIPUP_API_KEY with a profile's base_url) is refused, the key unused, with one line naming both
sources (`Settings.problem`). A key holding anything but visible ASCII (a control character
above all) is refused as it is loaded (ConfigError).

The config file is TOML in the user's config directory:

    default_profile = "staging"        # used when neither --profile nor SKIPUP_PROFILE names one
    refresh_seconds = 60               # top-level settings apply to every profile ...
    clipboard = "auto"                 # auto | osc52 | off
    history = true                     # keep each campaign's counts over time (for trends)
    request_deadline = 60              # seconds one request may take in all (a slow body too)
    timezone = "utc"                   # times shown and typed: utc | local (or a zone's name)

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

    [[views]]                          # tabs over the list (1-9, [ ]); a profile may have its own
    name = "Sales"
    filter = "team:sales"
    [[views]]
    name = "Ending soon"
    filter = "ends:<7d"
    sort = "end"                       # any column; order = "asc" | "desc"
    [[views]]
    name = "Struggling"
    filter = "rate:<20 requests:>=50"
    sort = "requests"
    columns = ["name", "team", "requests", "booked", "rate", "updated"]

    web_url = "https://app.skipup.ai/campaigns/{id}"   # `o` opens a campaign's web page

    [[commands]]                       # your own programs: on the list, by key or palette
    name = "Open in the CRM"
    key = "b"                          # optional; must not be a built-in key
    program = ["crm-open", "--", "{id}", "{name}"]     # an argv list, never a shell
    [[commands]]
    name = "Post the marked"
    program = ["post-ids", "{ids}"]    # {ids}: one argument per marked campaign

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
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from skipup_campaigns.config_file import (
    ConfigError,
    config_path,
    read_config_file,
)
from skipup_campaigns.config_file import (
    check_private as check_private,
)
from skipup_campaigns.display.dates import LOCAL_ZONE, UTC_ZONE, DisplayZone
from skipup_campaigns.env_names import API_KEY_ENV, BASE_URL_ENV, PROFILE_ENV
from skipup_campaigns.paths import data_dir

# ConfigError, config_path, check_private and read_config_file live in config_file (shared with
# keystore without an import circle); they are re-exported here, where callers look for them.
from skipup_campaigns.plain_record import FrozenRecord, field
from skipup_campaigns.private_files import (
    ensure_private_dir,
    open_private_for_read,
    write_private_atomically,
)

CLIPBOARD_METHODS = ("auto", "osc52", "off")
DEFAULT_REQUEST_DEADLINE = 60.0
"""The client's own default (api.client.DEFAULT_DEADLINE; not imported: no httpx here)."""
MAX_REQUEST_DEADLINE = 3600.0
KEY_SOURCES = ("file", "keyring")

# Settings a profile takes from the top level when it does not set them itself.
_INHERITED = (
    "theme",
    "read_only",
    "refresh_seconds",
    "clipboard",
    "history",
    "request_deadline",
    "views",
    "commands",
    "web_url",
    "timezone",
)
_PROFILE_KEYS = {"base_url", "api_key", "api_key_env", "key_source", *_INHERITED}
_TOP_KEYS = _PROFILE_KEYS | {"default_profile", "profiles", "keymap"}


def state_path() -> Path:
    return data_dir() / "state.json"


class Settings(FrozenRecord):
    """Everything the UI and the commands need to start, with where the key came from (never
    the key in text)."""

    api_key: str | None = field(default=None, repr=False)
    """The key, from SKIPUP_API_KEY, the profile's variable, the OS keyring or the file (kept
    out of repr, so a traceback's locals cannot show it)."""
    api_key_source: str | None = None
    """Where the key came from, for messages: a variable's name, the keyring or the file."""
    base_url: str | None = None
    """None means the client's default (the real SkipUp API)."""
    base_url_source: str | None = None
    """Where the base URL came from: --base-url, SKIPUP_BASE_URL or the file (None: default)."""
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
    history: bool = True
    """Record each campaign's counts in the local history file (off: no trends, no Δ)."""
    request_deadline: float = DEFAULT_REQUEST_DEADLINE
    """Seconds one request may take in all, connecting to the body's last byte (the client's
    `deadline`): a server dripping its answer cannot hold the UI or a command for ever."""
    views: tuple[Any, ...] = ()
    """The `[[views]]` (workspace.views.View), the profile's own or the top level's."""
    commands: tuple[Any, ...] = ()
    """Your own commands, `[[commands]]` (custom_commands.CustomCommand), the profile's own
    or the top level's."""
    web_url: str | None = None
    """The template of a campaign's page in SkipUp's web app (`o`), checked: http(s)."""
    display_zone: DisplayZone = UTC_ZONE
    """The zone times are shown and typed in (`timezone`, `--local-time`); the wire stays UTC."""


def _typed(table: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = table.get(key)
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if value is not None and (
        not isinstance(value, kinds) or isinstance(value, bool) and bool not in kinds
    ):
        names = " or ".join(
            {str: "string", bool: "boolean", int: "number", float: "number", dict: "table"}[k]
            for k in kinds
        )
        raise ConfigError(f"In {where}: {key} must be a {names}")
    return value


def _check_keys(table: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ConfigError(
            f"In {where}: unknown setting {unknown[0]!r}; known: {', '.join(sorted(allowed))}"
        )


def profile_names(table: Mapping[str, Any]) -> list[str]:
    profiles = table.get("profiles")
    return sorted(profiles) if isinstance(profiles, dict) else []


def choose_profile(
    table: Mapping[str, Any], asked: str | None, path: Path, environ: Mapping[str, str]
) -> tuple[str | None, dict[str, Any]]:
    """The profile's name and its table; (None, the top level) when none is asked for."""
    name = (
        asked
        or environ.get(PROFILE_ENV, "").strip()
        or _typed(table, "default_profile", str, str(path))
    )
    if not name:
        return None, dict(table)
    profiles = _typed(table, "profiles", dict, str(path)) or {}
    if name not in profiles:
        known = ", ".join(profile_names(table)) or "none yet"
        raise ConfigError(
            f"No profile named {name!r} in {path} (profiles: {known}). "
            f"Add a [profiles.{name}] table, or run: "
            f"skipup-campaigns config set-key --profile {name}"
        )
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
    local_time: bool = False,
) -> Settings:
    """Flags (the arguments) win, then the environment, then the config file."""
    env = os.environ if environ is None else environ
    path = config_path()
    table = read_config_file(path)
    _check_keys(table, _TOP_KEYS, str(path))
    name, chosen = choose_profile(table, profile, path, env)
    where = f"{path} [profiles.{name}]" if name else str(path)
    for setting, kind in (
        ("api_key", str),
        ("api_key_env", str),
        ("key_source", str),
        ("base_url", str),
        ("theme", str),
        ("read_only", bool),
        ("refresh_seconds", (int, float)),
        ("clipboard", str),
        ("history", bool),
        ("request_deadline", (int, float)),
        ("timezone", str),
    ):
        _typed(chosen, setting, kind, where)
    deadline = float(chosen.get("request_deadline", DEFAULT_REQUEST_DEADLINE))
    if not 1 <= deadline <= MAX_REQUEST_DEADLINE:
        raise ConfigError(
            f"In {where}: request_deadline must be between 1 and {MAX_REQUEST_DEADLINE:g} seconds"
        )
    file_refresh = chosen.get("refresh_seconds")
    if file_refresh is not None and 0 < file_refresh < 5:
        raise ConfigError(f"In {where}: refresh_seconds must be 0 (off) or at least 5")
    clipboard = chosen.get("clipboard", "auto")
    if clipboard not in CLIPBOARD_METHODS:
        raise ConfigError(f"In {where}: clipboard must be one of {', '.join(CLIPBOARD_METHODS)}")
    key_source = chosen.get("key_source", "file")
    if key_source not in KEY_SOURCES:
        raise ConfigError(f"In {where}: key_source must be one of {', '.join(KEY_SOURCES)}")
    views: tuple[Any, ...] = ()
    if chosen.get("views") is not None:
        from skipup_campaigns.workspace.views import ViewError, views_from_config

        try:
            views = views_from_config(chosen["views"], where)
        except ViewError as exc:
            raise ConfigError(str(exc)) from None
    commands, web_url = _commands_and_web_url(chosen, where)
    zone = LOCAL_ZONE if local_time else display_zone(chosen.get("timezone", "utc"), where)
    key, source, problem = _find_key(chosen, name, key_source, env, where)
    url, url_source = _find_base_url(base_url, chosen, env, where)
    mix = _mixed_sources(key, source, url_source, chosen, url)
    if mix:
        key, source, problem = None, None, mix
    return Settings(
        api_key=key,
        api_key_source=source,
        base_url=url,
        base_url_source=url_source,
        theme=theme or chosen.get("theme") or load_state().get("theme"),
        read_only=read_only or bool(chosen.get("read_only")),
        refresh_seconds=float(
            refresh_seconds if refresh_seconds is not None else file_refresh or 0.0
        ),
        profile=name,
        clipboard=clipboard,
        keymap=_keymap(table, path),
        problem=problem,
        profiles=tuple(profile_names(table)),
        history=chosen.get("history", True),
        request_deadline=deadline,
        views=views,
        commands=commands,
        web_url=web_url,
        display_zone=zone,
    )


def load_display_zone(
    *,
    profile: str | None = None,
    local_time: bool = False,
    environ: Mapping[str, str] | None = None,
) -> DisplayZone:
    """The display zone alone (for a command reading dates), without looking for a key."""
    if local_time:
        return LOCAL_ZONE
    path = config_path()
    table = read_config_file(path)
    name, chosen = choose_profile(table, profile, path, os.environ if environ is None else environ)
    where = f"{path} [profiles.{name}]" if name else str(path)
    return display_zone(_typed(chosen, "timezone", str, where) or "utc", where)


def display_zone(name: str, where: str) -> DisplayZone:
    """The `timezone` setting: "utc", "local" (the system's, daylight saving included) or a
    zone's IANA name ("Europe/Paris")."""
    if name.strip().lower() == "utc":
        return UTC_ZONE
    if name.strip().lower() == "local":
        return LOCAL_ZONE
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return DisplayZone(ZoneInfo(name.strip()))
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"In {where}: timezone must be utc, local or a zone's name such as "
            f"Europe/Paris (not {name!r})"
        ) from None


def _commands_and_web_url(
    chosen: Mapping[str, Any], where: str
) -> tuple[tuple[Any, ...], str | None]:
    """The `[[commands]]` and the `web_url` template, checked (ConfigError naming what is
    wrong)."""
    web_url = _typed(chosen, "web_url", str, where)
    if chosen.get("commands") is None and not web_url:
        return (), None  # (their modules only when used: they are off the start path)
    from skipup_campaigns.custom_commands import CommandError, commands_from_config
    from skipup_campaigns.web_links import WebUrlError, check_template

    try:
        commands = commands_from_config(chosen.get("commands"), where)
        return commands, check_template(web_url, where) if web_url else None
    except (CommandError, WebUrlError) as exc:
        raise ConfigError(str(exc)) from None


def _find_base_url(
    flag: str | None, chosen: Mapping[str, Any], env: Mapping[str, str], where: str
) -> tuple[str | None, str | None]:
    """(base URL, where it came from); (None, None) for the client's default."""
    if flag and flag.strip():
        return flag.strip(), "--base-url"
    if env.get(BASE_URL_ENV, "").strip():
        return env[BASE_URL_ENV].strip(), BASE_URL_ENV
    if chosen.get("base_url"):
        return chosen["base_url"], where
    return None, None


_FROM_OUTSIDE = (API_KEY_ENV, BASE_URL_ENV, "--base-url")
"""Sources that are not the config file: the environment and the command line."""


def _mixed_sources(
    key: str | None,
    key_source: str | None,
    url_source: str | None,
    chosen: Mapping[str, Any],
    url: str | None,
) -> str | None:
    """Why the key must not be sent to the base URL, or None when both come from one place.

    A key goes only to a server configured beside it: both from the environment / flags, or
    both from the same profile (or the file's top level). The default URL (none configured
    anywhere: the real SkipUp API) goes with a key from either place. A --base-url or
    SKIPUP_BASE_URL equal to the profile's own base_url is not a mix."""
    if key is None or url_source is None:
        return None
    key_outside = key_source in _FROM_OUTSIDE
    url_outside = url_source in _FROM_OUTSIDE
    if key_outside == url_outside:
        return None
    own = chosen.get("base_url")
    if not key_outside and own and url and own.rstrip("/") == url.rstrip("/"):
        return None
    described: dict[str | None, str | None] = {
        API_KEY_ENV: f"${API_KEY_ENV}",
        BASE_URL_ENV: f"${BASE_URL_ENV}",
    }
    fix = (
        f"set {BASE_URL_ENV} (or --base-url) too, or unset {API_KEY_ENV} to use the "
        "config file's key"
        if key_outside
        else f"set {API_KEY_ENV} too, or drop {described.get(url_source, url_source)} to use "
        "the config file's base_url"
    )
    return (
        f"Refusing to send the API key from {described.get(key_source, key_source)} to the "
        f"base URL from {described.get(url_source, url_source)}: a key only goes to a "
        f"server configured in the same place; {fix}."
    )


def _checked(key: str, source: str) -> str:
    """The key, or ConfigError if it holds anything but visible ASCII (a control character
    could forge a header or drive a terminal; a space or a non-ASCII letter is never part of
    a key). The message names where it came from, never the key."""
    if not all("!" <= char <= "~" for char in key):
        raise ConfigError(
            f"The API key from {source} contains a control character, a space "
            "or a non-ASCII character, so it is not used. Store it again: "
            "skipup-campaigns config set-key"
        )
    return key


def _find_key(
    chosen: Mapping[str, Any],
    profile: str | None,
    key_source: str,
    env: Mapping[str, str],
    where: str,
) -> tuple[str | None, str | None, str | None]:
    """(key, where it came from, why it could not be read)."""
    if env.get(API_KEY_ENV, "").strip():
        return _checked(env[API_KEY_ENV].strip(), f"${API_KEY_ENV}"), API_KEY_ENV, None
    variable = chosen.get("api_key_env")
    if variable:
        if env.get(variable, "").strip():
            return _checked(env[variable].strip(), f"${variable}"), variable, None
        return None, None, f"{where} takes its key from ${variable}, which is not set."
    if key_source == "keyring":
        from skipup_campaigns import keystore

        try:
            key = keystore.read_from_keyring(profile)
        except keystore.KeyringUnavailable as exc:
            return None, None, f"{where} keeps its key in the OS keyring, but {exc}"
        if key and key.strip():
            label = keystore.keyring_label(profile)
            return _checked(key.strip(), label), label, None
        return (
            None,
            None,
            (
                f"{where} keeps its key in the OS keyring, but no key is stored "
                f"there. Run: skipup-campaigns config set-key"
                + (f" --profile {profile}" if profile else "")
            ),
        )
    key = chosen.get("api_key")
    if key and key.strip():
        return _checked(key.strip(), where), where, None
    return None, None, None


def _keymap(table: Mapping[str, Any], path: Path) -> dict[str, str]:
    keymap = _typed(table, "keymap", dict, str(path)) or {}
    for binding_id, keys in keymap.items():
        if not isinstance(keys, str) or not keys.strip():
            raise ConfigError(
                f'In {path} [keymap]: {binding_id} must be a string of keys, e.g. "f5" or "f5,r"'
            )
    return dict(keymap)


def missing_key_help(profile: str | None = None) -> str:
    """What to tell someone who has no key configured: `config set-key` first (it asks without
    echo, so the key lands in no shell history), the environment only for scripts."""
    flag = f" --profile {profile}" if profile else ""
    return (
        "No SkipUp API key is configured"
        + (f" for the profile {profile!r}" if profile else "")
        + ".\n\n"
        f"Store one (asked for without echo; kept in the OS keyring when there is one):\n"
        f"    skipup-campaigns config set-key{flag}\n\n"
        f"For scripts and CI, the environment variable {API_KEY_ENV} (filled by your secret\n"
        f"store, not typed on a command line, where it would stay in shell history);\n"
        f"it is used with {BASE_URL_ENV} or the default API, never with a profile's server.\n\n"
        f"Or by hand in the config file {config_path()} (kept private: chmod 600):\n"
        f'    api_key = "sk_live_..."\n\n'
        f"To look around first: skipup-campaigns --demo"
    )


MAX_STATE_BYTES = 64 * 1024


def load_state() -> dict[str, Any]:
    """What the app remembered last time (best effort: a broken or unsafe file is ignored)."""
    try:
        with open_private_for_read(state_path(), MAX_STATE_BYTES) as handle:
            state = json.loads(handle.read())
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def remember(**values: Any) -> None:
    """Merge `values` into the state file, atomically and 0600 (best effort: never fails the
    app)."""
    try:
        ensure_private_dir(data_dir())
        state = load_state() | values
        write_private_atomically(state_path(), json.dumps(state, indent=2))
    except OSError:
        pass
