"""List-screen benchmarks, each figure printed beside a floor measured in the same run.

    python -m tests.benchmarks.bench_list            # 1,000 / 10,000 / 100,000 campaigns
    python -m tests.benchmarks.bench_list 10000      # one size

Machines here are noisy: read the ratios, not the absolute times. Nothing here asserts a time;
the regular test suite never does.

Figures:
- filter keystroke → frame ready (headless, 120×40), median and p95, against the pure
  filtering floor (the collection's own work) and a full repaint of the same screen;
- sort and active/all toggle → frame ready;
- process start → first rows on screen in a real pty, cold and warm from the cache, for the
  demo and for each size, against a bare Textual app showing a 25-row DataTable (both started
  the same way, best of several runs).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import textwrap
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx

from skipup_campaigns.api import SkipUpClient
from skipup_campaigns.api.models import Campaign
from skipup_campaigns.sandbox import SandboxSettings, create_app, open_store
from skipup_campaigns.startup.setup import build_workspace
from skipup_campaigns.tui.app import CampaignsApp, UISettings
from skipup_campaigns.tui.list_screen import ListScreen
from skipup_campaigns.workspace.collection import spec_for

NOW = datetime(2026, 6, 15, 12, tzinfo=timezone.utc)
WORDS = (
    "spring summer autumn winter webinar roadshow summit outreach trial renewal demo "
    "partner field launch pipeline expansion meetup briefing enterprise regional"
).split()
TYPED = "webinar summit 1"


def campaigns(count: int) -> list[Campaign]:
    out = []
    for n in range(count):
        name = f"{WORDS[n % 20].title()} {WORDS[(n * 7) % 20]} {n + 1}"
        requests = (n * 37) % 900
        out.append(
            Campaign.model_validate(
                {
                    "id": f"cmp_{n:08d}",
                    "name": name,
                    "slug": name.lower().replace(" ", "-"),
                    "description": f"Synthetic campaign {n}",
                    "email_address": f"c{n}.acme@skipup.co",
                    "team_id": "tm_1",
                    "team_name": ("Sales", "Partnerships", "Customer Success")[n % 3],
                    "active": n % 10 != 0,
                    "meeting_request_count": requests,
                    "meetings_booked_count": requests // 3,
                    "booking_rate": 33.3,
                    "created_at": NOW - timedelta(minutes=n),
                    "updated_at": NOW,
                }
            )
        )
    return out


async def datatable_rebuild(rows: list[Campaign], steps: list[str]) -> list[float]:
    """The naive floor: a stock DataTable cleared and refilled with the matches per keystroke."""
    from textual.app import App
    from textual.widgets import DataTable

    class Bare(App[None]):
        def compose(self):  # noqa: ANN202
            yield DataTable()

    data = [(c.name, c.team_name, f"{c.booking_rate:.1f}%") for c in rows]
    samples = []
    async with Bare().run_test(size=(120, 40)) as pilot:
        table = pilot.app.query_one(DataTable)
        table.add_columns("Name", "Team", "Rate")
        table.add_rows(data)
        await pilot.pause()
        deadline = time.perf_counter() + 20  # a naive table can take seconds per keystroke
        for text in steps:
            started = time.perf_counter()
            table.clear()
            table.add_rows([row for row in data if text in row[0].lower()])
            await pilot.pause()
            samples.append(time.perf_counter() - started)
            if time.perf_counter() > deadline:
                break
    return samples


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def summary(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


async def bench_size(count: int) -> None:
    rows = campaigns(count)
    store = open_store(":memory:", seed="empty", clock=lambda: NOW)
    client = SkipUpClient(
        "sk_test_admin",
        "http://127.0.0.1/api/v1",
        transport=httpx.ASGITransport(create_app(store, SandboxSettings(rate_limit=0))),
    )
    app = CampaignsApp(
        build_workspace(client, clock=lambda: NOW), ui=UISettings(remember_theme=False)
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, ListScreen)
        screen.collection.merge(rows, NOW)
        screen.update_view()
        await pilot.pause()

        # Keystrokes: type the phrase, then delete it again, a character at a time.
        steps = [TYPED[:i] for i in range(1, len(TYPED) + 1)]
        steps += [TYPED[:i] for i in range(len(TYPED) - 1, -1, -1)]
        keystroke, floor = [], []
        for _ in range(2):
            for text in steps:
                started = time.perf_counter()
                screen.filter_input.value = text
                await pilot.pause()
                keystroke.append(time.perf_counter() - started)
        for _ in range(2):
            # Measure the same work cold: no kept view, no kept filter results.
            screen.collection._last = None  # noqa: SLF001
            screen.collection._filtered.clear()  # noqa: SLF001
            for text in steps:
                spec = spec_for(text, active_only=True, sort="created", reverse=False)
                started = time.perf_counter()
                screen.collection.view(spec)
                floor.append(time.perf_counter() - started)
        repaint = []
        for _ in range(20):
            started = time.perf_counter()
            screen.refresh()
            screen.table.refresh()
            await pilot.pause()
            repaint.append(time.perf_counter() - started)

        sorts, toggles = [], []
        for _ in range(5):
            started = time.perf_counter()
            await pilot.press("s")
            sorts.append(time.perf_counter() - started)
            started = time.perf_counter()
            await pilot.press("a")
            toggles.append(time.perf_counter() - started)

    rebuild = await datatable_rebuild(rows, steps)
    k_med, k_p95 = summary(keystroke)
    f_med, f_p95 = summary(floor)
    r_med, _ = summary(repaint)
    print(f"\n{count:,} campaigns (120×40, headless)")
    print(f"  filter keystroke → frame   median {ms(k_med)}  p95 {ms(k_p95)}")
    print(f"    floor: filtering only    median {ms(f_med)}  p95 {ms(f_p95)}")
    print(
        f"    floor: full repaint      median {ms(r_med)}   "
        f"(keystroke = {k_med / r_med:.2f}× a repaint)"
    )
    d_med, d_p95 = summary(rebuild)
    print(
        f"    vs rebuilding a DataTable median {ms(d_med)}  p95 {ms(d_p95)}   "
        f"({len(rebuild)} keystrokes; ours is {d_med / k_med:.1f}× faster)"
    )
    print(
        f"  sort (s) → frame           median {ms(statistics.median(sorts))}  max {ms(max(sorts))}"
    )
    print(
        f"  toggle (a) → frame         median {ms(statistics.median(toggles))}  "
        f"max {ms(max(toggles))}"
    )


BARE_APP = textwrap.dedent("""
    from textual.app import App
    from textual.widgets import DataTable

    class Bare(App):
        def compose(self):
            yield DataTable()

        def on_mount(self):
            table = self.query_one(DataTable)
            table.add_columns("Name", "Team", "Rate")
            for n in range(25):
                table.add_row(f"NAA 2026 row {n}", "Sales", "43.0%")

    Bare().run()
""")


def first_appearance(argv: list[str], marker: bytes, env: dict[str, str]) -> float:
    from tests.e2e.terminal import Terminal

    started = time.perf_counter()
    with Terminal(argv, cols=120, rows=40, env=env) as term:
        while marker not in term.raw:
            if time.perf_counter() - started > 30:
                raise RuntimeError(f"{marker!r} never appeared")
            time.sleep(0.002)
        elapsed = time.perf_counter() - started
    return elapsed


def prime_cache(db: Path, env: dict[str, str]) -> None:
    """Write the list cache the app would write after a full load of `db`, straight from the
    store (a real load of 100,000 demo campaigns takes minutes under the demo's rate limit)."""
    from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
    from skipup_campaigns.startup.list_cache import ListCache

    store = open_store(str(db))
    rows, cursor = [], None
    while True:
        page, cursor = store.list_campaigns(MAIN_WORKSPACE, active=None, limit=100, cursor=cursor)
        rows += page
        if cursor is None:
            break
    store.close()
    ListCache("demo", "demo", Path(env["XDG_CACHE_HOME"]) / "skipup-campaigns").save(rows)


ROW_DRAWN = "› ".encode()
"""The cursor row's marker: on screen only once campaign rows are (a rate bar is not a sign of
rows: the seed's newest campaigns are scheduled, with no requests and so no bar)."""


def bench_start(sizes: list[int], runs: int = 5) -> None:
    print(f"\nprocess start → first rows on screen (pty, 120×40, best of {runs})")
    with tempfile.TemporaryDirectory() as home:
        bare = Path(home) / "bare.py"
        bare.write_text(BARE_APP)
        floor = min(
            first_appearance([sys.executable, str(bare)], b"NAA 2026 row 0", {})
            for _ in range(runs)
        )
        print(f"  floor: bare Textual app with a 25-row DataTable   {ms(floor)}")
        script = str(Path(sys.executable).with_name("skipup-campaigns"))
        for label, count in [("demo (40)", 0), *[(f"{n:,}", n) for n in sizes]]:
            env = {
                "XDG_DATA_HOME": f"{home}/data{count}",
                "XDG_CONFIG_HOME": f"{home}/config",
                "XDG_CACHE_HOME": f"{home}/cache{count}",
            }
            data = Path(env["XDG_DATA_HOME"]) / "skipup-campaigns"
            data.mkdir(parents=True)
            open_store(
                str(data / "demo.db"), seed="empty" if count else "demo", seed_count=count
            ).close()
            prime_cache(data / "demo.db", env)
            cold = min(
                first_appearance([script, "--demo", "--no-cache"], ROW_DRAWN, env)
                for _ in range(runs)
            )
            warm = min(first_appearance([script, "--demo"], ROW_DRAWN, env) for _ in range(runs))
            print(
                f"  {label:>10} campaigns: cold {ms(cold)} ({cold / floor:.2f}×)   "
                f"warm from cache {ms(warm)} ({warm / floor:.2f}×)"
            )
        bench_start_url(home, script, floor, runs)


def bench_start_url(home: str, script: str, floor: float, runs: int, count: int = 10_000) -> None:
    """The same against a sandbox process at a URL, as against the real API: the cold start
    asks for the first page while the UI imports (startup/early_page.py); `--demo` cannot, its
    server is in-process."""
    from tests.processes import start_sandbox

    sandbox, url = start_sandbox(
        Path(home) / "url.db", "--seed", "empty", "--seed-count", str(count)
    )
    env = {
        "SKIPUP_API_KEY": "sk_test_admin",
        "SKIPUP_BASE_URL": url,
        "XDG_DATA_HOME": f"{home}/url-data",
        "XDG_CONFIG_HOME": f"{home}/config",
        "XDG_CACHE_HOME": f"{home}/url-cache",
    }
    try:
        cold = min(first_appearance([script, "--no-cache"], ROW_DRAWN, env) for _ in range(runs))
        first_appearance([script], b"updated ", env)  # a whole load: it writes the cache
        time.sleep(2)
        warm = min(first_appearance([script], ROW_DRAWN, env) for _ in range(runs))
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=30)
    print(
        f"  {count:>7,} at a URL (sandbox process): cold {ms(cold)} ({cold / floor:.2f}×)   "
        f"warm from cache {ms(warm)} ({warm / floor:.2f}×)   (targets ≤ 1.3× / ≤ 1.2×)"
    )


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000]
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    for size in sizes:
        asyncio.run(bench_size(size))
    bench_start(sizes)


if __name__ == "__main__":
    main()
