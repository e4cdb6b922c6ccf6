"""Settings → a finished workspace, in one place, for the UI, every command and the demo.

`open_profile(options)` loads the settings (flags, environment, config file) and makes from
them every part a workspace has: how to make its client, its list cache, its memory of a
refused write, its history, its views; with the label, the name its remembered state is kept
under and, when the profile cannot be used, the problem to show. It is the only place a
`Workspace` is made (`build_workspace`; tests/test_one_way_in.py checks), as
startup/connection.py is the only place a client is made, and the only place outside startup/
that settings become a client, a cache or a history.

It is on the start path (the UI builds its workspace here), so it imports the workspace only
when one is built: the early first page is already on its way by then."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from skipup_campaigns.plain_record import FrozenRecord, Record, replace

if TYPE_CHECKING:
    import argparse
    from pathlib import Path
    from types import SimpleNamespace

    from skipup_campaigns.api.client import SkipUpClient
    from skipup_campaigns.config import Settings
    from skipup_campaigns.display.dates import DisplayZone
    from skipup_campaigns.startup.list_cache import ListCache
    from skipup_campaigns.workspace import Workspace
    from skipup_campaigns.workspace.history_link import HistorySettings
    from skipup_campaigns.workspace.views import View, Views
    from skipup_campaigns.workspace.workspace import CampaignStore, FirstPage
    from skipup_campaigns.workspace.write_permission import WritePermissionMemory


class Options(FrozenRecord):
    """What the command line says about the workspace to open (its flags); the rest comes from
    the environment and the config file."""

    profile: str | None = None
    base_url: str | None = None
    demo: bool = False
    demo_reset: bool = False
    """Start the demo from fresh data (implies `demo`)."""
    read_only: bool = False
    theme: str | None = None
    refresh: float | None = None
    local_time: bool = False
    no_cache: bool = False
    no_history: bool = False
    since: str | None = None
    """What the Δ column counts from at start (None: the session)."""
    debug_log: bool = False
    """`--log` is on: the early first page is left to the client, which logs."""
    writes: bool = False
    """A command that changes campaigns: a read-only profile refuses it before any request."""
    ui: bool = True
    """For the full-screen UI (a list cache, a write memory, the demo's activity, an early
    first page); False for a command, which keeps nothing between runs."""

    @classmethod
    def from_args(cls, args: argparse.Namespace | SimpleNamespace, *, ui: bool) -> Options:
        """The options of parsed flags (a command's parser has only some of them)."""
        given = {
            name: getattr(args, name)
            for name in cls.field_names
            if name != "ui" and getattr(args, name, None) is not None
        }
        return cls(**given, ui=ui)

    @property
    def wants_demo(self) -> bool:
        return self.demo or self.demo_reset


class ProfileRefused(Exception):
    """The profile cannot give a client (raised by a command's workspace when it would make
    one): `message` says why and what to fix; `forbidden`: the profile is read-only and the
    command writes."""

    def __init__(self, message: str, *, forbidden: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.forbidden = forbidden


class Setup(FrozenRecord):
    """A finished workspace and what its user needs beside it, all made from one load of the
    settings. A workspace made without settings (tests, scripts) has the defaults."""

    workspace: Workspace
    history: HistorySettings | None = None
    """Where the loads are recorded (None: off); `workspace.history` is its link."""
    label: str = ""
    """The short name the top bar shows ("demo", the profile's name; empty: none)."""
    state_name: str | None = None
    """The name the profile's views, last view and command history are kept under (None:
    nothing is remembered)."""
    settings: Settings | None = None
    """The settings it was made from (None: made directly, with the defaults)."""
    problem: str | None = None
    """Why the profile cannot be used (the UI shows it instead of the list); None: it can."""
    options: Options | None = None
    """The flags it was opened with (another profile opens with the same ones)."""
    missing_key: bool = False
    """The profile has no key configured (not one that could not be read)."""

    @property
    def profile(self) -> str | None:
        """The config file's profile in use (None: the file's top level, or no file)."""
        return self.settings.profile if self.settings is not None else None

    @property
    def profiles(self) -> tuple[str, ...]:
        """Every profile the config file names."""
        return self.settings.profiles if self.settings is not None else ()


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def build_workspace(
    client: SkipUpClient | None = None,
    *,
    connect: Callable[[], SkipUpClient] | None = None,
    read_only: bool = False,
    list_cache: CampaignStore | None = None,
    clock: Callable[[], datetime] = utc_now,
    first_page: FirstPage | None = None,
    write_memory: WritePermissionMemory | None = None,
    display_zone: DisplayZone | None = None,
    history: HistorySettings | None = None,
    views: Sequence[View] = (),
    state_name: str | None = None,
) -> Setup:
    """The workspace of `client`, or of `connect` (how to make one when first needed), with its
    parts: the history link when `history` is given, the views (`views` configured, and what
    the state file of `state_name` remembers). The rest as `Workspace` takes them
    (`display_zone` None: UTC)."""
    from skipup_campaigns.display.dates import UTC_ZONE
    from skipup_campaigns.workspace import Workspace

    workspace = Workspace(
        client,
        connect=connect,
        read_only=read_only,
        list_cache=list_cache,
        clock=clock,
        first_page=first_page,
        write_memory=write_memory,
        display_zone=UTC_ZONE if display_zone is None else display_zone,
    )
    if history is not None:
        from skipup_campaigns.workspace.history_link import HistoryLink

        # Its jobs run as plain tasks until the UI hands them to its workers (HistoryLink.run_in).
        workspace.history = HistoryLink(workspace, history)
    if views or state_name is not None:
        workspace.views = _views(workspace, views, state_name)
    return Setup(workspace, history, state_name=state_name)


def _views(workspace: Workspace, configured: Sequence[View], state_name: str | None) -> Views:
    from skipup_campaigns.paths import data_dir
    from skipup_campaigns.workspace.views import Views, ViewStateFile, state_file_name

    state = (
        None
        if state_name is None
        else ViewStateFile(data_dir() / "views" / state_file_name(state_name))
    )
    return Views(workspace.collection, configured, state)


KeyCheck = Callable[["Settings"], "str | None"]
"""Why the settings' own commands' keys cannot be used (the UI's check), or None."""


def open_profile(
    options: Options,
    profile: str | None = None,
    *,
    key_check: KeyCheck | None = None,
    early_page: bool = True,
    clock: Callable[[], datetime] = utc_now,
) -> Setup:
    """The workspace `options` (and `profile`, when given, instead of theirs) describe, with
    its parts. Never raises for a bad setting: the Setup's `problem` says what to fix (a
    command's workspace raises ProfileRefused when it would make its client). `early_page`:
    ask for the first page before the client exists (the UI's cold start)."""
    from skipup_campaigns import config

    if profile is not None:
        options = replace(options, profile=profile)
    problem: str | None = None
    if options.wants_demo and not options.ui:  # the demo's client needs no settings (no keyring)
        return _command_setup(options, config.Settings(), None, clock)
    try:
        settings = config.load_settings(
            base_url=options.base_url,
            theme=options.theme,
            read_only=options.read_only,
            refresh_seconds=options.refresh,
            profile=options.profile,
            local_time=options.local_time,
        )
    except config.ConfigError as exc:
        settings, problem = config.Settings(theme=options.theme), str(exc)
    if not options.ui:
        return _command_setup(options, settings, problem, clock)
    if problem is None and key_check is not None and any(c.key for c in settings.commands):
        problem = key_check(settings)
    parts = _ui_parts(options, settings, problem)
    first_page = None
    if early_page and parts.cache is not None and parts.cache.path.exists():
        from skipup_campaigns.startup.list_cache import READ_AHEAD

        parts.cache.read_ahead(READ_AHEAD)  # while the workspace and the UI import
    elif (
        early_page and parts.connect is not None and parts.label != "demo" and not settings.problem
    ):
        from skipup_campaigns.startup.early_page import EarlyPage

        first_page = EarlyPage.start(settings, debug_log=options.debug_log)
    setup = build_workspace(
        connect=parts.connect,
        read_only=settings.read_only,
        list_cache=parts.cache,
        clock=clock,
        first_page=first_page,
        write_memory=parts.write_memory,
        display_zone=settings.display_zone,
        history=parts.history,
        views=settings.views,
        state_name=parts.label or settings.profile or "default",
    )
    return replace(
        setup, label=parts.label, settings=settings, problem=parts.problem, options=options
    )


class _UIParts(Record):
    label: str
    problem: str | None
    connect: Callable[[], SkipUpClient] | None = None
    cache: ListCache | None = None
    write_memory: WritePermissionMemory | None = None
    history: HistorySettings | None = None


def _ui_parts(options: Options, settings: Settings, problem: str | None) -> _UIParts:
    from skipup_campaigns import config
    from skipup_campaigns.startup.connection import client_maker, demo_maker
    from skipup_campaigns.startup.list_cache import ListCache

    parts = _UIParts(settings.profile or "", problem)
    if problem is None and options.wants_demo:
        parts.label = "demo"
        parts.connect = demo_maker(reset=options.demo_reset)  # the sandbox once the list needs it
        if not options.no_cache and not options.demo_reset:
            parts.cache = ListCache("demo", "demo")
    elif problem is None and settings.problem and not settings.api_key:
        parts.problem = settings.problem
    elif problem is None:
        parts.connect = client_maker(settings)
        if parts.connect is not None:
            base_url, key = settings.base_url or "default", settings.api_key or ""
            if not options.no_cache:
                parts.cache = ListCache(base_url, key)
            from skipup_campaigns.workspace.write_permission import WritePermissionMemory

            # A refusal learned in an earlier session: start read-only at once.
            parts.write_memory = WritePermissionMemory(base_url, key)
    if parts.connect is None and parts.problem is None:
        parts.problem = config.missing_key_help(settings.profile)
    if parts.problem is None:
        parts.history = history_settings(options, settings)
    return parts


def history_settings(options: Options, settings: Settings) -> HistorySettings | None:
    """Where the UI keeps its history (the demo's own file for the demo); None when it is off
    (`--no-history`, `history = false`) or there is no key to name the file by."""
    from skipup_campaigns.workspace.history_link import HistorySettings

    if options.no_history or not settings.history:
        return None
    since = options.since or "session"
    if options.wants_demo:
        from skipup_campaigns.history.store import delete_history, demo_history_path

        if options.demo_reset:  # fresh demo data: the old data's history would only mislead
            delete_history(demo_history_path())
        return demo_history(since)
    if not settings.api_key:
        return None
    from skipup_campaigns.history.store import workspace_history_path

    return HistorySettings(workspace_history_path(settings.base_url, settings.api_key), since)


def demo_history(since: str = "session", path: Path | None = None) -> HistorySettings:
    """The demo's history: its own file, seeded with thirty days the first time."""
    from skipup_campaigns.demo import seed_history
    from skipup_campaigns.history.store import demo_history_path
    from skipup_campaigns.workspace.history_link import HistorySettings

    return HistorySettings(path or demo_history_path(), since=since, seed=seed_history)


def _command_setup(
    options: Options, settings: Settings, problem: str | None, clock: Callable[[], datetime]
) -> Setup:
    """A command's workspace: its client made on first use, or ProfileRefused then saying
    what to fix. The demo's needs no settings (a broken config file does not stop it)."""
    from skipup_campaigns.startup.connection import client_maker, demo_maker

    missing_key = False
    if options.wants_demo:
        connect: Callable[[], SkipUpClient] = demo_maker(activity=0.0)
        label = "demo"
    else:
        refusal = _command_refusal(options, settings, problem)
        make = client_maker(settings) if refusal is None else None
        if refusal is None and make is None:
            refusal, missing_key = ProfileRefused(missing_key_line(settings.profile)), True
        connect = _refusing(refusal, make)
        problem = None if refusal is None else refusal.message
        label = settings.profile or ""
    history = history_settings(options, settings) if problem is None else None
    setup = build_workspace(
        connect=connect,
        read_only=settings.read_only,
        clock=clock,
        display_zone=settings.display_zone,
        history=history,
    )
    return replace(
        setup,
        label=label,
        settings=settings,
        problem=problem,
        options=options,
        missing_key=missing_key,
    )


def missing_key_line(profile: str | None) -> str:
    """A command's one line for a profile without a key (the UI shows `missing_key_help`)."""
    from skipup_campaigns.config import API_KEY_ENV

    flag = f" --profile {profile}" if profile else ""
    return (
        f"no API key is configured; run 'skipup-campaigns config set-key{flag}' or set "
        f"{API_KEY_ENV}"
    )


def _command_refusal(
    options: Options, settings: Settings, problem: str | None
) -> ProfileRefused | None:
    """Why a command cannot have a client of `settings`, in the order it is said: a bad
    config file, a read-only profile asked to write, a key that could not be read."""
    if problem is not None:
        return ProfileRefused(problem)
    if options.writes and settings.read_only:
        where = f"the profile {settings.profile!r}" if settings.profile else "the config file"
        return ProfileRefused(f"{where} is read-only; nothing was changed", forbidden=True)
    if settings.problem:
        return ProfileRefused(settings.problem)
    return None


def _refusing(
    refusal: ProfileRefused | None, make: Callable[[], SkipUpClient] | None
) -> Callable[[], SkipUpClient]:
    """`make`, its ConfigurationError said as ProfileRefused; with `refusal`, that raised."""

    def connect() -> SkipUpClient:
        if refusal is not None or make is None:
            raise refusal or ProfileRefused("no client can be made")
        from skipup_campaigns.api.errors import ConfigurationError

        try:
            return make()
        except ConfigurationError as exc:
            raise ProfileRefused(str(exc)) from None

    return connect
