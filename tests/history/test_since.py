"""`--since` as a point in time."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from skipup_campaigns.cli import build_parser
from skipup_campaigns.history.since import CYCLE, describe_since, parse_since

NOW = datetime(2026, 11, 20, 15, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("session", "session"),
        (" Session ", "session"),
        ("24h", NOW - timedelta(hours=24)),
        ("7d", NOW - timedelta(days=7)),
        ("30d", NOW - timedelta(days=30)),
        ("2w", NOW - timedelta(weeks=2)),
        ("2026-11-01", datetime(2026, 11, 1, tzinfo=timezone.utc)),
    ],
)
def test_accepted(text: str, expected: object) -> None:
    assert parse_since(text, NOW) == expected


@pytest.mark.parametrize(
    "text", ["", "7", "d7", "0d", "-3d", "7 days", "2026-13-01", "2026-12-01", "yesterday"]
)
def test_refused_with_a_message(text: str) -> None:
    with pytest.raises(ValueError, match="since"):
        parse_since(text, NOW)


def test_every_step_of_the_cycle_parses_and_reads_well() -> None:
    for text in CYCLE:
        parse_since(text, NOW)
    assert describe_since("session") == "since the last session"
    assert describe_since("7d") == "in the last 7d"
    assert describe_since("2026-11-01") == "since 2026-11-01"


def test_the_ui_takes_since_and_no_history() -> None:
    args = build_parser(with_commands=False).parse_args(["--since", "7D", "--no-history"])
    assert (args.since, args.no_history) == ("7d", True)
    assert build_parser(with_commands=False).parse_args([]).since is None
    with pytest.raises(SystemExit):
        build_parser(with_commands=False).parse_args(["--since", "soon"])
