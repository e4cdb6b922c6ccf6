"""Teams, rate limiting, injected faults and latency on the wire."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from skipup_campaigns.sandbox import SandboxSettings, Store, create_app
from skipup_campaigns.sandbox.faults import RateLimiter
from tests.conftest import ADMIN, IN_PROCESS_URL

TEAM_KEYS = [
    "id",
    "name",
    "slug",
    "description",
    "mode",
    "email_address",
    "member_count",
    "active",
    "deactivated_at",
    "stack_always_apply",
    "include_all_members",
    "introduce_member",
    "introduction_guidance",
    "created_at",
    "updated_at",
]


async def test_teams_list_and_get(raw: Any) -> None:
    body = (await raw("GET", "/teams")).json()
    teams = {t["name"]: t for t in body["data"]}
    assert set(teams) == {
        "Sales",
        "Customer Success",
        "Partnerships",
        "Executive Office",
        "Legacy Outbound",
    }
    assert list(teams["Sales"]) == TEAM_KEYS
    assert body["meta"] == {"limit": 25, "has_more": False, "next_cursor": None}
    assert teams["Executive Office"]["mode"] == "manual"
    assert teams["Executive Office"]["email_address"] is None
    assert teams["Legacy Outbound"]["active"] is False
    assert teams["Legacy Outbound"]["deactivated_at"] is not None
    one = (await raw("GET", f"/teams/{teams['Sales']['id']}")).json()
    assert one == {"data": teams["Sales"]}
    assert (await raw("GET", "/teams/tm_nope")).status_code == 404


async def test_teams_paginate(raw: Any) -> None:
    first = (await raw("GET", "/teams?limit=2")).json()
    assert len(first["data"]) == 2 and first["meta"]["has_more"] is True
    seen = [t["id"] for t in first["data"]]
    cursor = first["meta"]["next_cursor"]
    while cursor:
        page = (await raw("GET", f"/teams?limit=2&cursor={cursor}")).json()
        seen += [t["id"] for t in page["data"]]
        cursor = page["meta"]["next_cursor"]
    assert len(seen) == len(set(seen)) == 5


def app_client(store: Store, **settings: Any) -> httpx.AsyncClient:
    app = create_app(store, SandboxSettings(**settings))
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app),
        base_url=IN_PROCESS_URL,
        headers={"Authorization": f"Bearer {ADMIN}"},
    )


async def test_rate_limit_headers_count_down_then_429_with_retry_after(store: Store) -> None:
    async with app_client(store, rate_limit=3) as http:
        remaining = []
        for _ in range(3):
            response = await http.get("/campaigns?limit=1")
            assert response.status_code == 200
            assert response.headers["x-ratelimit-limit"] == "3"
            remaining.append(int(response.headers["x-ratelimit-remaining"]))
        assert remaining == [2, 1, 0]
        limited = await http.get("/campaigns?limit=1")
        assert limited.status_code == 429
        assert limited.json()["error"]["type"] == "rate_limited"
        assert 1 <= int(limited.headers["retry-after"]) <= 60
        assert int(limited.headers["x-ratelimit-reset"]) >= time.time()
        # Errors to a recognised key carry the headers too.
        other = await http.get("/campaigns/nope", headers={"Authorization": "Bearer sk_test_other"})
        assert other.status_code == 404 and other.headers["x-ratelimit-remaining"] == "2"


def test_rate_limiter_windows_reset() -> None:
    now = [1_000_020.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    assert [limiter.hit("k").allowed for _ in range(3)] == [True, True, False]
    assert limiter.hit("other").allowed
    decision = limiter.hit("k")
    assert decision.reset == 1_000_020 // 60 * 60 + 60
    assert decision.retry_after(now[0]) == decision.reset - 1_000_020
    now[0] += 60
    assert limiter.hit("k").allowed
    assert RateLimiter(0).hit("k") is None


async def fault_statuses(store: Store, seed: int, n: int = 60) -> list[int]:
    async with app_client(store, rate_limit=0, fail_rate=0.5, random_seed=seed) as http:
        return [(await http.get("/campaigns?limit=1")).status_code for _ in range(n)]


async def test_fail_rate_is_repeatable_under_a_seed_and_mixes_failures(store: Store) -> None:
    first = await fault_statuses(store, 7)
    assert first == await fault_statuses(store, 7)
    assert first != await fault_statuses(store, 8)
    failures = [s for s in first if s != 200]
    assert 15 <= len(failures) <= 45
    assert {500, 502, 503, 429} <= set(failures)


async def test_injected_failures_have_the_shapes_clients_must_survive(store: Store) -> None:
    async with app_client(store, rate_limit=0, fail_rate=1.0, random_seed=3) as http:
        responses = [await http.get("/campaigns") for _ in range(40)]
    html = [r for r in responses if r.headers["content-type"].startswith("text/html")]
    assert html and all(r.status_code in (502, 503) for r in html)
    limited = [r for r in responses if r.status_code == 429]
    assert limited and all(r.headers["retry-after"] == "1" for r in limited)
    internal = [r for r in responses if r.status_code == 500]
    assert internal and all(r.json()["error"]["type"] == "internal_error" for r in internal)


async def test_latency_delays_every_response(store: Store) -> None:
    async with app_client(store, rate_limit=0, latency_ms=120) as http:
        started = time.perf_counter()
        await http.get("/campaigns?limit=1")
        await http.get("/teams")
        elapsed = time.perf_counter() - started
    # Only a lower bound: the delay is added, whatever else the machine does.
    assert elapsed >= 0.24


@pytest.mark.parametrize("spec", ["nokey", "key=campaigns.read", "sk_x=campaigns.delete"])
def test_api_key_spec_is_checked(spec: str) -> None:
    from skipup_campaigns.sandbox import parse_key_spec

    with pytest.raises(ValueError):
        parse_key_spec(spec)
