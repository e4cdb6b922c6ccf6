"""The state several screens (and the commands) share, with the operations that change it.

A `Workspace` owns the client (made on first use), the loaded campaigns, where loading stands,
the undo log, whether writes are allowed and the teams. Its operations go through the client,
keep that state right and announce each change to subscribers (see `events`); they never ask
the user anything: where a flow needs a decision (a conflict), the operation returns what the
user must decide on (`Conflict`) and is called again with the answer.

No Textual, and no httpx or pydantic at import time: the UI draws cached rows before the HTTP
stack is imported, so the client and the error classes are imported inside the operations.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from skipup_campaigns.bulk.ops import BulkOperations
from skipup_campaigns.display.dates import UTC_ZONE, DisplayZone
from skipup_campaigns.display.waits import Countdown
from skipup_campaigns.plain_record import FrozenRecord, replace
from skipup_campaigns.workspace.collection import CampaignCollection
from skipup_campaigns.workspace.events import (
    CampaignsChanged,
    LoadStateChanged,
    RateLimitWaitChanged,
    SetupProblem,
    Subscriber,
    UndoLogChanged,
    WorkspaceEvent,
    WritePermissionChanged,
)
from skipup_campaigns.workspace.load_state import (
    RETRY_DELAYS,
    LoadState,
    rate_limit_end,
    retry_delay,
)
from skipup_campaigns.workspace.long_lived import LongLived
from skipup_campaigns.workspace.marks import Marks, marked_rows
from skipup_campaigns.workspace.undo import UndoEntry, UndoLog
from skipup_campaigns.workspace.views import Views

if TYPE_CHECKING:
    from skipup_campaigns.api.client import RateLimitStatus, SkipUpClient
    from skipup_campaigns.api.models import Campaign, Team, Unreadable
    from skipup_campaigns.api.rate_wait import RateLimitWait
    from skipup_campaigns.api.records import FirstAnswer
    from skipup_campaigns.bulk.engine import ItemResult
    from skipup_campaigns.checked_write import WriteResult
    from skipup_campaigns.workspace.collection import Row
    from skipup_campaigns.workspace.history_link import HistoryLink
    from skipup_campaigns.workspace.write_permission import WritePermissionMemory

T = TypeVar("T")

EDITABLE_FIELDS = ("name", "description", "team_id", "starts_at", "ends_at")
"""The fields an edit form shows: a single edit's check compares them all."""

FIRST_CHUNK = 200
"""Cached campaigns read before the first rows are drawn: more than a screenful."""
CHUNK_AFTER_FIRST = 5000
"""Cached campaigns read per step once the first screenful is drawn."""


class CampaignStore(Protocol):
    """Where the last loaded list is kept between runs (the UI's list cache)."""

    path: Path
    """The file (the list shows its key bar late only when there is one to read)."""

    def open(self) -> Any: ...
    def ready(self) -> bool: ...
    def save(
        self, campaigns: Iterable[dict[str, Any]], saved_at: datetime | None = None
    ) -> None: ...


class FirstPage(Protocol):
    """The first page, asked for before the client was made (the UI's cold start). Its
    `answer` (an `api.records.FirstAnswer`, when it has one) is handed to the client, which
    counts it against the rate limit and goes on from it instead of asking for page one."""

    def ready(self) -> bool: ...
    def wait(self, timeout: float) -> list[Any] | None: ...


FIRST_PAGE_WAIT = 3.0
"""Seconds a load waits for the early first page before going on without it."""


class Conflict(FrozenRecord):
    """The campaign changed on the server since the version a write was based on: nothing was
    sent. Pass it back as `overwriting=` to write over `fresh` anyway."""

    fresh: Campaign
    """The campaign as the server has it now."""
    undo: UndoEntry | None = None
    """For an undo: the edit that would be put back."""


async def read_ahead(pages: AsyncIterator[T]) -> AsyncIterator[T]:
    """`pages`, with the next one already being fetched while the caller works on this one:
    the server makes page N+1 while page N is merged and drawn, instead of each waiting for
    the other. Errors arrive in order, as raised; stopping early stops the fetching."""
    queue: asyncio.Queue[tuple[T | None, BaseException | None, bool]] = asyncio.Queue(1)

    async def pump() -> None:
        try:
            # The pages are an async generator (it has aclose), typed as the iterator used.
            async with contextlib.aclosing(pages):  # type: ignore[type-var]
                async for page in pages:
                    await queue.put((page, None, False))
        except Exception as exc:  # noqa: BLE001 - handed to the caller, raised there
            await queue.put((None, exc, True))
        else:
            await queue.put((None, None, True))

    task = asyncio.create_task(pump())
    try:
        while True:
            page, error, done = await queue.get()
            if error is not None:
                raise error
            if done:
                return
            yield page  # type: ignore[misc]  # a page, not None, unless done or an error
    finally:
        task.cancel()
        await asyncio.wait([task])


def is_temporary(exc: BaseException) -> bool:
    """Whether a failure may pass by itself (no network, a 5xx, a 429), so retrying later is
    worth it; a refused key or a bad request is not."""
    from skipup_campaigns.api.errors import (
        APIConnectionError,
        InternalServerError,
        RateLimitError,
    )

    return isinstance(exc, (APIConnectionError, RateLimitError, InternalServerError))


class Workspace:
    """One API workspace as this program sees it. See the module docstring; the marks are
    `workspace/marks.py`, the bulk actions `self.bulk` (`bulk/ops.py`)."""

    retry_delays: tuple[float, ...] = RETRY_DELAYS
    """Pauses before each automatic retry of a load that failed for a passing reason."""

    def __init__(
        self,
        client: SkipUpClient | None = None,
        *,
        connect: Callable[[], SkipUpClient] | None = None,
        read_only: bool = False,
        list_cache: CampaignStore | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
        first_page: FirstPage | None = None,
        write_memory: WritePermissionMemory | None = None,
        display_zone: DisplayZone = UTC_ZONE,
    ) -> None:
        """`client`, or `connect` to make one when first needed (it may raise the client's
        ConfigurationError). `read_only` turns writes off whatever the key allows;
        `write_memory` remembers across sessions a refusal the server gave this key.
        `first_page`: the first page already being fetched, shown by the first load when
        there is no cached list (before the client is even imported)."""
        self._client = client
        self._connect = connect
        self.read_only = read_only
        self._write_denied = False
        self.write_memory = write_memory
        self.write_refused_at: datetime | None = None
        """When the server refused this key campaigns.write (this session or one before)."""
        refusal = write_memory.load() if write_memory is not None else None
        if refusal is not None:  # the next session starts read-only, before any request
            self._write_denied = True
            self.write_refused_at = refusal.learned_at
        self.list_cache = list_cache
        """Where the last loaded list is kept for an instant next start (None: not kept)."""
        self.clock = clock
        self.display_zone = display_zone
        """The zone every screen shows and reads times in (the wire stays UTC)."""
        self.collection = CampaignCollection()
        self.long_lived = LongLived()
        """Keeps a large load's rows out of the cyclic garbage collector's way."""
        self.load_state = LoadState()
        self.undo_log = UndoLog()
        """Edits made in this session, oldest first."""
        self.teams: list[Team] | None = None
        """The teams as last read (None: not read yet)."""
        self.teams_from_campaigns = False
        """The teams were gathered from the campaigns: this key cannot list them."""
        self.teams_unlisted: BaseException | None = None
        """Why the teams could not be listed (a 403 or a 404), when they were gathered."""
        self._subscribers: list[Subscriber] = []
        self.history: HistoryLink | None = None
        """The local history of counts (Δ, trends), when kept; set by whoever makes it."""
        self.rate_wait: Countdown | None = None
        """A request is waiting for the rate limit until then (None: none is waiting)."""
        self._watched_client: object = None
        self.marks = Marks(self.announce)
        self.bulk = BulkOperations(self)
        """Bulk actions on the marked campaigns: plan, run, undo the last as one step."""
        self.collection.marked = self.marks.ids  # the `marked` filter term reads them
        self.views = Views(self.collection)
        """The named views and their counts (none until whoever makes the workspace gives
        the configured ones and the profile's state file)."""
        self._first_page = first_page

    def marked_rows(self) -> list[Row]:
        """The marked campaigns that are loaded, shown or not, in the server's order."""
        return marked_rows(self.marks, self.collection)

    # -- subscribers -----------------------------------------------------------------------

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Call `subscriber` with every change from now on; returns the way to stop."""
        self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            if subscriber in self._subscribers:
                self._subscribers.remove(subscriber)

        return unsubscribe

    def announce(self, event: WorkspaceEvent) -> None:
        for subscriber in list(self._subscribers):
            subscriber(event)

    # -- the client and permission ---------------------------------------------------------

    @property
    def can_connect(self) -> bool:
        """A client is given or can be made (else the UI explains what to configure)."""
        return self._client is not None or self._connect is not None

    async def get_client(self) -> SkipUpClient:
        """The API client, made on first use (may raise the client's ConfigurationError)."""
        if self._client is None:
            assert self._connect is not None, "a workspace needs a client or a way to make one"
            self._client = self._connect()
        self._watch_waits(self._client)
        return self._client

    def _watch_waits(self, client: SkipUpClient) -> None:
        """Hear the client's rate-limit waits (once per client; a stand-in without them is
        left alone)."""
        if client is self._watched_client or not hasattr(client, "waits"):
            return
        self._watched_client = client
        client.waits.subscribe(self._rate_limit_wait)

    @property
    def rate_limit(self) -> RateLimitStatus | None:
        """The server's last word on the rate limit (None: no client yet, or none stated)."""
        # (a stand-in client may lack it; the client module is not imported for this)
        return cast("RateLimitStatus | None", getattr(self._client, "rate_limit", None))

    def _rate_limit_wait(self, wait: RateLimitWait | None, seconds_left: float) -> None:
        """The client's soonest rate-limit wait changed: hold it on this workspace's clock."""
        self.rate_wait = (
            None
            if wait is None
            else Countdown(
                self.clock() + timedelta(seconds=seconds_left), wait.reason, wait.per_minute
            )
        )
        self.announce(RateLimitWaitChanged(self.rate_wait))

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    @property
    def writable(self) -> bool:
        """Whether writes are offered: not configured read-only, and no 403 for
        campaigns.write seen yet (scopes are learned from the server, never guessed)."""
        return not self.read_only and not self._write_denied

    def note_error(self, exc: BaseException) -> None:
        """Learn from an API error what everyone must know (a missing write scope)."""
        from skipup_campaigns.api.errors import PermissionDeniedError

        if (
            isinstance(exc, PermissionDeniedError)
            and exc.missing_scope == "campaigns.write"
            and not self._write_denied
        ):
            self._write_denied = True
            self.write_refused_at = self.clock()
            if self.write_memory is not None:
                self.write_memory.remember_refused(self.write_refused_at)
            self.announce(WritePermissionChanged(writable=False, learned=True))

    async def recheck_write(self) -> bool:
        """Ask the server again whether this key may write (changing nothing), and follow
        its answer: a scope granted since is offered again, a refusal is remembered anew.
        Failures other than the answer (the network) are raised, the state kept."""
        from skipup_campaigns.workspace.write_permission import probe_write

        allowed = await probe_write(await self.get_client())
        was = self.writable
        if allowed:
            self._write_denied = False
            self.write_refused_at = None
            if self.write_memory is not None:
                self.write_memory.forget()
        else:
            self._write_denied = True
            self.write_refused_at = self.clock()
            if self.write_memory is not None:
                self.write_memory.remember_refused(self.write_refused_at)
        if self.writable != was:
            self.announce(WritePermissionChanged(writable=self.writable, learned=True))
        return allowed

    async def _call(self, request: Awaitable[T]) -> T:
        """Await one client call; a failure is learned from, then raised to the caller."""
        try:
            return await request
        except Exception as exc:
            self.note_error(exc)
            raise

    def _changed(self, campaign: Campaign, *, select: bool = False) -> None:
        """The server answered with this campaign: the collection takes its answer."""
        self.collection.merge([campaign], self.clock())
        self.announce(
            CampaignsChanged(frozenset((campaign.id,)), select=campaign.id if select else None)
        )

    # -- loading ---------------------------------------------------------------------------

    def _set_load_state(self, state: LoadState) -> None:
        self.load_state = state
        self.announce(LoadStateChanged(state))

    async def load(
        self, *, from_cache: bool = False, shown: Callable[[], Awaitable[None]] | None = None
    ) -> LoadState:
        """Fetch every page, merging each as it arrives; a failure keeps what was loaded and
        decides on an automatic retry (`retry_in` of the state returned). With `from_cache`
        and nothing loaded yet, the cached list comes first. `shown` is awaited after each
        cached chunk and the first page, so the UI can draw them before more work holds the
        loop."""
        self._set_load_state(
            replace(
                self.load_state,
                loading=True,
                received=0,
                error=None,
                retry_in=None,
                retry_at=None,
                unreadable=0,
            )
        )
        passes: list[object] = []  # this load's pass, once begun
        try:
            return await self._load(from_cache, shown, passes)
        finally:
            for token in passes:  # (cancelled: a later load reads again)
                self.collection.end_pass(token, complete=False)
            self.long_lived.load_ended()
            if self.load_state.loading:  # cancelled, or a subscriber failed: not loading now
                self._set_load_state(replace(self.load_state, loading=False))

    async def _load(
        self,
        from_cache: bool,
        shown: Callable[[], Awaitable[None]] | None,
        passes: list[object],
    ) -> LoadState:
        if from_cache and self.list_cache is not None and not len(self.collection):
            await self._show_cached(self.list_cache, shown)
        first_page, self._first_page = self._first_page, None  # only ever the first load
        first_answer: FirstAnswer | None = None
        if first_page is not None:
            if not len(self.collection):
                await self._show_first_page(first_page, shown)
            first_answer = getattr(first_page, "answer", None)
        # Only now the HTTP stack (httpx, pydantic): the cached rows are already on screen.
        from skipup_campaigns.api.errors import (
            AuthenticationError,
            ConfigurationError,
            RateLimitError,
            SkipUpError,
        )
        from skipup_campaigns.display.messages import describe_error, describe_unexpected

        try:
            client = await self.get_client()
        except ConfigurationError as exc:
            self._set_load_state(replace(self.load_state, loading=False))
            self.announce(SetupProblem(str(exc)))
            return self.load_state
        this_pass = self.collection.begin_pass()
        passes.append(this_pass)
        is_first = True
        error: str | None = None
        temporary = key_refused = False
        retry_after: float | None = None
        try:
            async for page in read_ahead(self._pages(client, first_answer)):
                # A keyed merge: cached rows update in place, a cursor stays on its campaign.
                self.collection.merge(page.data, self.clock(), passing=True)
                self.long_lived.page_merged(len(self.collection))
                self.load_state = replace(
                    self.load_state,
                    received=self.collection.passed,
                    unreadable=self.load_state.unreadable + len(page.skipped),
                )
                self.announce(CampaignsChanged())
                self.announce(LoadStateChanged(self.load_state))
                if is_first and shown is not None:
                    await shown()
                is_first = is_first and not page.data
        except SkipUpError as exc:
            error, temporary = describe_error(exc), is_temporary(exc)
            key_refused = isinstance(exc, AuthenticationError)
            if isinstance(exc, RateLimitError):
                retry_after = exc.retry_after
        except Exception as exc:  # noqa: BLE001 - never let a bug close the app mid-load
            error = describe_unexpected(exc)
        state = replace(
            self.load_state,
            loading=False,
            error=error,
            temporary=temporary,
            rate_limited_until=rate_limit_end(self.clock(), retry_after),
            key_refused=key_refused,
        )
        self.collection.end_pass(this_pass, complete=error is None)
        if error is None:
            self.marks.prune(self.collection.__contains__)
            state = replace(state, failed_in_a_row=0, loaded_at=self.clock(), cached_at=None)
        elif temporary:
            failed = state.failed_in_a_row + 1
            delay = retry_delay(failed, retry_after, self.retry_delays)
            state = replace(
                state,
                failed_in_a_row=failed,
                retry_in=delay,
                retry_at=self.clock() + timedelta(seconds=delay),
            )
        self.load_state = state
        self.announce(CampaignsChanged())
        self.announce(LoadStateChanged(state))
        cache = self.list_cache
        if cache is not None and error is None:
            rows = self.collection.rows()
            # Each row's dict made as it is written: a list of 100,000 of them was ~75 MB.
            await asyncio.to_thread(lambda: cache.save((r.wire() for r in rows), state.loaded_at))
        return state

    @staticmethod
    def _pages(client: SkipUpClient, first_answer: FirstAnswer | None) -> AsyncIterator[Any]:
        """Every page of the list: records where the client offers them (the list reads
        fields, not models; the collection merges either), going on from the early first
        page's answer when there is one."""
        records = getattr(client, "iter_campaign_records", None)
        if records is None:  # a stand-in client
            return client.iter_campaign_pages()
        return cast(
            "AsyncIterator[Any]", records() if first_answer is None else records(first=first_answer)
        )

    async def _show_first_page(
        self, first_page: FirstPage, shown: Callable[[], Awaitable[None]] | None
    ) -> None:
        """Merge the early first page, if it came in time. It only makes the first frame
        sooner: anything going wrong with it is left to the client's load, which follows (and
        drops any row of it the server's pages do not hold)."""
        try:
            if first_page.ready():  # it came while the UI started: merged into the first frame
                early = first_page.wait(0)
            else:
                early = await asyncio.to_thread(first_page.wait, FIRST_PAGE_WAIT)
            if early:
                self.collection.merge(early, self.clock())
                self.announce(CampaignsChanged())
                if shown is not None:
                    await shown()
        except Exception:  # noqa: BLE001,S110 - never let an optional page end the load
            pass

    async def _show_cached(
        self, cache: CampaignStore, shown: Callable[[], Awaitable[None]] | None
    ) -> None:
        """Merge the last loaded list: the first screenful at once, the rest behind it (all
        read off the UI thread). A first screenful read ahead (while the UI imported) is
        taken without waiting, so the list's first frame can hold it."""
        ready = cache.ready()
        reader = cache.open() if ready else await asyncio.to_thread(cache.open)
        if reader is None:
            return
        with reader:
            if ready:
                chunk = reader.read(FIRST_CHUNK)  # read ahead: no I/O
            else:
                chunk = await asyncio.to_thread(reader.read, FIRST_CHUNK)
            if not chunk:
                return
            self.load_state = replace(self.load_state, cached_at=reader.saved_at)
            while chunk:
                self.collection.merge(chunk, self.clock())
                self.long_lived.page_merged(len(self.collection))
                self.announce(CampaignsChanged())
                self.announce(LoadStateChanged(self.load_state))
                if shown is not None:
                    await shown()
                chunk = await asyncio.to_thread(reader.read, CHUNK_AFTER_FIRST)

    def retry_dropped(self) -> None:
        """The scheduled automatic retry will not happen (the user refreshed, or gave up)."""
        if self.load_state.retry_in is not None:
            self._set_load_state(replace(self.load_state, retry_in=None, retry_at=None))

    # -- one campaign ----------------------------------------------------------------------

    async def fetch(self, campaign_id: str) -> Campaign:
        """Read one campaign afresh; the collection takes the answer."""
        client = await self.get_client()
        fresh = await self._call(client.get_campaign(campaign_id))
        self._changed(fresh)
        return fresh

    async def read_all(
        self, *, active: bool | None = None
    ) -> tuple[list[Campaign], list[Unreadable]]:
        """Every campaign the server lists (`active`: only those), read page by page for a
        command that needs them all at once, and those left out for not being as documented.
        The list's rows are not touched: the UI streams its own load (`load`)."""
        client = await self.get_client()

        async def read() -> tuple[list[Campaign], list[Unreadable]]:
            campaigns: list[Campaign] = []
            unreadable: list[Unreadable] = []
            async for page in client.iter_campaign_pages(active=active):
                campaigns += page.data
                unreadable += page.skipped
            return campaigns, unreadable

        return await self._call(read())

    async def load_teams(self, *, read_campaigns: bool = False) -> list[Team]:
        """Every team (active or not), read afresh. When this key may not list teams (403) or
        the API has none to list (404), the teams the loaded campaigns name stand in (if any
        campaign is loaded, or `read_campaigns`: a command, which loads no list, has every
        campaign read for them first); `teams_from_campaigns` says so, `teams_unlisted` why."""
        from skipup_campaigns.workspace.teams import cannot_list_teams, teams_from_campaigns

        client = await self.get_client()

        async def read() -> list[Team]:
            return [team async for team in client.iter_teams()]

        try:
            self.teams = await self._call(read())
            self.teams_from_campaigns = False
            self.teams_unlisted = None
        except Exception as exc:
            if not cannot_list_teams(exc) or not (len(self.collection) or read_campaigns):
                raise
            if read_campaigns:
                campaigns, _unreadable = await self.read_all()
                self.collection.merge(campaigns, self.clock())
            self.teams_unlisted = exc
            self.teams = teams_from_campaigns(
                (row.team_id, row.raw_team) for row in self.collection.rows()
            )
            self.teams_from_campaigns = True
        return self.teams

    async def create(self, values: Mapping[str, Any], *, idempotency_key: str) -> Campaign:
        """Create a campaign (`values` as the API takes them; None values are left out). The
        same key makes a retry of the same request safe: the server creates one."""
        client = await self.get_client()
        body = {key: value for key, value in values.items() if value is not None}
        created = await self._call(client.create_campaign(idempotency_key=idempotency_key, **body))
        self._changed(created, select=True)
        return created

    async def update(
        self,
        base: Campaign | str,
        changes: Mapping[str, Any],
        *,
        overwriting: Conflict | None = None,
        notes: list[str] | None = None,
    ) -> Campaign | Conflict:
        """PATCH `changes`, made against `base`, as a checked write (`checked_write`): the
        campaign is read afresh right before, with the two requests' rate-limit slots taken
        together, and if the values of the form's fields are no longer `base`'s, nothing is
        sent and the `Conflict` says what they are now. `overwriting` (that Conflict, after the
        user chose to) writes over the version it showed, and only that one. A lost answer is
        read back: applied → the campaign; not applied → the error; neither → OutcomeUnknown.
        The edit goes into the undo log; `notes` hears what the user should know besides
        (an answer lost but the change read back as landed). `base` only an id (a script
        names the values): changed as asked whatever it holds, still read afresh first."""
        from skipup_campaigns.checked_write import WriteOutcome, checked_update

        client = await self.get_client()
        seen = base if overwriting is None else overwriting.fresh
        expected = (
            None if isinstance(seen, str) else {key: getattr(seen, key) for key in EDITABLE_FIELDS}
        )
        campaign_id = base if isinstance(base, str) else base.id
        written = await checked_update(client, campaign_id, changes, expected=expected)
        if written.outcome is WriteOutcome.CONFLICT:
            assert written.campaign is not None
            self._changed(written.campaign)
            return Conflict(written.campaign)
        campaign = self._written(written)
        if written.outcome is WriteOutcome.APPLIED:
            assert written.before is not None
            self.undo_log.record(
                UndoEntry(
                    campaign.id,
                    {key: getattr(written.before, key) for key in written.sent},
                    {key: getattr(campaign, key) for key in written.sent},
                )
            )
            self.announce(UndoLogChanged(campaign.id))
            if written.answer_lost and notes is not None:
                notes.append("The server was slow, but your change landed (read back).")
        return campaign

    def _written(self, written: WriteResult) -> Campaign:
        """A checked write's campaign, taken by the collection; a failure raised (learned
        from first), an unknown outcome as OutcomeUnknown."""
        from skipup_campaigns.checked_write import OutcomeUnknown, WriteOutcome

        if written.campaign is not None:
            self._changed(written.campaign)
        if written.outcome is WriteOutcome.UNKNOWN:
            raise OutcomeUnknown(written)
        if written.outcome not in (WriteOutcome.APPLIED, WriteOutcome.ALREADY):
            assert written.error is not None
            self.note_error(written.error)
            raise written.error
        assert written.campaign is not None
        return written.campaign

    async def deactivate(self, campaign: Campaign) -> ItemResult:
        """Deactivate one campaign (SkipUp has no way back): a bulk run of one
        (`bulk.deactivate`), read afresh right before and skipped if already deactivated, the
        collection taking the answer. A failure is the result's `error`, learned from."""
        return await self.bulk.deactivate(campaign)

    def last_edit(self, campaign_id: str) -> UndoEntry | None:
        return self.undo_log.last(campaign_id)

    async def undo(
        self, campaign_id: str, *, overwriting: Conflict | None = None
    ) -> Campaign | Conflict | None:
        """PATCH back what the campaign's last edit here replaced, as a checked write: if the
        server no longer holds the values that edit left (someone changed them since), a
        `Conflict` and nothing sent. None: no edit to undo. Undoing again walks further back.
        `overwriting` puts back over the version the Conflict showed (and only that one)."""
        from skipup_campaigns.checked_write import WriteOutcome, checked_update

        entry = overwriting.undo if overwriting is not None else self.last_edit(campaign_id)
        if entry is None:
            return None
        client = await self.get_client()
        expected = (
            entry.after
            if overwriting is None
            else {key: getattr(overwriting.fresh, key) for key in entry.before}
        )
        written = await checked_update(client, campaign_id, entry.before, expected=expected)
        if written.outcome is WriteOutcome.CONFLICT:
            assert written.campaign is not None
            self._changed(written.campaign)
            return Conflict(written.campaign, entry)
        restored = self._written(written)
        # Put back (by us, or already by someone else): nothing of this edit is left to undo.
        self.undo_log.undone(entry)
        self.announce(UndoLogChanged(campaign_id))
        return restored
