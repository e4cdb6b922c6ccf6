"""What every command shares: settings and the client, its streams, and one way to fail.

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
from skipup_campaigns.scripting.status_line import StatusLine
from skipup_campaigns.startup.setup import build_workspace
from skipup_campaigns.workspace.events import RateLimitWaitChanged, WorkspaceEvent

if TYPE_CHECKING:
    from skipup_campaigns.api.client import SkipUpClient
    from skipup_campaigns.api.models import Campaign, Unreadable
    from skipup_campaigns.config import Settings


class CommandError(Exception):
    """A failure the command found itself; `code` is its exit status."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class Session:
    """One command's settings, streams and its workspace (whose client is made when first
    needed), the same workspace the UI's screens share, for operations they have in common."""

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
        self._settings: Settings | None = None
        self.workspace = build_workspace(connect=lambda: open_client(args, self.settings)).workspace
        self.status = StatusLine(
            self.stderr, quiet_unless_terminal=bool(getattr(args, "json", False))
        )
        """The progress line on stderr: the rate-limit countdown, a command's own progress."""
        self._ticker: asyncio.Task[None] | None = None
        self.workspace.subscribe(self._workspace_changed)

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
        if wait is not None:
            self.status.show(wait_text(wait, self.workspace.clock()), key=wait)

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(1.0)
            self._show_wait()

    def _stop_countdown(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            self._ticker = None
        self.status.clear()

    def settings(self) -> Settings:
        """The settings the flags and the config file give, loaded once for the client and
        the history alike (CommandError saying what to fix)."""
        if self._settings is None:
            self._settings = load_settings(self.args)
        return self._settings

    async def client(self) -> SkipUpClient:
        """The client (CommandError, from `open_client`, if the settings allow none)."""
        return await self.workspace.get_client()

    async def close(self) -> None:
        self._stop_countdown()
        await self.workspace.aclose()

    async def all_campaigns(self, *, active: bool | None = None) -> list[Campaign]:
        """Every campaign the server lists. One not as documented is left out and its page's
        others kept: a line on stderr says how many, naming a few (ids are server text)."""
        from skipup_campaigns.scripting import output

        client = await self.client()
        campaigns: list[Campaign] = []
        unreadable: list[Unreadable] = []
        async for page in client.iter_campaign_pages(active=active):
            campaigns += page.data
            unreadable += page.skipped
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


def load_settings(args: argparse.Namespace) -> Settings:
    """The settings of `args`' --base-url and --profile and the config file, or CommandError
    saying what is wrong with the file."""
    from skipup_campaigns import config

    try:
        return config.load_settings(
            base_url=getattr(args, "base_url", None), profile=getattr(args, "profile", None)
        )
    except config.ConfigError as exc:
        raise CommandError(exit_codes.CONFIG, str(exc)) from None


def open_client(args: argparse.Namespace, settings: Callable[[], Settings]) -> SkipUpClient:
    """The client `settings()` describe (the demo's for --demo), or CommandError saying what
    to fix."""
    from skipup_campaigns import config
    from skipup_campaigns.api.errors import ConfigurationError
    from skipup_campaigns.startup.connection import client_maker

    if getattr(args, "demo", False):
        from skipup_campaigns.startup.connection import demo_client

        return demo_client()
    loaded = settings()
    if getattr(args, "writes", False) and loaded.read_only:
        where = f"the profile {loaded.profile!r}" if loaded.profile else "the config file"
        raise CommandError(exit_codes.FORBIDDEN, f"{where} is read-only; nothing was changed")
    if loaded.problem:
        raise CommandError(exit_codes.CONFIG, loaded.problem)
    make = client_maker(loaded)
    if make is None:
        flag = f" --profile {loaded.profile}" if loaded.profile else ""
        raise CommandError(
            exit_codes.CONFIG,
            "no API key is configured; run "
            f"'skipup-campaigns config set-key{flag}' or set "
            f"{config.API_KEY_ENV}",
        )
    try:
        return make()
    except ConfigurationError as exc:
        raise CommandError(exit_codes.CONFIG, str(exc)) from None


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
