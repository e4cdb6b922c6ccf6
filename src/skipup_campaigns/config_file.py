"""The config file itself: where it is, reading it only when it is private, and writing it
atomically. Shared by `config` (which resolves settings from it) and `keystore` (which stores
a key in it), so neither has to import the other."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from skipup_campaigns.paths import config_dir
from skipup_campaigns.private_files import (
    PrivateFileError,
    ensure_private_dir,
    open_private_for_read,
    write_private_atomically,
)

MAX_CONFIG_BYTES = 1024 * 1024
"""A config file is a few hundred bytes; anything past a megabyte is not one."""


class ConfigError(Exception):
    """The config file cannot be used; the message says why and how to fix it."""


def config_path() -> Path:
    return config_dir() / "config.toml"


def read_private_text(path: Path) -> str | None:
    """The file's text, None when it does not exist; ConfigError (with the fix) when it is a
    symlink, not a regular file, another user's, readable by others, too big or unreadable.
    The checks are made on the opened descriptor, so the file cannot be swapped after them."""
    try:
        with open_private_for_read(path, MAX_CONFIG_BYTES) as handle:
            data = handle.read()
    except FileNotFoundError:
        return None
    except PrivateFileError as exc:
        raise ConfigError(_refusal(path, str(exc))) from None
    except OSError as exc:
        raise ConfigError(f"Cannot read the config file {path}: {exc.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"Cannot read the config file {path}: {exc}") from None


def _refusal(path: Path, why: str) -> str:
    if "symlink" in why:
        return (
            f"Refusing the config file {path}: it is a symlink. "
            "Replace it with a regular file (mode 600)."
        )
    if "other users can" in why:
        return (
            f"Refusing the config file {path}: other users can read it and it may "
            f"hold your API key. Run: chmod 600 {path}"
        )
    return f"Refusing the config file {path}: {why}."


def check_private(path: Path) -> None:
    """ConfigError unless `path` is missing or a regular file only its owner can read."""
    read_private_text(path)


def read_config_file(path: Path | None = None) -> dict[str, Any]:
    """The config file's table, or {} when there is none; ConfigError when it is unsafe or
    unreadable."""
    path = path or config_path()
    text = read_private_text(path)
    if text is None:
        return {}
    import tomllib  # only when there is a file to read (~1 ms to import)

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Cannot read the config file {path}: {exc}") from None


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path` atomically, readable by its owner only from the first byte: the
    temporary comes from mkstemp (an unpredictable name, created exclusively) in the same
    directory, so nothing planted beside the file can redirect the write."""
    ensure_private_dir(path.parent)
    write_private_atomically(path, text)
