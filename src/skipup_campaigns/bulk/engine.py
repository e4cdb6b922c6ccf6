"""One change applied to many campaigns: preview it, run it a few requests at a time, undo it.

    targets = plan(campaigns, BulkEdit(ends_at=new_end))     # campaigns as loaded
    for item in preview(targets): ...                          # before → after, sends nothing
    report = await BulkRun(client, targets).run()
    report = await BulkRun(client, report.undo_targets()).run()  # the edit back, as one step

Textual-free: the UI and the scripting commands drive the same engine.

Rules that keep a batch safe:
- a fresh GET first; if the server's `updated_at` is not the one we planned from (somebody
  changed it), the campaign is skipped, not overwritten, unless `apply_anyway`;
- each write is sent once by this module: retries are the client's own, which repeat a PATCH only
  when the server cannot have acted on it (429, 503, refused connection). The one thing this
  module repeats is a request the server refused with 429 after the client gave up (the server
  did nothing; waiting is better than reporting a failure). So a PATCH is never applied twice;
  an answer lost after the server acted is reported failed, never re-sent (a later run then
  finds the campaign changed and skips it);
- requests start only when the rate limit's last headers leave room for them beside those in
  flight, so several workers do not run into 429s the client would then wait out;
- cancelling stops new requests; those in flight finish and are reported.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from skipup_campaigns.api.errors import InvalidRequestError, RateLimitError, SkipUpError
from skipup_campaigns.api.models import Campaign, CampaignUpdate
from skipup_campaigns.api.rate_wait import PACED, REFUSED
from skipup_campaigns.display.dates import campaign_status
from skipup_campaigns.display.messages import describe_error

if TYPE_CHECKING:
    from skipup_campaigns.api.client import SkipUpClient

DEFAULT_CONCURRENCY = 4
MAX_QUOTA_WAIT = 60.0
"""Longest pause for the rate limit's window to reset before starting a request."""
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
        return {name: value for name, value in (
            ("starts_at", self.starts_at), ("ends_at", self.ends_at),
            ("team_id", self.team_id), ("description", self.description))
            if value is not UNCHANGED}


Change = Deactivation | BulkEdit


@dataclass(frozen=True)
class Target:
    """One campaign as planned from (its `updated_at` is the one the server must still have)
    and what to do to it."""

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
    """Why the campaign needs no request ("already deactivated"), or None."""

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
        if campaign.deactivated_at is not None:
            return PreviewItem(target, (), "already deactivated")
        # Its status as the list shows it: a scheduled or ended campaign is not "active".
        status = campaign_status(deactivated_at=None, starts_at=campaign.starts_at,
                                 ends_at=campaign.ends_at,
                                 now=now or datetime.now(timezone.utc))
        return PreviewItem(target, (FieldChange("active", True, False, status,
                                                "deactivated"),))
    changes = []
    for name, after in change.fields().items():
        before = getattr(campaign, name)
        if before == after:
            continue
        if name == "team_id":
            changes.append(FieldChange(name, before, after, campaign.team_name,
                                       change.team_name or after))
        else:
            changes.append(FieldChange(name, before, after, value_text(before),
                                       value_text(after)))
    return PreviewItem(target, tuple(changes), None if changes else "already as asked")


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


@dataclass
class ItemResult:
    target: Target
    outcome: Outcome
    reason: str | None = None
    """Why it was skipped or failed, in words (safe text)."""
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
        """"38 done, 2 failed" (the kinds that happened; "nothing to do" when none did)."""
        parts = [f"{self.count(kind)} {kind.value}" for kind in Outcome if self.count(kind)]
        text = ", ".join(parts) or "nothing to do"
        return text + (" (stopped)" if self.cancelled else "")

    @property
    def can_undo(self) -> bool:
        return any(r.outcome is Outcome.DONE and isinstance(r.target.change, BulkEdit)
                   for r in self.results)

    def undo_targets(self) -> list[Target]:
        """The edit back as one step: each campaign we changed gets the values our write
        replaced on the server, checked against the `updated_at` our edit left. Deactivation
        cannot be undone (ValueError)."""
        if any(isinstance(r.target.change, Deactivation) for r in self.results):
            raise ValueError("a deactivation cannot be undone: SkipUp has no way back")
        targets = []
        for result in self.results:
            if (result.outcome is not Outcome.DONE or result.after is None
                    or result.before is None):
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


class BulkRun:
    """Applies targets with a few requests in flight. `on_result` hears each campaign as it
    finishes, `on_progress` the count after each; `cancel()` stops after what is in flight."""

    def __init__(self, client: SkipUpClient, targets: Sequence[Target], *,
                 concurrency: int = DEFAULT_CONCURRENCY, apply_anyway: bool = False,
                 on_result: Callable[[ItemResult], None] | None = None,
                 on_progress: Callable[[Progress], None] | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.client = client
        self.targets = list(targets)
        self.concurrency = max(1, concurrency)
        self.apply_anyway = apply_anyway
        self.on_result = on_result
        self.on_progress = on_progress
        self._clock = clock
        self._cancelled = False
        self._pacer = _Pacer(client, sleep)
        self._done = 0
        self._started_at = 0.0

    def cancel(self) -> None:
        self._cancelled = True

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    async def run(self) -> BulkReport:
        results: list[ItemResult | None] = [None] * len(self.targets)
        queue: asyncio.Queue[int] = asyncio.Queue()
        for index in range(len(self.targets)):
            queue.put_nowait(index)
        self._started_at = self._clock()

        broken: list[BaseException] = []

        async def worker() -> None:
            while not self._cancelled and not broken:
                try:
                    index = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                try:
                    result = results[index] = await self._apply(self.targets[index])
                    self._finished(result)
                except Exception as exc:
                    # Something other than an API error (a listener, a bug): no worker starts
                    # another campaign; those in flight finish and are heard, as on cancel.
                    broken.append(exc)
                    return

        workers = [asyncio.ensure_future(worker())
                   for _ in range(min(self.concurrency, len(self.targets)))]
        try:
            await asyncio.gather(*workers)
        finally:
            for task in workers:  # only when run() itself is cancelled are any left
                task.cancel()
        if broken:
            raise broken[0]
        final = [result or ItemResult(target, Outcome.NOT_STARTED, "stopped before its turn")
                 for target, result in zip(self.targets, results)]
        return BulkReport(final, cancelled=self._cancelled)

    def _finished(self, result: ItemResult) -> None:
        self._done += 1
        if self.on_result is not None:
            self.on_result(result)
        if self.on_progress is not None:
            total = len(self.targets)
            elapsed = self._clock() - self._started_at
            left = elapsed / self._done * (total - self._done)
            self.on_progress(Progress(self._done, total, max(
                left, _rate_limited_seconds(self.client, REQUESTS_PER_CAMPAIGN
                                            * (total - self._done)))))

    async def _apply(self, target: Target) -> ItemResult:
        deactivating = isinstance(target.change, Deactivation)
        if deactivating and target.campaign.deactivated_at is not None:
            # Final as loaded: SkipUp cannot reactivate, so no need to look again.
            return ItemResult(target, Outcome.SKIPPED, "already deactivated")
        try:
            current = await self._pacer.call(
                lambda: self.client.get_campaign(target.campaign.id))
        except SkipUpError as exc:
            return _failed(target, exc)
        # What to send is judged on the server's copy just read, never the list's: a
        # campaign changed since loading may no longer be as asked, or may be now.
        item = preview_item(Target(current, target.change))
        if item.nothing_to_do:
            return ItemResult(target, Outcome.SKIPPED, item.nothing_to_do, after=current)
        if current.updated_at != target.campaign.updated_at and not self.apply_anyway:
            return ItemResult(target, Outcome.SKIPPED, "changed on the server since it was "
                              "loaded; not overwritten", after=current)
        if self._cancelled:
            return ItemResult(target, Outcome.NOT_STARTED, "stopped before its turn")
        if deactivating:
            return await self._deactivate(target)
        sent = {change.name: change.after for change in item.changes}
        try:
            after = await self._pacer.call(lambda: self.client.update_campaign(
                target.campaign.id, CampaignUpdate(**sent)))
        except SkipUpError as exc:
            return _failed(target, exc)
        return ItemResult(target, Outcome.DONE, after=after, sent=sent, before=current)

    async def _deactivate(self, target: Target) -> ItemResult:
        try:
            after = await self._pacer.call(
                lambda: self.client.deactivate_campaign(target.campaign.id))
        except InvalidRequestError as exc:
            # Deactivated by someone else between our look and our request: not a failure.
            try:
                current = await self._pacer.call(
                lambda: self.client.get_campaign(target.campaign.id))
            except SkipUpError:
                current = None
            if current is not None and current.deactivated_at is not None:
                return ItemResult(target, Outcome.SKIPPED, "already deactivated", after=current)
            return _failed(target, exc)
        except SkipUpError as exc:
            return _failed(target, exc)
        return ItemResult(target, Outcome.DONE, after=after)



def _rate_limited_seconds(client: SkipUpClient, requests: int) -> float:
    """At least how long `requests` more take under the rate limit the server last stated
    (0 when they fit in what is left of this window, or nothing was stated)."""
    status = client.rate_limit
    if status is None or status.limit <= 0 or requests <= status.remaining:
        return 0.0
    windows = math.ceil((requests - status.remaining) / status.limit)
    return max(0.0, status.reset - time.time()) + (windows - 1) * RATE_WINDOW_SECONDS


class _Pacer:
    """Client calls for a run with several in flight.

    A call starts only when the rate limit's window has room for it beside the calls already in
    flight (the client paces one caller; a bulk run has several). A 429 that outlasts the
    client's own retries is waited out here: the server refused that request before acting on
    it, so sending it again cannot apply anything twice. No other failure is repeated here.
    """

    def __init__(self, client: SkipUpClient,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.client = client
        self.sleep = sleep
        self.in_flight = 0

    async def call(self, request: Callable[[], Awaitable[T]]) -> T:
        waits = 0
        while True:
            await self._wait_for_quota()
            self.in_flight += 1
            try:
                return await request()
            except RateLimitError as exc:
                if waits >= MAX_RATE_LIMIT_WAITS:
                    raise
                waits += 1
                pause = exc.retry_after if exc.retry_after else float(waits)
            finally:
                self.in_flight -= 1
            await self.client.waits.sleep(min(pause, MAX_QUOTA_WAIT), REFUSED,
                                          self.client.per_minute, self.sleep)

    async def _wait_for_quota(self) -> None:
        status = self.client.rate_limit
        if status is None or status.remaining > self.in_flight:
            return
        wait = status.reset - time.time()
        if wait > 0:
            await self.client.waits.sleep(min(wait, MAX_QUOTA_WAIT), PACED, status.limit,
                                          self.sleep)


async def load(
    client: SkipUpClient, ids: Sequence[str], *, concurrency: int = DEFAULT_CONCURRENCY,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    on_loaded: Callable[[], None] | None = None,
) -> list[Campaign | SkipUpError]:
    """Each campaign by id, a few at a time, in the order given (an error in place of one
    that could not be loaded); `on_loaded` is called as each one is answered (for progress)."""
    pacer = _Pacer(client, sleep)
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(campaign_id: str) -> Campaign | SkipUpError:
        async with gate:
            try:
                return await pacer.call(lambda: client.get_campaign(campaign_id))
            except SkipUpError as exc:
                return exc
            finally:
                if on_loaded is not None:
                    on_loaded()

    return list(await asyncio.gather(*(one(campaign_id) for campaign_id in ids)))


def _failed(target: Target, exc: SkipUpError) -> ItemResult:
    return ItemResult(target, Outcome.FAILED, describe_error(exc), error=exc)
