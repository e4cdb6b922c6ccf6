"""`history path | clear`: the local history file behind the report's and the UI's trends."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skipup_campaigns.scripting import exit_codes
from skipup_campaigns.scripting.session import CommandError, Session

if TYPE_CHECKING:
    from skipup_campaigns.config import Settings

HISTORY_EXAMPLES = """examples:
  skipup-campaigns history path
  skipup-campaigns history clear --profile staging
  skipup-campaigns --demo history clear --yes"""


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    history = commands.add_parser(
        "history",
        parents=[common],
        help="show or delete the local history of counts",
        description="The local history file (each campaign's counts over time, for trends): "
        "print its path, or delete it.",
        epilog=HISTORY_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    history.set_defaults(run=run_history)
    history.add_argument(
        "action", choices=("path", "clear"), help="path: print the file's path; clear: delete it"
    )
    history.add_argument(
        "--yes",
        action="store_true",
        help="clear without asking (required when stdin is not a terminal)",
    )


# -- where the history is ----------------------------------------------------------------------


def history_file(args: argparse.Namespace, load: Callable[[], Settings]) -> Path | None:
    """The history file of the workspace the command talks to (`load()`: the session's settings,
    loaded once); None when history is off."""
    from skipup_campaigns.history.store import demo_history_path, workspace_history_path

    if getattr(args, "demo", False):
        return demo_history_path()
    settings = load()
    if not settings.api_key:
        raise CommandError(
            exit_codes.CONFIG,
            settings.problem
            or "no API key is configured, so there is no workspace (and no history) to name",
        )
    if not settings.history:
        return None
    return workspace_history_path(settings.base_url, settings.api_key)


async def run_history(session: Session, args: argparse.Namespace) -> int:
    from skipup_campaigns.history.store import delete_history

    path = history_file(args, session.settings)
    if path is None:
        session.stderr.write("History is off (history = false in the config file).\n")
        return exit_codes.OK
    if args.action == "path":
        session.stdout.write(f"{path}\n")
        return exit_codes.OK
    if not path.exists():
        session.stderr.write(f"No history file at {path}; nothing to delete.\n")
        return exit_codes.OK
    if not args.yes:
        if not session.stdin.isatty():
            raise CommandError(
                exit_codes.USAGE,
                "refusing to delete the history without "
                "--yes: stdin is not a terminal, so nobody can confirm",
            )
        session.stderr.write(f"Delete {path}? Trends start again from nothing. [y/N] ")
        session.stderr.flush()
        if session.stdin.readline().strip().lower() not in ("y", "yes"):
            session.stderr.write("Not deleted.\n")
            return exit_codes.USAGE
    delete_history(path)
    session.stderr.write(f"Deleted {path}.\n")
    return exit_codes.OK
