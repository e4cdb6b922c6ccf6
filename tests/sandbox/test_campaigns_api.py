"""The sandbox's campaign endpoints on the wire: envelopes, rules, validation and scopes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import ADMIN, OTHER, READONLY, Clock

CAMPAIGN_KEYS = [
    "id",
    "name",
    "slug",
    "description",
    "email_address",
    "team_id",
    "team_name",
    "active",
    "starts_at",
    "ends_at",
    "deactivated_at",
    "meeting_request_count",
    "meetings_booked_count",
    "booking_rate",
    "created_at",
    "updated_at",
]


async def team_id(raw: Any, name: str = "Sales", key: str = ADMIN) -> str:
    teams = (await raw("GET", "/teams", key=key)).json()["data"]
    return next(t["id"] for t in teams if t["name"] == name)


async def create(raw: Any, **body: Any) -> dict[str, Any]:
    response = await raw("POST", "/campaigns", json=body)
    assert response.status_code == 201, response.text
    return response.json()["data"]


async def all_campaigns(raw: Any, query: str = "", key: str = ADMIN) -> list[dict[str, Any]]:
    out, cursor = [], None
    while True:
        suffix = f"&cursor={cursor}" if cursor else ""
        body = (await raw("GET", f"/campaigns?limit=100{query}{suffix}", key=key)).json()
        out += body["data"]
        if not body["meta"]["has_more"]:
            return out
        cursor = body["meta"]["next_cursor"]


# -- envelopes and derived fields ------------------------------------------------------------


async def test_list_envelope_has_data_and_all_three_meta_fields(raw: Any) -> None:
    response = await raw("GET", "/campaigns?limit=3")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert list(body) == ["data", "meta"]
    assert len(body["data"]) == 3
    assert list(body["data"][0]) == CAMPAIGN_KEYS
    assert body["meta"]["limit"] == 3 and body["meta"]["has_more"] is True
    assert isinstance(body["meta"]["next_cursor"], str)


async def test_list_default_limit_is_25_and_last_page_has_null_cursor(raw: Any) -> None:
    first = (await raw("GET", "/campaigns")).json()
    assert len(first["data"]) == 25 and first["meta"]["limit"] == 25
    second = (await raw("GET", f"/campaigns?cursor={first['meta']['next_cursor']}")).json()
    assert second["meta"] == {"limit": 25, "has_more": False, "next_cursor": None}
    assert len(first["data"]) + len(second["data"]) == 40


async def test_list_is_newest_first(raw: Any) -> None:
    data = await all_campaigns(raw)
    keys = [c["created_at"] for c in data]
    assert keys == sorted(keys, reverse=True)


async def test_booking_rate_is_sent_with_a_decimal_point(raw: Any) -> None:
    team = await team_id(raw)
    created = await create(raw, name="Rate check", team_id=team)
    text = (await raw("GET", f"/campaigns/{created['id']}")).text
    assert '"booking_rate":0.0' in text
    assert '"meeting_request_count":0' in text


async def test_booking_rate_from_counts(raw: Any, store: Any) -> None:
    created = await create(raw, name="Counted", team_id=await team_id(raw))
    store.record_requests(created["id"], 8, 3)
    body = (await raw("GET", f"/campaigns/{created['id']}")).json()["data"]
    assert (body["meeting_request_count"], body["meetings_booked_count"]) == (8, 3)
    assert body["booking_rate"] == 37.5
    store.record_requests(created["id"], 8, 0)
    assert (await raw("GET", f"/campaigns/{created['id']}")).json()["data"]["booking_rate"] == 18.8


async def test_active_reflects_deactivation_end_and_future_start(raw: Any, clock: Clock) -> None:
    team = await team_id(raw)
    future = await create(raw, name="Future", team_id=team, starts_at="2026-07-01T00:00:00Z")
    ended = await create(
        raw,
        name="Ended",
        team_id=team,
        starts_at="2026-05-01T00:00:00Z",
        ends_at="2026-06-01T00:00:00Z",
    )
    ending = await create(raw, name="Ending", team_id=team, ends_at="2026-06-15T12:30:00Z")
    assert future["active"] is True
    assert ended["active"] is False and ended["deactivated_at"] is None
    assert ending["active"] is True
    deactivated = (await raw("POST", f"/campaigns/{future['id']}/deactivate")).json()["data"]
    assert deactivated["active"] is False
    assert deactivated["deactivated_at"] == "2026-06-15T12:00:00Z"
    # The end passing makes a campaign inactive by itself: nothing was written.
    clock.advance(minutes=31)
    assert (await raw("GET", f"/campaigns/{ending['id']}")).json()["data"]["active"] is False


async def test_active_filter_partitions_the_list(raw: Any) -> None:
    everything = {c["id"] for c in await all_campaigns(raw)}
    active = await all_campaigns(raw, "&active=true")
    inactive = await all_campaigns(raw, "&active=false")
    assert all(c["active"] for c in active)
    assert not any(c["active"] for c in inactive)
    assert {c["id"] for c in active} | {c["id"] for c in inactive} == everything
    assert active and inactive


# -- create, slugs and e-mail addresses ------------------------------------------------------


async def test_create_returns_201_with_derived_fields(raw: Any) -> None:
    team = await team_id(raw, "Customer Success")
    body = await create(raw, name="  Café Olé 2026 ", team_id=team, description="Hi")
    assert body["name"] == "Café Olé 2026"
    assert body["slug"] == "cafe-ole-2026"
    assert body["email_address"] == "cafe-ole-2026.acme@skipup.co"
    assert body["team_name"] == "Customer Success"
    assert body["created_at"] == body["updated_at"] == "2026-06-15T12:00:00Z"
    assert body["id"].startswith("cmp_")


async def test_slug_clashes_count_up_and_survive_renames(raw: Any) -> None:
    team = await team_id(raw)
    second = await create(raw, name="NAA 2026", team_id=team)  # the demo has naa-2026
    third = await create(raw, name="naa   2026!", team_id=team)
    assert (second["slug"], third["slug"]) == ("naa-2026-2", "naa-2026-3")
    renamed = (
        await raw("PATCH", f"/campaigns/{second['id']}", json={"name": "Something else"})
    ).json()["data"]
    assert renamed["slug"] == "naa-2026-2"
    assert renamed["email_address"] == "naa-2026-2.acme@skipup.co"
    nothing_left = await create(raw, name="!!!", team_id=team)
    assert nothing_left["slug"] == "campaign"


async def test_sql_metacharacters_are_stored_and_returned_verbatim(raw: Any) -> None:
    hostile = "Robert'); DROP TABLE campaigns;-- %_ \\ \" ` $1 ?"
    body = await create(raw, name=hostile, team_id=await team_id(raw), description=hostile * 3)
    fetched = (await raw("GET", f"/campaigns/{body['id']}")).json()["data"]
    assert fetched["name"] == hostile.strip()
    assert fetched["description"] == hostile * 3
    patched = (
        await raw("PATCH", f"/campaigns/{body['id']}", json={"description": "' OR '1'='1"})
    ).json()["data"]
    assert patched["description"] == "' OR '1'='1"
    assert len(await all_campaigns(raw)) == 41


async def test_name_limit_counts_code_points_after_trimming(raw: Any) -> None:
    team = await team_id(raw)
    ok = await create(raw, name="  " + "é" * 200 + "  ", team_id=team)
    assert ok["name"] == "é" * 200
    response = await raw("POST", "/campaigns", json={"name": "é" * 201, "team_id": team})
    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith("name is too long")


# -- validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"team_id": "TEAM"}, "name is required"),
        ({"name": "x"}, "team_id is required"),
        ({"name": "   ", "team_id": "TEAM"}, "name can't be blank"),
        ({"name": 42, "team_id": "TEAM"}, "name must be a string"),
        ({"name": None, "team_id": "TEAM"}, "name can't be null"),
        ({"name": "x", "team_id": 7}, "team_id must be a string"),
        ({"name": "x", "team_id": "tm_nope"}, "team_id does not match an active team"),
        ({"name": "x", "team_id": "TEAM", "description": ["a"]}, "description must be a string"),
        ({"name": "x", "team_id": "TEAM", "description": "d" * 5001}, "description is too long"),
        (
            {"name": "x", "team_id": "TEAM", "starts_at": "2026-06-01"},
            "starts_at must be an ISO 8601",
        ),
        ({"name": "x", "team_id": "TEAM", "ends_at": "soon"}, "ends_at must be an ISO 8601"),
        ({"name": "x", "team_id": "TEAM", "ends_at": 1750000000}, "ends_at must be an ISO 8601"),
        (
            {
                "name": "x",
                "team_id": "TEAM",
                "starts_at": "2026-07-01T00:00:00Z",
                "ends_at": "2026-07-01T00:00:00Z",
            },
            "ends_at must be after starts_at",
        ),
    ],
)
async def test_create_validation_names_the_field(
    raw: Any, body: dict[str, Any], message: str
) -> None:
    team = await team_id(raw)
    body = {k: (team if v == "TEAM" else v) for k, v in body.items()}
    response = await raw("POST", "/campaigns", json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["type"] == "validation_error"
    assert error["message"].startswith(message)


async def test_description_of_5000_characters_is_accepted(raw: Any) -> None:
    body = await create(raw, name="Long", team_id=await team_id(raw), description="d" * 5000)
    assert len(body["description"]) == 5000


async def test_unknown_fields_are_ignored(raw: Any) -> None:
    body = await create(
        raw, name="Extra", team_id=await team_id(raw), colour="red", meeting_request_count=999
    )
    assert body["meeting_request_count"] == 0 and "colour" not in body


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "Request body must be valid JSON"),
        (b"", "Request body must be valid JSON"),
        (b"\xff\xfe", "Request body must be valid JSON"),
        (b"[1, 2]", "Request body must be a JSON object"),
        (b'"name"', "Request body must be a JSON object"),
    ],
)
async def test_malformed_bodies_get_a_json_invalid_request(
    raw: Any, content: bytes, message: str
) -> None:
    for method, path in (("POST", "/campaigns"), ("PATCH", "/campaigns/x")):
        response = await raw(
            method, path, content=content, headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 422
        assert response.json() == {"error": {"type": "invalid_request", "message": message}}


async def test_deactivated_team_is_refused(raw: Any) -> None:
    legacy = await team_id(raw, "Legacy Outbound")
    response = await raw("POST", "/campaigns", json={"name": "x", "team_id": legacy})
    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith("team_id")


# -- patch -----------------------------------------------------------------------------------


async def test_patch_changes_only_given_fields_and_null_clears(raw: Any, clock: Clock) -> None:
    created = await create(
        raw,
        name="Patch me",
        team_id=await team_id(raw),
        description="d",
        starts_at="2026-06-01T00:00:00Z",
        ends_at="2026-09-01T00:00:00Z",
    )
    clock.advance(hours=1)
    response = await raw(
        "PATCH", f"/campaigns/{created['id']}", json={"description": None, "ends_at": None}
    )
    body = response.json()["data"]
    assert response.status_code == 200
    assert body["description"] is None and body["ends_at"] is None
    assert body["name"] == "Patch me" and body["starts_at"] == "2026-06-01T00:00:00Z"
    assert body["updated_at"] == "2026-06-15T13:00:00Z"


async def test_patch_with_no_change_keeps_updated_at(raw: Any, clock: Clock) -> None:
    created = await create(raw, name="Same", team_id=await team_id(raw))
    clock.advance(hours=1)
    body = (await raw("PATCH", f"/campaigns/{created['id']}", json={"name": " Same "})).json()[
        "data"
    ]
    assert body["updated_at"] == created["updated_at"]


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"name": None}, "name can't be null"),
        ({"team_id": None}, "team_id can't be null"),
        ({"name": ""}, "name can't be blank"),
        ({"ends_at": "2026-05-01T00:00:00Z"}, "ends_at must be after starts_at"),
        ({"starts_at": "2026-10-01T00:00:00+02:00"}, "ends_at must be after starts_at"),
    ],
)
async def test_patch_validation(raw: Any, patch: dict[str, Any], message: str) -> None:
    created = await create(
        raw,
        name="Dated",
        team_id=await team_id(raw),
        starts_at="2026-06-01T00:00:00Z",
        ends_at="2026-09-01T00:00:00Z",
    )
    response = await raw("PATCH", f"/campaigns/{created['id']}", json=patch)
    assert response.status_code == 422
    assert response.json()["error"] == {"type": "validation_error", "message": message}


async def test_patch_may_repeat_a_since_deactivated_team_but_not_move_to_one(
    raw: Any, store: Any
) -> None:
    legacy = await team_id(raw, "Legacy Outbound")
    old = next(c for c in await all_campaigns(raw) if c["team_id"] == legacy)
    same = await raw("PATCH", f"/campaigns/{old['id']}", json={"team_id": legacy, "name": "Kept"})
    assert same.status_code == 200 and same.json()["data"]["name"] == "Kept"
    other = next(c for c in await all_campaigns(raw) if c["team_id"] != legacy)
    moved = await raw("PATCH", f"/campaigns/{other['id']}", json={"team_id": legacy})
    assert moved.status_code == 422


async def test_deactivated_campaign_can_be_patched_and_stays_deactivated(raw: Any) -> None:
    created = await create(raw, name="Retire", team_id=await team_id(raw))
    await raw("POST", f"/campaigns/{created['id']}/deactivate")
    body = (await raw("PATCH", f"/campaigns/{created['id']}", json={"name": "Retired"})).json()[
        "data"
    ]
    assert body["name"] == "Retired" and body["active"] is False


# -- deactivate ------------------------------------------------------------------------------


async def test_deactivating_twice_is_an_invalid_request(raw: Any) -> None:
    created = await create(raw, name="Once", team_id=await team_id(raw))
    first = await raw("POST", f"/campaigns/{created['id']}/deactivate")
    assert first.status_code == 200 and first.json()["data"]["active"] is False
    second = await raw("POST", f"/campaigns/{created['id']}/deactivate")
    assert second.status_code == 422
    assert second.json()["error"]["type"] == "invalid_request"


# -- auth, scopes and workspaces ---------------------------------------------------------------


async def test_missing_and_bad_keys_get_plain_string_401s_without_rate_headers(raw: Any) -> None:
    missing = await raw("GET", "/campaigns", key=None)
    assert missing.status_code == 401
    assert missing.json() == {"error": "Missing authorization token"}
    bad = await raw("GET", "/campaigns", key="sk_live_nope")
    assert bad.status_code == 401
    assert bad.json() == {"error": "Invalid or expired API key"}
    wrong_scheme = await raw("GET", "/campaigns", key=None, headers={"Authorization": ADMIN})
    assert wrong_scheme.status_code == 401
    assert not any(h.startswith("x-ratelimit") for h in bad.headers)


@pytest.mark.parametrize(
    ("method", "path", "scope"),
    [
        ("POST", "/campaigns", "campaigns.write"),
        ("PATCH", "/campaigns/ID", "campaigns.write"),
        ("POST", "/campaigns/ID/deactivate", "campaigns.write"),
    ],
)
async def test_readonly_key_lacks_write_scope(raw: Any, method: str, path: str, scope: str) -> None:
    some_id = (await raw("GET", "/campaigns?limit=1")).json()["data"][0]["id"]
    response = await raw(method, path.replace("ID", some_id), key=READONLY, json={"name": "x"})
    assert response.status_code == 403
    assert response.json() == {
        "error": {"type": "forbidden", "message": f"API key missing required scope: {scope}"}
    }
    assert (await raw("GET", f"/campaigns/{some_id}", key=READONLY)).status_code == 200


async def test_key_without_teams_scope_cannot_list_teams(store: Any) -> None:
    import httpx

    from skipup_campaigns.sandbox import SandboxSettings, create_app, parse_key_spec

    settings = SandboxSettings(rate_limit=0)
    key = parse_key_spec("sk_test_campaigns_only=campaigns.read,campaigns.write")
    settings.keys[key.key] = key
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(create_app(store, settings)),
        base_url="http://127.0.0.1/api/v1",
    ) as http:
        headers = {"Authorization": "Bearer sk_test_campaigns_only"}
        teams = await http.get("/teams", headers=headers)
        assert teams.status_code == 403
        assert teams.json()["error"]["message"] == "API key missing required scope: teams.read"
        assert (await http.get("/campaigns", headers=headers)).status_code == 200


async def test_another_workspace_sees_404_for_everything_of_ours(raw: Any) -> None:
    ours = (await raw("GET", "/campaigns?limit=1")).json()["data"][0]
    for method, path in (
        ("GET", f"/campaigns/{ours['id']}"),
        ("PATCH", f"/campaigns/{ours['id']}"),
        ("POST", f"/campaigns/{ours['id']}/deactivate"),
        ("GET", f"/teams/{ours['team_id']}"),
    ):
        response = await raw(method, path, key=OTHER, json={"name": "stolen"})
        assert response.status_code == 404, (method, path)
        assert response.json()["error"]["type"] == "not_found"
    theirs = await all_campaigns(raw, key=OTHER)
    assert {c["name"] for c in theirs} == {"Globex spring push", "Globex partner days"}
    cross = await raw(
        "POST", "/campaigns", key=OTHER, json={"name": "x", "team_id": ours["team_id"]}
    )
    assert cross.status_code == 422
    assert (await raw("GET", f"/campaigns/{ours['id']}")).json()["data"]["name"] == ours["name"]


# -- idempotent create -----------------------------------------------------------------------


async def test_idempotency_key_replays_the_first_answer_and_creates_once(raw: Any) -> None:
    body = {"name": "Once only", "team_id": await team_id(raw)}
    headers = {"Idempotency-Key": "abc-1"}
    first = await raw("POST", "/campaigns", json=body, headers=headers)
    # Same body spelled differently still counts as the same body.
    again = await raw(
        "POST",
        "/campaigns",
        headers={**headers, "Content-Type": "application/json"},
        content=json.dumps(dict(reversed(body.items())), indent=2),
    )
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    names = [c["name"] for c in await all_campaigns(raw)]
    assert names.count("Once only") == 1


async def test_idempotency_key_with_a_different_body_is_refused(raw: Any) -> None:
    team = await team_id(raw)
    headers = {"Idempotency-Key": "abc-2"}
    await raw("POST", "/campaigns", json={"name": "A", "team_id": team}, headers=headers)
    response = await raw("POST", "/campaigns", json={"name": "B", "team_id": team}, headers=headers)
    assert response.status_code == 422
    assert response.json()["error"]["type"] == "invalid_request"
    assert "Idempotency-Key" in response.json()["error"]["message"]


async def test_idempotency_replays_a_422_and_is_per_api_key(raw: Any, clock: Clock) -> None:
    headers = {"Idempotency-Key": "abc-3"}
    bad = {"name": "", "team_id": "x"}
    first = await raw("POST", "/campaigns", json=bad, headers=headers)
    second = await raw("POST", "/campaigns", json=bad, headers=headers)
    assert first.status_code == second.status_code == 422
    assert first.json() == second.json()
    other_team = await team_id(raw, "Globex Sales", key=OTHER)
    theirs = await raw(
        "POST",
        "/campaigns",
        key=OTHER,
        headers=headers,
        json={"name": "Theirs", "team_id": other_team},
    )
    assert theirs.status_code == 201


async def test_idempotency_keys_expire_after_24_hours(raw: Any, clock: Clock) -> None:
    body = {"name": "Daily", "team_id": await team_id(raw)}
    headers = {"Idempotency-Key": "abc-4"}
    first = (await raw("POST", "/campaigns", json=body, headers=headers)).json()["data"]
    clock.advance(hours=24, seconds=1)
    later = (await raw("POST", "/campaigns", json=body, headers=headers)).json()["data"]
    assert later["id"] != first["id"] and later["slug"] == "daily-2"


# -- list parameters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=101",
        "limit=abc",
        "limit=1.5",
        "limit=-1",
        "limit=%EF%BC%95",
        "active=yes",
        "active=TRUE",
        "cursor=!!!",
        "cursor=WzEsMl0",
        "cursor=bm90IGpzb24",
    ],
)
async def test_bad_list_parameters_are_invalid_requests(raw: Any, query: str) -> None:
    for path in ("/campaigns", "/teams"):
        if path == "/teams" and query.startswith("active"):
            continue
        response = await raw("GET", f"{path}?{query}")
        assert response.status_code == 422, (path, query)
        assert response.json()["error"]["type"] == "invalid_request"


# -- routing and crashes ---------------------------------------------------------------------


async def test_unknown_route_and_method_get_json_errors(raw: Any) -> None:
    missing = await raw("GET", "/nothing-here")
    assert missing.status_code == 404 and missing.json()["error"]["type"] == "not_found"
    wrong = await raw("DELETE", "/campaigns")
    assert wrong.status_code == 405 and "error" in wrong.json()
    no_such = await raw("GET", "/campaigns/cmp_nope")
    assert no_such.json() == {"error": {"type": "not_found", "message": "Campaign not found"}}


async def test_an_exception_in_the_app_becomes_a_json_500(
    raw: Any, store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store, "get_campaign", explode)
    response = await raw("GET", "/campaigns/anything")
    assert response.status_code == 500
    assert response.json() == {
        "error": {"type": "internal_error", "message": "Internal server error"}
    }
    assert "disk on fire" not in response.text
