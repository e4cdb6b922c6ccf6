"""Settings' parts → the workspace, in one place, for the UI, every command and the demo: the
only place a `Workspace` is made (tests/test_one_way_in.py checks), as startup/connection.py
is the only place a client is made.

It is on the start path (the UI builds its workspace here), so it imports the workspace only
when one is built: the early first page is already on its way by then (cli.run_ui)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from skipup_campaigns.api.client import SkipUpClient
    from skipup_campaigns.display.dates import DisplayZone
    from skipup_campaigns.workspace import Workspace
    from skipup_campaigns.workspace.history_link import HistorySettings
    from skipup_campaigns.workspace.workspace import CampaignStore, FirstPage
    from skipup_campaigns.workspace.write_permission import WritePermissionMemory


@dataclass(frozen=True)
class Setup:
    """A finished workspace and what its user needs beside it: `history`, where the loads are
    recorded (None: off), attached by the UI, which runs its writes in worker threads."""

    workspace: Workspace
    history: HistorySettings | None = None


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def build_workspace(
    client: SkipUpClient | None = None,
    *,
    connect: Callable[[], SkipUpClient] | None = None,
    read_only: bool = False,
    list_cache: CampaignStore | None = None,
    clock: Callable[[], datetime] = utc_now,
    first_page: FirstPage | None = None,
    write_memory: WritePermissionMemory | None = None,
    display_zone: DisplayZone | None = None,
    history: HistorySettings | None = None,
) -> Setup:
    """The workspace of `client`, or of `connect` (how to make one when first needed); the
    rest as `Workspace` takes them (`display_zone` None: UTC)."""
    from skipup_campaigns.display.dates import UTC_ZONE
    from skipup_campaigns.workspace import Workspace

    workspace = Workspace(
        client,
        connect=connect,
        read_only=read_only,
        list_cache=list_cache,
        clock=clock,
        first_page=first_page,
        write_memory=write_memory,
        display_zone=UTC_ZONE if display_zone is None else display_zone,
    )
    return Setup(workspace, history)
