"""Where `config set-key` keeps a key: the OS keyring when one works, else the private config
file. Reading it back is `config.load_settings`' job; this module only knows the two stores.

The keyring entry is service `skipup-campaigns`, user = the profile's name (`default` for the
file's top level). `SKIPUP_KEYRING=off` turns the keyring off (for tests, and machines whose
keyring prompts in ways a terminal cannot answer).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from skipup_campaigns.config_file import (
    ConfigError,
    check_private,
    config_path,
    read_private_text,
    write_private,
)

SERVICE = "skipup-campaigns"
KEYRING_SWITCH_ENV = "SKIPUP_KEYRING"


class KeyringUnavailable(Exception):
    """No working OS keyring; the message says why, in words for the user."""


def keyring_label(profile: str | None) -> str:
    return f"the OS keyring ({SERVICE} / {profile or 'default'})"


def keyring_turned_off() -> bool:
    """The user said no keyring (`SKIPUP_KEYRING=off`): keys go to the file without asking."""
    return os.environ.get(KEYRING_SWITCH_ENV, "").strip().lower() in ("off", "0", "no", "false")


def _keyring() -> Any:
    """The keyring module with a working backend, or KeyringUnavailable."""
    if keyring_turned_off():
        raise KeyringUnavailable(f"it is turned off ({KEYRING_SWITCH_ENV}=off)")
    try:
        import keyring
        import keyring.errors

        backend = keyring.get_keyring()
        priority = backend.priority
    except Exception as exc:  # a broken backend can raise anything at all on import
        raise KeyringUnavailable(f"it cannot be opened ({type(exc).__name__})") from None
    if priority <= 0:
        raise KeyringUnavailable("this machine has none (no secret service or keychain)")
    return keyring


def read_from_keyring(profile: str | None) -> str | None:
    keyring = _keyring()
    try:
        return keyring.get_password(SERVICE, profile or "default")
    except Exception as exc:
        raise KeyringUnavailable(f"it could not be read ({type(exc).__name__})") from None


class KeyNotStored(Exception):
    """No keyring, and the file was declined; the message is the keyring's problem."""


def store_key(
    key: str,
    profile: str | None,
    path: Path | None = None,
    *,
    file_ok: Callable[[str], bool] | None = None,
) -> str:
    """Keep `key` for `profile` and say where it went (a sentence for the user). The profile
    then uses this key: an `api_key_env` it had is removed, and a key the file held is removed
    when the keyring takes it.

    Without a usable keyring the key goes to the private config file if `file_ok(why)` agrees
    (not asked when the keyring is turned off; None: always); else KeyNotStored(why)."""
    path = path or config_path()
    check_private(path)
    if not all("!" <= char <= "~" for char in key):
        raise ConfigError(
            "that key holds a control character, a space or a non-ASCII "
            "character; nothing was stored"
        )
    user = profile or "default"
    try:
        keyring = _keyring()
        keyring.set_password(SERVICE, user, key)
        if keyring.get_password(SERVICE, user) != key:
            raise KeyringUnavailable("it did not keep the key")
    except Exception as exc:  # no keyring, or one that refused: the private file instead
        why = (
            str(exc)
            if isinstance(exc, KeyringUnavailable)
            else f"it refused ({type(exc).__name__})"
        )
        if file_ok is not None and not keyring_turned_off() and not file_ok(why):
            raise KeyNotStored(why) from None
        _update_file(path, profile, {"api_key": key, "key_source": None, "api_key_env": None})
        return (
            f"Stored the key in the config file {path} (mode 600): the OS keyring is not "
            f"usable: {why}."
        )
    _update_file(path, profile, {"key_source": "keyring", "api_key": None, "api_key_env": None})
    return f'Stored the key in {keyring_label(profile)}; {path} now says key_source = "keyring".'


def _update_file(path: Path, profile: str | None, values: dict[str, Any]) -> None:
    """Set (or, for None, remove) `values` in the profile's table, keeping the rest of the file
    (comments included) as the user wrote it; written atomically with mode 600."""
    import tomlkit

    try:
        text = read_private_text(path)
        document = tomlkit.document() if text is None else tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as exc:
        raise ConfigError(f"Cannot read the config file {path}: {exc}") from None
    table: Any = document
    if profile:
        profiles = document.setdefault("profiles", tomlkit.table(is_super_table=True))
        table = profiles.setdefault(profile, tomlkit.table())
    for name, value in values.items():
        if value is None:
            table.pop(name, None)
        else:
            table[name] = value
    if profile and "default_profile" not in document and len(document["profiles"]) == 1:
        # The first profile becomes the default, so the key just stored is the one used.
        document.add("default_profile", profile)
    text = tomlkit.dumps(document)
    write_private(path, text if text.endswith("\n") else text + "\n")
