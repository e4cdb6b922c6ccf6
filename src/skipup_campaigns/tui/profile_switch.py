"""`:profile NAME`: another profile of the config file, in place (as k9s's `:ctx`). What the
switch decides before anything changes: which options open the other profile, what in the
current one would be lost (then it is refused), and how the profiles are named to the user.
The app does the switch itself (`CampaignsApp.switch_profile`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from skipup_campaigns.display.safe_text import safe
from skipup_campaigns.plain_record import replace
from skipup_campaigns.startup.setup import Options
from skipup_campaigns.tui.colon_commands import CommandError

if TYPE_CHECKING:
    from skipup_campaigns.bulk.ops import BulkStep
    from skipup_campaigns.startup.setup import Setup
    from skipup_campaigns.workspace import Workspace
    from skipup_campaigns.workspace.undo import UndoLog
    from skipup_campaigns.workspace.views import View

DEMO = "demo"
"""The built-in demo, switched to like a profile (unless the config file has one of that name)."""
DEFAULT = "default"
"""What starts without --profile (SKIPUP_PROFILE, then default_profile, then the file's top
level), unless the config file has a profile of that name."""


@dataclass(frozen=True)
class ListPlace:
    """Where a profile's list was left: its controls (filter, active toggle, sort, columns) as
    an unnamed view, the view chosen, and the cursor's campaign (found again by id)."""

    controls: View
    current_view: str | None
    cursor_id: str | None


@dataclass
class LeftBehind:
    """What a profile left this session gets back when switched to again (kept in memory for
    the session, never written). The undo entries are checked by value against the server
    when used, so one gone stale meanwhile is refused, not sent."""

    marks: set[str]
    undo_log: UndoLog
    bulk_steps: list[BulkStep]
    since: str | None
    """The Δ window (`--since` given at start, or `h` since): it stays with its workspace."""
    place: ListPlace | None = field(default=None)


def leave(workspace: Workspace, place: ListPlace | None) -> LeftBehind:
    """What `workspace` keeps for when its profile is switched to again."""
    history = workspace.history
    return LeftBehind(
        marks=set(workspace.marks.ids),
        undo_log=workspace.undo_log,
        bulk_steps=list(workspace.bulk.steps),
        since=history.window if history is not None else None,
        place=place,
    )


def come_back(workspace: Workspace, kept: LeftBehind) -> None:
    """Give the newly opened `workspace` what its profile left (before its list is shown)."""
    if kept.marks:
        workspace.marks.mark(kept.marks)
    workspace.undo_log = kept.undo_log
    workspace.bulk.steps = list(kept.bulk_steps)
    if kept.since is not None and workspace.history is not None:
        workspace.history.window = kept.since  # (its baseline is read once the rows show)


# A profile's name is the config file's text: every name this module hands out (to toasts,
# Tab, the palette) is made safe (`safe`: a control shows as ␛ and the like), and `:profile`
# takes a name as shown as well as as written.


def configured(setup: Setup) -> tuple[str, ...]:
    """The profiles the config file names now: read again each time, so one added while the
    app runs can be switched to (its key, read at the switch, is found then too). The names
    read at start when the file cannot be read now."""
    from skipup_campaigns.config import profile_names
    from skipup_campaigns.config_file import ConfigError, read_config_file

    try:
        return tuple(profile_names(read_config_file()))
    except (ConfigError, OSError):
        return setup.profiles


def current_name(setup: Setup) -> str:
    """The name `:profile` shows for what is in use."""
    if setup.label == DEMO and DEMO not in setup.profiles:
        return DEMO
    return safe(setup.profile) or DEFAULT


def choices(setup: Setup) -> list[str]:
    """Every name `:profile` takes (for Tab and the palette): the config file's profiles, then
    the demo and the default where they are not profiles' names."""
    names = [safe(profile) for profile in configured(setup)]
    if setup.profile is None or setup.label == DEMO:
        names.append(DEFAULT)
    names.append(DEMO)
    return list(dict.fromkeys(names))


def others(setup: Setup) -> list[str]:
    """The names `:profile` can switch to from here (Tab, the palette)."""
    here = current_name(setup).casefold()
    return [name for name in choices(setup) if name.casefold() != here]


def describe(setup: Setup) -> str:
    """`:profile` alone: the one in use and the others."""
    here = current_name(setup)
    if not configured(setup):
        return (
            f"Profile: {here}. The config file has no profiles: add [profiles.NAME] tables "
            f"to switch between workspaces (:profile demo for the demo)."
        )
    return f"Profile: {here} (others: {', '.join(others(setup))})."


def options_for(setup: Setup, asked: str) -> Options:
    """The options that open `asked` (a profile's name, `demo` or `default`), or CommandError
    saying which names there are. The flags of this run carry over (--read-only, --no-cache,
    --no-history, --local-time, --refresh), except those naming one workspace (--base-url,
    --demo, --since)."""
    name = asked.strip()
    if not name:
        raise CommandError(describe(setup))
    base = replace(
        (setup.options or Options()),
        base_url=None,
        demo=False,
        demo_reset=False,
        since=None,
    )
    names = configured(setup)
    profiles = {safe(profile).casefold(): profile for profile in names}
    profiles.update({profile.casefold(): profile for profile in names})
    if name.casefold() in profiles:
        chosen = profiles[name.casefold()]
        if chosen == setup.profile and setup.label != DEMO:
            raise CommandError(f"Already on the profile {safe(chosen)!r}.")
        return replace(base, profile=chosen)
    if name.casefold() == DEMO:
        if setup.label == DEMO:
            raise CommandError("Already on the demo.")
        return replace(base, profile=None, demo=True)
    if name.casefold() == DEFAULT:
        return replace(base, profile=None)
    known = ", ".join(choices(setup))
    raise CommandError(f"No profile named {safe(name)!r} (profiles: {known}).")


def busy(running: Iterable[str]) -> str | None:
    """Why the workspace cannot be left now (work in flight would be lost), or None.
    `running`: what is in flight, as the app's KEY_HOLDING_WORK words ("the save")."""
    for what in running:
        return (
            f"Not switched: {what} is still running on this profile. Let it finish "
            "(or stop it), then switch."
        )
    return None
