"""The workspace's link to the local history: every complete load records each campaign's two
counts, and the Δ column's baseline (the counts at the window's start) is read back.

Textual-free. The store is synchronous SQLite, so every call to it runs in a thread
(`asyncio.to_thread`) inside a job started by `spawn` (startup/setup.py makes the link; the UI
then hands its jobs to Textual workers with `run_in`, so tests that wait for workers wait for
these too). What a thread writes is copied on
the loop first (rows change in place there). The store is opened on first use, in whichever
thread comes first, once: a lock guards the opening, and after `aclose` nothing reopens it.

The window ("session", "24h", "7d", "30d" or a date) is shared by the list's Δ column and the
report's team Δ: it lives here, and the baseline it names is handed to the collection
(`set_baseline`), which announces the change like any other. Which counts a window names is
decided once (`choose_baseline`), for the UI's loads and the `report` command's run
(`record_run`) alike.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Coroutine
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skipup_campaigns.plain_record import FrozenRecord
from skipup_campaigns.workspace.events import CampaignsChanged, LoadStateChanged, WorkspaceEvent

if TYPE_CHECKING:
    from skipup_campaigns.history.store import Counts, DayCounts, HistoryStore
    from skipup_campaigns.workspace.parts import WorkspaceCore

log = logging.getLogger("skipup_campaigns.history")

Seeder = Callable[["HistoryStore", list[Any], datetime], object]
"""Called (in the thread) before the first record with the store, the loaded campaigns and
now: the demo fabricates its thirty days there when its history is empty."""
Spawn = Callable[[Coroutine[Any, Any, None]], object]


class HistorySettings(FrozenRecord):
    """Where the history is kept and what the Δ column counts from at start."""

    path: Path
    since: str = "session"
    """session | 24h | 7d | 30d | a date (`history.since`)."""
    seed: Seeder | None = None


class Baseline(FrozenRecord):
    """The counts a window starts from, and where it was counted from if not where asked."""

    counts: dict[str, Counts]
    counted_from: datetime | None = None
    """The history's oldest sample, when the window asked for more than the history holds
    and `from_oldest` counted from there instead (None: from where asked)."""


def choose_baseline(
    store: HistoryStore,
    window: str,
    *,
    now: datetime,
    session_start: datetime,
    session_mark: datetime | None,
    from_oldest: bool = False,
) -> Baseline:
    """The counts at the start of `window` (`history.since` text). "session": at the last UI
    session's `session_mark` (None: the last samples before `session_start`, whoever took
    them). A moment: the last sample of each campaign at or before it; with `from_oldest`, a
    moment older than the history counts from its oldest sample instead (and says so)."""
    from skipup_campaigns.history.since import parse_since

    since = parse_since(window, now)
    if since == "session":
        return Baseline(store.at_session_mark(session_mark, session_start))
    if from_oldest:
        oldest = store.oldest()
        if oldest is not None and oldest > since:
            return Baseline(store.counts_at(oldest), counted_from=oldest)
    return Baseline(store.counts_at(since))


class HistoryClosed(RuntimeError):
    """The link was closed (the app is quitting): the history is not opened again."""


class Trend(FrozenRecord):
    """One campaign's recorded history, per UTC day (for the sparklines)."""

    daily: list[DayCounts]
    """Counts at the end of each day, first recorded day to today."""
    gains: list[DayCounts]
    """What was gained each day after the first."""


def _spawn_task(coroutine: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
    return asyncio.get_running_loop().create_task(coroutine)


class HistoryLink:
    """Records loads into one history file and keeps the collection's Δ baseline current."""

    def __init__(
        self,
        workspace: WorkspaceCore,
        settings: HistorySettings,
        *,
        spawn: Spawn | None = None,
        on_warning: Callable[[str], None] | None = None,
        opener: Callable[[Path], HistoryStore] | None = None,
    ) -> None:
        self.workspace = workspace
        self.settings = settings
        self.session_start = workspace.clock()
        """This run's start (the baseline when no UI session left a mark before it)."""
        self.session_mark: datetime | None = None
        """The last UI session's mark, read when the file is opened (before this session's own
        first record moves it): "since the last session" counts from there."""
        self.window = settings.since
        self._spawn = spawn or _spawn_task
        self._on_warning = on_warning
        self._opener = opener
        self._store: HistoryStore | None = None
        self._lock = asyncio.Lock()
        """One job at a time: a baseline is never read halfway through a record."""
        self._open_lock = threading.Lock()
        """Guards opening and closing the store: trend() reads outside the job lock, so two
        threads may ask for the store at once."""
        self._closed = False
        self._closing = False
        """aclose was called: the job running then closes the file when it ends."""
        self._seeded = settings.seed is None
        """Whether the seed (demo only) has had its chance: then no campaign models are made."""
        self._recorded_at: datetime | None = None
        self._warned = False
        self._tasks: set[asyncio.Task[None]] = set()
        self.recorded = 0
        """Samples stored by this run (for tests and the curious)."""
        self._unsubscribe = workspace.subscribe(self._workspace_changed)

    def run_in(self, spawn: Spawn, on_warning: Callable[[str], None] | None = None) -> None:
        """Start the jobs with `spawn` from now on, and say warnings to `on_warning`: the UI,
        made after the workspace, hands them to its workers (which its tests wait for) and its
        notifications."""
        self._spawn = spawn
        self._on_warning = on_warning

    # -- what the workspace says ---------------------------------------------------------------

    def _workspace_changed(self, event: WorkspaceEvent) -> None:
        if not isinstance(event, LoadStateChanged):
            return
        state = event.state
        # Only a complete load: then every row holds counts just read (not the cached list's).
        if (
            not state.loading
            and state.error is None
            and state.loaded_at is not None
            and state.loaded_at != self._recorded_at
        ):
            self._recorded_at = state.loaded_at
            self.start(self._record(state.loaded_at))

    def start(self, coroutine: Coroutine[Any, Any, None]) -> None:
        job = self._spawn(coroutine)
        if isinstance(job, asyncio.Task):  # (a Textual worker is waited for by Textual)
            self._tasks.add(job)
            job.add_done_callback(self._tasks.discard)

    async def idle(self) -> None:
        """Until the jobs started as plain tasks have finished (for scripts and tests)."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    # -- jobs ----------------------------------------------------------------------------------

    def _counts_now(self) -> tuple[list[tuple[str, int, int]], list[Any] | None]:
        """The collection's counts (and its campaigns, for a seed yet to be planted), copied on
        the loop: a bulk result or an edit changes rows in place while the thread would still
        be reading them."""
        rows = self.workspace.collection.rows()
        counts = [(row.id, row.requests, row.booked) for row in rows]
        campaigns = None if self._seeded else [row.campaign for row in rows]
        self._seeded = True
        return counts, campaigns

    async def _record(self, at: datetime) -> None:
        counts, campaigns = self._counts_now()
        async with self._lock:
            try:
                await self._record_locked(counts, campaigns, at)
            finally:
                await self._close_if_asked()

    async def _record_locked(
        self, counts: list[tuple[str, int, int]], campaigns: list[Any] | None, at: datetime
    ) -> None:
        if self._closed:
            return
        try:
            self.recorded += await asyncio.to_thread(self._record_in_thread, counts, campaigns, at)
        except Exception as exc:  # noqa: BLE001 - history is a nicety: never a crash
            self._warn(f"Could not record the counts' history ({exc}).")
            return
        finally:
            self._pass_on_store_warning()
        await self._read_baseline()

    def _record_in_thread(
        self, counts: list[tuple[str, int, int]], campaigns: list[Any] | None, at: datetime
    ) -> int:
        store = self._open()
        self._seed(store, campaigns, at)
        return store.record(counts, at, session=True)

    def _seed(self, store: HistoryStore, campaigns: list[Any] | None, at: datetime) -> None:
        """The demo's fabricated days, into an empty history only (in the thread)."""
        if self.settings.seed is not None and campaigns is not None and not store.latest():
            self.settings.seed(store, campaigns, at)

    async def record_run(
        self,
        at: datetime,
        *,
        window: str | None,
        on_warning: Callable[[str], None] | None = None,
    ) -> Baseline | None:
        """A command's run (`report`), once its campaigns are in the collection: what a UI
        load does (the seed, the record, the window's baseline, in one job), as a command.
        The baseline of `window` (None: none read) is read before this run's record and
        returned, not handed to the collection; a window older than the history counts from
        its oldest sample. The record leaves the UI session's mark where it is (a cron'd
        report never resets what the UI counts from), so "session" counts from the last run
        of either.
        Raises what the history raised; the store's one-line warning goes to `on_warning`."""
        counts, campaigns = self._counts_now()

        def run() -> tuple[Baseline | None, int]:
            store = self._open()
            self._seed(store, campaigns, at)
            baseline = (
                None
                if window is None
                else choose_baseline(
                    store,
                    window,
                    now=self.workspace.clock(),
                    session_start=self.session_start,
                    session_mark=None,
                    from_oldest=True,
                )
            )
            return baseline, store.record(counts, at, session=False)

        async with self._lock:
            if self._closed:
                raise HistoryClosed("the history is closed")
            try:
                baseline, recorded = await asyncio.to_thread(run)
            finally:
                store = self._store
                if store is not None and store.warning and on_warning is not None:
                    warning, store.warning = store.warning, None
                    on_warning(warning)
                await self._close_if_asked()
        self.recorded += recorded
        return baseline

    async def set_window(self, window: str) -> None:
        """Count the Δ from another point (`history.since` text) and read its baseline."""
        self.window = window
        async with self._lock:
            try:
                await self._read_baseline()
            finally:
                await self._close_if_asked()

    async def refresh_baseline(self) -> None:
        async with self._lock:
            try:
                await self._read_baseline()
            finally:
                await self._close_if_asked()

    async def _close_if_asked(self) -> None:
        """A job that outlasted `aclose`'s wait closes the file itself when it ends."""
        if self._closing and not self._closed:
            await asyncio.to_thread(self._close_in_thread)

    async def _read_baseline(self) -> None:
        window = self.window
        if self._closed:
            return
        try:
            baseline = await asyncio.to_thread(self._baseline_in_thread, window)
        except Exception as exc:  # noqa: BLE001
            self._warn(f"Could not read the counts' history ({exc}).")
            return
        finally:
            self._pass_on_store_warning()
        if window != self.window:
            return  # the window moved on while this was read: its own read follows
        self.workspace.collection.set_baseline(baseline)
        self.workspace.announce(CampaignsChanged())

    def _baseline_in_thread(self, window: str) -> dict[str, Counts]:
        return choose_baseline(
            self._open(),
            window,
            now=self.workspace.clock(),
            session_start=self.session_start,
            session_mark=self.session_mark,
        ).counts

    async def trend(self, campaign_id: str) -> Trend:
        """The campaign's recorded history, per day (read in a thread). HistoryClosed after
        `aclose`."""

        def read() -> Trend:
            store = self._open()
            now = self.workspace.clock()
            return Trend(
                store.daily(campaign_id, until=now), store.daily_gains(campaign_id, until=now)
            )

        return await asyncio.to_thread(read)

    def _open(self) -> HistoryStore:
        """The store, opened on first use (in a worker thread, once whichever thread asks
        first); HistoryClosed once the link is closed."""
        with self._open_lock:
            if self._closed:
                raise HistoryClosed("the history is closed")
            if self._store is None:
                from skipup_campaigns.history.store import open_history

                opener = self._opener or (
                    lambda path: open_history(path, clock=self.workspace.clock)
                )
                store = opener(self.settings.path)
                self.session_mark = store.session_mark()
                self._store = store
            return self._store

    def _close_in_thread(self) -> None:
        with self._open_lock:  # waits for an opening in progress, then nothing reopens
            self._closed = True
            store, self._store = self._store, None
        if store is not None:
            store.close()

    def _pass_on_store_warning(self) -> None:
        """The store's one-line warning (a file set aside), passed on once (on the loop)."""
        store = self._store
        if store is not None and store.warning:
            warning, store.warning = store.warning, None
            log.warning(warning)
            if self._on_warning is not None:
                self._on_warning(warning)

    def _warn(self, message: str) -> None:
        log.warning(message)
        if not self._warned and self._on_warning is not None:
            self._warned = True
            self._on_warning(message)

    # -- the window as text --------------------------------------------------------------------

    @property
    def window_label(self) -> str:
        """ "Δ since the last session", "Δ in the last 7d", "Δ since 2026-11-01"."""
        from skipup_campaigns.history.since import describe_since

        return f"Δ {describe_since(self.window)}"

    @property
    def short_label(self) -> str:
        """The window in a few cells, for the summary line: "Δ session", "Δ 7d"."""
        return f"Δ {self.window}"

    def next_window(self) -> str:
        """The window `h` steps to."""
        from skipup_campaigns.history.since import CYCLE

        if self.window in CYCLE:
            return CYCLE[(CYCLE.index(self.window) + 1) % len(CYCLE)]
        return CYCLE[0]

    async def aclose(self, *, wait: float | None = None) -> None:
        """Let a running job finish, then close the file (for good: a late trend() or job
        does not open it again). With `wait`, give that job so many seconds at most (a quit
        must not wait out another instance's write): it closes the file when it ends."""
        self._unsubscribe()
        self._closing = True
        try:
            await asyncio.wait_for(self._lock.acquire(), wait)
        except TimeoutError:
            return
        try:
            await asyncio.to_thread(self._close_in_thread)
        finally:
            self._lock.release()
