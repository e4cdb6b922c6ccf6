"""Marks at scale, each figure beside the filter keystroke measured in the same run (the
budget: a keystroke at 100,000 campaigns answers within 50 ms).

    python -m tests.benchmarks.bench_marks            # 100,000 campaigns
    python -m tests.benchmarks.bench_marks 10000

Figures (headless, 120×40):
- the filter keystroke → frame, with no marks (the baseline) and with every campaign marked
  (the top bar then counts the marks among the shown rows on every keystroke);
- `*` on every campaign shown → frame (mark all), and again (unmark all);
- the top bar's count alone (`marked_among` over the shown rows).
Nothing here asserts a time; the regular test suite never does.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time

import httpx

from skipup_campaigns.api import SkipUpClient
from skipup_campaigns.sandbox import SandboxSettings, create_app, open_store
from skipup_campaigns.startup.setup import build_workspace
from skipup_campaigns.tui.app import CampaignsApp, UISettings
from skipup_campaigns.tui.list_screen import ListScreen
from skipup_campaigns.workspace.marks import marked_among
from tests.benchmarks.bench_list import NOW, TYPED, campaigns, ms, summary


async def keystrokes(screen: ListScreen, pilot: object) -> list[float]:
    steps = [TYPED[:i] for i in range(1, len(TYPED) + 1)]
    steps += [TYPED[:i] for i in range(len(TYPED) - 1, -1, -1)]
    samples = []
    for text in steps:
        started = time.perf_counter()
        screen.filter_input.value = text
        await pilot.pause()  # type: ignore[attr-defined]
        samples.append(time.perf_counter() - started)
    return samples


async def bench(count: int) -> None:
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
        screen.active_only = False
        screen.update_view()
        await pilot.pause()
        marks = app.workspace.marks

        plain = await keystrokes(screen, pilot) + await keystrokes(screen, pilot)
        # The key's action and the frame, measured as the keystroke is (its change, then the
        # frame); pilot.press adds its own pauses around a key.
        star, unstar, pressed = [], [], []
        for _ in range(5):
            started = time.perf_counter()
            screen.action_mark_all()
            await pilot.pause()
            star.append(time.perf_counter() - started)
            assert len(marks) == count
            started = time.perf_counter()
            screen.action_mark_all()
            await pilot.pause()
            unstar.append(time.perf_counter() - started)
            assert not marks
            started = time.perf_counter()
            await pilot.press("asterisk")
            pressed.append(time.perf_counter() - started)
            await pilot.press("asterisk")
        await pilot.press("asterisk")
        marked = await keystrokes(screen, pilot) + await keystrokes(screen, pilot)
        shown = screen.table.rows
        count_only = []
        for _ in range(20):
            started = time.perf_counter()
            marked_among(marks.ids, shown)
            count_only.append(time.perf_counter() - started)

    k_med, k_p95 = summary(plain)
    print(f"\n{count:,} campaigns, all shown (120×40, headless)")
    print(f"  baseline: filter keystroke → frame, no marks    median {ms(k_med)}  p95 {ms(k_p95)}")
    m_med, m_p95 = summary(marked)
    print(
        f"  filter keystroke → frame, all {count:,} marked  median {ms(m_med)}  "
        f"p95 {ms(m_p95)}  ({m_med / k_med:.2f}× the baseline)"
    )
    print(
        f"  * mark all shown → frame                 median {ms(statistics.median(star))}  "
        f"max {ms(max(star))}  ({statistics.median(star) / k_med:.2f}× a keystroke)"
    )
    print(
        f"  * again: unmark all → frame              median "
        f"{ms(statistics.median(unstar))}  max {ms(max(unstar))}"
    )
    print(f"  * through pilot.press (its own pauses too)  median {ms(statistics.median(pressed))}")
    print(f"  the top bar's count alone (marked_among)  median {ms(statistics.median(count_only))}")


def main() -> None:
    for size in [int(a) for a in sys.argv[1:]] or [100_000]:
        asyncio.run(bench(size))


if __name__ == "__main__":
    main()
