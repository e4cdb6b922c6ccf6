"""The Textual app: makes the workspace, hands it to the first screen, and holds what is the
terminal's own (theme, keymap, clipboard)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from skipup_campaigns import config
from skipup_campaigns.display.safe_text import safe
from skipup_campaigns.keymap import effective_keys, unknown_ids
from skipup_campaigns.plain_record import FrozenRecord, replace
from skipup_campaigns.startup import collector
from skipup_campaigns.tui import escape_burst, stylesheets
from skipup_campaigns.tui.colon_commands import CommandError
from skipup_campaigns.tui.commands import CampaignCommands
from skipup_campaigns.tui.list_screen import ListScreen
from skipup_campaigns.tui.stylesheets import sheets
from skipup_campaigns.tui.typeahead import TypeAheadMixin
from skipup_campaigns.workspace import (
    LoadStateChanged,
    SetupProblem,
    WorkspaceEvent,
    WritePermissionChanged,
)

if TYPE_CHECKING:  # the client (httpx, pydantic) is imported only when it is made
    from skipup_campaigns.bulk.ops import BulkAction
    from skipup_campaigns.config import Settings
    from skipup_campaigns.custom_commands import CustomCommand
    from skipup_campaigns.startup.setup import Options, Setup
    from skipup_campaigns.tui.profile_switch import LeftBehind


class UISettings(FrozenRecord):
    """How this terminal shows the workspace: nothing here reaches the API. The profile's
    own (refresh, commands, web_url) follow it when `:profile` switches (`for_profile`)."""

    refresh_seconds: float = 0.0
    """Refresh the list this often (0: only on request)."""
    theme: str | None = None
    remember_theme: bool = True
    """Write a theme chosen in the app back to the config file."""
    keymap: Mapping[str, str] | None = None
    """Binding id → keys, from the config file's [keymap]."""
    clipboard: str = "auto"
    """auto (a local clipboard tool when not over SSH, else OSC 52) | osc52 | off."""
    commands: tuple[CustomCommand, ...] = ()
    """Your own commands, `[[commands]]` in the config file (tui/own_commands.py)."""
    web_url: str | None = None
    """The template of a campaign's page in SkipUp's web app (`o`), checked at load."""

    def for_profile(self, setup: Setup) -> UISettings:
        """These settings with the profile's own from `setup` (unchanged when it was made
        without settings)."""
        settings = setup.settings
        if settings is None:
            return self
        return replace(
            self,
            refresh_seconds=settings.refresh_seconds,
            commands=settings.commands,
            web_url=settings.web_url,
        )


def default_keys() -> dict[str, str]:
    """Every binding id of the app's screens and widgets, with its keys as declared."""
    from skipup_campaigns.tui.key_help import binding_owners, own_bindings

    keys: dict[str, str] = {}
    for owner in binding_owners(CampaignsApp):
        for binding in own_bindings(owner):
            if binding.id:
                keys[binding.id] = binding.key
    return keys


def command_key_problem(
    commands: Sequence[CustomCommand], keymap: Mapping[str, str], where: str
) -> str | None:
    """Why a command's key cannot be used (it is a built-in binding's, as remapped), or
    None."""
    from skipup_campaigns.custom_commands import CommandError, key_clashes

    taken: dict[str, str] = {}
    for binding_id, keys in effective_keys(default_keys(), keymap).items():
        for key in keys.split(","):
            taken.setdefault(key.strip(), binding_id)
    try:
        key_clashes(commands, taken, where)
    except CommandError as exc:
        return str(exc)
    return None


def is_text_field(widget: object) -> bool:
    """Whether keys typed go into `widget` as text: an Input or a TextArea. TextArea is known
    by name: importing it (with its document model, ~10 ms) only for this check would put it
    on the start path, which no list screen needs."""
    return isinstance(widget, Input) or any(
        cls.__name__ == "TextArea" for cls in type(widget).__mro__
    )


DEFAULT_UI = UISettings()
"""The UI settings of an app made without any (a record, never changed: shared)."""
PUSH_RESULT_CALLBACK = "_push_result_callback"
"""Textual's (private) Screen method that `replace_screen` needs for the first screen
(tests/tui/test_first_screen.py checks the installed Textual has it)."""
COLLECTOR_PAUSE_AT_MOST = 2.0
"""Seconds from the app's start the garbage collector stays paused at most (the first rows
resume it sooner: startup/collector.py)."""
HISTORY_CLOSE_WAIT = 1.0
"""Seconds a quit gives a history record still running (another instance may hold the file)."""


class CampaignsApp(TypeAheadMixin, App[None]):
    """SkipUp campaigns in the terminal."""

    # Saves and writes end on another screen (or a dialog): keys typed behind them wait.
    # Loading a form's teams is no write and moves no focus: keys go to the form meanwhile
    # (the picker is there, empty, and fills in when they arrive), as in the single form.
    KEY_HOLDING_WORK = {
        "form-save": "the save",
        "list-write": "the request",
        "detail-write": "the request",
        "bulk-write": "the bulk action",
        "list-export": "the export",
        "profile-switch": "the switch of profile",
    }

    TITLE = "SkipUp campaigns"
    CSS_PATH = sheets(*stylesheets.AT_START)  # the other screens name theirs (tui/stylesheets.py)
    COMMANDS = App.COMMANDS | {CampaignCommands}
    HELP_TITLE = "Anywhere"
    BINDINGS = [
        Binding(
            "ctrl+p",
            "command_palette",
            "Commands",
            id="app.command_palette",
            tooltip="command palette: refresh, toggle, sort, theme, jump to a campaign",
        ),
        # Priority, like the list's keys, so they act in the order typed; in a text field they
        # are text (check_action).
        Binding(
            "question_mark",
            "help",
            "Help",
            priority=True,
            id="app.help",
            tooltip="this help, the keys of the screen you are on first (i here shows "
            "the binding ids)",
        ),
        Binding(
            "q",
            "quit_from_q",
            "Quit",
            priority=True,
            id="app.quit",
            tooltip="quit from the list (outside text fields; asks first with unsaved "
            "changes); on help, a campaign's page or the report it closes that",
        ),
        # As in k9s, lazygit or less (Textual's own says "press ctrl+q"); asks first like q.
        Binding(
            "ctrl+c",
            "interrupt",
            "Quit",
            show=False,
            priority=True,
            id="app.interrupt",
            tooltip="quit from anywhere, fields too (asks first as q does; with text "
            "selected in a field, copies it)",
        ),
    ]

    def __init__(self, setup: Setup | None = None, *, ui: UISettings = DEFAULT_UI) -> None:
        """The screens share `setup`'s finished workspace (startup/setup.py makes it and its
        parts; with none, the app explains what to configure); its history's jobs run in this
        app's workers (tests wait for them) and its warnings are notifications."""
        super().__init__()
        escape_burst.install()  # Esc+key read together: Esc, then the key
        if setup is None:
            from skipup_campaigns.startup.setup import build_workspace

            setup = build_workspace()
        self._theme_from_profile = False
        """A profile's own theme is being put on (not remembered as the one chosen)."""
        self._chosen_theme = self.theme
        """The theme chosen (at start or in the app): a profile without its own shows it."""
        self.first_frame = asyncio.Event()
        """Set once Textual has shown the app's first frame (`on_ready`)."""
        self._rows_shown = False
        """The list's first rows are on screen (the other stylesheets may be read once idle)."""
        self._sheets_read = False
        self._waiting_for_frame: set[asyncio.Event] = set()
        """History jobs waiting for the frame in hand to be drawn (`_after_frame`)."""
        self._exiting = False
        self._history_jobs: set[asyncio.Task[None]] = set()
        """The history's jobs running (held: the loop keeps only a weak reference)."""
        self.setup = setup
        self.workspace = setup.workspace
        self._take_history(setup)
        self._unsubscribe = self.workspace.subscribe(self.workspace_changed)
        self.ui = ui
        # The short name the top bar starts with ("SkipUp (demo)"); the title stays whole.
        self.sub_title = f"SkipUp ({setup.label})" if setup.label else "SkipUp"
        if ui.theme and ui.theme in self.available_themes:
            self.theme = ui.theme
        self.clipboard_method = ui.clipboard
        self.left_behind: dict[str, LeftBehind] = {}
        """Each profile left this session: its marks, undo, list place and Δ window, given
        back when it is switched to again."""
        self.keymap_problems: list[str] = []
        if ui.keymap:  # (default_keys() imports every screen: only worth it with a keymap)
            self.keymap_problems = unknown_ids(default_keys(), ui.keymap)
            self.set_keymap({k: v for k, v in ui.keymap.items() if k not in self.keymap_problems})

    def _take_history(self, setup: Setup) -> None:
        """The history's jobs as this app's workers, its warnings as notifications."""
        if setup.workspace.history is not None:
            setup.workspace.history.run_in(self._history_job, self.history_warning)

    def _history_job(self, job: Coroutine[Any, Any, None]) -> Worker[None]:
        """`job` in a task of its own, started once the frame in hand is drawn, and a worker
        that waits for it (tests wait for workers). Not the worker's own: the app cancels its
        workers (one not yet started, before its first step) before it closes the history,
        and the close waits for a running job (`HISTORY_CLOSE_WAIT`): a record cancelled with
        its worker was lost, as when quitting while a load's end was being recorded."""
        task = asyncio.ensure_future(self._after_frame(job))
        self._history_jobs.add(task)
        task.add_done_callback(_forget_history_job(self._history_jobs))
        return self.run_worker(asyncio.shield(task), group="history", exit_on_error=False)

    async def _after_frame(self, job: Coroutine[Any, Any, None]) -> None:
        """`job` once the frame in hand is drawn: a load's end starts the history's record,
        whose copy of every row's counts on this loop (~35 ms at 100,000) held back the frame
        that says the load is over. At once when no frame will come (the app quitting)."""
        started = False
        drawn = asyncio.Event()
        self._waiting_for_frame.add(drawn)
        try:
            try:
                scheduled = self.screen.call_after_refresh(drawn.set)
            except Exception:  # noqa: BLE001 - no screen (closing): the job at once
                scheduled = False
            if not scheduled or self._exiting:
                drawn.set()
            await drawn.wait()
            started = True
            await job
        finally:
            self._waiting_for_frame.discard(drawn)
            if not started:  # cancelled first (the loop closing): never run, never awaited
                job.close()

    def exit(self, result: Any = None, return_code: int = 0, message: Any = None) -> None:
        """Quit: a history job still waiting for its frame starts now, so that quitting
        as a load ends keeps its record (the close waits for it, `HISTORY_CLOSE_WAIT`);
        a frame may never be drawn again, and its worker is cancelled before the close."""
        self._exiting = True
        for drawn in self._waiting_for_frame:
            drawn.set()
        super().exit(result, return_code, message)

    # -- :profile NAME: another workspace, in place ------------------------------------------

    def profile_choices(self) -> list[str]:
        """The names `:profile` can switch to from here (Tab, the palette)."""
        from skipup_campaigns.tui import profile_switch

        return profile_switch.others(self.setup)

    def switch_profile(self, name: str) -> None:
        """`:profile NAME`: open that profile's workspace and put the list on it, the current
        one closed (its client, its history). Alone, say which profile is in use. An unknown
        name, or work in flight that would be lost, is a CommandError (the prompt shows it)
        and nothing changes; a profile that cannot be used says why and nothing changes."""
        from skipup_campaigns.tui import profile_switch

        if not name.strip():
            self.notify(profile_switch.describe(self.setup), markup=False, timeout=8)
            return
        options = profile_switch.options_for(self.setup, name)
        refused = profile_switch.busy(self._work_in_flight())
        if refused is not None:
            raise CommandError(refused)
        # Key-holding work: keys typed after the command wait for the new list.
        self.run_worker(
            self._switch_to(options), group="profile-switch", exclusive=True, exit_on_error=False
        )

    def _work_in_flight(self) -> list[str]:
        """What would be lost by leaving the workspace now, in words."""
        from skipup_campaigns.tui.edit_screen import EditScreen

        running = [] if self.workspace.bulk.running is None else ["a bulk action"]
        running += [
            self.KEY_HOLDING_WORK[worker.group]
            for worker in self.workers
            if worker.group in self.KEY_HOLDING_WORK
            and worker.group != "profile-switch"
            and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)
        ]
        if any(isinstance(s, EditScreen) and s.has_changes() for s in self.screen_stack):
            running.append("a form with unsaved changes")
        return running

    async def _switch_to(self, options: Options) -> None:
        from skipup_campaigns.startup.setup import open_profile
        from skipup_campaigns.tui import profile_switch

        here = profile_switch.current_name(self.setup)
        # The settings may come from the OS keyring, which can take a while: off the loop.
        setup = await asyncio.to_thread(
            open_profile, options, key_check=settings_key_problem, early_page=False
        )
        there = profile_switch.current_name(setup)
        if setup.problem is not None or there == here:
            await setup.workspace.aclose()
            self.notify(
                safe(setup.problem or f"Already on the profile {here!r}."),
                title=f"Still on {here}" if setup.problem else "",
                severity="error" if setup.problem else "information",
                markup=False,
                timeout=15 if setup.problem else 3,
            )
            return
        old = self.setup
        lists = [s for s in self.screen_stack if isinstance(s, ListScreen)]
        place = lists[-1].place() if lists else None
        self.left_behind[here] = profile_switch.leave(old.workspace, place)
        kept = self.left_behind.get(there)
        if kept is not None:
            profile_switch.come_back(setup.workspace, kept)
        self._unsubscribe()
        self.setup, self.workspace = setup, setup.workspace
        self._take_history(setup)
        self._unsubscribe = self.workspace.subscribe(self.workspace_changed)
        self.ui = self.ui.for_profile(setup)
        self.sub_title = f"SkipUp ({setup.label})" if setup.label else "SkipUp"
        self._use_profile_theme(setup)
        from skipup_campaigns.tui.dialogs import SetupProblemScreen

        screen = ListScreen(
            self.workspace,
            refresh_seconds=self.ui.refresh_seconds,
            place=kept.place if kept is not None else None,
        )
        self.clear_notifications()  # the old workspace's toasts say nothing of this one
        if isinstance(self.screen, (ListScreen, SetupProblemScreen)):
            await self.replace_screen(screen)  # the old list goes, its loading with it
        else:
            await self.push_screen(screen)
        self.notify(f"Profile: {there}.", markup=False, timeout=3)
        # Not key-holding: a history record still running may take a second to close.
        self.run_worker(close_workspace(old), group="profile-close", exit_on_error=False)

    def _use_profile_theme(self, setup: Setup) -> None:
        """The profile's own theme (production may look different), not remembered as the
        theme chosen."""
        own = setup.settings.theme if setup.settings is not None else None
        theme = own if own in self.available_themes else self._chosen_theme
        if theme != self.theme:
            self._theme_from_profile = True
            try:
                self.theme = theme
            finally:
                self._theme_from_profile = False

    def on_mount(self) -> None:
        if self.keymap_problems:
            # The ids are the user's own text, but text from a file all the same: made inert.
            self.notify(
                f"The config file's [keymap] names no such binding: "
                f"{safe(', '.join(self.keymap_problems))}. Press ? for the ids.",
                severity="warning",
                markup=False,
                timeout=10,
            )
        # The collector starts again with the list's first rows, or after this at the latest.
        self.set_timer(COLLECTOR_PAUSE_AT_MOST, collector.resume)
        if not self._list_first:
            self.show_setup_problem(self.setup.problem or config.missing_key_help())

    @property
    def _list_first(self) -> bool:
        """The app starts on the list (else on a page saying what to configure)."""
        return self.setup.problem is None and self.workspace.can_connect

    def replace_screen(self, screen: Screen[Any]) -> Awaitable[object]:
        """Put `screen` in place of the one on top, the first one too (the list, made by
        `get_default_screen`): Textual's switch takes a result callback off the screen it
        replaces, which only a pushed screen has, so the first one is given an empty one. Should
        that private method go, the new screen goes over the list instead (which then stays)."""
        first = self.screen
        if len(self.screen_stack) == 1:
            give_callback = getattr(first, PUSH_RESULT_CALLBACK, None)
            try:
                if give_callback is None:
                    raise AttributeError(PUSH_RESULT_CALLBACK)
                give_callback(first, None)
            except Exception:  # noqa: BLE001 - Textual changed: over the list, as plain Textual
                return self.push_screen(screen)
        return self.switch_screen(screen)

    def get_default_screen(self) -> Screen[Any]:
        """The list is the app's first screen, in place of Textual's empty one: a screen pushed
        over that one from `on_mount` was drawn once inside Textual's start-up (and the frame
        dropped) before its first frame was drawn again."""
        if self._list_first:
            return ListScreen(self.workspace, refresh_seconds=self.ui.refresh_seconds)
        return super().get_default_screen()

    def on_ready(self) -> None:
        """Textual's first frame is on screen: until then it holds every frame back and runs
        `call_after_refresh` at once, so the list waits for this before it counts its first
        rows as shown (and lets the work queued behind them run)."""
        self.first_frame.set()

    def on_list_screen_first_rows_shown(self) -> None:
        self._rows_shown = True
        collector.resume()
        self.read_sheets_when_idle()

    def read_sheets_when_idle(self) -> None:
        """Once the first rows are on screen and the load has ended, read the other screens'
        stylesheets, so none of them is parsed (with everything else again) when its screen is
        first shown. Not while the load runs: reading them and restyling the list is 15-20 ms
        that a load would wait for (a screen shown meanwhile reads its own sheet)."""
        if self._rows_shown and not self._sheets_read and not self.workspace.load_state.loading:
            self._sheets_read = True
            self.call_after_refresh(stylesheets.read_later, self)

    def workspace_changed(self, event: WorkspaceEvent) -> None:
        """What the whole app says about the workspace (each screen shows the rest itself)."""
        if isinstance(event, SetupProblem):
            self.show_setup_problem(event.message)
        elif isinstance(event, LoadStateChanged) and not event.state.loading:
            self.read_sheets_when_idle()
        elif isinstance(event, WritePermissionChanged) and event.learned and not event.writable:
            self.notify(
                "This API key cannot change campaigns (it lacks the campaigns.write "
                "scope), so editing, creating and deactivating are turned off.",
                title="Read-only key",
                severity="warning",
                timeout=10,
                markup=False,
            )

    def history_warning(self, message: str) -> None:
        self.notify(safe(message), title="History", severity="warning", timeout=10, markup=False)

    def show_setup_problem(self, message: str) -> None:
        """Replace the list (or start) with a page that says what to fix."""
        from skipup_campaigns.tui.dialogs import SetupProblemScreen

        screen = SetupProblemScreen(message)
        if isinstance(self.screen, ListScreen):
            self.replace_screen(screen)
        else:
            self.push_screen(screen)

    def watch_theme(self, theme: str) -> None:
        if self._theme_from_profile:
            return
        self._chosen_theme = theme
        if self.ui.remember_theme and self.is_running:  # App.is_mounted is a method
            config.remember(theme=theme)

    # -- what is the terminal's own: the clipboard ---------------------------------------

    def copy(self, text: str, what: str) -> None:
        """Copy by the configured method; a toast says what was done (clipboard.py decides).
        The local tool or tmux may take seconds: they run in a thread, keys go on meanwhile."""
        if self.clipboard_method == "off":
            return
        self.run_worker(self._copy(text, what), group="copy", exit_on_error=False)

    async def _copy(self, text: str, what: str) -> None:
        from skipup_campaigns.clipboard import copy_text

        outcome = await asyncio.to_thread(copy_text, text, what, self.clipboard_method)
        if outcome.send_osc52:
            self.copy_to_clipboard(text)
        if outcome.passthrough and self._driver is not None:
            self._driver.write(outcome.passthrough)
        self.notify(
            outcome.message, severity="warning" if outcome.warning else "information", markup=False
        )

    def keys_for(self, event: events.Event) -> Sequence[events.Event]:
        """Esc+key read together (one SSH packet) is Esc, then the key, unless the key as
        read (alt+j) has a binding of its own."""
        return escape_burst.split_escape_burst(event, self.key_is_bound) or (event,)

    def key_is_bound(self, key: str) -> bool:
        """An enabled binding of `key` where the focus is now (widget, screen or app)."""
        try:
            binding = self.screen.active_bindings.get(key)
        except Exception:  # noqa: BLE001 - no screen yet: nothing is bound
            return False
        return binding is not None and binding.enabled

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("quit", "quit_from_q", "help") and is_text_field(self.focused):
            return False
        if action == "quit_from_q" and getattr(self.screen, "CLOSES_WITH_Q", False):
            return False  # q closes that view (its own binding), as in less, man or tig
        return True

    async def action_quit_from_q(self) -> None:
        await self.action_quit()

    async def action_interrupt(self) -> None:
        """ctrl+c: copy the text selected in a field (what it does there), else quit."""
        focused = self.focused
        if is_text_field(focused) and focused.selected_text:  # type: ignore[union-attr]
            self.copy_to_clipboard(focused.selected_text)  # type: ignore[union-attr]
            return
        if getattr(self.screen, "asks_to_quit", False):
            return  # the question is on screen already: enter or esc answers it
        await self.action_quit()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A bug in a worker becomes one message, never a traceback or a closed app."""
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.log.error(f"worker {event.worker.name} failed: {error!r}")
            self.notify(
                f"Something went wrong ({type(error).__name__}); what is on screen is kept.",
                severity="error",
                markup=False,
            )

    async def action_quit(self) -> None:
        """Quit, but never silently drop a form with unsaved changes (q outside a text field,
        or Textual's own ctrl+q): ask first."""
        from skipup_campaigns.tui.dialogs import ConfirmDialog
        from skipup_campaigns.tui.edit_screen import EditScreen

        running = self.workspace.bulk.running
        if running is not None:
            question = ConfirmDialog(
                "Stop the bulk action and quit?",
                f"{running.total:,} campaigns",
                "The requests in flight finish first; the rest are not sent.",
                "Stop and quit",
            )
            question.asks_to_quit = True

            def stop_and_quit(leave: bool | None) -> None:
                if leave:
                    self.run_worker(self._stop_bulk_and_exit(running))

            self.push_screen(question, stop_and_quit)
            return
        unsaved = [s for s in self.screen_stack if isinstance(s, EditScreen) and s.has_changes()]
        if not unsaved:
            self.exit()
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.exit()

        question = ConfirmDialog(
            "Quit and lose your changes?",
            unsaved[-1].current_text().name or "(unnamed)",
            "The form has changes that were not saved.",
            "Quit",
        )
        question.asks_to_quit = True
        self.push_screen(question, answered)

    async def _stop_bulk_and_exit(self, running: BulkAction) -> None:
        running.cancel()
        try:
            await asyncio.wait_for(running.finished.wait(), timeout=15)
        except TimeoutError:
            pass  # a request that hangs past its deadline: quit all the same
        self.exit()

    def action_help(self) -> None:
        from skipup_campaigns.tui.dialogs import HelpScreen
        from skipup_campaigns.tui.key_help import help_sections

        if not isinstance(self.screen, HelpScreen):
            keys = effective_keys(default_keys(), self._keymap)
            sections = help_sections(
                type(self), self.screen_stack, keys, writable=self.workspace.writable
            )
            if self.ui.commands:
                from skipup_campaigns.tui.own_commands import help_section

                # Your own commands' keys, after the list's (they act on the list).
                after = next(
                    (
                        n + 1
                        for n, found in enumerate(sections)
                        if found.title == ListScreen.HELP_TITLE
                    ),
                    len(sections),
                )
                sections.insert(after, help_section(self.ui.commands))
            self.push_screen(HelpScreen(sections, writable=self.workspace.writable))

    async def on_unmount(self) -> None:
        await close_workspace(self.setup)


def _forget_history_job(jobs: set[asyncio.Task[None]]) -> Callable[[asyncio.Task[None]], None]:
    """A done job leaves `jobs`; its failure is the worker's to report (or nobody's, once the
    worker is cancelled: then it is not logged as lost)."""

    def forget(task: asyncio.Task[None]) -> None:
        jobs.discard(task)
        if not task.cancelled():
            task.exception()

    return forget


async def close_workspace(setup: Setup) -> None:
    """Close the workspace's history, then its client."""
    if setup.workspace.history is not None:
        # A record waiting on another instance's write (up to 15 s) closes the file itself.
        await setup.workspace.history.aclose(wait=HISTORY_CLOSE_WAIT)
    await setup.workspace.aclose()


def settings_key_problem(settings: Settings) -> str | None:
    """Why a key of the settings' own commands cannot be used (a built-in binding's), or None."""
    return command_key_problem(settings.commands, settings.keymap, str(config.config_path()))
