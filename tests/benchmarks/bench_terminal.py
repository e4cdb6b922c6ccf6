"""What the terminal sees, through a real pseudo-terminal at 120×40: the bytes written, beside
a bare Textual DataTable app doing the same things (the floor), and how soon a filter keystroke's
frame arrives at 10,000 and 100,000 campaigns, beside a cursor move (the smallest frame).

    python -m tests.benchmarks.bench_terminal

Over a slow SSH link every byte is latency. For start-up (to the first rows), one cursor move,
one page-down and one filter keystroke, this prints the bytes our list writes and the bytes a
plain DataTable (with an Input whose every keystroke rebuilds the table) writes for the same
action on the same 1,000 campaigns.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from skipup_campaigns.sandbox import open_store
from tests.e2e.terminal import Terminal
from tests.processes import start_sandbox
from tests.raw_terminal import RawTerminal

ROWS = 1_000
TYPED = "webinar summit 1"
QUIET = 0.4
"""Seconds without output after which an action counts as finished."""

BARE_APP = textwrap.dedent("""
    import sqlite3, sys
    from textual.app import App
    from textual.widgets import DataTable, Input

    ROWS = [(n, t, f"{r:.1f}%") for n, t, r in sqlite3.connect(sys.argv[1]).execute(
        "SELECT c.name, t.name, 0.0 FROM campaigns c JOIN teams t ON t.id = c.team_id "
        "WHERE c.workspace_id = 'ws_acme' ORDER BY c.created_at DESC")]

    class Bare(App):
        CSS = "Input { height: 1; border: none; }"

        def compose(self):
            yield Input(placeholder="filter")
            yield DataTable()

        def on_mount(self):
            table = self.query_one(DataTable)
            table.cursor_type = "row"  # like ours: a row cursor, not a cell cursor
            table.add_columns("Name", "Team", "Rate")
            table.add_rows(ROWS)
            table.focus()

        def on_key(self, event):
            if event.key == "slash":
                self.query_one(Input).focus()

        def on_input_changed(self, event):
            table = self.query_one(DataTable)
            table.clear()
            table.add_rows([row for row in ROWS if event.value.lower() in row[0].lower()])

    Bare().run()
""")


def settle(term: Terminal) -> int:
    """Wait until the program stops writing; the byte count so far."""
    last, since = len(term.raw), time.monotonic()
    while time.monotonic() - since < QUIET:
        time.sleep(0.02)
        if len(term.raw) != last:
            last, since = len(term.raw), time.monotonic()
    return last


def measure(argv: list[str], env: dict[str, str], first_row: bytes) -> dict[str, int]:
    out: dict[str, int] = {}
    with Terminal(argv, cols=120, rows=40, env=env) as term:
        while first_row not in term.raw:
            time.sleep(0.01)
        out["start-up"] = settle(term)
        for action, keys in (("cursor move", "\x1b[B"), ("page-down", "\x1b[6~")):
            before = settle(term)
            term.send(keys)
            out[action] = settle(term) - before
        term.send("/")
        settle(term)
        before = settle(term)
        term.send("s")
        out["filter keystroke"] = settle(term) - before
    return out


def latency(term: Terminal | RawTerminal, keys: str) -> float:
    """Seconds from writing `keys` to the first byte of the frame that answers them (Textual
    writes a frame once it is composed, so this is keystroke → frame ready, as the user's
    terminal sees it)."""
    settle(term)
    before = len(term.raw)
    started = time.perf_counter()
    term.send(keys)
    while len(term.raw) == before and time.perf_counter() - started < 5:
        time.sleep(0.0002)
    return time.perf_counter() - started


def keystroke_latency(count: int) -> None:
    """With `count` loaded: a phrase typed (each letter narrows) and deleted again (each
    backspace widens), then a letter and backspace in turn; each key timed to the first byte
    of the frame that answers it."""
    with tempfile.TemporaryDirectory() as home:
        sandbox, url = start_sandbox(
            Path(home) / "keys.db", "--seed", "empty", "--seed-count", str(count)
        )
        env = {
            "SKIPUP_API_KEY": "sk_test_admin",
            "SKIPUP_BASE_URL": url,
            "XDG_DATA_HOME": f"{home}/data",
            "XDG_CONFIG_HOME": f"{home}/config",
            "XDG_CACHE_HOME": f"{home}/cache",
        }
        script = str(Path(sys.executable).with_name("skipup-campaigns"))
        try:
            with RawTerminal([script, "--no-cache"], cols=120, rows=40, env=env) as term:
                while b"updated " not in term.raw:  # the whole list is loaded
                    time.sleep(0.05)
                moves = [latency(term, "\x1b[B") for _ in range(15)]
                term.send("/")
                narrowing = [latency(term, ch) for ch in TYPED]
                widening = [latency(term, "\x7f") for _ in TYPED]
                for letter in "wsaeiou" * 2:
                    narrowing.append(latency(term, letter))
                    widening.append(latency(term, "\x7f"))
        finally:
            sandbox.terminate()
            sandbox.wait(timeout=30)
    floor = statistics.median(moves) * 1000
    for label, samples in (("a letter (narrows)", narrowing), ("backspace (widens)", widening)):
        ordered = sorted(samples)
        med, p95 = statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]
        print(
            f"  {count:>7,} campaigns, {label}: median {med * 1000:5.1f} ms  "
            f"p95 {p95 * 1000:5.1f} ms   (floor: a cursor move {floor:4.1f} ms; "
            "target ≤ 20 / p95 ≤ 33 ms)"
        )


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        data = Path(home) / "data" / "skipup-campaigns"
        data.mkdir(parents=True)
        db = data / "demo.db"
        open_store(str(db), seed="empty", seed_count=ROWS).close()
        env = {
            "XDG_DATA_HOME": f"{home}/data",
            "XDG_CONFIG_HOME": f"{home}/config",
            "XDG_CACHE_HOME": f"{home}/cache",
        }
        bare = Path(home) / "bare.py"
        bare.write_text(BARE_APP)
        script = str(Path(sys.executable).with_name("skipup-campaigns"))
        ours = measure([script, "--demo", "--no-cache"], env, b"Booking rate")
        floor = measure([sys.executable, str(bare), str(db)], env, b"Rate")
    print(f"bytes written to the terminal at 120×40, {ROWS:,} campaigns (pty)")
    print(f"  {'action':18} {'ours':>10} {'bare DataTable':>16} {'ratio':>7}")
    for action in ours:
        print(
            f"  {action:18} {ours[action]:>10,} {floor[action]:>16,} "
            f"{ours[action] / max(1, floor[action]):>6.2f}×"
        )
    print("\nkeystroke → first byte of the new frame, through the pty at 120×40")
    for count in (10_000, 100_000):
        keystroke_latency(count)


if __name__ == "__main__":
    main()
