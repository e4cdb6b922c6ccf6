"""The command line: parses argv and hands over to the UI, the sandbox or a command."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from skipup_campaigns.config import Settings

PLAIN_UI = {
    "profile": None,
    "demo": False,
    "demo_reset": False,
    "base_url": None,
    "theme": None,
    "no_mouse": False,
    "read_only": False,
    "local_time": False,
    "no_cache": False,
    "refresh": None,
    "log": None,
    "history_path": None,
    "no_history": False,
    "since": None,
    "command": None,
}
"""What the parser makes of an empty command line (a test checks it does): the UI's plain
start reads it without importing argparse or building the parser (~2 ms of every start)."""


def build_parser(*, with_commands: bool = True) -> argparse.ArgumentParser:
    """The whole parser (cli_parser.py); `with_commands=False` leaves out the commands'."""
    from skipup_campaigns.cli_parser import build_parser as build

    return build(with_commands=with_commands)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv and "_ARGCOMPLETE" not in os.environ:
        return run_ui(SimpleNamespace(**PLAIN_UI))  # the plain start: nothing to parse
    from skipup_campaigns.cli_parser import Parser

    # Only a command line with a word that is not an option can name a command (or --help
    # lists them): anything else is the UI, which then starts without the commands' parsers.
    plain_ui = all(arg.startswith("-") and arg not in ("-h", "--help") for arg in argv)
    parser = build_parser(with_commands="_ARGCOMPLETE" in os.environ or not plain_ui)
    if "_ARGCOMPLETE" in os.environ:
        import argcomplete  # the shell asked for completions: answer and exit

        argcomplete.autocomplete(parser)
    Parser.json_errors = "--json" in argv
    args = parser.parse_args(argv)
    if args.history_path:  # for the UI and every command alike: history_dir() reads it
        from skipup_campaigns.env_names import HISTORY_ENV

        os.environ[HISTORY_ENV] = args.history_path
    if args.command == "sandbox":
        from skipup_campaigns.sandbox.command import run_sandbox

        return run_sandbox(args, parser)
    if args.command == "completion":
        import argcomplete

        print(argcomplete.shellcode(["skipup-campaigns"], shell=args.shell))
        return 0
    if getattr(args, "log", None) and not start_debug_log(args):
        return 3
    if args.command is not None:
        from skipup_campaigns.scripting import session

        return session.run(args.run, args)
    return run_ui(args)


def start_debug_log(args: argparse.Namespace) -> bool:
    """Open `--log FILE`, telling the redaction the key in use; False (said why) if refused."""
    from pathlib import Path

    from skipup_campaigns import config
    from skipup_campaigns.debug_log import LogFileError, start_log

    secrets = [os.environ.get(config.API_KEY_ENV, "").strip()]
    try:
        secrets.append(config.load_settings(profile=args.profile).api_key or "")
    except config.ConfigError:
        pass  # the UI or the command reports that itself
    try:
        start_log(Path(args.log), secrets)
    except LogFileError as exc:
        print(f"skipup-campaigns: {exc}", file=sys.stderr)
        return False
    return True


def run_ui(args: argparse.Namespace | SimpleNamespace) -> int:
    """The workspace the flags, environment and config file describe (startup/setup.py), then
    the app. The client itself is made inside the app, after its first frame, to keep start-up
    quick; on a cold start the first page is asked for before the UI is even imported
    (startup/early_page.py), on a warm start the cache's first rows are read meanwhile."""
    from skipup_campaigns.startup import collector

    collector.pause()  # until the first rows are on screen (startup/collector.py)
    from skipup_campaigns.startup.setup import Options, open_profile

    setup = open_profile(Options.from_args(args, ui=True), key_check=command_key_problem)
    if args.since is not None and setup.history is None and setup.problem is None:
        print(
            "skipup-campaigns: --since needs the history, which is off (--no-history or "
            "history = false in the config file)",
            file=sys.stderr,
        )
        return 2
    from skipup_campaigns.tui.app import CampaignsApp, UISettings  # meanwhile

    settings = setup.settings
    assert settings is not None  # (open_profile always loads them)
    app = CampaignsApp(
        setup,
        ui=UISettings(
            theme=settings.theme, keymap=settings.keymap, clipboard=settings.clipboard
        ).for_profile(setup),
    )
    if args.theme and args.theme not in app.available_themes:
        print(
            f"skipup-campaigns: unknown theme {args.theme!r}; choose from: "
            f"{', '.join(sorted(app.available_themes))}",
            file=sys.stderr,
        )
        return 2
    app.run(mouse=not args.no_mouse)
    return app.return_code or 0


def command_key_problem(settings: Settings) -> str | None:
    """Why a key of the settings' own commands cannot be used (it is a built-in binding's):
    the UI's check, imported only when a command has a key."""
    from skipup_campaigns.tui.app import settings_key_problem

    return settings_key_problem(settings)
