"""The list loading a whole workspace, as a user starts it, against the raw floor; and keys
typed while the pages stream in.

    python -m tests.benchmarks.bench_stream            # 10,000 and 100,000 campaigns
    python -m tests.benchmarks.bench_stream 10000

A sandbox process on a loopback port (its kept-alive latency checked first, `stall_check`)
serves N synthetic campaigns. For each N, alternating, best of three:
- the installed app in a real pty at 120×40, `--no-cache`, from process start until the top
  bar says the load finished ("updated HH:MM"): wall time and the app's own CPU time;
- the floor: a plain httpx loop that fetches and json-decodes the same pages (this process's
  wall and CPU time).
Then, at the largest N, keys typed while the pages stream: a letter no campaign contains, then
backspace, over and over; each timed from writing the key to the screen showing the answer
("Nothing matches" appearing, then gone again). Figures only, no assertions.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.bench_load import raw_httpx
from tests.benchmarks.bench_server import stall_check
from tests.processes import start_sandbox
from tests.raw_terminal import RawTerminal

KEY = "sk_test_admin"
DONE = b"updated "
"""The top bar's status once the whole list is loaded."""
NO_MATCH = b"Nothing matches"
ROW_DRAWN = "› ".encode()
"""The cursor row's marker: on screen only once campaign rows are (a rate bar is not a sign of
rows: the seed's newest campaigns are scheduled, with no requests and so no bar)."""


def app_env(url: str, home: str) -> dict[str, str]:
    return {
        "SKIPUP_API_KEY": KEY,
        "SKIPUP_BASE_URL": url,
        "XDG_DATA_HOME": f"{home}/data",
        "XDG_CONFIG_HOME": f"{home}/config",
        "XDG_CACHE_HOME": f"{home}/cache",
    }


def cpu_seconds(pid: int) -> float:
    """A process's user + system CPU time so far (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def script() -> str:
    return str(Path(sys.executable).with_name("skipup-campaigns"))


def ui_full_load(url: str, home: str) -> tuple[float, float]:
    """(wall, CPU) seconds from starting the app until the whole list is loaded."""
    started = time.perf_counter()
    with RawTerminal([script(), "--no-cache"], cols=120, rows=40, env=app_env(url, home)) as term:
        while DONE not in term.raw:
            if time.perf_counter() - started > 600:
                raise RuntimeError("the list never finished loading")
            time.sleep(0.005)
        wall = time.perf_counter() - started
        cpu = cpu_seconds(term.process.pid)
    return wall, cpu


def floor_full_load(url: str) -> tuple[float, float]:
    started, cpu = time.perf_counter(), time.process_time()
    asyncio.run(raw_httpx(url))
    return time.perf_counter() - started, time.process_time() - cpu


def answered(term: RawTerminal, keys: str, marker: bytes, limit: float = 5.0) -> float:
    """Seconds from writing `keys` to `marker` in what the program writes after them."""
    start = len(term.raw)
    started = time.perf_counter()
    term.send(keys)
    while marker not in term.raw[start:]:
        if time.perf_counter() - started > limit:
            break
        time.sleep(0.0002)
    return time.perf_counter() - started


def keys_while_streaming(url: str, home: str) -> tuple[list[float], list[float], bool]:
    """Letter / backspace while the pages stream: (narrowing, widening) seconds, and whether
    the load was still running after the last key. A letter is answered by "Nothing
    matches"; backspace by the rows' rate bars (an empty table draws none, so a redraw for a
    page cannot be mistaken for the answer)."""
    narrow, widen = [], []
    with RawTerminal([script(), "--no-cache"], cols=120, rows=40, env=app_env(url, home)) as term:
        started = time.perf_counter()
        while ROW_DRAWN not in term.raw:
            if time.perf_counter() - started > 120:
                raise RuntimeError("no rows drawn")
            time.sleep(0.005)  # the first rows are on screen
        term.send("/")
        time.sleep(0.2)
        while DONE not in term.raw and len(narrow) < 40:
            narrow.append(answered(term, "q", NO_MATCH))  # no synthetic campaign has a "q"
            time.sleep(0.03)
            widen.append(answered(term, "\x7f", ROW_DRAWN))
            time.sleep(0.03)
        streaming = DONE not in term.raw
    return narrow, widen, streaming


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(ordered) * 1000:5.1f} ms  p95 {p95 * 1000:5.1f} ms"


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    print(
        f"\nthe list's full load (pty, 120×40, --no-cache, start → all loaded), best of 3; "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    wall_by_size = {}
    for count in sizes:
        with tempfile.TemporaryDirectory() as home:
            sandbox, url = start_sandbox(
                Path(home) / "load.db", "--seed", "empty", "--seed-count", str(count)
            )
            try:
                print(stall_check(url))
                ours, floor = [], []
                for _ in range(3):
                    ours.append(ui_full_load(url, home))
                    floor.append(floor_full_load(url))
                if count == max(sizes):
                    narrow, widen, streaming = keys_while_streaming(url, home)
            finally:
                sandbox.terminate()
                sandbox.wait(timeout=30)
        wall, cpu = min(w for w, _ in ours), min(c for _, c in ours)
        floor_wall, floor_cpu = min(w for w, _ in floor), min(c for _, c in floor)
        wall_by_size[count] = wall
        print(
            f"  {count:>7,} campaigns: list UI {wall:6.2f} s (CPU {cpu:5.2f} s)   "
            f"floor: raw httpx + json {floor_wall:5.2f} s (CPU {floor_cpu:5.2f} s)   "
            f"ratio {wall / floor_wall:.2f}× wall, {cpu / floor_cpu:.2f}× CPU  "
            "(target ≤ 1.3×)"
        )
    if len(wall_by_size) >= 2:
        small, large = min(wall_by_size), max(wall_by_size)
        print(
            f"  {large:,} / {small:,} time: {wall_by_size[large] / wall_by_size[small]:.1f}× "
            f"for {large / small:.0f}× the data (target ≤ 11×)"
        )
    print(
        f"\nkeys while {max(sizes):,} campaigns stream in (pty; to the screen showing the "
        f"answer), {len(narrow)} pairs" + ("" if streaming else "; the load finished during them")
    )
    print(f"  a letter (narrowing)     {summary(narrow)}")
    print(f"  backspace (widening)     {summary(widen)}   (target p95 ≤ 50 ms)")


if __name__ == "__main__":
    main()
