"""A hostile or broken SkipUp server on loopback, for the client's, commands' and UI's tests.

    from tests.hostile_server import serve_hostile

    with serve_hostile("repeating_cursor") as url:      # http://127.0.0.1:PORT/api/v1
        SkipUpClient("sk_test_admin", url) ...

or, in a test module or conftest (`from tests.hostile_server import hostile_server`), the
fixture: `url = hostile_server("gzip_bomb")` (stopped when the test ends).

It speaks just enough of the Campaigns API for every screen and command to run against it:
GET /campaigns, GET /campaigns/{id}, GET /teams, GET /teams/{id}, POST /campaigns,
PATCH /campaigns/{id}, POST /campaigns/{id}/deactivate. What it answers is the behaviour's:

    hostile_strings      every string field of every campaign and team (ids included) holds
                         control sequences, markup or bidi text (HOSTILE_TEXTS, cycled);
                         all of them still valid, so a client shows them all. Campaigns come
                         in two pages joined by HOSTILE_CURSOR (422 unless it comes back intact)
    hostile_timestamps   as hostile_strings, and the timestamps hold payloads too: those
                         campaigns are unreadable (the client skips and counts them)
    bad_numbers          good campaigns beside ones with 10**400 booked, a NaN or infinite
                         booking_rate, a negative count, dates whose UTC form leaves years 1-9999
    repeating_cursor     has_more for ever, fresh campaigns, always the same next_cursor
    cursor_cycle         cursors c1 -> c2 -> c1 -> ...
    empty_has_more       has_more with no items and a fresh cursor every time
    same_page            the same items with a fresh cursor every time
    oversized_page       1,000 campaigns whatever `limit` asked
    huge_body            a 20 MB body (past the client's 16 MiB cap)
    gzip_bomb            1 MB of gzip that inflates to 1 GiB of zeros
    drip                 200 OK, then one byte every 0.1 s (for at most 60 s)
    key_echo             every request answered 422 with the Authorization header's key and a
                         key-shaped string in the message (also: the `echo_key` switch below)
    huge_error           every request answered 500 with a 2 MB message
    gzipped              an ordinary page of campaigns, gzip-encoded (not hostile: the control)
    bad_waits            three good campaigns, every answer with X-RateLimit-* headers from
                         `state.rate_headers` (by default Reset: inf, nothing remaining) and,
                         while `state.retry_after` is set (by default "inf"), a 429 with it

hostile_strings and bad_numbers keep their campaigns (`state.campaigns`, by id): GET by id
answers that campaign (another id: hostile_strings a 404 with a hostile message, bad_numbers
the 10**400 campaign), PATCH changes it and moves
its updated_at on, deactivate deactivates it, POST creates one. A test drives the rest through
the app's state (`create_hostile_app(...).state.hostile`, or `serve_hostile(...)` yielding the
URL with `.state`): `touch(id)` (someone else edited it: a conflict), `write_error = message`
(every write answered 422 with it), `echo_key = True` (writes answered 422 echoing the key).

Every campaign it sends is built by `campaign()`, every team by `team()`: valid unless the
behaviour says otherwise, so a test can tell "refused" from "shown".

`terminal_output_problems(raw_bytes, copyable=..., payloads=...)` then says what in a program's
terminal output did not come from the program itself (see its docstring): the check every
byte-level test of screens and commands ends with.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import functools
import itertools
import json
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import unquote

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from skipup_campaigns.sandbox.server import serve_in_thread
from tests.hostile import HOSTILE_NAMES

HOSTILE_TEXTS = [
    *HOSTILE_NAMES[:12],
    "\x1b]52;c;UFdORUQtSUQ=\x07id-clipboard",
    "\x1b]0;ID-TITLE\x07",
    "cmp_1\nq",
    "\x1bP1$qm\x1b\\DCS-QUERY \x1b_Gf=100;APC-IMAGE\x1b\\ \x1b^PM-PRIVACY\x1b\\",
    "\x90C1-DCS\x9c \x9fC1-APC\x9c \x9e\x98C1-SOS\x9c \x85NEL",
    "\x1b[6n\x1b[21t\x1bc reset \x1b[?1049lALT\x1b(0lqk\x1b(B bell\x07\x08\x7f",
]
"""Payloads for string fields (the terminal-driving names of tests/hostile.py, plus a few
aimed at ids: a newline would run a command if pasted; DCS, APC, PM, SOS, their C1 forms,
terminal queries (a reply would be typed into the app), a full reset and charset switches)."""

HOSTILE_MESSAGE = (
    "\x1b]52;c;RVJST1ItQ0xJUA==\x07\x1b]0;ERROR-TITLE\x07\x1bP+q544e\x1b\\"
    "\x9b31mERROR-C1 [@click=app.quit]quit[/] \u202eEVIL-ERROR\u202c\nsecond line"
)
"""An error message as hostile as the data (set `write_error` to send it)."""

TIMESTAMP = "2026-06-01T00:00:00Z"
HOSTILE_CURSOR = "\x1b]0;CURSOR\x07 &limit=1000#frag/../\u202e?"
ECHOED_KEY_SHAPE = "sk_live_server_made_up_1234"

BEHAVIOURS = (
    "hostile_strings",
    "hostile_timestamps",
    "bad_numbers",
    "repeating_cursor",
    "cursor_cycle",
    "empty_has_more",
    "same_page",
    "oversized_page",
    "huge_body",
    "gzip_bomb",
    "drip",
    "key_echo",
    "huge_error",
    "gzipped",
    "bad_waits",
)


def campaign(n: int, **overrides: Any) -> dict[str, Any]:
    """A valid campaign, numbered `n`, with `overrides` applied."""
    body = {
        "id": f"cmp_{n}",
        "name": f"Campaign {n}",
        "slug": f"campaign-{n}",
        "description": None,
        "email_address": f"c{n}.acme@skipup.co",
        "team_id": "tm_1",
        "team_name": "Sales",
        "active": True,
        "starts_at": None,
        "ends_at": None,
        "deactivated_at": None,
        "meeting_request_count": 10,
        "meetings_booked_count": 4,
        "booking_rate": 40.0,
        "created_at": TIMESTAMP,
        "updated_at": TIMESTAMP,
    }
    body.update(overrides)
    return body


def team(n: int, **overrides: Any) -> dict[str, Any]:
    """A valid team, numbered `n`, with `overrides` applied."""
    body = {
        "id": f"tm_{n}",
        "name": f"Team {n}",
        "slug": f"team-{n}",
        "description": None,
        "mode": "pool",
        "email_address": None,
        "member_count": 3,
        "active": True,
        "deactivated_at": None,
        "created_at": TIMESTAMP,
        "updated_at": TIMESTAMP,
    }
    body.update(overrides)
    return body


def _hostile(body: dict[str, Any], texts: Iterator[str], *, timestamps: bool) -> dict[str, Any]:
    """Every string field of `body` (and, if asked, every timestamp) set to a payload."""
    out = dict(body)
    for field in (
        "id",
        "name",
        "slug",
        "description",
        "email_address",
        "team_id",
        "team_name",
        "mode",
    ):
        if field in out:
            out[field] = next(texts)
    if timestamps:
        for field in ("created_at", "updated_at", "starts_at", "ends_at"):
            out[field] = next(texts)
    return out


def hostile_campaigns(*, timestamps: bool = False) -> list[dict[str, Any]]:
    texts = itertools.cycle(HOSTILE_TEXTS)
    return [_hostile(campaign(n), texts, timestamps=timestamps) for n in range(len(HOSTILE_TEXTS))]


def hostile_teams() -> list[dict[str, Any]]:
    texts = itertools.cycle(reversed(HOSTILE_TEXTS))
    return [_hostile(team(n), texts, timestamps=False) for n in range(3)]


BAD_NUMBERS = {
    "huge_booked": {"meetings_booked_count": 10**400},
    "nan_rate": {"booking_rate": float("nan")},
    "infinite_rate": {"booking_rate": float("inf")},
    "negative_count": {"meeting_request_count": -5},
    "before_year_1": {"created_at": "0001-01-01T00:00:00+01:00"},
    "after_year_9999": {"ends_at": "9999-12-31T23:59:59-01:00"},
}
"""The bad campaigns of `bad_numbers` by id (`cmp_bad_<name>`); good ones are cmp_0..cmp_2."""


def _bad_numbers_page() -> list[dict[str, Any]]:
    good = [campaign(n) for n in range(3)]
    bad = [campaign(0, id=f"cmp_bad_{name}", **fields) for name, fields in BAD_NUMBERS.items()]
    return [good[0], *bad[:3], good[1], *bad[3:], good[2]]


def _list_body(
    data: list[Any], *, has_more: bool = False, next_cursor: str | None = None, limit: int = 100
) -> bytes:
    # allow_nan: Python writes NaN / Infinity as the hostile server wants them on the wire.
    return json.dumps(
        {"data": data, "meta": {"has_more": has_more, "next_cursor": next_cursor, "limit": limit}}
    ).encode()


def _json(body: bytes, status: int = 200, **headers: str) -> Response:
    return Response(body, status, media_type="application/json", headers=headers)


def _error(status: int, type_: str, message: str) -> Response:
    return JSONResponse({"error": {"type": type_, "message": message}}, status)


@functools.lru_cache(maxsize=1)
def gzip_bomb() -> bytes:
    """1 GiB of zeros as gzip (about 1 MB; made once, a few seconds)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1 << 20)
    return b"".join([*(packer.compress(block) for _ in range(1024)), packer.flush()])


class _Hostile:
    """The app's state: which behaviour, a counter for fresh ids and cursors, the campaigns a
    stateful behaviour keeps, and the switches a test sets (see the module's docstring)."""

    def __init__(self, behaviour: str) -> None:
        if behaviour not in BEHAVIOURS:
            raise ValueError(f"unknown behaviour {behaviour!r}; one of {BEHAVIOURS}")
        self.behaviour = behaviour
        self.counter = itertools.count(1)
        self.requests = 0
        self.campaigns: dict[str, dict[str, Any]] = {}
        if behaviour == "hostile_strings":
            self.campaigns = {c["id"]: c for c in hostile_campaigns()}
        elif behaviour == "bad_numbers":
            self.campaigns = {c["id"]: c for c in _bad_numbers_page()}
        self.writes: list[tuple[str, str, Any]] = []
        """(method, path, JSON body) of every write received."""
        self.write_error: str | None = None
        self.echo_key = False
        self.rate_headers = {
            "X-RateLimit-Limit": "120",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": "inf",
        }
        self.retry_after: str | None = "inf"

    def touch(self, campaign_id: str, **changes: Any) -> None:
        """Someone else edited the campaign (by default its description, to a payload): its
        updated_at moves on, so a write based on the old version meets a conflict."""
        found = self.campaigns[campaign_id]
        found.update(changes or {"description": HOSTILE_MESSAGE})
        found["updated_at"] = self._later()

    def _later(self) -> str:
        return f"2026-06-02T00:00:{next(self.counter) % 60:02d}Z"

    async def handle(self, request: Request) -> Response:
        self.requests += 1
        # The raw path, split before decoding: a hostile id may hold "/" or "..".
        raw = request.scope.get("raw_path") or request.url.path.encode()
        parts = [
            unquote(part)
            for part in raw.decode("ascii", "replace")
            .split("?")[0]
            .removeprefix("/api/v1")
            .strip("/")
            .split("/")
        ]
        path = "/" + "/".join(parts)
        kind = self.behaviour
        if kind == "key_echo":
            return _key_echo(request)
        if kind == "huge_error":
            return JSONResponse(
                {"error": {"type": "server_error", "message": "E" * 2_000_000}}, 500
            )
        if kind == "drip":
            return StreamingResponse(_drip(), media_type="application/json")
        if kind == "gzip_bomb":
            return _json(gzip_bomb(), **{"Content-Encoding": "gzip"})
        if kind == "bad_waits":
            if self.retry_after is not None:
                return _json(
                    b'{"error": {"type": "rate_limited", "message": "wait"}}',
                    429,
                    **{"Retry-After": self.retry_after},
                    **self.rate_headers,
                )
            return _json(_list_body([campaign(n) for n in range(3)]), **self.rate_headers)
        if kind == "gzipped":
            packed = zlib.compress(_list_body([campaign(n) for n in range(5)]), wbits=31)
            return _json(packed, **{"Content-Encoding": "gzip"})
        if kind == "huge_body":
            padding = [campaign(0, description="x" * 1_000_000) for _ in range(20)]
            return _json(_list_body(padding))
        if request.method != "GET":
            body = json.loads(await request.body() or b"null")
            self.writes.append((request.method, path, body))
            if self.echo_key:
                return _key_echo(request)
            if self.write_error is not None:
                return _error(422, "invalid_request", self.write_error)
            if self.campaigns:
                return self.write(request.method, parts, body)
        listing = path in ("/campaigns", "/teams") and request.method == "GET"
        if not listing:
            return self.single(parts)
        answer = self.page(path, request.query_params.get("cursor"))
        return answer if isinstance(answer, Response) else _json(answer)

    def single(self, parts: list[str]) -> Response:
        """One object by id: the kept campaign, else the behaviour's first item."""
        if parts[0] == "teams":
            item = hostile_teams()[0] if self.behaviour.startswith("hostile") else team(1)
        elif self.campaigns and len(parts) == 2:
            item = self.campaigns.get(parts[1]) or (
                campaign(0, **BAD_NUMBERS["huge_booked"])
                if self.behaviour == "bad_numbers"
                else None
            )
            if item is None:
                return _error(404, "not_found", f"No campaign {parts[1]} here {HOSTILE_MESSAGE}")
        elif self.behaviour.startswith("hostile"):
            item = hostile_campaigns(timestamps=self.behaviour == "hostile_timestamps")[0]
        elif self.behaviour == "bad_numbers":
            item = campaign(0, **BAD_NUMBERS["huge_booked"])
        else:
            item = campaign(1)
        return _json(json.dumps({"data": item}).encode())

    def write(self, method: str, parts: list[str], body: Any) -> Response:
        """PATCH, deactivate or create on the kept campaigns, as the API would answer."""
        if parts == ["campaigns"] and method == "POST":
            n = next(self.counter)
            created = _hostile(campaign(n), itertools.cycle(HOSTILE_TEXTS), timestamps=False) | (
                body or {}
            )
            created["id"] = f"\x1b]0;NEW-ID\x07\u202ecmp_new_{n}"  # hostile, and new
            self.campaigns = {created["id"]: created, **self.campaigns}
            return _json(json.dumps({"data": created}).encode(), 201)
        found = self.campaigns.get(parts[1]) if len(parts) >= 2 else None
        if found is None:
            return _error(404, "not_found", f"No campaign {parts[1:]} {HOSTILE_MESSAGE}")
        if method == "PATCH" and isinstance(body, dict):
            found.update(body)
        elif parts[2:] == ["deactivate"]:
            found.update(active=False, deactivated_at=TIMESTAMP)
        found["updated_at"] = self._later()
        return _json(json.dumps({"data": found}).encode())

    def page(self, path: str, cursor: str | None) -> bytes | Response:
        make = team if path == "/teams" else campaign
        fresh = [make(next(self.counter)) for _ in range(2)]
        kind = self.behaviour
        if kind == "hostile_strings":
            if path == "/teams":
                return _list_body(hostile_teams())
            data = list(self.campaigns.values())
            half = len(data) // 2
            if cursor is None:
                return _list_body(data[:half], has_more=True, next_cursor=HOSTILE_CURSOR)
            if cursor != HOSTILE_CURSOR:
                return _error(422, "invalid_request", "the cursor did not come back intact")
            return _list_body(data[half:])
        if kind == "hostile_timestamps":
            data = hostile_teams() if path == "/teams" else hostile_campaigns(timestamps=True)
            return _list_body(data)
        if kind == "bad_numbers":
            return _list_body(list(self.campaigns.values()) if make is campaign else fresh)
        if kind == "repeating_cursor":
            return _list_body(fresh, has_more=True, next_cursor="c1")
        if kind == "cursor_cycle":
            return _list_body(fresh, has_more=True, next_cursor="c2" if cursor == "c1" else "c1")
        if kind == "empty_has_more":
            return _list_body([], has_more=True, next_cursor=f"c{next(self.counter)}")
        if kind == "same_page":
            return _list_body(
                [make(1), make(2)], has_more=True, next_cursor=f"c{next(self.counter)}"
            )
        if kind == "oversized_page":
            return _list_body([make(n) for n in range(1000)])
        raise AssertionError(kind)


def _key_echo(request: Request) -> Response:
    key = request.headers.get("authorization", "").removeprefix("Bearer ")
    message = f"key {key} is not valid here (did you mean {ECHOED_KEY_SHAPE}?)"
    return JSONResponse({"error": {"type": "invalid_request", "message": message}}, 422)


async def _drip() -> Any:
    yield b"{"
    for _ in range(600):  # bounded: 60 s at most, whoever is (not) listening
        await asyncio.sleep(0.1)
        yield b" "


def create_hostile_app(behaviour: str) -> Starlette:
    """The ASGI app for one behaviour (see the module's docstring for the list)."""
    state = _Hostile(behaviour)

    async def every_path(request: Request) -> Response:
        return await state.handle(request)

    # A catch-all route's pattern does not match a decoded path holding a newline (a hostile
    # id may): every request goes to the handler through middleware-free routing instead.
    app = Starlette()
    app.router.default = _Endpoint(every_path)
    app.state.hostile = state
    return app


class _Endpoint:
    """The router's fallback: every request, whatever its path, to one handler."""

    def __init__(self, handler: Callable[[Request], Any]) -> None:
        self.handler = handler

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        response = await self.handler(Request(scope, receive))
        await response(scope, receive, send)


# -- what reached the terminal ---------------------------------------------------------------

_SEQUENCE = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    rb"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC, ended by BEL or ST
    rb"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC
    rb"|\x1b[ -/]*[0-~]"  # any other escape
    rb"|\x1b"
)  # a lone ESC
_APP_ESCAPES = {b"\x1b7", b"\x1b8", b"\x1b=", b"\x1b>"}
_CSI_DRAWING = set(b"mHhlupABCDGKJdr")
"""CSI finals a full-screen app draws with; a query (n, c), window operation (t) or other is
not expected (a query's reply would arrive as typed input)."""
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_POINTER_SHAPE = re.compile(rb"\x1b\]22;[a-z-]+(?:\x07|\x1b\\)")
_CLIPBOARD = re.compile(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)(?:\x07|\x1b\\)")
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def terminal_output_problems(
    raw: bytes, *, copyable: Iterable[str] = (), payloads: Iterable[str] = ()
) -> list[str]:
    """What in a program's raw terminal output did not come from the program itself.

    Server text reaches a screen with its controls replaced (ESC shows as ␛), so every escape
    sequence in the output is the program's own, and only these are expected: CSI (drawing,
    modes), ESC 7/8/=/>, OSC 22 (the mouse pointer's shape) and OSC 52 copying one of
    `copyable` (an id or address the user asked to copy, free of controls). Anything else, any
    OSC, DCS, SOS, PM or APC, a C0 control but CR/LF/TAB, BEL outside an OSC, a C1 control
    (U+0080-U+009F, some terminals obey them as ESC sequences) or a bidi control, is a problem,
    named with the bytes around it. And no control of `payloads` (the server text sent) shows
    in the output with the characters after it, as it was sent (a CSI from the data would
    pass the structural check; this catches it). Empty: the output is clean."""
    problems: list[str] = [
        f"the payload fragment {fragment!r} reached the output"
        for fragment in _fragments(payloads)
        if fragment.encode() in raw
    ]
    allowed_copies = set(copyable)
    plain = bytearray()
    position = 0
    for match in _SEQUENCE.finditer(raw):
        plain += raw[position : match.start()]
        position = match.end()
        sequence = match.group()
        if sequence.startswith(b"\x1b[") and len(sequence) > 2 and sequence[-1] in _CSI_DRAWING:
            continue
        if sequence in _APP_ESCAPES:
            continue
        if _POINTER_SHAPE.fullmatch(sequence):
            continue
        clipboard = _CLIPBOARD.fullmatch(sequence)
        if clipboard:
            copied = base64.b64decode(clipboard.group(1)).decode("utf-8", "replace")
            if copied in allowed_copies and not _CONTROLS.search(copied) and "\n" not in copied:
                continue
            problems.append(f"OSC 52 put {copied[:80]!r} on the clipboard")
            continue
        problems.append(
            f"escape sequence {sequence[:60]!r} near "
            f"{raw[max(0, match.start() - 30) : match.end() + 10]!r}"
        )
    plain += raw[position:]
    text = plain.decode("utf-8", "replace")
    for index, char in enumerate(text):
        code = ord(char)
        if (code < 0x20 and char not in "\r\n\t") or 0x7F <= code < 0xA0 or char in _BIDI:
            problems.append(
                f"control U+{code:04X} in the text near {text[max(0, index - 30) : index + 10]!r}"
            )
    return problems


def _fragments(payloads: Iterable[str]) -> set[str]:
    """Each control in each payload with the 9 characters after it, as sent (one nearer a
    payload's very end is left out: an ESC \\ alone is also how the program ends an OSC)."""
    return {
        fragment
        for payload in payloads
        for match in _CONTROLS.finditer(payload)
        if len(fragment := payload[match.start() : match.start() + 10]) == 10
    }


class HostileURL(str):
    """The API base URL, with the server's state (`.state`) for the test to steer."""

    state: _Hostile


@contextlib.contextmanager
def serve_hostile(behaviour: str) -> Iterator[HostileURL]:
    """The hostile server on an ephemeral 127.0.0.1 port in a thread; yields its API base URL
    (a str, with the server's state as `.state`)."""
    app = create_hostile_app(behaviour)
    with serve_in_thread(app) as url:
        hostile_url = HostileURL(url)
        hostile_url.state = app.state.hostile
        yield hostile_url


@pytest.fixture
def hostile_server() -> Iterator[Callable[[str], HostileURL]]:
    """`hostile_server(behaviour)` -> base URL of a hostile server, stopped after the test."""
    with contextlib.ExitStack() as stack:
        yield lambda behaviour: stack.enter_context(serve_hostile(behaviour))


__all__ = [
    "BAD_NUMBERS",
    "BEHAVIOURS",
    "ECHOED_KEY_SHAPE",
    "HOSTILE_MESSAGE",
    "HOSTILE_TEXTS",
    "HostileURL",
    "campaign",
    "create_hostile_app",
    "gzip_bomb",
    "hostile_server",
    "serve_hostile",
    "team",
    "terminal_output_problems",
]
