"""The command line's parser (argparse): imported by `cli.main` only when there are arguments
to read; a plain start of the UI (no arguments) takes `cli.PLAIN_UI` instead."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, NoReturn

from skipup_campaigns import __version__

if TYPE_CHECKING:
    pass


def _fraction(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return value


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _positive_seconds(text: str) -> float:
    value = float(text)
    if value < 5:
        raise argparse.ArgumentTypeError("must be at least 5 seconds")
    return value


def _since(text: str) -> str:
    """`--since` checked now (the moment it names is worked out when the UI starts)."""
    from datetime import datetime, timezone

    from skipup_campaigns.history.since import parse_since

    try:
        parse_since(text, datetime.now(timezone.utc))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--since: ")) from None
    return text.strip().lower()


def _activity(text: str) -> int:
    from skipup_campaigns.sandbox.activity import MAX_PER_MINUTE

    value = int(text)
    if not 0 <= value <= MAX_PER_MINUTE:
        raise argparse.ArgumentTypeError(
            f"must be from 0 to {MAX_PER_MINUTE:,} a minute "
            "(each arrival is a write to the sandbox's database)"
        )
    return value


def _forwarded_ips(text: str) -> str:
    """Proxy addresses for uvicorn: "*", or IP addresses and networks, comma-separated (uvicorn
    would take a typo as a literal name and silently trust nothing)."""
    import ipaddress

    items = [item.strip() for item in text.split(",") if item.strip()]
    if items == ["*"]:
        return "*"
    if not items:
        raise argparse.ArgumentTypeError("give IP addresses or networks, or *")
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{item!r} is not an IP address or network (give e.g. 10.0.0.5,10.1.0.0/16, or *)"
            ) from None
    return ",".join(items)


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("must be a port number from 0 to 65535")
    return value


class Parser(argparse.ArgumentParser):
    """argparse, except that a usage error on a command given `--json` is JSON on stderr too,
    like every other error of that command (exit status 2 either way)."""

    json_errors = False
    """Set by main() for the command line being parsed (subparsers share the class)."""

    def error(self, message: str) -> NoReturn:
        if self.json_errors:
            from skipup_campaigns.scripting.session import report

            report(sys.stderr, 2, f"{self.prog}: {message}", True)
            raise SystemExit(2)
        super().error(message)


def build_parser(*, with_commands: bool = True) -> argparse.ArgumentParser:
    """The whole parser; `with_commands=False` leaves out the commands' parsers (and their
    imports), for the plain start of the UI, whose command line names none."""
    from skipup_campaigns.scripting import exit_codes

    parser = Parser(
        prog="skipup-campaigns",
        description="Manage SkipUp campaigns from the terminal: with no command, the "
        "full-screen UI; with one, a single job for scripts.",
        epilog="examples:\n  skipup-campaigns --demo\n  skipup-campaigns --profile production\n"
        "  skipup-campaigns list --active --csv > campaigns.csv\n"
        "  skipup-campaigns sandbox --port 8765\n\n" + exit_codes.EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--profile",
        metavar="NAME",
        help="a profile of the config file (default: SKIPUP_PROFILE, then the "
        "file's default_profile)",
    )
    parser.add_argument(
        "--demo", action="store_true", help="run against the built-in sandbox with demo data"
    )
    parser.add_argument(
        "--demo-reset",
        action="store_true",
        help="run the demo from fresh demo data (implies --demo)",
    )
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="API base URL, e.g. http://127.0.0.1:8765/api/v1 for a sandbox",
    )
    parser.add_argument(
        "--theme",
        metavar="NAME",
        help="any Textual theme, e.g. textual-light, nord, ansi-dark (remembered)",
    )
    parser.add_argument("--no-mouse", action="store_true", help="do not capture the mouse")
    parser.add_argument("--read-only", action="store_true", help="never offer a write action")
    parser.add_argument(
        "--local-time",
        action="store_true",
        help="show and read times in this machine's time zone (default: UTC, "
        "or the config file's timezone)",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="do not start from (or keep) the last loaded list"
    )
    parser.add_argument(
        "--refresh",
        type=_positive_seconds,
        metavar="SECONDS",
        default=None,
        help="refresh the list every SECONDS (at least 5)",
    )
    parser.add_argument(
        "--log",
        metavar="FILE",
        help="append every request and response to FILE for debugging "
        "(created 0600; the key is never written)",
    )
    parser.add_argument(
        "--history-path",
        metavar="DIR",
        help="keep the history files in DIR, e.g. on a local disk when the home "
        "is on NFS (default: SKIPUP_HISTORY, then the data directory)",
    )
    parser.add_argument(
        "--no-history",
        action="store_true",
        help="do not record counts in (or read trends from) the local history",
    )
    parser.add_argument(
        "--since",
        type=_since,
        metavar="WHEN",
        default=None,
        help="the Δ column counts from: session (default), 24h, 7d, 30d or a date like 2026-11-01",
    )
    if not with_commands:
        parser.set_defaults(command=None)
        return parser
    from skipup_campaigns.scripting import (
        campaign_commands,
        config_commands,
        history_commands,
        report_commands,
    )

    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    # Options every command also takes after its name; SUPPRESS keeps a value given before it.
    profile_option = argparse.ArgumentParser(add_help=False)
    profile_option.add_argument(
        "--profile", metavar="NAME", default=argparse.SUPPRESS, help="a profile of the config file"
    )
    connection = argparse.ArgumentParser(add_help=False, parents=[profile_option])
    connection.add_argument(
        "--base-url",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="API base URL (overrides the profile's)",
    )
    connection.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help="use the built-in sandbox's demo data",
    )
    connection.add_argument(
        "--log",
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="append every request and response to FILE (0600, no key)",
    )
    connection.add_argument(
        "--local-time",
        action="store_true",
        default=argparse.SUPPRESS,
        help="read dates given without a zone as this machine's time",
    )
    campaign_commands.add_parsers(commands, connection)
    config_commands.add_parser(commands, profile_option)
    report_commands.add_parsers(commands, connection)
    history_commands.add_parsers(commands, connection)
    _add_sandbox_parser(commands)

    completion = commands.add_parser(
        "completion",
        help="print a shell completion script (bash, zsh or fish)",
        description="Print the script that makes the shell complete skipup-campaigns' commands "
        "and options.",
        epilog='examples:\n  eval "$(skipup-campaigns completion bash)"      # in ~/.bashrc\n'
        '  eval "$(skipup-campaigns completion zsh)"       # in ~/.zshrc\n'
        "  skipup-campaigns completion fish > ~/.config/fish/completions/"
        "skipup-campaigns.fish",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    completion.add_argument("shell", choices=("bash", "zsh", "fish"))
    return parser


def _add_sandbox_parser(commands: Any) -> None:
    sandbox = commands.add_parser(
        "sandbox",
        help="run a local server that behaves like the SkipUp API",
        description="Run a local server that behaves like the SkipUp Campaigns API.",
        epilog="examples:\n  skipup-campaigns sandbox\n"
        "  skipup-campaigns sandbox --db sandbox.db --seed-count 10000\n"
        "  skipup-campaigns sandbox --latency-ms 300 --fail-rate 0.2 --random-seed 7\n"
        "  skipup-campaigns sandbox --activity 30 --random-seed 7",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sandbox.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    sandbox.add_argument("--port", type=_port, default=8765, help="port (default 8765; 0 = any)")
    sandbox.add_argument(
        "--db",
        default=":memory:",
        help="SQLite file to keep data in (default :memory:, lost on exit)",
    )
    sandbox.add_argument(
        "--seed",
        choices=("demo", "empty"),
        default="demo",
        help="data for a new database: demo campaigns, or teams only",
    )
    sandbox.add_argument(
        "--seed-count",
        type=_non_negative,
        default=0,
        metavar="N",
        help="also generate N synthetic campaigns (for scale work)",
    )
    sandbox.add_argument(
        "--rate-limit",
        type=_non_negative,
        default=120,
        metavar="PER_MIN",
        help="requests per minute per key (default 120; 0 = off)",
    )
    sandbox.add_argument(
        "--latency-ms",
        type=_non_negative,
        default=0,
        metavar="N",
        help="delay every response by N milliseconds",
    )
    sandbox.add_argument(
        "--fail-rate",
        type=_fraction,
        default=0.0,
        metavar="F",
        help="answer this fraction of requests with a 5xx or 429",
    )
    sandbox.add_argument(
        "--random-seed",
        type=int,
        default=None,
        metavar="N",
        help="make seed data, injected failures and activity repeatable",
    )
    sandbox.add_argument(
        "--activity",
        type=_activity,
        default=0,
        metavar="PER_MIN",
        help="simulate about PER_MIN inbound meeting requests a minute on "
        "running campaigns, some booked (default 0: counts never move; "
        "at most 6,000)",
    )
    sandbox.add_argument(
        "--forwarded-allow-ips",
        type=_forwarded_ips,
        default=None,
        metavar="IPS",
        help="believe X-Forwarded-For (the client address the wrong-key "
        "lock-out counts) only from these proxy addresses, comma-"
        "separated, or * (default: from none)",
    )
    sandbox.add_argument(
        "--api-key",
        action="append",
        default=[],
        metavar="KEY=SCOPE,SCOPE",
        help="accept another key (repeatable), e.g. sk_test_ro=campaigns.read",
    )
    sandbox.add_argument(
        "--allow-test-credentials",
        action="store_true",
        help="serve the built-in (public) test keys on a non-loopback --host too",
    )
