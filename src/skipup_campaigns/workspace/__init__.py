"""What the UI's screens and the scripting commands share: one workspace's campaigns, how
loading stands, the undo log and write permission, with the operations that change them.

No Textual and nothing of `tui/`; no httpx or pydantic at import time (the client is imported
when first made), so the UI's warm start stays light.
"""

from skipup_campaigns.workspace.events import (
    CampaignsChanged,
    LoadStateChanged,
    MarksChanged,
    SetupProblem,
    UndoLogChanged,
    WorkspaceEvent,
    WritePermissionChanged,
)
from skipup_campaigns.workspace.load_state import LoadState
from skipup_campaigns.workspace.undo import UndoEntry
from skipup_campaigns.workspace.workspace import Conflict, Workspace, is_temporary

__all__ = [
    "CampaignsChanged",
    "Conflict",
    "LoadState",
    "LoadStateChanged",
    "MarksChanged",
    "SetupProblem",
    "UndoEntry",
    "UndoLogChanged",
    "Workspace",
    "WorkspaceEvent",
    "WritePermissionChanged",
    "is_temporary",
]
