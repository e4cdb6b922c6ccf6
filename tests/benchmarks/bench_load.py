"""Loading a whole workspace: the client against a raw httpx floor, and the list's memory.

    python -m tests.benchmarks.bench_load            # 1,000 / 10,000 / 100,000 campaigns
    python -m tests.benchmarks.bench_load 10000

A sandbox process on a loopback port serves N synthetic campaigns from a file database; its
kept-alive latency is checked first (`stall_check`: a stall there would be in the floor too).
For each N this prints:
- full load through SkipUpClient (typed pages, validated from bytes) beside a plain httpx loop
  that fetches and json-decodes the same pages, best of five, alternating: wall time, and the
  benchmark process's own CPU time (steadier on a busy machine, and blind to the server);
- the peak RSS of a process that loads all N into the list's collection, beside the same
  process doing nothing but importing the UI (its floor).
Figures only, no assertions: these machines are noisy, read the ratios.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from skipup_campaigns.api import SkipUpClient
from tests.benchmarks.bench_server import stall_check
from tests.processes import start_sandbox

KEY = "sk_test_admin"

MEMORY_PROBE = """
import asyncio, sys
from skipup_campaigns.workspace.collection import CampaignCollection
from skipup_campaigns.tui.app import CampaignsApp  # the UI's imports, as in the real app
from skipup_campaigns.api import SkipUpClient
url, load = sys.argv[1], sys.argv[2] == "load"
async def main():
    collection = CampaignCollection()
    if load:
        async with SkipUpClient("sk_test_admin", url) as client:
            async for page in client.iter_campaign_pages():
                collection.merge(page.data)
    # VmHWM, not ru_maxrss: the latter keeps the parent's peak across fork and exec.
    status = open("/proc/self/status").read()
    peak_kb = int(next(l for l in status.splitlines() if l.startswith("VmHWM:")).split()[1])
    print(len(collection), peak_kb)
asyncio.run(main())
"""


async def through_client(url: str) -> int:
    count = 0
    async with SkipUpClient(KEY, url) as client:
        async for page in client.iter_campaign_pages():
            count += len(page.data)
    return count


async def raw_httpx(url: str) -> int:
    rows: list[dict] = []
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {KEY}"}) as http:
        cursor = None
        while True:
            params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
            body = (await http.get(f"{url}/campaigns", params=params)).json()
            rows += body["data"]
            cursor = body["meta"]["next_cursor"]
            if not cursor:
                return len(rows)


def timed(coroutine_factory, url: str) -> tuple[float, float, int]:  # noqa: ANN001
    """(wall seconds, this process's CPU seconds, campaigns loaded)."""
    started, cpu = time.perf_counter(), time.process_time()
    count = asyncio.run(coroutine_factory(url))
    return time.perf_counter() - started, time.process_time() - cpu, count


def peak_rss_mb(url: str, load: bool) -> tuple[int, float]:
    done = subprocess.run([sys.executable, "-c", MEMORY_PROBE, url, "load" if load else "idle"],
                          capture_output=True, text=True, check=True, timeout=600)
    count, kilobytes = done.stdout.split()
    return int(count), int(kilobytes) / 1024


def bench(count: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        sandbox, url = start_sandbox(Path(directory) / "load.db", "--seed", "empty",
                                     "--seed-count", str(count))
        try:
            check = stall_check(url)
            ours, floor, ours_cpu, floor_cpu = [], [], [], []
            for _ in range(5):
                seconds, cpu, loaded = timed(through_client, url)
                assert loaded == count, loaded
                ours.append(seconds)
                ours_cpu.append(cpu)
                seconds, cpu, loaded = timed(raw_httpx, url)
                assert loaded == count, loaded
                floor.append(seconds)
                floor_cpu.append(cpu)
            loaded, rss = peak_rss_mb(url, load=True)
            _, idle = peak_rss_mb(url, load=False)
        finally:
            sandbox.terminate()
            sandbox.wait(timeout=30)
    print(f"\n{count:,} campaigns, sandbox process on loopback, best of 5")
    print(check)
    print(f"  full load through the client   {min(ours) * 1000:8.0f} ms   "
          f"(CPU {min(ours_cpu) * 1000:.0f} ms)")
    print(f"    floor: raw httpx + json      {min(floor) * 1000:8.0f} ms   "
          f"(CPU {min(floor_cpu) * 1000:.0f} ms)   "
          f"ratio {min(ours) / min(floor):.2f}× wall, {min(ours_cpu) / min(floor_cpu):.2f}× CPU")
    print(f"  peak RSS with all {loaded:,} in the list  {rss:6.0f} MB")
    print(f"    floor: the UI's and client's imports   {idle:6.0f} MB   "
          f"(+{rss - idle:.0f} MB for the campaigns)")


def main() -> None:
    for count in [int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000]:
        bench(count)


if __name__ == "__main__":
    main()
