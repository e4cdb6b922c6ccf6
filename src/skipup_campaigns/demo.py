"""`--demo`: the client wired to the sandbox in-process (no port, no server to start), on a
demo database in the user's data directory so that edits survive restarts."""

from __future__ import annotations

from pathlib import Path

import httpx

from skipup_campaigns.api.client import SkipUpClient
from skipup_campaigns.paths import demo_db_path
from skipup_campaigns.private_files import ensure_private_dir
from skipup_campaigns.sandbox import SandboxSettings, create_app, open_store

DEMO_KEY = "sk_test_admin"
DEMO_URL = "http://127.0.0.1/api/v1"


def reset_demo_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def demo_client(*, reset: bool = False, path: Path | None = None,
                api_key: str = DEMO_KEY) -> SkipUpClient:
    path = path or demo_db_path()
    ensure_private_dir(path.parent)  # 0700: the database holds what the user typed
    if reset:
        reset_demo_db(path)
    store = open_store(str(path))
    app = create_app(store, SandboxSettings())
    return SkipUpClient(api_key, DEMO_URL, transport=httpx.ASGITransport(app))
