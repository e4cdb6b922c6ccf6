"""Views at scale, each figure beside a filter keystroke measured in the same run (the
budgets: a view's count costs no more than a keystroke; a switch between views ≤ 50 ms).

    python -m tests.benchmarks.bench_views            # 100,000 campaigns
    python -m tests.benchmarks.bench_views 10000
    python -m tests.benchmarks.bench_views --cpu      # CPU time instead of wall time

Figures (headless, 120×40, nine views in the tabs):
- a filter keystroke → frame (the baseline; the tabs' counts are part of every frame);
- the nine counts alone: first made (each view's filter over everything), then after a page
  of 1,000 new campaigns (only those go through each kept result), then after a mark;
- a switch between views (`1`…`9`'s action, round and round) → frame.
Nothing here asserts a time; the regular test suite never does.
"""

from __future__ import annotations

import asyncio
import gc
import sys
import time
from datetime import timedelta
from types import SimpleNamespace

import httpx

from skipup_campaigns.api import SkipUpClient
from skipup_campaigns.sandbox import SandboxSettings, create_app, open_store
from skipup_campaigns.startup.setup import build_workspace
from skipup_campaigns.tui.app import CampaignsApp, UISettings
from skipup_campaigns.tui.list_screen import ListScreen
from skipup_campaigns.workspace.views import views_from_config
from tests.benchmarks.bench_list import NOW, TYPED, WORDS, ms, summary
from tests.benchmarks.bench_marks import keystrokes

VIEWS = views_from_config(
    [
        {"name": "Sales", "filter": "team:sales"},
        {"name": "Ending soon", "filter": "ends:<7d", "sort": "end"},
        {"name": "Struggling", "filter": "rate:<20 requests:>=50", "sort": "requests"},
        {"name": "Booked", "filter": "booked:>0", "sort": "booked"},
        {"name": "Fresh", "filter": "updated:<24h", "sort": "updated"},
        {"name": "Marked", "filter": "marked", "active": False},
        {"name": "Summits", "filter": "summit", "sort": "name"},
        {"name": "Busy", "filter": "status:active requests:>=100", "sort": "rate"},
        {"name": "Everything", "active": False},
    ],
    "bench",
)


def campaign(n: int) -> SimpleNamespace:
    """A campaign as the collection reads it, with moments and rates that vary."""
    name = f"{WORDS[n % 20].title()} {WORDS[(n * 7) % 20]} {n + 1}"
    requests = (n * 37) % 900
    booked = (requests * ((n * 13) % 100)) // 100
    return SimpleNamespace(
        id=f"cmp_{n:08d}",
        name=name,
        slug=name.lower().replace(" ", "-"),
        description=f"Synthetic campaign {n}",
        email_address=f"c{n}.acme@skipup.co",
        team_id="tm_1",
        team_name=("Sales", "Partnerships", "Customer Success")[n % 3],
        active=n % 10 != 0,
        starts_at=None if n % 4 else NOW - timedelta(days=n % 30),
        ends_at=None if n % 3 else NOW + timedelta(days=(n % 40) - 10),
        deactivated_at=None,
        meeting_request_count=requests,
        meetings_booked_count=booked,
        booking_rate=round(booked * 100 / requests, 1) if requests else 0.0,
        created_at=NOW - timedelta(minutes=n),
        updated_at=NOW - timedelta(hours=n % 72),
    )


async def bench(count: int) -> None:
    rows = [campaign(n) for n in range(count)]
    store = open_store(":memory:", seed="empty", clock=lambda: NOW)
    client = SkipUpClient(
        "sk_test_admin",
        "http://127.0.0.1/api/v1",
        transport=httpx.ASGITransport(create_app(store, SandboxSettings(rate_limit=0))),
    )
    app = CampaignsApp(
        build_workspace(client, clock=lambda: NOW, views=VIEWS), ui=UISettings(remember_theme=False)
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, ListScreen)
        collection, views = app.workspace.collection, app.workspace.views
        collection.merge(rows, NOW)
        gc.collect()  # as the app's load leaves 100,000 rows: frozen (workspace/long_lived.py)
        gc.freeze()
        started = time.perf_counter()
        views.counts(NOW)
        first = time.perf_counter() - started
        # (marking announces it: the screen's tabs count again, untimed)
        app.workspace.marks.mark(row.id for row in collection.rows()[::100])
        counts = views.counts(NOW)
        await pilot.press("9")
        await pilot.pause()
        typing = keystrokes(screen, pilot)
        typed = await typing
        key_median, key_p95 = summary(typed)
        page = [campaign(n) for n in range(count, count + 1000)]
        for item in page:
            item.created_at = NOW - timedelta(minutes=count + 10)
        collection.merge(page, NOW)
        started = time.perf_counter()
        views.counts(NOW)
        after_page = time.perf_counter() - started
        app.workspace.marks.toggle(rows[5].id)
        started = time.perf_counter()
        views.counts(NOW)
        after_mark = time.perf_counter() - started
        switches = []
        for _ in range(3):
            for number in range(1, 10):  # as the keystroke is measured: the action, a frame
                started = time.perf_counter()
                screen.action_view(number)
                await pilot.pause()
                switches.append(time.perf_counter() - started)
        switch_median, switch_p95 = summary(switches)
        print(f"\nViews at {count:,} campaigns (120×40, nine views; counts {counts})")
        print(
            f"  filter keystroke → frame ('{TYPED}' typed, deleted): median "
            f"{ms(key_median)}, p95 {ms(key_p95)}   (the baseline)"
        )
        print(
            f"  nine counts, first made:                  {ms(first)}   "
            f"({first / key_median:.2f}× a keystroke)"
        )
        print(
            f"  nine counts after a page of 1,000:        {ms(after_page)}   "
            f"({after_page / key_median:.2f}× a keystroke)"
        )
        print(
            f"  nine counts after a mark:                 {ms(after_mark)}   "
            f"({after_mark / key_median:.2f}× a keystroke)"
        )
        print(
            f"  a switch between views → frame: median {ms(switch_median)}, "
            f"p95 {ms(switch_p95)}   ({switch_median / key_median:.2f}× a keystroke; "
            "budget 50 ms)"
        )


def main(count: int | None = None) -> None:
    numbers = [arg for arg in sys.argv[1:] if arg.isdigit()]
    if count is None:
        count = int(numbers[0]) if numbers else 100_000
    if "--cpu" in sys.argv:
        # Every figure (the keystroke's too, timed in bench_marks) as this process's CPU time:
        # on a busy machine the wall time is mostly the machine's queue.
        time.perf_counter = time.process_time
    asyncio.run(bench(count))


if __name__ == "__main__":
    main()
