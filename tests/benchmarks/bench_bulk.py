"""A bulk action under the sandbox's default rate limit, beside the time that limit forces.

    python -m tests.benchmarks.bench_bulk                      # 100 campaigns at 120/min
    python -m tests.benchmarks.bench_bulk 40 --rate-limit 30   # a smaller batch, a tighter limit

A sandbox process on loopback (`--seed empty --seed-count N`, rate limit 120/min unless told)
serves N campaigns; the benchmark loads them, then runs `bulk.BulkRun` with a new end date for
all N (a fresh GET and a PATCH each) and times it, load included. A counting transport under
the client records every request it sent and the answer's status.

The floor is the wait the rate limit itself forces for the requests that run needed: the
sandbox counts requests per key in fixed one-minute windows (epoch-aligned), so with the first
answer's `X-RateLimit-Remaining`/`-Reset` the window the last request must fall in is known,
and no run can end before that window opens. Elapsed ÷ floor near 1.0× means the batch went
at the limit's pace; idle waiting beyond it (a reset noticed late, a 429 waited out) shows as
more. The run starts just after a window opens, so the floor is nearly a whole window and the
ratio does not depend on the moment it was started; that wait (up to a minute) is not timed.
A 429 (refused: it made the run wait) is counted and printed apart. Figures only, no
assertions beyond every campaign being done.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx

from skipup_campaigns.api import SkipUpClient
from skipup_campaigns.bulk.engine import BulkEdit, BulkRun, Outcome, plan
from skipup_campaigns.sandbox.faults import WINDOW_SECONDS
from tests.processes import start_sandbox

KEY = "sk_test_admin"
START_MARGIN = 0.5
"""Seconds after a window opens at which the run starts (clear of the boundary itself)."""


@dataclass(frozen=True)
class Sent:
    at: float
    """Epoch seconds the request was handed to the network."""
    method: str
    status: int
    limit: int | None
    remaining: int | None
    reset: float | None


class CountingTransport(httpx.AsyncBaseTransport):
    """The network as the client would use it, noting each request and its answer."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.sent: list[Sent] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        at = time.time()
        response = await self._inner.handle_async_request(request)
        headers = response.headers
        self.sent.append(
            Sent(
                at,
                request.method,
                response.status_code,
                _int(headers.get("x-ratelimit-limit")),
                _int(headers.get("x-ratelimit-remaining")),
                _int(headers.get("x-ratelimit-reset")),
            )
        )
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


def _int(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() else None


def rate_limit_floor(sent: list[Sent], started: float) -> tuple[float, float | None]:
    """(seconds from `started` until the window the last needed request must fall in opens,
    that moment as epoch seconds or None when every request fits in the first window).
    Needed = answered, not refused with 429."""
    first = next(s for s in sent if s.limit is not None)
    assert first.remaining is not None and first.reset is not None
    needed = sum(1 for s in sent if s.status != 429)
    room_in_first = first.remaining + 1  # the first answer's own request counted already
    if needed <= room_in_first:
        return 0.0, None
    later_windows = math.ceil((needed - room_in_first) / first.limit)
    last_opens = first.reset + (later_windows - 1) * WINDOW_SECONDS
    return last_opens - started, last_opens


def wait_for_window_start() -> None:
    """Sleep until just after the next one-minute window opens (unless one just did)."""
    phase = time.time() % WINDOW_SECONDS
    if phase > START_MARGIN + 1.0:
        time.sleep(WINDOW_SECONDS - phase + START_MARGIN)


async def bulk_end_date(url: str, count: int, transport: CountingTransport) -> tuple[float, int]:
    """Load `count` campaigns and give them all a new end date; (epoch start, done)."""
    new_end = (datetime.now(timezone.utc) + timedelta(days=500)).replace(microsecond=0)
    started = time.time()
    async with SkipUpClient(KEY, url, transport=transport) as client:
        campaigns = []
        async for page in client.iter_campaign_pages(page_size=min(count, 100)):
            campaigns += page.data
            if len(campaigns) >= count:
                break
        report = await BulkRun(client, plan(campaigns[:count], BulkEdit(ends_at=new_end))).run()
    return started, report.count(Outcome.DONE)


def bench(count: int, rate_limit: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        sandbox, url = start_sandbox(
            Path(directory) / "bulk.db",
            "--seed",
            "empty",
            "--seed-count",
            str(count),
            "--rate-limit",
            str(rate_limit),
        )
        try:
            wait_for_window_start()
            transport = CountingTransport()
            started, done = asyncio.run(bulk_end_date(url, count, transport))
            elapsed = time.time() - started
        finally:
            sandbox.terminate()
            sandbox.wait(timeout=30)
    assert done == count, f"{done} of {count} done"
    sent = transport.sent
    refused = sum(1 for s in sent if s.status == 429)
    floor, last_opens = rate_limit_floor(sent, started)
    gets = sum(1 for s in sent if s.method == "GET" and s.status != 429)
    patches = sum(1 for s in sent if s.method == "PATCH" and s.status != 429)
    print(
        f"\nbulk end date of {count} campaigns, sandbox process on loopback, "
        f"rate limit {rate_limit}/min (fixed {WINDOW_SECONDS} s windows)"
    )
    print(
        f"  requests answered: {len(sent) - refused} ({gets} GET incl. the load, "
        f"{patches} PATCH); refused with 429: {refused}"
    )
    print(f"  elapsed, load + bulk run         {elapsed:7.2f} s")
    if last_opens is None:
        print("    floor: the limit forces no wait for this many requests")
        return
    in_last = [s.at for s in sent if s.at >= last_opens]
    print(
        f"    floor: the rate limit's wait    {floor:7.2f} s   ratio {elapsed / floor:.3f}×"
        "  (target ≈ 1.0×; idle waiting beyond the limit shows as more)"
    )
    if in_last:
        print(
            f"  beyond the floor {elapsed - floor:.2f} s: the last window's first request "
            f"{(in_last[0] - last_opens) * 1000:.0f} ms after it opened, its "
            f"{len(in_last)} requests done {(started + elapsed - last_opens):.2f} s after"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.bench_bulk")
    parser.add_argument(
        "count", nargs="?", type=int, default=100, help="campaigns in the bulk edit (default 100)"
    )
    parser.add_argument(
        "--rate-limit",
        type=int,
        default=120,
        help="the sandbox's requests per minute (default: its own, 120)",
    )
    args = parser.parse_args(argv)
    bench(args.count, args.rate_limit)


if __name__ == "__main__":
    main()
