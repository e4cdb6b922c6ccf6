"""--demo: the sandbox in-process on a database in the user's data directory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from skipup_campaigns.paths import demo_db_path
from skipup_campaigns.startup.connection import demo_client


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


async def test_closing_the_demo_stops_its_activity_off_the_loop_and_closes_its_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3
    import threading

    from skipup_campaigns import demo
    from skipup_campaigns.sandbox import activity

    stores: list[Any] = []
    stopped_on: list[threading.Thread] = []
    opened = demo.open_store
    started = activity.start_activity

    def open_store(path: str) -> Any:
        stores.append(opened(path))
        return stores[-1]

    def start_activity(*args: Any, **kwargs: Any) -> Any:
        stop = started(*args, **kwargs)

        def recording_stop() -> None:
            stopped_on.append(threading.current_thread())
            stop()

        return recording_stop

    monkeypatch.setattr(demo, "open_store", open_store)
    monkeypatch.setattr(activity, "start_activity", start_activity)
    client = demo_client(path=tmp_path / "demo.db", activity=60.0)
    assert (await client.list_campaigns()).data
    await client.aclose()
    assert stopped_on and stopped_on[0] is not threading.main_thread()
    with pytest.raises(sqlite3.ProgrammingError):  # closed
        stores[0]._db.execute("SELECT 1")  # noqa: SLF001
