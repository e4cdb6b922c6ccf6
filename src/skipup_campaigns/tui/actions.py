"""Write flows shared by the list and the campaign page: deactivate and undo.

Each runs inside a worker of the calling screen (they wait for dialogs), goes through the
client, reports failures on screen, and hands the server's answer to the app so every screen
shows it. None of them writes from cached data without a fresh GET first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from skipup_campaigns.tui.campaign_form import FIELD_LABELS, show_value
from skipup_campaigns.tui.dialogs import ConfirmDialog, ConflictDialog
from skipup_campaigns.display.messages import describe_error

if TYPE_CHECKING:
    from skipup_campaigns.api.models import Campaign
    from skipup_campaigns.tui.app import CampaignsApp

DEACTIVATE_EXPLANATION = (
    "It stops routing new meeting requests to this campaign. SkipUp offers no way to undo "
    "a deactivation.")


def report(app: CampaignsApp, doing: str, exc: Exception) -> None:
    """One clear toast for a failed call (and the app learns a missing write scope)."""
    from skipup_campaigns.api.errors import AuthenticationError, SkipUpError

    app.note_error(exc)
    if isinstance(exc, AuthenticationError):
        message = (f"Could not {doing}: the API key was refused. Set a valid key in "
                   "SKIPUP_API_KEY (or the config file) and start again.")
    elif isinstance(exc, SkipUpError):
        message = f"Could not {doing}: {describe_error(exc)}."
    else:
        message = f"Could not {doing}: unexpected error ({type(exc).__name__})."
    app.notify(message, severity="error", timeout=10, markup=False)


async def deactivate(app: CampaignsApp, campaign: Campaign) -> Campaign | None:
    """Read the campaign afresh (the list may be cached or stale), ask, then deactivate; the
    server's answer reaches every screen."""
    from skipup_campaigns.api.errors import SkipUpError

    client = await app.get_client()
    try:
        campaign = await client.get_campaign(campaign.id)
    except SkipUpError as exc:
        report(app, "read the campaign", exc)
        return None
    app.campaign_changed(campaign)
    if not campaign.active:
        app.notify("That campaign is already inactive.", markup=False)
        return None
    sure = await app.push_screen_wait(ConfirmDialog(
        "Deactivate this campaign?", campaign.name, DEACTIVATE_EXPLANATION, "Deactivate"))
    if not sure:
        return None
    try:
        done = await client.deactivate_campaign(campaign.id)
    except SkipUpError as exc:
        report(app, "deactivate the campaign", exc)
        return None
    app.campaign_changed(done)
    app.notify("Campaign deactivated.", markup=False)
    return done


async def undo_last_edit(app: CampaignsApp, campaign_id: str) -> Campaign | None:
    """PATCH back the values the last edit replaced, after checking nobody changed the
    campaign since (if someone did, show what and ask)."""
    from skipup_campaigns.api.errors import SkipUpError

    entry = app.last_edit(campaign_id)
    if entry is None:
        app.notify("Nothing to undo for this campaign.", markup=False)
        return None
    client = await app.get_client()
    try:
        fresh = await client.get_campaign(campaign_id)
        if fresh.updated_at != entry.after_updated_at:
            rows = [(FIELD_LABELS[key], show_value(getattr(fresh, key)), show_value(old))
                    for key, old in entry.before.items()]
            choice = await app.push_screen_wait(ConflictDialog(rows, can_take_theirs=False))
            if choice != "overwrite":
                return None
        restored = await client.update_campaign(campaign_id, **entry.before)
    except SkipUpError as exc:
        report(app, "undo the edit", exc)
        return None
    app.undo_log.remove(entry)
    app.campaign_changed(restored)
    app.notify("Edit undone.", markup=False)
    return restored
