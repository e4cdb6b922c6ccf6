"""Running a command as a script would: argv in, exit status and the two streams out, against
the sandbox on a loopback port."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from skipup_campaigns.cli import build_parser
from skipup_campaigns.scripting import session
from tests.conftest import ADMIN


@dataclass
class Result:
    code: int
    out: str
    err: str


class TerminalStream(io.StringIO):
    """A text stream that says it is a terminal (for what a command prints to a person)."""

    def isatty(self) -> bool:
        return True


Run = Callable[..., Result]


@pytest.fixture
def run(live_url: str, monkeypatch: pytest.MonkeyPatch) -> Run:
    """`run("list", "--csv")`: the command against the loopback sandbox with the admin key."""
    monkeypatch.setenv("SKIPUP_API_KEY", ADMIN)
    monkeypatch.setenv("SKIPUP_BASE_URL", live_url)
    return run_command


def run_command(*argv: str, stdin: str = "", tty: bool = False) -> Result:
    args = build_parser().parse_args(list(argv))
    out = TerminalStream() if tty else io.StringIO()
    err = io.StringIO()
    code = session.run(args.run, args, stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return Result(code, out.getvalue(), err.getvalue())
