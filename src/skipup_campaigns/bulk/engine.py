"""One change applied to many campaigns: preview it, run it a few requests at a time, undo it.

    targets = plan(campaigns, BulkEdit(ends_at=new_end))     # campaigns as loaded
    for item in preview(targets): ...                          # before → after, sends nothing
    report = await BulkRun(client, targets).run()
    report = await BulkRun(client, report.undo_targets()).run()  # the edit back, as one step

Textual-free: the UI and the scripting commands drive the same engine.

Rules that keep a batch safe:
- each edit is a checked write (`skipup_campaigns.checked_write`): a fresh GET and the PATCH
  take their rate-limit slots together, and the campaign is skipped, not overwritten, when the
  values of the fields the edit touches are no longer those it was planned from (unless
  `apply_anyway`); an answer lost after the PATCH left is read back, never resent blindly
  (applied → done; still as before → checked and sent again; else → unknown);
- the one thing repeated without a look is a request the server refused with 429 (it did
  nothing);
- a request waits for the rate limit before it is sent, never between a check and its write;
- `cancel()` stops at once what is not on the wire (queued, or waiting for a slot: "not
  started"); the requests on the wire are awaited (bounded by the client's deadline) and
  reported. `abort()` abandons those too: a change abandoned on its way is "unknown".
"""

from __future__ import annotations

import asyncio
import functools
import math
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from skipup_campaigns.api.errors import (
    InvalidRequestError,
    RateLimitError,
    RequestNotSent,
    SkipUpError,
)
from skipup_campaigns.api.models import Campaign
from skipup_campaigns.api.rate_wait import REFUSED
from skipup_campaigns.bulk import nothing_to_do
from skipup_campaigns.bulk.nothing_to_do import differing
from skipup_campaigns.checked_write import WriteOutcome, WriteResult, checked_update
from skipup_campaigns.display.dates import campaign_status
from skipup_campaigns.display.messages import describe_error

if TYPE_CHECKING:
    from skipup_campaigns.api.client import SkipUpClient

DEFAULT_CONCURRENCY = 4
MAX_QUOTA_WAIT = 60.0
"""Longest pause a 429 may make one request wait."""
MAX_RATE_LIMIT_WAITS = 10
"""How many 429s (after the client's own retries) one request may wait out."""

REQUESTS_PER_CAMPAIGN = 2
"""A look (GET) and the change, for the estimate."""
RATE_WINDOW_SECONDS = 60
"""SkipUp's rate limit is per minute."""

T = TypeVar("T")


class _Unchanged:
    """A bulk edit's field left alone (distinct from None, which clears it)."""

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Any = _Unchanged()


@dataclass(frozen=True)
class Deactivation:
    """Deactivate every campaign (SkipUp has no way back)."""


@dataclass(frozen=True)
class BulkEdit:
    """The same new values for every campaign; a field left UNCHANGED is not sent, None clears
    a date or the description. `team_name` only labels `team_id` in previews."""

    starts_at: datetime | None = UNCHANGED
    ends_at: datetime | None = UNCHANGED
    team_id: str = UNCHANGED
    description: str | None = UNCHANGED
    team_name: str | None = None

    def fields(self) -> dict[str, Any]:
        """The fields to send, by their API name."""
        return {
            name: value
            for name, value in (
                ("starts_at", self.starts_at),
                ("ends_at", self.ends_at),
                ("team_id", self.team_id),
                ("description", self.description),
            )
            if value is not UNCHANGED
        }


Change = Deactivation | BulkEdit


@dataclass(frozen=True)
class Target:
    """One campaign as planned from (the values of the fields the change touches are those the
    server must still hold) and what to do to it."""

    campaign: Campaign
    change: Change


def plan(campaigns: Sequence[Campaign], change: Change) -> list[Target]:
    """The same change for each campaign, once per id, in the order given."""
    seen: set[str] = set()
    targets = []
    for campaign in campaigns:
        if campaign.id not in seen:
            seen.add(campaign.id)
            targets.append(Target(campaign, change))
    return targets


# -- preview ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    """One field's value before and after; `*_text` are what a person reads (server text is
    raw here: the UI and the commands make it safe where they show it)."""

    name: str
    before: Any
    after: Any
    before_text: str
    after_text: str


@dataclass(frozen=True)
class PreviewItem:
    target: Target
    changes: tuple[FieldChange, ...]
    nothing_to_do: str | None = None
    """Why the campaign needs no request (`nothing_to_do`: "already deactivated"), or None."""

    @property
    def campaign(self) -> Campaign:
        return self.target.campaign


def value_text(value: Any) -> str:
    """A field's value in a preview line: dates in UTC to the minute, `–` for none."""
    if value is None or value == "":
        return "–"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return str(value)


def preview_item(target: Target, now: datetime | None = None) -> PreviewItem:
    """One campaign's before → after; `now` (default: the clock) places its status."""
    campaign, change = target.campaign, target.change
    if isinstance(change, Deactivation):
        needless = nothing_to_do.deactivation(campaign)
        if needless is not None:
            return PreviewItem(target, (), needless)
        # Its status as the list shows it: a scheduled or ended campaign is not "active".
        status = campaign_status(
            deactivated_at=None,
            starts_at=campaign.starts_at,
            ends_at=campaign.ends_at,
            now=now or datetime.now(timezone.utc),
        )
        return PreviewItem(target, (FieldChange("active", True, False, status, "deactivated"),))
    changes = []
    values = change.fields()
    for name in differing(campaign, values):
        before, after = getattr(campaign, name), values[name]
        if name == "team_id":
            changes.append(
                FieldChange(name, before, after, campaign.team_name, change.team_name or after)
            )
        else:
            changes.append(FieldChange(name, before, after, value_text(before), value_text(after)))
    return PreviewItem(target, tuple(changes), nothing_to_do.edit(campaign, values))


def preview(targets: Sequence[Target], now: datetime | None = None) -> list[PreviewItem]:
    """Each campaign's before → after for every field that would change (a deactivation's
    from the status the list shows: "scheduled → deactivated"). Sends nothing."""
    now = now or datetime.now(timezone.utc)
    return [preview_item(target, now) for target in targets]


# -- results ---------------------------------------------------------------------------------


class Outcome(StrEnum):
    DONE = "done"
    SKIPPED = "skipped"
    FAILED = "failed"
    NOT_STARTED = "not started"
    """Cancelled before its turn came."""
    UNKNOWN = "unknown"
    """The change left but its answer was lost, and the campaign read back holds neither our
    values nor those from before (somebody else changed it), or could not be read back."""


@dataclass
class ItemResult:
    target: Target
    outcome: Outcome
    reason: str | None = None
    """Why it was skipped, failed or is unknown, in words (safe text); for a change done,
    whether its answer was lost."""
    error: SkipUpError | None = None
    """The client's error when it failed on one."""
    after: Campaign | None = None
    """The campaign as the server returned it after our change."""
    sent: dict[str, Any] = field(default_factory=dict)
    """The fields this edit sent, for undo."""
    before: Campaign | None = None
    """The campaign as the server had it just before our change (the fresh read, not the
    list's copy): what an undo puts back."""

    @property
    def campaign_id(self) -> str:
        return self.target.campaign.id


@dataclass
class BulkReport:
    results: list[ItemResult]
    cancelled: bool = False

    def count(self, outcome: Outcome) -> int:
        return sum(1 for result in self.results if result.outcome is outcome)

    def summary(self) -> str:
        """ "38 done, 2 failed" (the kinds that happened; "nothing to do" when none did)."""
        parts = [f"{self.count(kind)} {kind.value}" for kind in Outcome if self.count(kind)]
        text = ", ".join(parts) or "nothing to do"
        return text + (" (stopped)" if self.cancelled else "")

    @property
    def can_undo(self) -> bool:
        return any(
            r.outcome is Outcome.DONE and isinstance(r.target.change, BulkEdit)
            for r in self.results
        )

    def undo_targets(self) -> list[Target]:
        """The edit back as one step: each campaign we changed gets the values our write
        replaced on the server, checked against the values our edit left. Deactivation
        cannot be undone (ValueError)."""
        if any(isinstance(r.target.change, Deactivation) for r in self.results):
            raise ValueError("a deactivation cannot be undone: SkipUp has no way back")
        targets = []
        for result in self.results:
            if result.outcome is not Outcome.DONE or result.after is None or result.before is None:
                continue
            before = result.before
            values = {name: getattr(before, name) for name in result.sent}
            targets.append(Target(result.after, BulkEdit(**values, team_name=before.team_name)))
        return targets


@dataclass(frozen=True)
class Progress:
    done: int
    """Campaigns finished (any outcome)."""
    total: int
    seconds_left: float
    """An estimate: the pace so far, or longer when the rate limit will make us wait."""


# -- running ---------------------------------------------------------------------------------


STOPPED = "stopped before its turn"
ABANDONED = (
    "stopped while its change was on its way: it may or may not have landed "
    "(look before running again)"
)
CHANGED_SINCE_LOADED = "changed on the server since it was loaded; not overwritten"


class BulkRun:
    """Applies targets with a few requests in flight. `on_result` hears each campaign as it
    finishes, `on_progress` the count after each; `cancel()` stops at once all but the requests
    on the wire, `abort()` those too."""

    def __init__(
        self,
        client: SkipUpClient,
        targets: Sequence[Target],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        apply_anyway: bool = False,
        on_result: Callable[[ItemResult], None] | None = None,
        on_progress: Callable[[Progress], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        self.client = client
        self.targets = list(targets)
        self.concurrency = max(1, concurrency)
        self.apply_anyway = apply_anyway
        self.on_result = on_result
        self.on_progress = on_progress
        self._clock = clock
        self._sleep = sleep
        self._cancelled = False
        self._aborted = False
        self.finished = False
        """run() has returned (or raised)."""
        self._stop: asyncio.Event | None = None
        self._workers: list[asyncio.Future[None]] = []
        self._pacer = _Pacer(client, sleep)
        self._done = 0
        self._started_at = 0.0

    def cancel(self) -> None:
        """Stop now: nothing more is sent; waits end; requests on the wire are awaited."""
        self._cancelled = True
        if self._stop is not None:
            self._stop.set()

    def abort(self) -> None:
        """Stop without awaiting the requests on the wire either (a second Ctrl-C)."""
        self._aborted = True
        self.cancel()
        for task in self._workers:
            task.cancel()

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    async def run(self) -> BulkReport:
        results: list[ItemResult | None] = [None] * len(self.targets)
        queue: asyncio.Queue[int] = asyncio.Queue()
        for index in range(len(self.targets)):
            queue.put_nowait(index)
        self._started_at = self._clock()
        self._stop = asyncio.Event()
        if self._cancelled:
            self._stop.set()

        broken: list[BaseException] = []

        async def worker() -> None:
            with self.client.stoppable(self._stop):
                while not self._cancelled and not broken:
                    try:
                        index = queue.get_nowait()
                    except asyncio.QueueEmpty:
                        return
                    on_its_way: list[bool] = []
                    try:
                        result = await self._apply(
                            self.targets[index], functools.partial(on_its_way.append, True)
                        )
                    except asyncio.CancelledError:
                        if not self._aborted:
                            raise
                        target = self.targets[index]
                        results[index] = (
                            ItemResult(target, Outcome.UNKNOWN, ABANDONED) if on_its_way else None
                        )
                        return
                    results[index] = result
                    if result.outcome is Outcome.NOT_STARTED:
                        continue
                    try:
                        self._finished(result)
                    except Exception as exc:  # noqa: BLE001 - raised by run() below
                        # A listener failed (a bug): no worker starts another campaign;
                        # those in flight finish and are heard, as on cancel.
                        broken.append(exc)
                        return

        self._workers = [
            asyncio.ensure_future(worker()) for _ in range(min(self.concurrency, len(self.targets)))
        ]
        try:
            await asyncio.gather(*self._workers, return_exceptions=self._aborted)
        except asyncio.CancelledError:
            if not self._aborted:
                self.finished = True
                raise
        finally:
            for task in self._workers:  # only when run() itself is cancelled are any left
                task.cancel()
        if self._aborted:  # workers cancelled by abort(): settle them before reporting
            await asyncio.gather(*self._workers, return_exceptions=True)
        self.finished = True
        if broken:
            raise broken[0]
        final = [
            result or ItemResult(target, Outcome.NOT_STARTED, STOPPED)
            for target, result in zip(self.targets, results)
        ]
        return BulkReport(final, cancelled=self._cancelled)

    def _finished(self, result: ItemResult) -> None:
        self._done += 1
        if self.on_result is not None:
            self.on_result(result)
        if self.on_progress is not None:
            total = len(self.targets)
            elapsed = self._clock() - self._started_at
            left = elapsed / self._done * (total - self._done)
            self.on_progress(
                Progress(
                    self._done,
                    total,
                    max(
                        left,
                        _rate_limited_seconds(
                            self.client, REQUESTS_PER_CAMPAIGN * (total - self._done)
                        ),
                    ),
                )
            )

    async def _apply(self, target: Target, on_sending: Callable[[], None]) -> ItemResult:
        change = target.change
        if isinstance(change, Deactivation):
            needless = nothing_to_do.deactivation(target.campaign)  # final, even as loaded
            if needless is not None:
                return ItemResult(target, Outcome.SKIPPED, needless)
            return await self._deactivate(target, on_sending)
        fields = change.fields()
        expected = (
            None if self.apply_anyway else {name: getattr(target.campaign, name) for name in fields}
        )
        written = await checked_update(
            self.client,
            target.campaign.id,
            fields,
            expected=expected,
            on_sending=on_sending,
            sleep=self._sleep,
        )
        return _edit_result(target, written)

    async def _deactivate(self, target: Target, on_sending: Callable[[], None]) -> ItemResult:
        try:
            current = await self._pacer.call(lambda: self.client.get_campaign(target.campaign.id))
        except RequestNotSent:
            return ItemResult(target, Outcome.NOT_STARTED, STOPPED)
        except SkipUpError as exc:
            return _failed(target, exc)
        needless = nothing_to_do.deactivation(current)
        if needless is not None:
            return ItemResult(target, Outcome.SKIPPED, needless, after=current)

        async def deactivate() -> Campaign:
            on_sending()
            return await self.client.deactivate_campaign(target.campaign.id)

        try:
            after = await self._pacer.call(deactivate)
        except RequestNotSent:
            return ItemResult(target, Outcome.NOT_STARTED, STOPPED)
        except InvalidRequestError as exc:
            # Deactivated by someone else between our look and our request: not a failure.
            try:
                with self.client.stoppable(None):
                    current = await self._pacer.call(
                        lambda: self.client.get_campaign(target.campaign.id)
                    )
            except SkipUpError:
                return _failed(target, exc)
            needless = nothing_to_do.deactivation(current)
            if needless is not None:
                return ItemResult(target, Outcome.SKIPPED, needless, after=current)
            return _failed(target, exc)
        except SkipUpError as exc:
            return _failed(target, exc)
        return ItemResult(target, Outcome.DONE, after=after)


def _edit_result(target: Target, written: WriteResult) -> ItemResult:
    """A checked write's result as a bulk item's."""
    outcome = written.outcome
    if outcome is WriteOutcome.APPLIED:
        return ItemResult(
            target,
            Outcome.DONE,
            written.reason,
            after=written.campaign,
            sent=written.sent,
            before=written.before,
        )
    if outcome is WriteOutcome.ALREADY:
        return ItemResult(
            target, Outcome.SKIPPED, nothing_to_do.ALREADY_AS_ASKED, after=written.campaign
        )
    if outcome is WriteOutcome.CONFLICT:
        return ItemResult(target, Outcome.SKIPPED, CHANGED_SINCE_LOADED, after=written.campaign)
    if outcome is WriteOutcome.NOT_SENT:
        return ItemResult(target, Outcome.NOT_STARTED, STOPPED)
    if outcome is WriteOutcome.UNKNOWN:
        return ItemResult(
            target,
            Outcome.UNKNOWN,
            written.reason,
            error=written.error,
            after=written.campaign,
            sent=written.sent,
            before=written.before,
        )
    assert written.error is not None
    result = _failed(target, written.error)
    result.after = written.campaign
    return result


def _rate_limited_seconds(client: SkipUpClient, requests: int) -> float:
    """At least how long `requests` more take under the rate limit the server last stated
    (0 when they fit in what is left of this window, or nothing was stated)."""
    status = client.rate_limit
    if status is None or status.limit <= 0 or requests <= status.remaining:
        return 0.0
    windows = math.ceil((requests - status.remaining) / status.limit)
    return max(0.0, status.reset - time.time()) + (windows - 1) * RATE_WINDOW_SECONDS


class _Pacer:
    """Client calls that wait out a 429 the client's own retries gave up on: the server
    refused that request before acting on it, so sending it again cannot apply anything
    twice. No other failure is repeated here. (The client itself waits for the rate limit's
    window before sending, counting every request of ours not yet answered.)"""

    def __init__(
        self, client: SkipUpClient, sleep: Callable[[float], Awaitable[None]] | None = None
    ) -> None:
        self.client = client
        self.sleep = sleep

    async def call(self, request: Callable[[], Awaitable[T]]) -> T:
        waits = 0
        while True:
            try:
                return await request()
            except RateLimitError as exc:
                if waits >= MAX_RATE_LIMIT_WAITS:
                    raise
                waits += 1
                pause = exc.retry_after if exc.retry_after else float(waits)
            await self._pause(min(pause, MAX_QUOTA_WAIT))

    async def _pause(self, seconds: float) -> None:
        """A wait for the rate limit, announced (client.waits) and ended by a stop."""
        if self.sleep is None:
            await self.client._wait(seconds, REFUSED)
        else:
            await self.client.waits.sleep(seconds, REFUSED, self.client.per_minute, self.sleep)


async def load(
    client: SkipUpClient,
    ids: Sequence[str],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    sleep: Callable[[float], Awaitable[None]] | None = None,
    on_loaded: Callable[[], None] | None = None,
    stop: asyncio.Event | None = None,
) -> list[Campaign | SkipUpError]:
    """Each campaign by id, a few at a time, in the order given (an error in place of one
    that could not be loaded); `on_loaded` is called as each one is answered (for progress).
    Once `stop` is set nothing more is sent and waits end: the reads not yet sent are
    `RequestNotSent` in the list, those on the wire are awaited."""
    pacer = _Pacer(client, sleep)
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(campaign_id: str) -> Campaign | SkipUpError:
        async with gate:
            try:
                if stop is not None and stop.is_set():
                    raise RequestNotSent()
                return await pacer.call(lambda: client.get_campaign(campaign_id))
            except SkipUpError as exc:
                return exc
            finally:
                if on_loaded is not None:
                    on_loaded()

    with client.stoppable(stop):  # the gathered tasks copy this context
        reads = [asyncio.ensure_future(one(campaign_id)) for campaign_id in ids]
    return list(await asyncio.gather(*reads))


def _failed(target: Target, exc: SkipUpError) -> ItemResult:
    return ItemResult(target, Outcome.FAILED, describe_error(exc), error=exc)
