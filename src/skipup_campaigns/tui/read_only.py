"""Writes while writing is off: what the top bar says, what a write key says instead of doing
nothing, and asking the server again (see workspace/write_permission.py). Light on imports:
the list's first frame uses it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.screen import Screen

    from skipup_campaigns.workspace import Workspace


def read_only_label(workspace: Workspace) -> str:
    """ "read-only", and since when if the server taught it ("read-only (learned 14:05 UTC)",
    in the display zone)."""
    from skipup_campaigns.display.dates import clock_time

    refused = workspace.write_refused_at
    if refused is None or workspace.read_only:
        return "read-only"
    zone = workspace.display_zone
    return f"read-only (learned {clock_time(refused, zone)} {zone.label(refused)})"


def refuse_write(screen: Screen[Any], workspace: Workspace) -> bool:
    """True (and a toast that says why) when writes are off: a write key never does
    nothing silently."""
    if workspace.writable:
        return False
    screen.notify(
        write_refusal(workspace), title="Read-only", severity="warning", markup=False, timeout=8
    )
    return True


def write_refusal(workspace: Workspace) -> str:
    """Why a write key does nothing, in one plain sentence (no brackets inside brackets)."""
    if workspace.read_only:
        return (
            "Writing is off: this session is read-only (--read-only, or read_only in the "
            "config file)."
        )
    from skipup_campaigns.display.dates import clock_time

    refused, zone = workspace.write_refused_at, workspace.display_zone
    # In the display zone, saying it, as the top bar's "read-only (learned 14:05 UTC)".
    when = f" at {clock_time(refused, zone)} {zone.label(refused)}" if refused else ""
    return (
        f"This key cannot change campaigns: the server refused it the campaigns.write "
        f'scope{when}. Once the scope is granted, :write (or ctrl+p, "Check write '
        f'permission again") asks again.'
    )


async def recheck_write(screen: Screen[Any], workspace: Workspace) -> None:
    """Ask the server again whether this key may write (nothing is changed) and say so."""
    from skipup_campaigns.api.errors import SkipUpError

    if workspace.read_only:
        screen.notify(
            "This session is read-only by choice (--read-only, or read_only in the "
            "config file): nothing to check.",
            markup=False,
        )
        return
    try:
        allowed = await workspace.recheck_write()
    except SkipUpError as exc:
        from skipup_campaigns.tui.actions import report

        report(screen, "check the write permission", exc)
        return
    screen.notify(
        "This key may change campaigns: writing is on."
        if allowed
        else "Still refused: this key lacks the campaigns.write scope.",
        markup=False,
        severity="information" if allowed else "warning",
    )
