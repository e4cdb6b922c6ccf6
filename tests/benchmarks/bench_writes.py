"""The window a checked write leaves: from the fresh GET's answer to the PATCH leaving, under a
tight rate limit with several campaigns in flight, beside the same gap on plain httpx.

    python -m tests.benchmarks.bench_writes              # 60 campaigns, --rate-limit 4
    python -m tests.benchmarks.bench_writes 40 --speed 30

The API has no conditional write, so a colleague's change that lands inside this gap is
overwritten; everything outside it is caught by the check. A bulk edit (`bulk.BulkRun`, four in
flight) runs against the sandbox on loopback with `--rate-limit 4`: two campaigns a window,
every other request waiting for a slot. That many windows would take an hour, so the sandbox's
rate clock and the client's run SPEED times faster (a minute's window lasts 60/SPEED real
seconds); the gaps themselves are real time. A transport under the client stamps each GET of a
campaign when its body's last byte is read, and each PATCH when it is handed to the network.

The floor, in the same run: four tasks, each a GET on plain httpx and, the moment its body is
read, a PATCH of the same campaign, with no decoding, no check and no pacing (a second sandbox,
without a rate limit, so nothing is refused). Figures only: p50, p99 and max of each, and the
ratio of the p99s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from collections.abc import AsyncIterator
from datetime import datetime, timezone
from typing import Any

import httpx

from skipup_campaigns.api import Campaign, SkipUpClient
from skipup_campaigns.bulk.engine import BulkEdit, BulkRun, Outcome, plan
from skipup_campaigns.sandbox import SandboxSettings, create_app, open_store
from skipup_campaigns.sandbox.seed import seed_synthetic
from skipup_campaigns.sandbox.server import serve_in_thread
from tests.fast_rate_clock import FastClock, fast_client

KEY = "sk_test_admin"


class Stamps:
    """Per campaign path: when each GET's body was read, when each PATCH left."""

    def __init__(self) -> None:
        self.answered: dict[str, float] = {}
        self.gaps: list[float] = []

    def got(self, path: str) -> None:
        self.answered[path] = time.perf_counter()

    def patching(self, path: str) -> None:
        self.gaps.append(time.perf_counter() - self.answered[path])


class _StampedBody(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream, done: Any) -> None:
        self.inner, self.done = inner, done

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self.inner:
            yield chunk
        self.done()

    async def aclose(self) -> None:
        await self.inner.aclose()


class StampingTransport(httpx.AsyncBaseTransport):
    def __init__(self, stamps: Stamps) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.stamps = stamps

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        one = path.rsplit("/", 2)[-2] == "campaigns"
        if request.method == "PATCH":
            self.stamps.patching(path)
        response = await self.inner.handle_async_request(request)
        if request.method == "GET" and one:
            assert isinstance(response.stream, httpx.AsyncByteStream)
            response.stream = _StampedBody(response.stream, lambda: self.stamps.got(path))
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def quantiles(gaps: list[float]) -> tuple[float, float, float]:
    ordered = sorted(gaps)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered), p99, ordered[-1]


async def checked_gaps(url: str, campaigns: int, clock: FastClock) -> tuple[list[float], str]:
    stamps = Stamps()
    client_type = fast_client(clock)
    async with client_type(KEY, url, transport=StampingTransport(stamps)) as client:
        loaded = [c async for c in client.iter_campaigns()][:campaigns]
        edit = BulkEdit(ends_at=datetime(2099, 1, 1, tzinfo=timezone.utc))
        report = await BulkRun(client, plan(loaded, edit)).run()
    assert report.count(Outcome.DONE) == campaigns, [
        (r.outcome, r.reason) for r in report.results if r.outcome is not Outcome.DONE
    ]
    return stamps.gaps, report.summary()


async def floor_gaps(url: str, campaigns: list[str]) -> list[float]:
    stamps = Stamps()
    queue: asyncio.Queue[str] = asyncio.Queue()
    for campaign_id in campaigns:
        queue.put_nowait(campaign_id)
    headers = {"Authorization": f"Bearer {KEY}"}
    async with httpx.AsyncClient(
        base_url=url + "/", headers=headers, transport=StampingTransport(stamps)
    ) as http:

        async def worker() -> None:
            while not queue.empty():
                campaign_id = queue.get_nowait()
                await http.get(f"campaigns/{campaign_id}")
                await http.patch(
                    f"campaigns/{campaign_id}", json={"ends_at": "2099-01-01T00:00:00Z"}
                )

        await asyncio.gather(*(worker() for _ in range(4)))
    return stamps.gaps


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("campaigns", type=int, nargs="?", default=60)
    parser.add_argument("--rate-limit", type=int, default=4)
    parser.add_argument(
        "--speed",
        type=float,
        default=60.0,
        help="how much faster the rate limit's clock runs (default 60)",
    )
    args = parser.parse_args(argv)
    clock = FastClock(args.speed)
    limited_store, open_store_ = open_store(":memory:"), open_store(":memory:")
    for store in (limited_store, open_store_):
        seed_synthetic(store, args.campaigns)
    limited = create_app(
        limited_store, SandboxSettings(rate_limit=args.rate_limit, rate_clock=clock)
    )
    unlimited = create_app(open_store_, SandboxSettings(rate_limit=0))
    with serve_in_thread(limited) as limited_url, serve_in_thread(unlimited) as free_url:
        started = time.monotonic()
        gaps, summary = asyncio.run(checked_gaps(limited_url, args.campaigns, clock))
        took = time.monotonic() - started
        ids = [row.id for row in asyncio.run(_ids(free_url))][: args.campaigns]
        floor = asyncio.run(floor_gaps(free_url, ids))
    load = os.getloadavg()
    print(
        f"checked write window, {args.campaigns} campaigns, --rate-limit {args.rate_limit} "
        f"(clock x{args.speed:g}), 4 in flight: {summary} in {took:.1f} s real"
    )
    for label, values in (
        ("GET answer -> PATCH leaves, checked (BulkRun)", gaps),
        ("GET answer -> PATCH, plain httpx (floor)", floor),
    ):
        p50, p99, worst = quantiles(values)
        print(
            f"  {label:<48} n={len(values):>4}  p50 {p50 * 1000:7.2f} ms  "
            f"p99 {p99 * 1000:7.2f} ms  max {worst * 1000:7.2f} ms"
        )
    print(
        f"  p99 ratio checked/floor: {quantiles(gaps)[1] / quantiles(floor)[1]:.1f}x  "
        f"(target p99 <= 50 ms; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f})"
    )


async def _ids(url: str) -> list[Campaign]:
    async with SkipUpClient(KEY, url) as client:
        return [c async for c in client.iter_campaigns()]


if __name__ == "__main__":
    main()
