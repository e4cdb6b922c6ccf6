"""The client against the sandbox, in-process and over real loopback HTTP (every test runs
both ways through the `make_client` fixture)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from skipup_campaigns.api import (
    AuthenticationError,
    Campaign,
    CampaignCreate,
    CampaignUpdate,
    FieldValidationError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    SkipUpClient,
    Team,
)
from skipup_campaigns.sandbox import SandboxSettings, Store
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from tests.conftest import OTHER, READONLY, campaigns_on_server

MakeClient = Callable[..., SkipUpClient]


def server_count(store: Store, active: bool | None = None) -> int:
    return len(campaigns_on_server(store, active=active))


async def sales_team(client: SkipUpClient) -> Team:
    return next(t for t in [t async for t in client.iter_teams()] if t.name == "Sales")


async def test_list_one_page_is_typed(client: SkipUpClient) -> None:
    page = await client.list_campaigns(limit=5)
    assert len(page.data) == 5 and page.has_more and page.next_cursor and page.limit == 5
    first = page.data[0]
    assert isinstance(first, Campaign)
    assert first.created_at.tzinfo == timezone.utc and not first.created_at.utcoffset()
    assert first.name == "NAA 2026" and first.booking_rate == 43.0


async def test_iterate_every_campaign_across_pages(client: SkipUpClient, store: Store) -> None:
    every = [c async for c in client.iter_campaigns(page_size=7)]
    assert len(every) == len({c.id for c in every}) == server_count(store)
    active = [c async for c in client.iter_campaigns(active=True, page_size=7)]
    assert all(c.active for c in active) and len(active) == server_count(store, True)
    inactive = [c async for c in client.iter_campaigns(active=False)]
    assert len(inactive) == server_count(store, False) and not any(c.active for c in inactive)


async def test_get_create_update_deactivate_round_trip(client: SkipUpClient, store: Store) -> None:
    team = await sales_team(client)
    starts = datetime(2026, 7, 1, 11, 0, tzinfo=timezone(timedelta(hours=2)))
    created = await client.create_campaign(
        name="Client made", team_id=team.id, description="first", starts_at=starts
    )
    assert created.slug == "client-made" and created.team_name == "Sales"
    assert created.starts_at == datetime(2026, 7, 1, 9, 0, tzinfo=timezone.utc)
    assert store.get_campaign(MAIN_WORKSPACE, created.id)["starts_at"] == "2026-07-01T09:00:00Z"

    fetched = await client.get_campaign(created.id)
    assert fetched == created

    updated = await client.update_campaign(created.id, description=None, name="Renamed")
    assert updated.description is None and updated.name == "Renamed"
    assert updated.starts_at == created.starts_at  # not sent, so not changed
    stored = store.get_campaign(MAIN_WORKSPACE, created.id)
    assert (stored["name"], stored["description"]) == ("Renamed", None)

    done = await client.deactivate_campaign(created.id)
    assert done.active is False and done.deactivated_at is not None
    assert store.get_campaign(MAIN_WORKSPACE, created.id)["active"] is False


async def test_create_and_update_accept_input_models(client: SkipUpClient) -> None:
    team = await sales_team(client)
    created = await client.create_campaign(CampaignCreate(name="Modelled", team_id=team.id))
    updated = await client.update_campaign(created.id, CampaignUpdate(description="via model"))
    assert updated.description == "via model" and updated.name == "Modelled"


async def test_teams_iterate_and_get(client: SkipUpClient) -> None:
    teams = [t async for t in client.iter_teams(page_size=2)]
    assert len(teams) == 5
    manual = next(t for t in teams if t.mode == "manual")
    assert manual.email_address is None
    assert await client.get_team(manual.id) == manual
    page = await client.list_teams(limit=3)
    assert len(page.data) == 3 and page.has_more


# -- errors ----------------------------------------------------------------------------------


async def test_bad_key_is_an_authentication_error(make_client: MakeClient) -> None:
    async with make_client("sk_test_wrong") as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.list_campaigns()
    assert caught.value.status == 401
    assert caught.value.message == "Invalid or expired API key"
    assert "sk_test_wrong" not in str(caught.value)


async def test_missing_scope_is_named(make_client: MakeClient, store: Store) -> None:
    before = server_count(store)
    async with make_client(READONLY) as client:
        team = await sales_team(client)
        with pytest.raises(PermissionDeniedError) as caught:
            await client.create_campaign(name="Nope", team_id=team.id)
    assert caught.value.missing_scope == "campaigns.write"
    assert caught.value.type == "forbidden"
    assert server_count(store) == before


async def test_other_workspace_is_not_found(make_client: MakeClient, client: SkipUpClient) -> None:
    ours = (await client.list_campaigns(limit=1)).data[0]
    async with make_client(OTHER) as theirs:
        with pytest.raises(NotFoundError):
            await theirs.get_campaign(ours.id)
        with pytest.raises(NotFoundError):
            await theirs.update_campaign(ours.id, name="hijack")
    assert (await client.get_campaign(ours.id)).name == ours.name


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "   "}, "name"),
        ({"description": "x" * 5001}, "description"),
        ({"team_id": "tm_missing"}, "team_id"),
        (
            {
                "starts_at": datetime(2026, 9, 1, tzinfo=timezone.utc),
                "ends_at": datetime(2026, 8, 1, tzinfo=timezone.utc),
            },
            "ends_at",
        ),
    ],
)
async def test_validation_errors_name_their_field(
    client: SkipUpClient, fields: dict[str, Any], field: str
) -> None:
    team = await sales_team(client)
    body = {"name": "Valid", "team_id": team.id, **fields}
    with pytest.raises(FieldValidationError) as caught:
        await client.create_campaign(**body)
    assert caught.value.field == field
    assert caught.value.status == 422 and caught.value.type == "validation_error"


async def test_invalid_request_for_a_second_deactivation(client: SkipUpClient) -> None:
    team = await sales_team(client)
    created = await client.create_campaign(name="Twice", team_id=team.id)
    await client.deactivate_campaign(created.id)
    with pytest.raises(InvalidRequestError) as caught:
        await client.deactivate_campaign(created.id)
    assert "already deactivated" in caught.value.message


async def test_ids_cannot_escape_their_path_segment(client: SkipUpClient) -> None:
    for hostile in ("../teams", "x/deactivate", "?active=true", "..", "%2e%2e"):
        with pytest.raises(NotFoundError):
            await client.get_campaign(hostile)


@pytest.mark.parametrize("settings", [SandboxSettings(rate_limit=2)])
async def test_rate_limit_error_carries_the_wait(make_client: MakeClient) -> None:
    async with make_client(max_retries=0) as first, make_client(max_retries=0) as second:
        await first.list_campaigns(limit=1)
        assert first.rate_limit is not None and first.rate_limit.remaining == 1
        await first.list_campaigns(limit=1)
        # Another client of the same key has not seen the headers, so it runs into the 429.
        with pytest.raises(RateLimitError) as caught:
            await second.list_campaigns(limit=1)
    assert caught.value.retry_after is not None and 0 < caught.value.retry_after <= 60
    assert second.rate_limit is not None and second.rate_limit.remaining == 0


# -- retries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("settings", [SandboxSettings(rate_limit=0, fail_rate=0.4, random_seed=11)])
async def test_retries_ride_out_injected_failures(
    make_client: MakeClient, store: Store, recorded_waits: list[float]
) -> None:
    waits = recorded_waits
    async with make_client(max_retries=8) as client:
        every = [c async for c in client.iter_campaigns(page_size=5)]
        team = await sales_team(client)
        created = [
            await client.create_campaign(name=f"Retried {n}", team_id=team.id) for n in range(6)
        ]
    assert len(every) == 40 and len({c.id for c in every}) == 40
    assert waits, "a 40% fail rate must have caused retries"
    # The injected 429s say Retry-After: 1; other failures back off by at most the cap.
    assert 1 in waits and all(0 < w <= 8 for w in waits)
    # Each create made exactly one campaign, whatever was retried.
    names = [c["name"] for c in campaigns_on_server(store)]
    assert sorted(n for n in names if n.startswith("Retried")) == [c.name for c in created]


@pytest.mark.parametrize("settings", [SandboxSettings(rate_limit=1)])
async def test_retry_after_is_honoured_up_to_the_cap(
    make_client: MakeClient, recorded_waits: list[float]
) -> None:
    waits = recorded_waits
    async with make_client() as first:
        await first.list_campaigns(limit=1)  # uses the window up
    async with make_client(max_retries=2) as client:
        with pytest.raises(RateLimitError) as caught:
            await client.list_campaigns(limit=1)
    asked = caught.value.retry_after
    assert asked is not None and len(waits) == 2
    assert all(abs(w - asked) <= 1 for w in waits)
    assert caught.value.attempts == 3

    waits.clear()
    async with make_client(max_retries=1, max_retry_wait=0.25) as client:
        with pytest.raises(RateLimitError):
            await client.list_campaigns(limit=1)
    assert waits == [0.25]


# -- pagination under concurrent writes ------------------------------------------------------


async def test_paging_neither_skips_nor_repeats_while_another_client_writes(
    make_client: MakeClient, client: SkipUpClient, clock: Any
) -> None:
    before = {c.id async for c in client.iter_campaigns()}
    async with make_client() as writer:
        team = await sales_team(writer)
        seen: list[str] = []
        n = 0
        async for page in client.iter_campaign_pages(page_size=4):
            seen += [c.id for c in page.data]
            # Between pages: new campaigns, renames and a deactivation elsewhere in the list.
            clock.advance(seconds=1)
            await writer.create_campaign(name=f"Concurrent {n}", team_id=team.id)
            victim = page.data[-1]
            await writer.update_campaign(victim.id, name=f"{victim.name} (edited)")
            n += 1
        assert n >= 10
    assert len(seen) == len(set(seen))
    assert set(seen) == before


async def test_client_paces_itself_instead_of_running_into_429s(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    import httpx

    from skipup_campaigns.sandbox import create_app
    from tests.conftest import IN_PROCESS_URL

    offset = [0.0]
    waits: list[float] = []

    async def sleep_by_moving_the_clock(seconds: float) -> None:
        waits.append(seconds)
        offset[0] += seconds

    monkeypatch.setattr(SkipUpClient, "_sleep", staticmethod(sleep_by_moving_the_clock))
    monkeypatch.setattr(time, "time", lambda real=time.time: real() + offset[0])
    settings = SandboxSettings(rate_limit=3, rate_clock=lambda: time.time())
    statuses: list[int] = []

    async def count(response: httpx.Response) -> None:
        statuses.append(response.status_code)

    async with SkipUpClient(
        "sk_test_admin",
        IN_PROCESS_URL,
        max_retries=0,
        transport=httpx.ASGITransport(create_app(store, settings)),
    ) as client:
        client._http.event_hooks["response"].append(count)
        pages = [page async for page in client.iter_campaign_pages(page_size=5)]
    assert sum(len(p.data) for p in pages) == 40 and len(pages) == 8
    assert 429 not in statuses and len(statuses) == 8
    assert len(waits) == 2 and all(0 < w <= 60 for w in waits)
