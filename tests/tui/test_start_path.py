"""The start path's import budget: what the app has imported when its first rows are painted,
cold (the early first page) and warm (the list cache), beyond what a bare Textual app showing
a DataTable imports. Each start runs in a fresh interpreter through `cli.main`
(tests/start_path.py). A module new to the start path fails here: keeping it there must be a
decision, written below, not an accident (each one costs every start; most can be imported
after the first frame, as the HTTP stack is)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from skipup_campaigns.cli import PLAIN_UI, build_parser
from skipup_campaigns.startup.list_cache import ListCache
from skipup_campaigns.tui.app import is_text_field
from tests.cached_rows import cached_campaigns
from tests.conftest import ADMIN

OURS = {
    "cli",
    "config",
    "config_file",
    "env_names",
    "keymap",
    "number_limits",
    "paths",
    # The records made at start (settings, setup, load state, views, ...) are plain records,
    # not dataclasses: ~0.6 ms each to make a frozen dataclass, ~0.01 ms a plain record.
    "plain_record",
    "private_files",
    "timestamps",
    "startup",
    "startup.connection",
    "startup.list_cache",
    "startup.collector",  # the garbage collector paused until the first rows (gc only)
    # The one setup (the workspace is made there); it imports the workspace only inside.
    "startup.setup",
    "display",
    "display.cells",
    "display.dates",
    "display.rate_bar",
    "display.rates",
    "display.safe_text",
    "display.waits",  # the top bar's words for a rate-limit wait
    "display.fitting",  # the top bar's title fitted by whole parts (standard library only)
    "display.gains",  # how a Δ reads, one rule for the column, summary and report (~0.2 ms)
    # The history's file name and --since (the store module brings sqlite3, below).
    "history",
    "history.since",
    "history.store",
    "sqlite_files",
    "tui",
    "tui.app",
    "tui.commands",
    "tui.escape_burst",
    "tui.list_screen",
    "tui.next_frame",  # a filter key's repaints handed to the screen at once (~0.3 ms to import)
    "tui.typeahead",
    "tui.widgets",
    "tui.widgets.campaign_table",
    "tui.widgets.filter_input",  # the filter field without a layout pass a key (~0.6 ms to import)
    "tui.widgets.key_bar",  # (in place of Textual's Footer)
    # A refusal remembered from an earlier session: the first frame already says read-only.
    "tui.read_only",
    "tui.stylesheets",  # which sheets are read at start (the list's two) and which later
    "workspace.write_permission",
    "tui.list_views",
    "tui.widgets.view_tabs",
    "workspace.views",  # the views' tabs
    # The : command line's bindings are the list screen's (light: no library of their own).
    "tui.colon_commands",
    "tui.list_commands",
    "tui.widgets.command_line",
    "tui.own_commands",  # your own commands' keys and o (running them is imported on use)
    "bulk",
    "bulk.ops",  # the workspace's bulk actions (the engine comes when one is made)
    "bulk.nothing_to_do",  # the one "already done" rule bulk.ops asks (standard library only)
    "workspace",
    "workspace.collection",
    "workspace.events",
    "workspace.filtering",
    "workspace.history_link",
    "workspace.load_state",
    "workspace.long_lived",
    "workspace.marks",
    "workspace.undo",
    "workspace.workspace",
}
"""Our modules on both start paths (relative to skipup_campaigns)."""
OURS_COLD_ONLY = {
    "cli_parser",  # the parser, for the --no-cache given (a plain start reads cli.PLAIN_UI)
    "scripting",
    "scripting.exit_codes",  # the parser's epilog
    "startup.early_page",
    # The early page's campaigns read as the client reads a plain page (standard library
    # only; the api package imports nothing until a name is asked for): ~1.2 ms together.
    "api",
    "api.records",
}

LIBRARIES = {
    "hashlib",
    "_hashlib",
    "_blake2",
    "hmac",  # the cache's and history's keyed names
    "gc",  # workspace.long_lived
    "importlib",  # platformdirs
}
"""Top-level packages beyond the bare app's (the standard library's, mostly). Not here:
tomllib (imported when there is a config file to read), sqlite3 (when the history opens,
after the first frame)."""
LIBRARIES_FIRST_RUN = {"secrets"}
"""The keyed names' salt, made on a user's first run only."""
LIBRARIES_COLD_ONLY = {
    "argparse",
    "gettext",  # a command line to parse (--no-cache); a plain start has none (cli.PLAIN_UI)
    "http",
    "email",
    "calendar",
    "quopri",
    "stringprep",
    "encodings",
    # Reads the early page's body as the client reads every page (api/records.py; ~0.4 ms to
    # import where the app has already imported what it needs, in the early page's thread).
    # Where it is not installed (an environment made before it was a dependency) json reads.
    *(["orjson"] if importlib.util.find_spec("orjson") else []),
}
"""The early first page: http.client (and the email parser it reads headers with), orjson."""
LIBRARIES_COLD_MAYBE = {"concurrent"}
"""The thread (asyncio.to_thread) the load waits in for an early page still on its way (one
that came while the UI started is merged at once)."""
TEXTUAL_AND_RICH: set[str] = set()
"""Modules of Textual and Rich beyond the bare app's, named one by one: a widget brought onto
the start path shows here (TextArea and its document model were, for one isinstance)."""
RICH_UNICODE = "rich._unicode_data."
"""Rich's cell-width table for the newest Unicode version, loaded on the first non-ASCII
cell (the rate bars): its name changes with Rich's Unicode version."""

HARNESS = ("tests", "__main__", "runpy", "_distutils_hack", "textual.drivers")
"""Imported by the harness or only headless: not the app's."""

BARE = """
import json, sys
from textual.app import App
from textual.widgets import DataTable

class Bare(App):
    def compose(self):
        yield DataTable()

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("Name", "Team", "Rate")
        table.add_row("NAA 2026 row", "Sales", "43.0%")
        self.call_after_refresh(self.done)

    def done(self):
        print(json.dumps({"modules": sorted(sys.modules)}))
        self.exit()

Bare().run(headless=True, size=(120, 40))
"""


def same(found: set[str], budget: set[str]) -> str:
    """'' when `found` is the budget, else what differs (for the assertion's message)."""
    if found == budget:
        return ""
    return (
        f"new on the start path: {sorted(found - budget)}; no longer on it: "
        f"{sorted(budget - found)} (see the module docstring)"
    )


def modules(argv: list[str], env: dict[str, str]) -> set[str]:
    done = subprocess.run(
        [sys.executable, *argv],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return {
        name
        for name in json.loads(done.stdout.strip().splitlines()[-1])["modules"]
        if not name.startswith(HARNESS)
    }


def beyond_the_bare_app(
    argv: list[str], env: dict[str, str]
) -> tuple[set[str], set[str], set[str]]:
    """(our modules, other top-level packages, Textual/Rich modules) the app imports before
    its first rows that the bare app does not."""
    extra = modules(["-m", "tests.start_path", *argv], env) - modules(["-c", BARE], {})
    ours = {
        name.removeprefix("skipup_campaigns.")
        for name in extra
        if name.startswith("skipup_campaigns.")
    }
    toolkit = {
        name
        for name in extra
        if name.startswith(("textual.", "rich.")) and not name.startswith(RICH_UNICODE)
    }
    others = {
        name.split(".")[0]
        for name in extra
        if not name.startswith(("skipup_campaigns", "textual", "rich"))
    }
    return ours, others, toolkit


@pytest.fixture
def url_env(live_url: str) -> dict[str, str]:
    return {"SKIPUP_API_KEY": ADMIN, "SKIPUP_BASE_URL": live_url}


def test_cold_start_imports_only_its_budget(url_env: dict[str, str]) -> None:
    ours, others, toolkit = beyond_the_bare_app(["--no-cache"], url_env)
    assert not same(ours, OURS | OURS_COLD_ONLY), same(ours, OURS | OURS_COLD_ONLY)
    others -= LIBRARIES_COLD_MAYBE | LIBRARIES_FIRST_RUN
    assert not same(others, LIBRARIES | LIBRARIES_COLD_ONLY), same(
        others, LIBRARIES | LIBRARIES_COLD_ONLY
    )
    assert not same(toolkit, TEXTUAL_AND_RICH), same(toolkit, TEXTUAL_AND_RICH)
    assert not {"httpx", "pydantic", "anyio", "httpcore"} & others  # after the first frame


def test_warm_start_imports_only_its_budget(url_env: dict[str, str]) -> None:
    ListCache(url_env["SKIPUP_BASE_URL"], ADMIN).save(cached_campaigns())
    assert Path(ListCache(url_env["SKIPUP_BASE_URL"], ADMIN).path).exists()
    ours, others, toolkit = beyond_the_bare_app([], url_env)
    assert not same(ours, OURS), same(ours, OURS)
    assert not same(others, LIBRARIES), same(others, LIBRARIES)
    assert not same(toolkit, TEXTUAL_AND_RICH), same(toolkit, TEXTUAL_AND_RICH)


def test_the_plain_start_reads_what_the_parser_makes_of_no_arguments() -> None:
    assert vars(build_parser().parse_args([])) == PLAIN_UI
    assert vars(build_parser(with_commands=False).parse_args([])) == PLAIN_UI


def test_text_fields_are_known_without_importing_text_area() -> None:
    assert is_text_field(Input())
    assert is_text_field(TextArea.__new__(TextArea))
    assert not is_text_field(None)
