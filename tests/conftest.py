"""Fixtures shared by every suite: a fixed clock, the sandbox (in-process and on a loopback
port), clients of it, and a machine-independent environment."""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest

from skipup_campaigns.api import SkipUpClient
from skipup_campaigns.sandbox import SandboxSettings, Store, create_app, open_store
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from skipup_campaigns.sandbox.server import serve_in_thread
from tests.transports import CountingApp

FIXED_NOW = datetime(2026, 6, 15, 12, 0, 0, tzinfo=timezone.utc)
ADMIN, READONLY, OTHER = "sk_test_admin", "sk_test_readonly", "sk_test_other"
IN_PROCESS_URL = "http://127.0.0.1/api/v1"


class Clock:
    """A clock tests can move; the store reads it for every derived field."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


PTY_SUITES = ("e2e", "reliability")
"""Tests that drive a real terminal and wait for what it shows, against deadlines."""


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """In a parallel run (`-n auto --dist loadgroup`) the pty tests go to one worker, one
    after another, so two full apps never race for the same cores while one is being timed.

    tryfirst: xdist turns the mark into the node id's `@pty` in its own hook of this name; run
    after it, the mark came too late and the pty tests were spread over every worker."""
    tests = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(tests) and item.path.relative_to(tests).parts[0] in PTY_SUITES:
            item.add_marker(pytest.mark.xdist_group("pty"))


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: one worker more than the cores this process may use. A third of the suite's
    time is pty tests waiting for a terminal to show something, on the one worker they share,
    so with a worker per core the cores idled (load average 1.4 on 2 cores, the suite 4 m 43 s
    on a quiet machine); one more worker fills those waits (3 m 41 s, same machine, same
    minutes)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return cores + 1


@pytest.fixture(autouse=True)
def pty_tests_share_one_worker(request: pytest.FixtureRequest) -> None:
    """Fails a pty test that a parallel run did not put in the "pty" group (see above)."""
    grouped = request.node.get_closest_marker("xdist_group") is not None
    if grouped and request.config.getoption("loadgroup", False):
        if os.environ.get("PYTEST_XDIST_WORKER"):
            assert request.node.nodeid.endswith("@pty"), "not in the pty group: " + str(
                request.node.nodeid
            )


PILOT_STEP = 0.01
"""Seconds: Pilot's idle check samples the CPU this often (Textual's own step is 0.02)."""


@pytest.fixture(autouse=True, scope="session")
def brisk_pilot() -> Iterator[None]:
    """Pilot waits after every key until the app looks idle: it sleeps in steps of 20 ms until
    a step used under 5 % of it in CPU, so a key costs at least two steps, and this waiting
    was about 40 % of a Pilot test's time. Steps of 10 ms with the same 5 % read the same
    idleness sooner (a key, typed into a field: 80 ms -> about 30 ms). textual._wait is
    private: if these names go, Pilot keeps its own pace."""
    with pytest.MonkeyPatch.context() as patch:
        wait = sys.modules.get("textual._wait")  # imported by any Pilot test's collection
        if hasattr(wait, "SLEEP_GRANULARITY") and hasattr(wait, "SLEEP_IDLE"):
            patch.setattr(wait, "SLEEP_GRANULARITY", PILOT_STEP)
            patch.setattr(wait, "SLEEP_IDLE", PILOT_STEP / 20)
        yield


@pytest.fixture(autouse=True)
def isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads or writes the real user's files, keyring or SkipUp settings."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        monkeypatch.setenv(var, str(home / sub))
    for var in ("SKIPUP_API_KEY", "SKIPUP_BASE_URL", "SKIPUP_PROFILE"):
        monkeypatch.delenv(var, raising=False)
    # pytest-xdist's workers are given COLUMNS=80 and LINES=24: a program started in a pty of
    # another size would believe them over the pty, and a command would fit its table to them.
    for var in ("COLUMNS", "LINES"):
        monkeypatch.delenv(var, raising=False)
    # Never the developer's own keyring: tests that want one bring tests/file_keyring.py.
    monkeypatch.setenv("SKIPUP_KEYRING", "off")


def campaigns_on_server(
    store: Store, *, active: bool | None = None, workspace: str = MAIN_WORKSPACE
) -> list[dict[str, Any]]:
    """Every campaign the store holds for a workspace, in the API's order (all pages)."""
    out, cursor = [], None
    while True:
        page, cursor = store.list_campaigns(workspace, active=active, limit=100, cursor=cursor)
        out += page
        if cursor is None:
            return out


@pytest.fixture
def recorded_waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The client's retry waits, recorded instead of slept."""
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(SkipUpClient, "_sleep", staticmethod(record))
    return waits


@pytest.fixture
def clock() -> Clock:
    return Clock(FIXED_NOW)


@pytest.fixture
def store(clock: Clock) -> Iterator[Store]:
    store = open_store(":memory:", clock=clock)
    yield store
    store.close()


@pytest.fixture
def settings() -> SandboxSettings:
    """No rate limit, latency or faults unless a test asks for them."""
    return SandboxSettings(rate_limit=0)


@pytest.fixture
def sandbox_app(store: Store, settings: SandboxSettings) -> CountingApp:
    """The sandbox's ASGI app, counting the requests it gets and the writes it carries out."""
    return CountingApp(create_app(store, settings))


@pytest.fixture
def writes(sandbox_app: CountingApp) -> Counter[str]:
    """Campaign id → writes (PATCH or deactivate) the sandbox carried out for it."""
    return sandbox_app.writes


@pytest.fixture
def live_url(sandbox_app: Any) -> Iterator[str]:
    """The sandbox served by uvicorn on an ephemeral 127.0.0.1 port."""
    with serve_in_thread(sandbox_app) as url:
        yield url


@pytest.fixture
async def raw(sandbox_app: Any) -> AsyncIterator[Callable[..., Any]]:
    """Plain httpx against the in-process sandbox, for checking the wire itself.

    `await raw("GET", "/campaigns", key=ADMIN)`; `key=None` sends no Authorization header.
    """
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(sandbox_app), base_url=IN_PROCESS_URL
    ) as http:

        async def call(
            method: str, path: str, *, key: str | None = ADMIN, **kwargs: Any
        ) -> httpx.Response:
            headers = dict(kwargs.pop("headers", {}))
            if key is not None:
                headers["Authorization"] = f"Bearer {key}"
            return await http.request(method, IN_PROCESS_URL + path, headers=headers, **kwargs)

        yield call


@pytest.fixture(params=["in-process", "loopback"])
def make_client(
    request: pytest.FixtureRequest, sandbox_app: Any
) -> Iterator[Callable[..., SkipUpClient]]:
    """Clients of the sandbox, once through ASGITransport and once over real loopback HTTP."""
    if request.param == "loopback":
        with serve_in_thread(sandbox_app) as url:
            yield lambda key=ADMIN, **kwargs: SkipUpClient(key, **{"base_url": url, **kwargs})
        return

    def make(key: str = ADMIN, **kwargs: Any) -> SkipUpClient:
        kwargs.setdefault("base_url", IN_PROCESS_URL)
        kwargs.setdefault("transport", httpx.ASGITransport(sandbox_app))
        return SkipUpClient(key, **kwargs)

    yield make


@pytest.fixture
async def client(make_client: Callable[..., SkipUpClient]) -> AsyncIterator[SkipUpClient]:
    async with make_client() as client:
        yield client
