"""Report and history benchmarks, each figure beside a floor measured in the same run.

    python -m tests.benchmarks.bench_report            # 100,000 campaigns
    python -m tests.benchmarks.bench_report 10000      # another size

Machines here are noisy: read the ratios, not the absolute times. Nothing here asserts a time.

Figures:
- build_report over N collection rows (by team, by status, best/worst five), median of 7,
  against a bare `sum()` of the requests over the same rows (the floor of any one pass);
- the report screen's open (R pressed to its first frame drawn) over N loaded campaigns in the
  real app under Pilot, against the help screen's open measured the same way in the same run
  (the issue asks for 200 ms at 100,000);
- history: the first record of N campaigns (every row new), a second with 1 % changed, and
  counts as of a moment (the Δ column's baseline), against a bare executemany of N rows into
  an in-memory table.
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from skipup_campaigns.api.models import Campaign
from skipup_campaigns.history.store import open_history
from skipup_campaigns.report import build_report
from skipup_campaigns.startup.setup import build_workspace
from skipup_campaigns.workspace.collection import CampaignCollection

NOW = datetime(2026, 6, 15, 12, tzinfo=timezone.utc)
TEAMS = [(f"tm_{n}", f"Team {n}") for n in range(12)]


def campaigns(count: int) -> list[Campaign]:
    out = []
    for n in range(count):
        requests = (n * 37) % 900
        team_id, team_name = TEAMS[n % len(TEAMS)]
        out.append(
            Campaign.model_construct(
                id=f"cmp_{n:08d}",
                name=f"Campaign {n}",
                slug=f"campaign-{n}",
                description=None,
                email_address=None,
                team_id=team_id,
                team_name=team_name,
                active=n % 10 != 0,
                starts_at=NOW - timedelta(days=n % 40),
                ends_at=NOW + timedelta(days=(n % 50) - 10),
                deactivated_at=NOW if n % 17 == 0 else None,
                meeting_request_count=requests,
                meetings_booked_count=(requests * (n % 7)) // 9,
                booking_rate=0.0,
                created_at=NOW - timedelta(minutes=n),
                updated_at=NOW,
            )
        )
    return out


def timed(action: Callable[[], Any], repeat: int = 7) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def main(size: int) -> None:
    models = campaigns(size)
    collection = CampaignCollection()
    collection.merge(models, NOW)
    rows = collection.rows()
    floor = timed(lambda: sum(row.requests for row in rows))
    report = timed(lambda: build_report(rows))
    baseline = {row.id: row for row in rows[::2]}
    with_gains = timed(lambda: build_report(rows, baseline=baseline))
    print(
        f"report of {size:,} campaigns: {report:.1f} ms (with team Δ {with_gains:.1f} ms); "
        f"bare sum() pass {floor:.1f} ms; ratio {report / floor:.1f}x"
    )

    counts = [(c.id, c.meeting_request_count, c.meetings_booked_count) for c in models]
    with tempfile.TemporaryDirectory() as directory:
        bare = sqlite3.connect(":memory:")
        bare.execute("CREATE TABLE t (id TEXT, at INTEGER, r INTEGER, b INTEGER)")
        started = time.perf_counter()
        with bare:
            bare.executemany("INSERT INTO t VALUES (?, 0, ?, ?)", counts)
        floor = (time.perf_counter() - started) * 1000
        store = open_history(Path(directory) / "h.sqlite3")
        started = time.perf_counter()
        store.record(counts, at=NOW)
        first = (time.perf_counter() - started) * 1000
        moved = [(i, r + (1 if n % 100 == 0 else 0), b) for n, (i, r, b) in enumerate(counts)]
        started = time.perf_counter()
        stored = store.record(moved, at=NOW + timedelta(minutes=1))
        second = (time.perf_counter() - started) * 1000
        store.close()
        fresh = open_history(Path(directory) / "h.sqlite3")  # cold: reads `latest` first
        moved = [(i, r + (2 if n % 100 == 0 else 0), b) for n, (i, r, b) in enumerate(counts)]
        started = time.perf_counter()
        fresh.record(moved, at=NOW + timedelta(minutes=2))
        cold = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        fresh.counts_at(NOW + timedelta(seconds=90))
        as_of = (time.perf_counter() - started) * 1000
        fresh.close()
    print(
        f"history of {size:,} campaigns: first record {first:.0f} ms, then {stored:,} "
        f"changed {second:.0f} ms (cold {cold:.0f} ms), counts as of a moment {as_of:.0f} ms; "
        f"bare executemany of {size:,} rows in memory {floor:.0f} ms"
    )


class _PagesClient:
    """Just enough of a client for the workspace's load: the campaigns in pages, no HTTP."""

    def __init__(self, models: list[Campaign]) -> None:
        self.models = models

    async def iter_campaign_pages(self, **_: Any) -> Any:
        from types import SimpleNamespace

        for start in range(0, len(self.models), 1000):
            yield SimpleNamespace(data=self.models[start : start + 1000], skipped=[])

    async def aclose(self) -> None:
        pass


async def screen_opens(models: list[Campaign], repeat: int = 5) -> tuple[float, float, float]:
    """Median milliseconds from the key to the first frame drawn of the report and of the
    help screen (the app's every frame is timed), over the loaded list, alternately; and a
    key that changes nothing, pressed and waited for by Pilot (its own cost)."""
    import asyncio

    from skipup_campaigns.tui.app import CampaignsApp
    from skipup_campaigns.tui.dialogs import HelpScreen
    from skipup_campaigns.tui.report_screen import ReportScreen

    app = CampaignsApp(build_workspace(_PagesClient(models), clock=lambda: NOW))  # type: ignore[arg-type]
    report_times: list[float] = []
    help_times: list[float] = []
    idle_times: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(app.workspace.collection) == len(models)

        frames: list[tuple[float, object]] = []
        display = app._display

        def recording(screen: Any, renderable: Any) -> None:
            if renderable is not None:
                frames.append((time.perf_counter(), screen))
            display(screen, renderable)

        app._display = recording  # type: ignore[method-assign] - each frame's time and screen

        async def opened(key: str, kind: type, into: list[float]) -> None:
            frames.clear()
            started = time.perf_counter()
            await pilot.press(key)
            deadline = started + 30
            while (
                not any(isinstance(screen, kind) for _, screen in frames)
                and time.perf_counter() < deadline
            ):
                await asyncio.sleep(0.001)
            first = next(at for at, screen in frames if isinstance(screen, kind))
            into.append((first - started) * 1000)
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()

        for _ in range(repeat):
            await opened("R", ReportScreen, report_times)
            await opened("question_mark", HelpScreen, help_times)
            started = time.perf_counter()
            await pilot.press("F12")  # bound to nothing
            await pilot.pause()
            idle_times.append((time.perf_counter() - started) * 1000)
    return (
        statistics.median(report_times),
        statistics.median(help_times),
        statistics.median(idle_times),
    )


def bench_screen(size: int) -> None:
    import asyncio

    report, help_, idle = asyncio.run(screen_opens(campaigns(size)))
    print(
        f"report screen over {size:,} campaigns: opens in {report:.0f} ms (goal 200 ms); "
        f"help screen {help_:.0f} ms (ratio {report / help_:.1f}x); a key that does "
        f"nothing {idle:.0f} ms (Pilot's press and pause)"
    )


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    bench_screen(size)
    main(size)
