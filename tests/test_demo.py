"""--demo: the sandbox in-process on a database in the user's data directory."""

from __future__ import annotations

import os
from pathlib import Path

from skipup_campaigns.demo import demo_client
from skipup_campaigns.paths import demo_db_path


async def names(reset: bool = False) -> list[str]:
    async with demo_client(reset=reset) as client:
        return [c.name async for c in client.iter_campaigns()]


async def test_demo_edits_survive_restarts_and_reset_starts_afresh() -> None:
    path = demo_db_path()
    assert str(path).startswith(os.environ["XDG_DATA_HOME"])
    assert not path.exists()
    async with demo_client() as client:
        team = [t async for t in client.iter_teams() if t.active][0]
        await client.create_campaign(name="Kept across restarts", team_id=team.id)
    assert Path(path).exists()
    assert "Kept across restarts" in await names()
    fresh = await names(reset=True)
    assert "Kept across restarts" not in fresh and len(fresh) == 40
