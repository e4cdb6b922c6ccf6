"""The sandbox's HTTP face: SkipUp's routes, envelopes, auth, scopes and errors over the store.

`create_app()` returns an ASGI app that uvicorn serves on a port, or that `httpx.ASGITransport`
drives in-process. An exception anywhere becomes a JSON 500, as a real server's would, and is
never raised into the caller.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Match, Route, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from skipup_campaigns.sandbox.faults import FailedKeyGuard, FaultInjector, RateLimiter
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE, OTHER_WORKSPACE
from skipup_campaigns.sandbox.store import ApiError, Store, invalid_request

log = logging.getLogger("skipup_campaigns.sandbox")

API_PREFIX = "/api/v1"
MAX_BODY_BYTES = 1024 * 1024
"""A request body past this is refused with 413, as soon as it is known (Content-Length) or
read (a chunked body is counted as it streams in, never held whole)."""
MAX_JSON_DEPTH = 64
"""Arrays and objects nested deeper than this are refused with 422."""
READ, WRITE, TEAMS = "campaigns.read", "campaigns.write", "teams.read"
ALL_SCOPES = (READ, WRITE, TEAMS)


@dataclass(frozen=True)
class ApiKey:
    key: str
    workspace_id: str
    scopes: frozenset[str]


def default_keys() -> dict[str, ApiKey]:
    keys = [
        ApiKey("sk_test_admin", MAIN_WORKSPACE, frozenset(ALL_SCOPES)),
        ApiKey("sk_test_readonly", MAIN_WORKSPACE, frozenset((READ, TEAMS))),
        ApiKey("sk_test_other", OTHER_WORKSPACE, frozenset(ALL_SCOPES)),
    ]
    return {k.key: k for k in keys}


def parse_key_spec(spec: str) -> ApiKey:
    """`KEY=SCOPE,SCOPE` → a key of the main workspace (for `--api-key`)."""
    key, sep, scopes = spec.partition("=")
    if not sep or not key.startswith("sk_"):
        raise ValueError(f"expected KEY=SCOPE,SCOPE with a key starting sk_, got {spec!r}")
    wanted = frozenset(s.strip() for s in scopes.split(",") if s.strip())
    unknown = wanted - set(ALL_SCOPES)
    if unknown:
        raise ValueError(
            f"unknown scope(s) {', '.join(sorted(unknown))}; known: {', '.join(ALL_SCOPES)}"
        )
    return ApiKey(key, MAIN_WORKSPACE, wanted)


@dataclass
class SandboxSettings:
    """How the sandbox behaves towards clients (the `sandbox` command's flags)."""

    keys: dict[str, ApiKey] = field(default_factory=default_keys)
    rate_limit: int = 120
    """Requests per minute per key; SkipUp states 120. 0 turns limiting off."""
    latency_ms: int = 0
    """Added before every response."""
    fail_rate: float = 0.0
    """Fraction of requests answered with an injected 5xx or 429."""
    random_seed: int | None = None
    """Makes injected failures repeatable."""
    rate_clock: Callable[[], float] = time.time
    """Epoch seconds for the rate limiter's windows (tests move it)."""
    failed_key_limit: int = 20
    """Wrong keys one client address may send per minute before its wrong keys are answered
    429 until the minute ends (a valid key is always served). 0 turns the lock-out off. The
    address is the connection's, or a trusted proxy's `X-Forwarded-For` (see
    `server.make_server`)."""


def error_response(
    status: int, type_: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"error": {"type": type_, "message": message}}, status, headers=headers)


class _JsonOnCrash:
    """Outermost middleware: an unhandled exception becomes a JSON 500, never a traceback."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("unhandled error in the sandbox")
            if not started:
                response = error_response(500, "internal_error", "Internal server error")
                await response(scope, receive, send)


class _SlashesStayInSegments:
    """Route on the path as sent: an id holding `%2F` stays one segment (Starlette would
    otherwise decode it and match another route), so it is simply not found."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw = scope.get("raw_path")
        if scope["type"] == "http" and raw and b"%2f" in raw.lower():
            segments = raw.decode("latin-1").split("/")
            scope = dict(
                scope,
                path="/".join(
                    unquote(s.replace("%2F", "%252F").replace("%2f", "%252f")) for s in segments
                ),
            )
        await self.app(scope, receive, send)


Handler = Callable[[Request, ApiKey], Awaitable[Response]]


class SandboxApp:
    """The routes, bound to one store and one set of settings."""

    def __init__(self, store: Store, settings: SandboxSettings) -> None:
        self.store = store
        self.settings = settings
        self.limiter = RateLimiter(settings.rate_limit, settings.rate_clock)
        self.faults = FaultInjector(settings.fail_rate, random.Random(settings.random_seed))
        self.key_guard = FailedKeyGuard(settings.failed_key_limit, settings.rate_clock)

    def endpoint(
        self, scope_needed: str, handler: Handler
    ) -> Callable[[Request], Awaitable[Response]]:
        """Wrap a handler in what every API call goes through, in SkipUp's order: latency,
        injected faults, authentication, rate limit, scope, then the handler's own errors."""

        async def run(request: Request) -> Response:
            if self.settings.latency_ms:
                await asyncio.sleep(self.settings.latency_ms / 1000)
            injected = self.faults.pick()
            if injected is not None:
                return injected
            auth = request.headers.get("authorization", "")
            scheme, _, token = auth.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                return JSONResponse({"error": "Missing authorization token"}, 401)
            key = self.settings.keys.get(token.strip())
            if key is None:
                # Only failures count, and only they are refused: a valid key is always served,
                # so a process guessing from the same address cannot lock its owner out.
                client = request.client.host if request.client else "unknown"
                wait = self.key_guard.retry_after(client)
                if wait is not None:
                    return error_response(
                        429,
                        "rate_limited",
                        "Too many requests with a wrong API key from "
                        f"this address; retry in {wait} s",
                        {"Retry-After": str(wait)},
                    )
                self.key_guard.failed(client)
                return JSONResponse({"error": "Invalid or expired API key"}, 401)
            decision = self.limiter.hit(key.key)
            headers = decision.headers() if decision else {}
            if decision and not decision.allowed:
                headers["Retry-After"] = str(decision.retry_after(self.limiter.clock()))
                response: Response = error_response(
                    429,
                    "rate_limited",
                    f"Rate limit exceeded: {decision.limit} requests per minute",
                    headers,
                )
                return response
            if scope_needed not in key.scopes:
                response = error_response(
                    403, "forbidden", f"API key missing required scope: {scope_needed}"
                )
            else:
                try:
                    response = await handler(request, key)
                except ApiError as exc:
                    response = error_response(exc.status, exc.type, exc.message)
            response.headers.update(headers)
            return response

        return run

    # -- campaigns -----------------------------------------------------------------------------

    async def list_campaigns(self, request: Request, key: ApiKey) -> Response:
        params = request.query_params
        active_text = params.get("active")
        if active_text not in (None, "true", "false"):
            raise invalid_request("active must be true or false")
        active = None if active_text is None else active_text == "true"
        limit = _limit(params.get("limit"))
        data, next_cursor = self.store.list_campaigns(
            key.workspace_id, active=active, limit=limit, cursor=params.get("cursor")
        )
        return _list_response(data, limit, next_cursor)

    async def get_campaign(self, request: Request, key: ApiKey) -> Response:
        return JSONResponse(
            {"data": self.store.get_campaign(key.workspace_id, request.path_params["campaign_id"])}
        )

    async def create_campaign(self, request: Request, key: ApiKey) -> Response:
        raw = await _read_body(request)

        def create() -> tuple[int, dict[str, Any]]:
            try:
                body = _json_object(raw)
                return 201, {"data": self.store.create_campaign(key.workspace_id, body)}
            except ApiError as exc:
                if exc.status != 422:
                    raise
                return exc.status, {"error": {"type": exc.type, "message": exc.message}}

        idem_key = request.headers.get("idempotency-key")
        if idem_key:
            status, body = self.store.run_idempotent(key.key, idem_key, _body_hash(raw), create)
        else:
            status, body = create()
        return JSONResponse(body, status)

    async def update_campaign(self, request: Request, key: ApiKey) -> Response:
        body = _json_object(await _read_body(request))
        return JSONResponse(
            {
                "data": self.store.update_campaign(
                    key.workspace_id, request.path_params["campaign_id"], body
                )
            }
        )

    async def deactivate_campaign(self, request: Request, key: ApiKey) -> Response:
        return JSONResponse(
            {
                "data": self.store.deactivate_campaign(
                    key.workspace_id, request.path_params["campaign_id"]
                )
            }
        )

    # -- teams ---------------------------------------------------------------------------------

    async def list_teams(self, request: Request, key: ApiKey) -> Response:
        limit = _limit(request.query_params.get("limit"))
        data, next_cursor = self.store.list_teams(
            key.workspace_id, limit=limit, cursor=request.query_params.get("cursor")
        )
        return _list_response(data, limit, next_cursor)

    async def get_team(self, request: Request, key: ApiKey) -> Response:
        return JSONResponse(
            {"data": self.store.get_team(key.workspace_id, request.path_params["team_id"])}
        )

    def routes(self) -> list[Route]:
        """One route per path (so a 405's Allow header names every method of the path)."""
        p = API_PREFIX
        return [
            _route(
                f"{p}/campaigns",
                GET=self.endpoint(READ, self.list_campaigns),
                POST=self.endpoint(WRITE, self.create_campaign),
            ),
            _route(
                f"{p}/campaigns/{{campaign_id}}",
                GET=self.endpoint(READ, self.get_campaign),
                PATCH=self.endpoint(WRITE, self.update_campaign),
            ),
            _route(
                f"{p}/campaigns/{{campaign_id}}/deactivate",
                POST=self.endpoint(WRITE, self.deactivate_campaign),
            ),
            _route(f"{p}/teams", GET=self.endpoint(TEAMS, self.list_teams)),
            _route(f"{p}/teams/{{team_id}}", GET=self.endpoint(TEAMS, self.get_team)),
            _route(f"{p}/openapi.json", GET=_openapi),
        ]


def _route(path: str, **handlers: Callable[[Request], Awaitable[Response]]) -> Route:
    async def by_method(request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        return await handlers[method](request)

    return Route(path, by_method, methods=list(handlers))


async def _openapi(request: Request) -> Response:
    """The contract this sandbox keeps, for anyone (no key needed, as for a public doc)."""
    from skipup_campaigns.contract import openapi_text

    return Response(openapi_text(), media_type="application/json")


def _limit(text: str | None) -> int:
    if text is None:
        return 25
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 100:
        raise invalid_request("limit must be an integer from 1 to 100")
    return int(text)


def _list_response(data: list[dict[str, Any]], limit: int, next_cursor: str | None) -> Response:
    return JSONResponse(
        {
            "data": data,
            "meta": {
                "limit": limit,
                "has_more": next_cursor is not None,
                "next_cursor": next_cursor,
            },
        }
    )


async def _read_body(request: Request) -> bytes:
    """The body, refused with 413 past MAX_BODY_BYTES: by its Content-Length before reading
    anything, else as it streams in (so a 500 MB upload costs at most the limit)."""
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _too_large()
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _too_large()
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large() -> ApiError:
    return ApiError(
        413, "invalid_request", f"Request body is too large (at most {MAX_BODY_BYTES} bytes)"
    )


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except RecursionError:  # deeper than the decoder's stack: certainly too deep
        raise _too_deep() from None
    except (ValueError, UnicodeDecodeError):
        raise invalid_request("Request body must be valid JSON") from None
    if not isinstance(body, dict):
        raise invalid_request("Request body must be a JSON object")
    if _deeper_than(body, MAX_JSON_DEPTH):
        raise _too_deep()
    return body


def _too_deep() -> ApiError:
    return invalid_request(f"Request body is nested too deeply (at most {MAX_JSON_DEPTH} levels)")


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether arrays and objects nest more than `limit` levels (iteratively: no recursion
    for an attacker to exhaust)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        for child in children:
            if isinstance(child, (dict, list)):
                if depth + 1 > limit:
                    return True
                stack.append((child, depth + 1))
    return False


def _body_hash(raw: bytes) -> str:
    """The same JSON body hashes alike however it is spaced or ordered."""
    try:
        canonical = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, UnicodeDecodeError, RecursionError):
        canonical = raw
    return hashlib.sha256(canonical).hexdigest()


async def _crash(request: Request, exc: Exception) -> Response:
    # Starlette sends this and re-raises; _JsonOnCrash then swallows the re-raise.
    return error_response(500, "internal_error", "Internal server error")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:  # with Starlette's Allow header, as RFC 9110 asks
        return error_response(
            405,
            "invalid_request",
            f"Method {request.method} not allowed",
            headers=dict(exc.headers or {}),
        )
    return error_response(exc.status_code, "not_found", f"No route for {request.url.path}")


def _relative_slash_redirects(router: Router) -> None:
    """Starlette redirects `/campaigns/` to `/campaigns` with an absolute URL built from the
    request's Host header, which anyone can set (a poisoned cache or link would send the next
    client, key and all, elsewhere). Ours says the path only: the client stays on its host."""
    router.redirect_slashes = False
    not_found = router.default

    async def default(scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"]
        if scope["type"] == "http" and path != "/":
            other = path.rstrip("/") if path.endswith("/") else path + "/"
            other_scope = dict(scope, path=other)
            if any(route.matches(other_scope)[0] is not Match.NONE for route in router.routes):
                raw = scope.get("raw_path") or quote(path).encode()
                raw = raw.rstrip(b"/") if path.endswith("/") else raw + b"/"
                location = "/" + raw.decode("latin-1").lstrip("/")  # never `//host`
                if scope.get("query_string"):
                    location += "?" + scope["query_string"].decode("latin-1")
                await RedirectResponse(location, 307)(scope, receive, send)
                return
        await not_found(scope, receive, send)

    router.default = default


def create_app(store: Store, settings: SandboxSettings | None = None) -> ASGIApp:
    """The sandbox as an ASGI app."""
    sandbox = SandboxApp(store, settings or SandboxSettings())
    app = Starlette(
        routes=sandbox.routes(), exception_handlers={HTTPException: _http_error, Exception: _crash}
    )
    _relative_slash_redirects(app.router)
    app.state.sandbox = sandbox
    return _JsonOnCrash(_SlashesStayInSegments(app))
