"""Write flows shared by the list and the campaign page: deactivate and undo.

Each runs inside a worker of the calling screen (they wait for dialogs), asks the workspace to
do the work, and reports failures on screen; the workspace announces the server's answer to
every screen that shows it. None of them writes from cached data without a fresh GET first.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from skipup_campaigns.display.campaign_form import FIELD_LABELS, show_value
from skipup_campaigns.display.messages import describe_failure
from skipup_campaigns.display.safe_text import safe
from skipup_campaigns.tui.dialogs import (
    ConfirmDialog,
    ConflictChoice,
    ConflictDialog,
    WaitingDialog,
)
from skipup_campaigns.workspace.workspace import Conflict

if TYPE_CHECKING:
    from textual.screen import Screen

    from skipup_campaigns.api.models import Campaign
    from skipup_campaigns.workspace import Workspace

T = TypeVar("T")

DEACTIVATE_EXPLANATION = (
    "It stops routing new meeting requests to this campaign. SkipUp offers no way to undo "
    "a deactivation."
)


def report(screen: Screen[Any], doing: str, exc: Exception) -> None:
    """One clear toast for a failed call."""
    screen.notify(describe_failure(doing, exc), severity="error", timeout=10, markup=False)


async def deactivate(
    screen: Screen[Any], workspace: Workspace, campaign: Campaign
) -> Campaign | None:
    """Read the campaign afresh (the list may be cached or stale), ask, then deactivate it as
    the workspace does (a bulk run of one). Whether there is anything to deactivate is
    `nothing_to_do`'s rule, as everywhere. Each request is said at once in a dialog that
    counts down a rate-limit wait and that esc stops (keys are never held behind it)."""
    from skipup_campaigns.api.errors import SkipUpError
    from skipup_campaigns.bulk import nothing_to_do
    from skipup_campaigns.bulk.engine import Outcome

    if nothing_to_do.deactivation(campaign) is None:  # (final as loaded: no need to look)
        reading = WaitingDialog("Reading the campaign…", campaign.name, workspace)
        try:
            fresh = await while_showing(screen, reading, workspace.fetch(campaign.id), None)
        except SkipUpError as exc:
            report(screen, "read the campaign", exc)
            return None
        if fresh is None:
            return None  # stopped: nothing was asked, nothing sent after the key
        campaign = fresh
    needless = nothing_to_do.deactivation(campaign)
    if needless is None:
        sure = await screen.app.push_screen_wait(
            ConfirmDialog(
                "Deactivate this campaign?", campaign.name, DEACTIVATE_EXPLANATION, "Deactivate"
            )
        )
        if not sure:
            return None
        action = workspace.bulk.start_deactivation(campaign)
        deactivating = WaitingDialog("Deactivating…", campaign.name, workspace)
        report_ = await while_showing(screen, deactivating, action.run(), action.cancel)
        assert report_ is not None  # (a stopped run still reports)
        result = report_.results[0]
        name = safe(campaign.name)
        if result.outcome is Outcome.NOT_STARTED:
            screen.notify(f"Not deactivated: {name} (stopped before its request).", markup=False)
            return None
        if result.error is not None:
            report(screen, "deactivate the campaign", result.error)
            return None
        if result.outcome is Outcome.DONE:
            screen.notify(f"Campaign deactivated: {name}.", markup=False)
            return result.after
        if not nothing_to_do.done_already(result.reason):
            screen.notify(result.reason or "Not deactivated.", severity="warning", markup=False)
            return None
        needless = result.reason  # deactivated meanwhile, elsewhere
    screen.notify(f"That campaign is {needless}.", markup=False)
    return None


async def while_showing(
    screen: Screen[Any],
    dialog: WaitingDialog,
    work: Coroutine[Any, Any, T],
    stop: Callable[[], None] | None,
) -> T | None:
    """`work`'s answer, with `dialog` on top until it comes. Esc in the dialog: `stop()` when
    given (the work then ends as it sees fit, and its answer is returned), else the work is
    cancelled and None returned (a read: nothing more is sent)."""
    app = screen.app
    task: asyncio.Task[T] = asyncio.ensure_future(work)
    dismissed = asyncio.Event()
    await app.push_screen(dialog, lambda _: dismissed.set())
    waiting_for_key = asyncio.ensure_future(dismissed.wait())
    try:
        await asyncio.wait((task, waiting_for_key), return_when=asyncio.FIRST_COMPLETED)
        if not task.done():
            if stop is None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
                return None
            stop()
        return await task
    finally:
        waiting_for_key.cancel()
        if not task.done():
            task.cancel()  # this flow itself was cancelled (the screen closed)
        if not dialog.stopped and dialog.is_attached and app.screen is dialog:
            dialog.close()


async def undo_last_edit(
    screen: Screen[Any], workspace: Workspace, campaign_id: str
) -> Campaign | None:
    """PATCH back the values the last edit replaced, after checking nobody changed the
    campaign since (if someone did, show what and ask)."""
    from skipup_campaigns.api.errors import SkipUpError

    if workspace.last_edit(campaign_id) is None:
        screen.notify("Nothing to undo for this campaign.", markup=False)
        return None
    try:
        result = await workspace.undo(campaign_id)
        if isinstance(result, Conflict):
            assert result.undo is not None
            zone = workspace.display_zone
            rows = [
                (
                    FIELD_LABELS[key],
                    show_value(getattr(result.fresh, key), zone),
                    show_value(old, zone),
                )
                for key, old in result.undo.before.items()
            ]
            choice = await screen.app.push_screen_wait(ConflictDialog(rows, can_take_theirs=False))
            if choice is not ConflictChoice.OVERWRITE:
                return None
            result = await workspace.undo(campaign_id, overwriting=result)
    except SkipUpError as exc:
        report(screen, "undo the edit", exc)
        return None
    if result is None or isinstance(result, Conflict):
        return None
    screen.notify("Edit undone.", markup=False)
    return result
