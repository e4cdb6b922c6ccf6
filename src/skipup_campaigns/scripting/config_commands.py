"""`config path | show | set-key`: where settings live, what they resolve to, and storing a key
without it ever appearing on a command line, in `ps`, in shell history or on screen."""

from __future__ import annotations

import argparse
import getpass
import os
from typing import Any

from skipup_campaigns import config
from skipup_campaigns.display.safe_text import safe
from skipup_campaigns.scripting import exit_codes
from skipup_campaigns.scripting.session import CommandError, Session

EXAMPLES = """examples:
  skipup-campaigns config path
  skipup-campaigns config show --profile production
  skipup-campaigns config set-key --profile production      (asks, without echo)
  pass show skipup/staging | skipup-campaigns config set-key --profile staging"""


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "config",
        parents=[common],
        help="show settings, store a key",
        description="Inspect the configuration, or store an API key.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "action",
        choices=("path", "show", "set-key"),
        help="path: the config file's path; show: the settings in use and "
        "where each comes from (never the key); set-key: store a key, "
        "read from a prompt without echo or from stdin",
    )
    parser.set_defaults(run=run_config)


async def run_config(session: Session, args: argparse.Namespace) -> int:
    if args.action == "path":
        session.stdout.write(f"{config.config_path()}\n")
        return exit_codes.OK
    if args.action == "show":
        return show(session, args)
    return set_key(session, args)


def show(session: Session, args: argparse.Namespace) -> int:
    try:
        settings = config.load_settings(
            base_url=getattr(args, "base_url", None), profile=getattr(args, "profile", None)
        )
    except config.ConfigError as exc:
        raise CommandError(exit_codes.CONFIG, str(exc)) from None
    path = config.config_path()
    key = (
        f"from {settings.api_key_source}"
        if settings.api_key
        else f"none ({settings.problem})"
        if settings.problem
        else "none"
    )
    lines = [
        ("config file", f"{path}" + ("" if path.exists() else " (not created yet)")),
        ("profile", settings.profile or "(none: the file's top level)"),
        ("profiles", ", ".join(settings.profiles) or "(none)"),
        (
            "base URL",
            f"{settings.base_url} (from {settings.base_url_source})"
            if settings.base_url
            else "https://api.skipup.ai/api/v1 (default)",
        ),
        ("API key", key),
        ("theme", settings.theme or "(Textual's default)"),
        ("read-only", "yes" if settings.read_only else "no"),
        ("refresh", f"every {settings.refresh_seconds:g} s" if settings.refresh_seconds else "off"),
        ("clipboard", settings.clipboard),
        (
            "keymap",
            ", ".join(f"{name} = {keys}" for name, keys in settings.keymap.items()) or "(defaults)",
        ),
    ]
    for label, value in lines:
        session.stdout.write(f"{label + ':':<13}{safe(value)}\n")
    return exit_codes.OK


def set_key(session: Session, args: argparse.Namespace) -> int:
    from skipup_campaigns import keystore

    try:
        table = config.read_config_file()
    except config.ConfigError as exc:
        raise CommandError(exit_codes.CONFIG, str(exc)) from None
    # The profile in use gets the key: the flag, then SKIPUP_PROFILE, then the default one.
    profile = (
        getattr(args, "profile", None)
        or os.environ.get(config.PROFILE_ENV, "").strip()
        or table.get("default_profile")
        or None
    )
    if session.stdin.isatty():
        where = f" for the profile {profile!r}" if profile else ""
        key = getpass.getpass(f"SkipUp API key{where} (not shown): ", stream=session.stderr)
    else:
        key = session.stdin.readline()
    key = key.strip()
    if not key:
        raise CommandError(exit_codes.USAGE, "no key given; nothing was stored")
    if not all("!" <= char <= "~" for char in key):
        raise CommandError(
            exit_codes.USAGE,
            "that does not look like an API key (it has spaces, "
            "control or non-ASCII characters); nothing was stored",
        )
    try:
        said = keystore.store_key(key, profile, file_ok=lambda why: _file_ok(session, why))
    except keystore.KeyNotStored as exc:
        raise CommandError(exit_codes.CONFIG, _not_stored(str(exc))) from None
    except (config.ConfigError, OSError) as exc:
        raise CommandError(exit_codes.CONFIG, f"could not store the key: {exc}") from None
    if not key.startswith("sk_"):
        session.stderr.write("Note: SkipUp keys begin with sk_; check that this one is right.\n")
    session.stdout.write(said + "\n")
    return exit_codes.OK


def _file_ok(session: Session, why: str) -> bool:
    """Asked when there is no usable keyring: may the key go to the config file? Only a
    person at a terminal can say yes; a key from a pipe is not written without a yes."""
    if not session.stdin.isatty():
        return False
    path = config.config_path()
    session.stderr.write(
        f"The OS keyring is unavailable: {safe(why)}.\n"
        f"Keep the key in the config file {safe(str(path))} (mode 600, "
        "readable by you only) instead? [y/N] "
    )
    session.stderr.flush()
    return session.stdin.readline().strip().lower() in ("y", "yes")


def _not_stored(why: str) -> str:
    return (
        f"the OS keyring is unavailable: {why}. Nothing was stored. Either keep the key "
        "in the config file (mode 600): run `config set-key` at a terminal and answer y, "
        "or pipe it in with SKIPUP_KEYRING=off; or give it to each run from "
        "the environment instead: export SKIPUP_API_KEY=... (e.g. from your password "
        "manager), which nothing writes to disk"
    )
