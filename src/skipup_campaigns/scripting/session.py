"""What every command shares: its workspace (startup/setup.py makes it from the settings, as for
the UI), its streams, and one way to fail.

A command raises `CommandError` (or lets a client error through); `run()` turns either into one
line on stderr (JSON with `--json`) and the exit status, and closes the client. No traceback
reaches the user; an unexpected exception is reported as a bug in one line.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TextIO

from skipup_campaigns.scripting import exit_codes
from skipup_campaigns.scripting.output import exact_json
from skipup_campaigns.scripting.status_line import NewWaits, StatusLine
from skipup_campaigns.startup.setup import Options, ProfileRefused, Setup, open_profile
from skipup_campaigns.workspace.events import RateLimitWaitChanged, WorkspaceEvent

if TYPE_CHECKING:
    from pathlib import Path

    from skipup_campaigns.api.client import SkipUpClient
    from skipup_campaigns.api.models import Campaign
    from skipup_campaigns.workspace import Workspace


class CommandError(Exception):
    """A failure the command found itself; `code` is its exit status."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class Session:
    """One command's streams and its workspace (made from the settings on first use, its
    client when first needed), the same workspace the UI's screens share, for operations they
    have in common."""

    def __init__(
        self,
        args: argparse.Namespace,
        *,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
    ) -> None:
        self.args = args
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self._setup: Setup | None = None
        self.status = StatusLine(
            self.stderr, quiet_unless_terminal=bool(getattr(args, "json", False))
        )
        """The progress line on stderr: the rate-limit countdown, a command's own progress."""
        self._waits_said = NewWaits()
        self._ticker: asyncio.Task[None] | None = None

    @property
    def setup(self) -> Setup:
        """The workspace the flags and the config file describe, opened on first use (a
        command that needs none never reads the settings, or the keyring)."""
        if self._setup is None:
            self._setup = open_profile(Options.from_args(self.args, ui=False))
            self._setup.workspace.subscribe(self._workspace_changed)
        return self._setup

    @property
    def workspace(self) -> Workspace:
        return self.setup.workspace

    def _workspace_changed(self, event: WorkspaceEvent) -> None:
        """A request started or stopped waiting for the rate limit: count it down on stderr
        each second while one waits (a silent wait looks like a hang)."""
        if not isinstance(event, RateLimitWaitChanged):
            return
        if event.wait is None:
            self._stop_countdown()
            return
        self._show_wait()
        if self._ticker is None:
            self._ticker = asyncio.get_running_loop().create_task(self._tick())

    def _show_wait(self) -> None:
        from skipup_campaigns.display.waits import wait_text

        wait = self.workspace.rate_wait
        if wait is None:
            return
        now = self.workspace.clock()
        # A terminal's line counts down in place; a pipe gets a line per new wait only.
        if self.status.terminal or self._waits_said.starts(wait, now):
            self.status.show(wait_text(wait, now))

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(1.0)
            self._show_wait()

    def _stop_countdown(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            self._ticker = None
        self.status.clear()

    async def client(self) -> SkipUpClient:
        """The client (ProfileRefused, reported as a CommandError, if the settings allow
        none)."""
        return await self.workspace.get_client()

    def history_file(self) -> Path | None:
        """The history file of the workspace the command talks to; None when history is off.
        CommandError when there is no workspace to name (no key, a bad config file)."""
        setup = self.setup
        if setup.history is not None:
            return setup.history.path
        if setup.missing_key:
            raise CommandError(
                exit_codes.CONFIG,
                "no API key is configured, so there is no workspace (and no history) to name",
            )
        if setup.problem is not None:
            raise CommandError(exit_codes.CONFIG, setup.problem)
        return None

    async def close(self) -> None:
        self._stop_countdown()
        if self._setup is not None:
            await self._setup.workspace.aclose()

    async def all_campaigns(self, *, active: bool | None = None) -> list[Campaign]:
        """Every campaign the server lists. One not as documented is left out and its page's
        others kept: a line on stderr says how many, naming a few (ids are server text)."""
        from skipup_campaigns.scripting import output

        campaigns, unreadable = await self.workspace.read_all(active=active)
        if unreadable:
            ids = ", ".join(
                output.cell(item.id)[:40] or f"#{item.position}" for item in unreadable[:5]
            )
            more = f" and {len(unreadable) - 5:,} more" if len(unreadable) > 5 else ""
            self.stderr.write(
                f"warning: {len(unreadable):,} campaign(s) left out: not as "
                f"documented, so unreadable ({ids}{more})\n"
            )
        return campaigns


def run(
    command: Callable[[Session, argparse.Namespace], Awaitable[int]],
    args: argparse.Namespace,
    **streams: TextIO,
) -> int:
    session = Session(args, **streams)
    as_json = bool(getattr(args, "json", False))
    try:
        return asyncio.run(_run(command, session, args))
    except KeyboardInterrupt:
        return report(session.stderr, exit_codes.INTERRUPTED, "interrupted", as_json)
    except CommandError as exc:
        return report(session.stderr, exc.code, exc.message, as_json)
    except ProfileRefused as exc:
        code = exit_codes.FORBIDDEN if exc.forbidden else exit_codes.CONFIG
        return report(session.stderr, code, exc.message, as_json)
    except BrokenPipeError:
        # `… | head` closed the pipe: not an error of ours, and nothing more to say.
        _silence_stdout()
        return exit_codes.OK
    except Exception as exc:  # the last line of defence: one line, never a traceback
        from skipup_campaigns.api.errors import APIStatusError, SkipUpError
        from skipup_campaigns.display.messages import describe_error

        if isinstance(exc, SkipUpError):
            extra: dict[str, Any] = {}
            if isinstance(exc, APIStatusError):
                extra = {"status": exc.status, "type": exc.type}
            return report(
                session.stderr, exit_codes.for_error(exc), describe_error(exc), as_json, **extra
            )
        return report(
            session.stderr,
            exit_codes.FAILED,
            f"unexpected error ({type(exc).__name__}); this is a bug in "
            "skipup-campaigns, please report it",
            as_json,
        )


async def _run(
    command: Callable[[Session, argparse.Namespace], Awaitable[int]],
    session: Session,
    args: argparse.Namespace,
) -> int:
    try:
        return await command(session, args)
    finally:
        await session.close()


def report(stderr: TextIO, code: int, message: str, as_json: bool, **extra: Any) -> int:
    """Say what went wrong in one line (already-safe text) and return its exit status."""
    from skipup_campaigns.display.safe_text import safe

    if as_json:
        error = {"kind": exit_codes.KINDS[code], "exit_code": code, "message": message, **extra}
        stderr.write(exact_json({"error": error}, indent=None) + "\n")
    else:
        stderr.write(f"skipup-campaigns: {safe(message)}\n")
    stderr.flush()
    return code


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
