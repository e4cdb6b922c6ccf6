"""The OpenAPI document against the sandbox (schemathesis, in-process over ASGI, on a file-backed
database) and against the client's models (its examples), so neither side can drift."""

from __future__ import annotations

import base64
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, assume, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from skipup_campaigns.api.models import (
    Campaign,
    CampaignCreate,
    CampaignUpdate,
    ListEnvelope,
    Team,
)
from skipup_campaigns.contract import openapi
from skipup_campaigns.sandbox import SandboxSettings, create_app, open_store
from skipup_campaigns.sandbox.app import MAX_BODY_BYTES, MAX_JSON_DEPTH
from tests.conftest import ADMIN

FUZZ = settings(
    max_examples=100, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)


@pytest.fixture(scope="module")
def sandbox_on_disk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    store = open_store(str(tmp_path_factory.mktemp("fuzz") / "fuzz.db"))
    # No lock-out for wrong keys either (tests/sandbox has its own test): schemathesis sends
    # wrong keys on purpose, and a locked-out run would answer 429 to all that followed.
    yield create_app(store, SandboxSettings(rate_limit=0, failed_key_limit=0))
    store.close()


@pytest.fixture(scope="module")
def api_schema(sandbox_on_disk: Any) -> Any:
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", sandbox_on_disk)


schema = schemathesis.pytest.from_fixture("api_schema")


@schemathesis.auth()
class AdminKey:
    """The sandbox's admin key, added the way schemathesis adds auth: a case it generates
    without the header (to see the 401) keeps it missing."""

    def get(self, case: Any, context: Any) -> str:
        return ADMIN

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


def _names_state_it_cannot_know(case: Any) -> bool:
    """A request that is valid by the schema yet names something only the server knows: a
    cursor it never issued, a team id it never made up, a campaign that may already be
    deactivated, dates in the wrong order. The server rightly refuses those with a 422."""
    body = case.body if isinstance(case.body, dict) else {}
    return bool(
        (case.query or {}).get("cursor") is not None
        or "team_id" in body
        or "Idempotency-Key" in (case.headers or {})
        or case.operation.label.endswith("/deactivate")
        or {"starts_at", "ends_at"} & set(body)
    )


OPERATIONS = sorted(
    operation["operationId"]
    for path in openapi()["paths"].values()
    for operation in path.values()
    if isinstance(operation, dict) and "operationId" in operation
)
"""Each operation is a test of its own (not one test of many subtests), so a parallel run
spreads them over the cores."""


def _every_response_conforms(operation_id: str) -> Callable[..., None]:
    @schema.include(operation_id=operation_id).parametrize()
    @FUZZ
    def test(case: Any) -> None:
        """Valid and invalid inputs alike: a documented status, a body of the documented
        shape, and never a server error; schema-valid input is accepted unless it names
        server state."""
        excluded = [positive_data_acceptance] if _names_state_it_cannot_know(case) else []
        case.call_and_validate(excluded_checks=excluded)

    return test


for _operation in OPERATIONS:
    globals()[f"test_every_response_conforms_and_nothing_is_a_5xx_{_operation}"] = (
        _every_response_conforms(_operation)
    )


# -- hostile input, generated (issue 16 §6) ----------------------------------------------------
# Schemathesis draws from the document, so on its own it never sends what JSON Schema cannot
# say: lone surrogates, nesting past any depth, dates whose offset leaves years 1–9999, cursors
# the server never issued, bodies past the size limit. These strategies put one such value into
# each generated case; the server must answer it with its documented 4xx.


def _cursor_of(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _with_surrogate() -> st.SearchStrategy[str]:
    return st.builds(
        lambda before, lone, after: before + lone + after,
        st.text(max_size=8),
        st.characters(categories=["Cs"]),
        st.text(max_size=8),
    )


OUT_OF_RANGE_DATES = st.one_of(
    st.builds(
        lambda h, m: f"0001-01-01T00:{m:02d}:00+{h:02d}:{m:02d}",
        st.integers(1, 23),
        st.integers(0, 59),
    ),
    st.builds(
        lambda h, m: f"9999-12-31T23:{59 - m:02d}:59-{h:02d}:{m:02d}",
        st.integers(1, 23),
        st.integers(0, 59),
    ),
)
DEEP_BODIES = st.builds(
    lambda n, kind: (b"[" * n + b"]" * n) if kind else (b'{"name":' * n + b"1" + b"}" * n),
    st.integers(MAX_JSON_DEPTH + 1, 100_000),
    st.booleans(),
)
OVERSIZED_BODIES = st.integers(1, 70_000).map(
    lambda extra: b'{"name": "' + b"x" * (MAX_BODY_BYTES + extra) + b'"}'
)


def _cursor_at(seq: int) -> str:
    return _cursor_of(json.dumps(["2026-01-01T00:00:00Z", seq]).encode())


HOSTILE_CURSORS = st.one_of(
    st.integers(min_value=2**63).map(_cursor_at),  # past SQLite's integers
    st.integers(max_value=-1).map(_cursor_at),
    st.integers(2, 5_000).map(lambda n: _cursor_of(b"[" * n + b"]" * n)),
    _with_surrogate().map(lambda s: _cursor_of(json.dumps([s, 1]).encode())),
    st.binary(max_size=64).map(_cursor_of),
    st.text(max_size=64),
)


def _make_hostile(case: Any, data: st.DataObject) -> int:
    """Put one hostile value into `case`; returns the status the server must answer."""
    if case.operation.method.upper() == "GET":  # the two lists: a cursor we never issued
        case.query = {**(case.query or {}), "cursor": data.draw(HOSTILE_CURSORS)}
        return 422
    kind = data.draw(st.sampled_from(["surrogate", "date", "deep", "oversized"]))
    if kind == "deep":
        case.body = data.draw(DEEP_BODIES)
        return 422
    if kind == "oversized":
        case.body = data.draw(OVERSIZED_BODIES)
        return 413
    body = dict(case.body) if isinstance(case.body, dict) else {}
    if kind == "surrogate":
        body[data.draw(st.sampled_from(["name", "description", "team_id"]))] = data.draw(
            _with_surrogate()
        )
        # As raw JSON (escaped: `\\ud800`), the way it arrives: schemathesis's own checks
        # cannot hold a str that UTF-8 cannot encode.
        case.body = json.dumps(body).encode()
        return 422
    body[data.draw(st.sampled_from(["starts_at", "ends_at"]))] = data.draw(OUT_OF_RANGE_DATES)
    case.body = body
    return 422


def _hostile_inputs_get_their_4xx(operation_id: str) -> Callable[..., None]:
    @schema.include(operation_id=operation_id).parametrize()
    @schema.given(data=st.data())
    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,  # generated only: the
        phases=[Phase.generate, Phase.shrink],  # document's examples are not hostile
        suppress_health_check=list(HealthCheck),
    )
    def test(case: Any, data: Any) -> None:
        # From a case valid by the document, so the hostile value is the one thing wrong with
        # it (the run above covers the document's own negative cases).
        assume(case.meta is None or not case.meta.generation.mode.is_negative)
        expected = _make_hostile(case, data)
        response = case.call()
        assert response.status_code < 500, response.text
        assert response.status_code == expected, (response.status_code, response.text[:300])
        if expected == 413:
            assert response.json()["error"]["type"] == "invalid_request"
        case.validate_response(
            response, excluded_checks=[positive_data_acceptance, negative_data_rejection]
        )

    return test


for _operation in ("listCampaigns", "listTeams", "createCampaign", "updateCampaign"):
    globals()[f"test_hostile_inputs_get_their_documented_4xx_never_a_5xx_{_operation}"] = (
        _hostile_inputs_get_their_4xx(_operation)
    )


def test_create_get_patch_deactivate_get_behaves(
    api_schema: Any, sandbox_on_disk: Any, tmp_path: Path
) -> None:
    """Stateful sequences along the document's links."""
    sandbox = sandbox_on_disk.app.app.state.sandbox  # inside the crash and %2F wrappers
    seeded = tmp_path / "seed.db"
    open_store(str(seeded)).close()
    runs = iter(range(10_000))

    def fresh_store() -> None:
        copy = tmp_path / f"run-{next(runs)}.db"
        shutil.copyfile(seeded, copy)
        sandbox.store.close()
        sandbox.store = open_store(str(copy))

    state_machine = _checked_machine(api_schema.as_state_machine(), fresh_store)
    assert "deactivateCampaign" in json.dumps(openapi()["paths"])  # the links it follows
    # Generate only: replaying to shrink would meet a database the first run already changed.
    state_machine.run(
        settings=settings(
            max_examples=25,
            stateful_step_count=6,
            deadline=None,
            derandomize=True,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
    )
    assert next(runs) >= 20  # sequences really ran, each from the seed data


def _checked_machine(machine: Any, fresh_store: Any) -> Any:
    class Checked(machine):  # type: ignore[misc, valid-type]
        def setup(self) -> None:
            # Each sequence starts from the seed data, so that replaying a sequence meets the
            # same server (hypothesis checks that it does).
            fresh_store()

        def validate_response(
            self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any
        ) -> None:
            excluded = [positive_data_acceptance] if _names_state_it_cannot_know(case) else []
            case.validate_response(
                response,
                excluded_checks=excluded,
                additional_checks=[campaign_invariants],
                transport_kwargs=kwargs or None,
                recorder=self.recorder,
            )

    return Checked


def campaign_invariants(ctx: Any, response: Any, case: Any) -> bool | None:
    """What every campaign the server returns must satisfy, whatever came before."""
    if response.status_code >= 300 or "/campaigns" not in case.path:
        return None
    body = json.loads(response.content)
    for campaign in body["data"] if isinstance(body["data"], list) else [body["data"]]:
        requests, booked = campaign["meeting_request_count"], campaign["meetings_booked_count"]
        assert booked <= requests
        expected = 0.0 if requests == 0 else float(int(booked * 1000 / requests + 0.5) / 10)
        assert abs(campaign["booking_rate"] - expected) < 0.051, campaign
        if campaign["deactivated_at"] is not None:
            assert campaign["active"] is False
        if case.operation.label.endswith("/deactivate"):
            assert campaign["active"] is False and campaign["deactivated_at"]
    return True


async def test_the_sandbox_serves_the_packaged_document(sandbox_on_disk: Any) -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(sandbox_on_disk), base_url="http://127.0.0.1"
    ) as http:
        response = await http.get("/api/v1/openapi.json")  # no key: it is a public document
    assert response.status_code == 200
    assert response.json() == openapi()
    assert response.json()["openapi"].startswith("3.1")


def _examples(name: str) -> list[Any]:
    return openapi()["components"]["schemas"][name]["examples"]


def test_the_client_reads_every_example_of_the_document() -> None:
    for example in _examples("Campaign"):
        campaign = Campaign.model_validate(example)
        assert campaign.model_dump(mode="json") == example
    for example in _examples("Team"):
        assert Team.model_validate(example).id == example["id"]
    for example in _examples("CampaignList"):
        page = ListEnvelope[Campaign].model_validate_json(json.dumps(example)).page()
        assert [c.id for c in page.data] == [c["id"] for c in example["data"]]
        assert page.next_cursor == example["meta"]["next_cursor"]


def test_what_the_client_sends_matches_the_documents_request_schemas() -> None:
    import jsonschema

    document = openapi()

    def check(model: type, name: str, body: dict[str, Any]) -> None:
        wanted = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
        jsonschema.validate(body, wanted, cls=jsonschema.Draft202012Validator)
        assert set(body) <= set(document["components"]["schemas"][name]["properties"])
        assert set(model.model_fields) == set(document["components"]["schemas"][name]["properties"])

    for example in _examples("CampaignCreate"):
        check(CampaignCreate, "CampaignCreate", CampaignCreate(**example).to_body())
    for example in _examples("CampaignUpdate"):
        check(CampaignUpdate, "CampaignUpdate", CampaignUpdate(**example).to_body())


def test_the_models_know_every_field_the_document_names() -> None:
    schemas = openapi()["components"]["schemas"]
    assert set(Campaign.model_fields) == set(schemas["Campaign"]["properties"])
    assert set(schemas["Campaign"]["required"]) == set(schemas["Campaign"]["properties"])
    assert set(Team.model_fields) >= {"id", "name", "slug", "mode", "active"}
    assert set(Team.model_fields) <= set(schemas["Team"]["properties"])


def test_the_document_is_packaged_as_data() -> None:
    import skipup_campaigns.contract as contract

    assert (Path(contract.__file__).parent / "openapi.json").is_file()
