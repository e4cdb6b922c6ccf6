"""One campaign's PATCH, made as safely as an API without a conditional write allows.

    result = await checked_update(client, campaign_id, {"ends_at": new_end},
                                  expected={"ends_at": old_end})

- **Check right before the write.** The fresh GET and the PATCH take their two rate-limit slots
  together (`SkipUpClient.reserved`), so no pacing wait falls between the check and the write.
  The check compares values, field by field (`expected`: what the change was planned from),
  never `updated_at` alone (whole seconds: two changes in one second leave it equal). What
  remains is the time from the GET's answer to the PATCH leaving (tests/benchmarks/
  bench_writes.py measures it): another writer's change inside it is overwritten.
- **A lost answer is read back, never resent blindly.** After a timeout, a reset or a 5xx
  (a gateway may answer 502/503/504 after the origin applied the PATCH) the campaign is read:
  the values sent hold → applied (the answer was lost); the values from before hold → not
  applied, and the check and the PATCH may be made again; anything else → unknown (somebody
  else changed it meanwhile: ours may or may not have landed under theirs).
- A 429 (the limit is checked before anything is done) or a connection refused before any
  byte left repeats the check and the write together, after the wait.

Textual-free: the workspace (single edits, undo) and the bulk engine use it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from skipup_campaigns.api.errors import (
    APIConnectionError,
    APIResponseError,
    InternalServerError,
    RateLimitError,
    RequestNotSent,
    SkipUpError,
)
from skipup_campaigns.api.models import CampaignUpdate
from skipup_campaigns.api.rate_wait import REFUSED
from skipup_campaigns.bulk import nothing_to_do
from skipup_campaigns.bulk.nothing_to_do import differing, same_value

if TYPE_CHECKING:
    from skipup_campaigns.api.client import SkipUpClient
    from skipup_campaigns.api.models import Campaign

MAX_SENDS = 3
"""PATCHes of one change at most, each after a fresh check that found the values from before
(a read-back that proved the previous one did not land)."""
MAX_RATE_LIMIT_WAITS = 10
"""429s (answered before the server did anything) one change may wait out."""
MAX_RATE_LIMIT_WAIT = 60.0
READ_BACK_TRIES = 3
"""Reads of a campaign whose PATCH lost its answer (each with the client's own retries)."""
UNSENT_PAUSE = 0.5
"""Seconds before a new try after a connection that was refused before anything was sent."""

ANSWER_LOST = "applied; the answer was lost (read back from the server)"
CHANGED_MEANWHILE = (
    "unknown: the answer was lost and the campaign was changed by someone "
    "else meanwhile; ours may or may not have landed"
)
NOT_READ_BACK = (
    "unknown: the answer was lost and the campaign could not be read back; "
    "the change may or may not have landed"
)


class WriteOutcome(StrEnum):
    APPLIED = "applied"
    CONFLICT = "conflict"
    """The values planned from no longer hold on the server: nothing was sent."""
    ALREADY = nothing_to_do.ALREADY_AS_ASKED
    """The server already holds the values: nothing was sent."""
    FAILED = "failed"
    """Refused, or proved not applied (read back): the server holds the values from before."""
    NOT_SENT = "not sent"
    """Stopped (the caller's stop event) before the PATCH left."""
    UNKNOWN = "unknown"
    """The answer was lost and the read-back cannot tell (see CHANGED_MEANWHILE)."""


@dataclass
class WriteResult:
    outcome: WriteOutcome
    campaign: Campaign | None = None
    """The server's copy: after our change (applied), or as read (conflict, unknown…)."""
    before: Campaign | None = None
    """The fresh read the write was checked against: what an undo puts back."""
    sent: dict[str, Any] = field(default_factory=dict)
    """The fields the PATCH carried (only those that differed from the fresh read)."""
    error: SkipUpError | None = None
    reason: str | None = None
    answer_lost: bool = False
    """Applied, known only by reading back."""


def _answer_lost(exc: SkipUpError) -> bool:
    """Whether the PATCH may have been applied although it failed: it left, and the answer
    that came (if any) does not prove the server refused it."""
    if isinstance(exc, APIConnectionError):
        return exc.request_sent
    return isinstance(exc, (InternalServerError, APIResponseError))


async def checked_update(
    client: SkipUpClient,
    campaign_id: str,
    changes: Mapping[str, Any],
    *,
    expected: Mapping[str, Any] | None,
    on_sending: Callable[[], None] | None = None,
    sleep: Callable[[float], Awaitable[None]] | None = None,
) -> WriteResult:
    """PATCH the fields of `changes` the campaign does not already hold, if it still holds
    `expected` (None: whatever it holds, the user chose to overwrite). `on_sending` is called
    right before each PATCH leaves. Raises only what is not an API failure (cancellation)."""

    async def wait(seconds: float, reason: str | None = None) -> None:
        """A pause the caller's stop ends (`sleep` replaces the sleeping itself, in tests);
        one for the rate limit is announced in `client.waits`."""
        if sleep is None:
            await client._wait(seconds, reason)
        elif reason is None:
            await sleep(seconds)
        else:
            await client.waits.sleep(seconds, reason, client.per_minute, sleep)

    sends = rate_limit_waits = 0
    patch_error: SkipUpError
    fresh: Campaign | None = None
    sent: dict[str, Any] = {}
    while True:
        try:
            async with client.reserved(2):
                fresh = await client.get_campaign(campaign_id)
                if nothing_to_do.edit(fresh, changes):
                    return WriteResult(WriteOutcome.ALREADY, fresh, fresh)
                sent = {name: changes[name] for name in differing(fresh, changes)}
                if expected is not None and differing(fresh, expected):
                    return WriteResult(WriteOutcome.CONFLICT, fresh, fresh)
                # No await between the check above and the PATCH leaving but the send itself.
                if on_sending is not None:
                    on_sending()
                sends += 1
                try:
                    after = await client.update_campaign(
                        campaign_id, CampaignUpdate(**sent), retry=False
                    )
                except RequestNotSent:
                    return WriteResult(WriteOutcome.NOT_SENT, fresh, fresh, sent)
                except SkipUpError as exc:
                    patch_error = exc
                else:
                    return WriteResult(WriteOutcome.APPLIED, after, fresh, sent)
        except RequestNotSent as exc:
            return WriteResult(WriteOutcome.NOT_SENT, error=exc)
        except SkipUpError as exc:  # the GET failed (after the client's own retries)
            if not isinstance(exc, RateLimitError) or rate_limit_waits >= MAX_RATE_LIMIT_WAITS:
                return WriteResult(WriteOutcome.FAILED, error=exc)
            patch_error = exc  # refused like a PATCH's 429: wait, then the pair again
            sends += 1
        reason: str | None = None
        if isinstance(patch_error, RateLimitError) and rate_limit_waits < MAX_RATE_LIMIT_WAITS:
            rate_limit_waits += 1
            sends -= 1  # refused before anything was done
            pause = min(patch_error.retry_after or float(rate_limit_waits), MAX_RATE_LIMIT_WAIT)
            reason = REFUSED
        elif (
            isinstance(patch_error, APIConnectionError)
            and not patch_error.request_sent
            and sends < MAX_SENDS
        ):
            pause = UNSENT_PAUSE
        elif _answer_lost(patch_error) and fresh is not None:
            verdict = await _read_back(client, campaign_id, fresh, sent, patch_error, wait)
            if verdict is not None or sends >= MAX_SENDS:
                return verdict or WriteResult(WriteOutcome.FAILED, fresh, fresh, sent, patch_error)
            continue  # proved not applied: check and send again
        else:
            return WriteResult(WriteOutcome.FAILED, fresh, fresh, sent, patch_error)
        try:
            await wait(pause, reason)
        except RequestNotSent as exc:
            return WriteResult(WriteOutcome.NOT_SENT, fresh, fresh, sent, exc)


async def _read_back(
    client: SkipUpClient,
    campaign_id: str,
    fresh: Campaign,
    sent: Mapping[str, Any],
    error: SkipUpError,
    wait: Callable[[float, str | None], Awaitable[None]],
) -> WriteResult | None:
    """What a PATCH whose answer was lost did: a result, or None when the server still holds
    the values from before (not applied: it may be sent again). The read is made even when the
    caller is stopping (the truth about a write that left matters more than stopping sooner),
    and tried again a few times: it is the one read that decides."""
    before = {name: getattr(fresh, name) for name in sent}
    with client.stoppable(None):
        for attempt in range(READ_BACK_TRIES):
            try:
                now = await client.get_campaign(campaign_id)
                break
            except SkipUpError as exc:
                if attempt == READ_BACK_TRIES - 1:
                    return WriteResult(
                        WriteOutcome.UNKNOWN, None, fresh, dict(sent), exc, NOT_READ_BACK
                    )
                limited = isinstance(exc, RateLimitError)
                pause = exc.retry_after if isinstance(exc, RateLimitError) else None
                await wait(
                    min(pause or UNSENT_PAUSE * 2**attempt, MAX_RATE_LIMIT_WAIT),
                    REFUSED if limited else None,
                )
    if not differing(now, sent):
        return WriteResult(
            WriteOutcome.APPLIED, now, fresh, dict(sent), error, ANSWER_LOST, answer_lost=True
        )
    if not differing(now, before):
        return None
    return WriteResult(WriteOutcome.UNKNOWN, now, fresh, dict(sent), error, CHANGED_MEANWHILE)


class OutcomeUnknown(SkipUpError):
    """A single write whose answer was lost, and whose effect the read-back cannot tell."""

    def __init__(self, result: WriteResult) -> None:
        super().__init__(result.reason or CHANGED_MEANWHILE)
        self.message = result.reason or CHANGED_MEANWHILE
        self.result = result


__all__ = [
    "OutcomeUnknown",
    "WriteOutcome",
    "WriteResult",
    "checked_update",
    "differing",
    "same_value",
]
