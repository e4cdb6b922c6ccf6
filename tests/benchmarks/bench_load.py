"""Loading a whole workspace: the client against a raw httpx floor, and the list's memory.

    python -m tests.benchmarks.bench_load            # 1,000 / 10,000 / 100,000 campaigns
    python -m tests.benchmarks.bench_load 10000

A sandbox process on a loopback port serves N synthetic campaigns from a file database; its
kept-alive latency is checked first (`stall_check`: a stall there would be in the floor too).
For each N this prints:
- full load through SkipUpClient (typed pages, validated from bytes), and through its records
  (the list's read: api/records.py), beside a plain httpx loop
  that fetches and json-decodes the same pages, best of five, alternating: wall time, and the
  benchmark process's own CPU time (steadier on a busy machine, and blind to the server);
- the peak RSS of a process that loads all N as the UI does (tests/peak_memory.py), beside
  the same process doing nothing but importing the UI (its floor).
Figures only, no assertions: these machines are noisy, read the ratios.
"""

from __future__ import annotations

import asyncio
import json
import os
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


async def through_client(url: str) -> int:
    count = 0
    async with SkipUpClient(KEY, url) as client:
        async for page in client.iter_campaign_pages():
            count += len(page.data)
    return count


async def through_records(url: str) -> int:
    """The list's read: plain campaigns as records, without a model each."""
    count = 0
    async with SkipUpClient(KEY, url) as client:
        async for page in client.iter_campaign_records():
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
    """(campaigns loaded, peak MB) of tests/peak_memory.py: the UI's load in a fresh
    interpreter (its list cache in a directory of its own), or only its imports."""
    with tempfile.TemporaryDirectory() as cache:
        done = subprocess.run(
            [sys.executable, "-m", "tests.peak_memory", url if load else "--idle"],
            env={**os.environ, "XDG_CACHE_HOME": cache},
            capture_output=True,
            text=True,
            check=True,
            timeout=900,
        )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return int(figures["loaded"]), float(figures["peak_mb"])


def bench(count: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        sandbox, url = start_sandbox(
            Path(directory) / "load.db", "--seed", "empty", "--seed-count", str(count)
        )
        try:
            check = stall_check(url)
            ours, floor, ours_cpu, floor_cpu, records, records_cpu = [], [], [], [], [], []
            for _ in range(5):
                seconds, cpu, loaded = timed(through_records, url)
                assert loaded == count, loaded
                records.append(seconds)
                records_cpu.append(cpu)
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
    print(
        f"  full load through the client   {min(ours) * 1000:8.0f} ms   "
        f"(CPU {min(ours_cpu) * 1000:.0f} ms)"
    )
    print(
        f"  the list's read (records)      {min(records) * 1000:8.0f} ms   "
        f"(CPU {min(records_cpu) * 1000:.0f} ms)   ratio {min(records) / min(floor):.2f}× "
        f"wall, {min(records_cpu) / min(floor_cpu):.2f}× CPU"
    )
    print(
        f"    floor: raw httpx + json      {min(floor) * 1000:8.0f} ms   "
        f"(CPU {min(floor_cpu) * 1000:.0f} ms)   "
        f"ratio {min(ours) / min(floor):.2f}× wall, {min(ours_cpu) / min(floor_cpu):.2f}× CPU"
    )
    print(f"  peak RSS with all {loaded:,} in the list  {rss:6.0f} MB")
    print(
        f"    floor: the UI's and client's imports   {idle:6.0f} MB   "
        f"(+{rss - idle:.0f} MB for the campaigns)"
    )


def main() -> None:
    for count in [int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000]:
        bench(count)


if __name__ == "__main__":
    main()
