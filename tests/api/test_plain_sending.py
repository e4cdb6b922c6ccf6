"""A plain request (no body, no extra header) goes straight to the transport, past
`AsyncClient.send`'s layers (api/client.py `_send_plain`): what reaches the server must be what
httpx's own sending would have sent, cookies a server sets kept and sent back, and the plain
way must give way to httpx's whenever something of the client's own is in play."""

from __future__ import annotations

import json

import httpx

from skipup_campaigns.api import SkipUpClient

URL = "https://api.example.test/api/v1"
CURSORS = ["abc", "a b+c&d=é", "%41%", "#x?y/z", "~-._!*'();:@$,[]", "\u00a0\u200b\U0001f600", ""]
PAGE = json.dumps({"data": [], "meta": {"has_more": False}}).encode()


def recording(seen: list[httpx.Request], set_cookie: str | None = None) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        headers = {"content-type": "application/json"}
        if set_cookie is not None and len(seen) == 1:
            headers["set-cookie"] = set_cookie
        return httpx.Response(200, content=PAGE, headers=headers)

    return httpx.MockTransport(handle)


def sent(request: httpx.Request) -> tuple[object, ...]:
    return (
        request.method,
        str(request.url),
        request.headers.raw,
        request.extensions.get("timeout"),
        request.content,
    )


async def requests_sent(*, plain: bool) -> list[httpx.Request]:
    seen: list[httpx.Request] = []
    async with SkipUpClient("sk_test_x", URL, transport=recording(seen)) as client:
        if plain:  # every request here is plain: none may take httpx's way

            async def refuse(*args: object, **kwargs: object) -> httpx.Response:
                raise AssertionError("sent through AsyncClient.send")

            client._http.send = refuse  # type: ignore[method-assign]
        else:  # as if httpx no longer had the private method the plain way needs
            client._transport_for = None
        for cursor in CURSORS:  # server text, sent back in the query
            await client.list_campaigns(limit=5, cursor=cursor)
        await client.list_campaigns(active=False)
        await client._send("GET", "/campaigns/cmp_1")  # a per-id path
        async for _ in client.iter_campaign_records():
            pass
    return seen


async def test_the_plain_way_sends_what_httpx_would_send() -> None:
    plain, httpx_way = await requests_sent(plain=True), await requests_sent(plain=False)
    assert len(plain) == len(httpx_way) == len(CURSORS) + 3
    assert [sent(r) for r in plain] == [sent(r) for r in httpx_way]


async def test_a_cookie_the_server_sets_is_sent_back_as_httpx_would() -> None:
    seen: list[httpx.Request] = []
    transport = recording(seen, set_cookie="session=s1; Path=/")
    async with SkipUpClient("sk_test_x", URL, transport=transport) as client:
        await client.list_campaigns()
        assert "session" in client._http.cookies
        await client.list_campaigns()
    assert "cookie" not in seen[0].headers
    assert seen[1].headers["cookie"] == "session=s1"


async def test_an_event_hook_sees_every_answer() -> None:
    seen: list[httpx.Request] = []
    answers: list[int] = []

    async def count(response: httpx.Response) -> None:
        answers.append(response.status_code)

    async with SkipUpClient("sk_test_x", URL, transport=recording(seen)) as client:
        client._http.event_hooks["response"].append(count)
        await client.list_campaigns()
        await client.list_campaigns(active=True)
    assert answers == [200, 200]
