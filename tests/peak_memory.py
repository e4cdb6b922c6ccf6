"""The peak memory of loading a whole list as the UI does, in a fresh interpreter.

    python -m tests.peak_memory URL [--idle]    # prints {"loaded": N, "peak_mb": M}

Imports what the UI imports, then loads every page at URL through the workspace (the client,
the collection, the list cache written at the end, under XDG_CACHE_HOME), and reads VmHWM:
the process's own peak resident set (ru_maxrss would keep the parent's across fork and exec).
`--idle` stops after the imports: the floor.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

KEY = "sk_test_admin"


def peak_mb() -> float:
    status = Path("/proc/self/status").read_text()
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


async def load(url: str) -> int:
    from skipup_campaigns.api.client import SkipUpClient
    from skipup_campaigns.startup.list_cache import ListCache
    from skipup_campaigns.workspace import Workspace

    workspace = Workspace(connect=lambda: SkipUpClient(KEY, url), list_cache=ListCache(url, KEY))
    state = await workspace.load()
    assert state.error is None, state.error
    await workspace.aclose()
    return len(workspace.collection)


def main(argv: list[str]) -> int:
    import skipup_campaigns.api.client  # noqa: F401 - what the UI has loaded by then
    import skipup_campaigns.tui.app  # noqa: F401

    loaded = 0 if "--idle" in argv else asyncio.run(load(argv[0]))
    print(json.dumps({"loaded": loaded, "peak_mb": round(peak_mb(), 1)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
