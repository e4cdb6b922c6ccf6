"""A bounded mixed load against a sandbox process: N clients, each with its own campaigns,
reading, creating, patching and deactivating until a deadline. It records what the server
acknowledged, so the tests can check that nothing acknowledged was lost."""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field

from skipup_campaigns.api import SkipUpClient
from skipup_campaigns.api.errors import SkipUpError


@dataclass
class Ledger:
    """What the server said yes to, and how long each answer took."""

    latencies: list[float] = field(default_factory=list)
    created: set[str] = field(default_factory=set)
    last_description: dict[str, str] = field(default_factory=dict)
    """Campaign id → the last description the server acknowledged (one writer per campaign)."""
    sent_description: dict[str, str] = field(default_factory=dict)
    """Campaign id → the last description sent, acknowledged or not (may have landed)."""
    deactivated: set[str] = field(default_factory=set)
    errors: int = 0


async def _client_loop(
    number: int, url: str, deadline: float, ledger: Ledger, team_id: str, stop: asyncio.Event
) -> None:
    rng = random.Random(number)
    mine: list[str] = []
    writes = 0
    async with SkipUpClient("sk_test_admin", url, max_retries=0, timeout=10) as client:
        while time.monotonic() < deadline and not stop.is_set():
            roll = rng.random()
            started = time.perf_counter()
            try:
                if roll < 0.4 or not mine and roll < 0.6:
                    await client.list_campaigns(limit=100)
                elif roll < 0.6:
                    await client.get_campaign(rng.choice(mine))
                elif roll < 0.75 or not mine:
                    made = await client.create_campaign(
                        name=f"Load c{number} n{writes}", team_id=team_id
                    )
                    mine.append(made.id)
                    ledger.created.add(made.id)
                elif roll < 0.95:
                    target = rng.choice(mine)
                    text = f"client {number} write {writes}"
                    ledger.sent_description[target] = text
                    await client.update_campaign(target, description=text)
                    ledger.last_description[target] = text
                else:
                    target = mine.pop(rng.randrange(len(mine)))
                    await client.deactivate_campaign(target)
                    ledger.deactivated.add(target)
            except SkipUpError:
                ledger.errors += 1
                if stop.is_set():
                    return
                await asyncio.sleep(0.05)
                continue
            finally:
                writes += 1
            ledger.latencies.append(time.perf_counter() - started)


async def run_load(
    url: str, *, clients: int, seconds: float, team_id: str, stop: asyncio.Event | None = None
) -> Ledger:
    ledger = Ledger()
    deadline = time.monotonic() + seconds
    stop = stop or asyncio.Event()
    await asyncio.gather(
        *(_client_loop(n, url, deadline, ledger, team_id, stop) for n in range(clients))
    )
    return ledger


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]
