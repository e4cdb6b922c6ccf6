"""A local server that behaves like the SkipUp Campaigns API.

It is the other side of the wire: it imports nothing from the client (`api/`) or the UI, so a
bug in one side cannot hide behind the same bug in the other.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from skipup_campaigns.sandbox.app import ApiKey, SandboxSettings, create_app, parse_key_spec
from skipup_campaigns.sandbox.seed import DEFAULT_RANDOM_SEED, seed_demo, seed_synthetic
from skipup_campaigns.sandbox.store import Store

__all__ = ["ApiKey", "SandboxSettings", "Store", "create_app", "open_store", "parse_key_spec"]


def open_store(
    db: str = ":memory:",
    *,
    seed: str = "demo",
    seed_count: int = 0,
    random_seed: int = DEFAULT_RANDOM_SEED,
    clock: Callable[[], datetime] | None = None,
) -> Store:
    """Open (or create) a sandbox database; a new one is seeded, an existing one kept as is."""
    if seed not in ("demo", "empty"):
        raise ValueError(f"seed must be 'demo' or 'empty', not {seed!r}")
    store = Store(db, clock=clock)
    if store.is_empty():
        seed_demo(store, random_seed=random_seed, campaigns=seed == "demo")
        if seed_count:
            seed_synthetic(store, seed_count, random_seed=random_seed)
    return store
