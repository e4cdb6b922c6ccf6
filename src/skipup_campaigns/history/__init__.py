"""The campaigns' counts over time, kept locally because the API only gives running totals.

- `store`: the SQLite file (one per base URL and key), recording and querying samples;
- `since`: `--since 7d | 24h | 2026-11-01 | session` as a point in time;
- `demo`: thirty days of plausible history for the demo's campaigns.

No Textual import: the UI calls the store from a worker thread, the scripting commands directly.
"""

from skipup_campaigns.history.store import (
    Counts,
    HistoryStore,
    HistoryUnavailable,
    demo_history_path,
    gains,
    history_path,
    open_history,
    workspace_history_path,
)

__all__ = [
    "Counts",
    "HistoryStore",
    "HistoryUnavailable",
    "demo_history_path",
    "gains",
    "history_path",
    "open_history",
    "workspace_history_path",
]
