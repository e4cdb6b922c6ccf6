"""The single file beside the installed package, in the same run: its size, and the start-up of
`--version` and of `--demo` to its first rows (a pty, 120×40), each as the median of a few
runs, with the file run as on a jump box (the machine's interpreter, `-I`, an empty HOME).

    python -m tests.benchmarks.bench_single_file [--pex PATH]

Without `--pex` it builds one with `tools/build_pex.py --here` first. "Cold" is the first start
of the file for a user (it unpacks into a new PEX_ROOT); "warm" every start after that.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.raw_terminal import RawTerminal
from tests.single_file.jump_box import ROOT, real_python

RUNS = 5
FIRST_ROWS = b"of 40 campaigns"


def timed(run: Callable[[], None]) -> tuple[float, float]:
    """Wall time, and the CPU time (user + system) of the processes it ran: on a shared
    machine the CPU time is the steadier of the two."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    run()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def median_of(run: Callable[[], None], runs: int = RUNS) -> tuple[float, float]:
    walls, cpus = zip(*(timed(run) for _ in range(runs)))
    return statistics.median(walls), statistics.median(cpus)


def version(argv: list[str], env: dict[str, str]) -> Callable[[], None]:
    def run() -> None:
        subprocess.run([*argv, "--version"], env=env, check=True, capture_output=True)

    return run


def first_rows(argv: list[str], env: dict[str, str]) -> Callable[[], None]:
    def run() -> None:
        terminal = RawTerminal([*argv, "--demo"], cols=120, rows=40)
        terminal.env = {**env, "TERM": "xterm-256color", "LANG": "C.UTF-8"}
        with terminal as term:
            deadline = time.monotonic() + 60
            while FIRST_ROWS not in term.raw:
                if time.monotonic() > deadline or term.process.poll() is not None:
                    raise RuntimeError(f"no first rows from {argv}")
                time.sleep(0.002)

    return run


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pex", type=Path, help="a built file (default: build one now)")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="bench-single-file."))
    try:
        pex = args.pex
        if pex is None:
            pex = scratch / "skipup-campaigns.pex"
            subprocess.run(
                [sys.executable, str(ROOT / "tools" / "build_pex.py"), "--here", "-o", str(pex)],
                check=True,
                capture_output=True,
            )
        home = scratch / "home"
        home.mkdir(mode=0o700)
        data = {"XDG_DATA_HOME": str(scratch / "data"), "XDG_CONFIG_HOME": str(scratch / "config")}
        box = {"PATH": "/usr/bin:/bin", "HOME": str(home), **data}
        installed = {**os.environ, **data, "XDG_CACHE_HOME": str(scratch / "cache")}
        script = str(Path(sys.executable).with_name("skipup-campaigns"))
        file_argv = [real_python(), "-I", str(pex)]

        def cold() -> None:
            shutil.rmtree(home / ".cache", ignore_errors=True)
            version(file_argv, box)()

        load = os.getloadavg()[0]
        print(
            f"single file: {pex.stat().st_size / 1e6:.1f} MB; load average {load:.2f}; "
            f"median of {RUNS}"
        )
        base_version = median_of(version([script], installed))
        cold_version = median_of(cold, 3)
        warm_version = median_of(version(file_argv, box))
        first_rows(file_argv, box)()  # the demo's database and history, made once for both
        first_rows([script], installed)()
        base_rows = median_of(first_rows([script], installed))
        warm_rows = median_of(first_rows(file_argv, box))
        unpacked = sum(p.stat().st_size for p in (home / ".cache").rglob("*") if p.is_file())
        print(f"  {'':<34} {'file: wall':>10} {'cpu':>7}   {'installed: wall':>15} {'cpu':>7}")
        for label, (wall, cpu), (base_wall, base_cpu) in (
            ("--version, first start (unpacks)", cold_version, base_version),
            ("--version, later starts", warm_version, base_version),
            ("--demo to its first rows", warm_rows, base_rows),
        ):
            print(
                f"  {label:<34} {wall * 1000:7.0f} ms {cpu * 1000:4.0f} ms   "
                f"{base_wall * 1000:12.0f} ms {base_cpu * 1000:4.0f} ms   "
                f"cpu ×{cpu / base_cpu:.1f}"
            )
        print(f"  unpacked into PEX_ROOT: {unpacked / 1e6:.0f} MB")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
