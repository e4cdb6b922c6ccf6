"""`history path | clear`: the local history file behind the report's and the UI's trends."""

from __future__ import annotations

import argparse
from typing import Any

from skipup_campaigns.scripting import exit_codes
from skipup_campaigns.scripting.session import CommandError, Session

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


async def run_history(session: Session, args: argparse.Namespace) -> int:
    from skipup_campaigns.history.store import delete_history

    path = session.history_file()
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
