"""The sandbox as if it were production (issue 16 §6): hostile requests over real loopback HTTP
get the documented 4xx, never a 500; bodies are bounded; redirects stay on the client's host;
the database file is private; guessed keys are locked out."""

from __future__ import annotations

import base64
import json
import os
import select
import socket
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from skipup_campaigns.sandbox import SandboxSettings, Store, create_app, open_store
from skipup_campaigns.sandbox.app import MAX_BODY_BYTES, MAX_JSON_DEPTH
from skipup_campaigns.sandbox.faults import FailedKeyGuard
from skipup_campaigns.sandbox.server import serve_in_thread
from tests.conftest import ADMIN


@pytest.fixture
def http(live_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=live_url, headers={"Authorization": f"Bearer {ADMIN}"}, timeout=30
    ) as client:
        yield client


@pytest.fixture
def team_id(http: httpx.Client) -> str:
    return next(t["id"] for t in http.get("/teams").json()["data"] if t["active"])


@pytest.fixture
def campaign_id(http: httpx.Client) -> str:
    return str(http.get("/campaigns?limit=1").json()["data"][0]["id"])


def _error(response: httpx.Response, status: int, type_: str) -> str:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["type"] == type_, error
    return str(error["message"])


def _post_raw(http: httpx.Client, path: str, raw: bytes, method: str = "POST") -> httpx.Response:
    return http.request(method, path, content=raw, headers={"Content-Type": "application/json"})


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"name":' * 100_000 + b'"x"' + b"}" * 100_000,
        b'{"name": "x", "extra": '
        + b"[" * (MAX_JSON_DEPTH + 1)
        + b"]" * (MAX_JSON_DEPTH + 1)
        + b"}",
    ],
    ids=["array-100000-deep", "object-100000-deep", "just-past-the-limit"],
)
def test_deeply_nested_bodies_are_a_422(http: httpx.Client, campaign_id: str, raw: bytes) -> None:
    for method, path in (("POST", "/campaigns"), ("PATCH", f"/campaigns/{campaign_id}")):
        message = _error(_post_raw(http, path, raw, method), 422, "invalid_request")
        assert "nested too deeply" in message


def test_nesting_up_to_the_limit_is_accepted(http: httpx.Client, team_id: str) -> None:
    extra: Any = []
    for _ in range(MAX_JSON_DEPTH - 2):  # the body object and "extra" itself are two levels
        extra = [extra]
    response = http.post(
        "/campaigns", json={"name": "Deep but fine", "team_id": team_id, "extra": extra}
    )
    assert response.status_code == 201, response.text


@pytest.mark.parametrize("field", ["name", "description", "team_id"])
@pytest.mark.parametrize("surrogate", ["\ud800", "\udfff", "ok \udc00 ok"])
def test_lone_surrogates_are_a_validation_error(
    http: httpx.Client, campaign_id: str, team_id: str, field: str, surrogate: str
) -> None:
    body = {"name": "Fine", "team_id": team_id, field: surrogate}
    raw = json.dumps(body).encode()  # ensure_ascii: the surrogate travels as a \ud800 escape
    assert b"\\ud" in raw
    for method, path in (("POST", "/campaigns"), ("PATCH", f"/campaigns/{campaign_id}")):
        message = _error(_post_raw(http, path, raw, method), 422, "validation_error")
        assert message.startswith(field)


@pytest.mark.parametrize("field", ["starts_at", "ends_at"])
@pytest.mark.parametrize(
    "moment",
    [
        "0001-01-01T00:00:00+01:00",
        "0001-01-01T05:30:00+23:59",
        "9999-12-31T23:59:59-01:00",
        "9999-12-31T20:00:00-05:00",
    ],
)
def test_dates_pushed_out_of_years_1_to_9999_are_a_validation_error(
    http: httpx.Client, campaign_id: str, team_id: str, field: str, moment: str
) -> None:
    response = http.post("/campaigns", json={"name": "Edge", "team_id": team_id, field: moment})
    assert "out of range" in _error(response, 422, "validation_error")
    response = http.patch(f"/campaigns/{campaign_id}", json={field: moment})
    assert _error(response, 422, "validation_error").startswith(field)


def test_the_edges_of_the_range_themselves_are_fine(http: httpx.Client, team_id: str) -> None:
    response = http.post(
        "/campaigns",
        json={
            "name": "Long",
            "team_id": team_id,
            "starts_at": "0001-01-01T01:00:00+01:00",
            "ends_at": "9999-12-31T22:59:59-01:00",
        },
    )
    assert response.status_code == 201, response.text
    assert response.json()["data"]["starts_at"] == "0001-01-01T00:00:00Z"


def _cursor(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


HOSTILE_CURSORS = {
    "huge-integer": _cursor(json.dumps(["2026-06-01T00:00:00Z", 10**40]).encode()),
    "just-past-sqlite": _cursor(json.dumps(["2026-06-01T00:00:00Z", 2**63]).encode()),
    "negative-huge": _cursor(json.dumps(["2026-06-01T00:00:00Z", -(10**40)]).encode()),
    # 5,000 deep is past the decoder's recursion limit and still fits in a URL.
    "nested-5000": _cursor(b"[" * 5_000 + b"]" * 5_000),
    "nested-pair": _cursor(json.dumps([[["2026-06-01T00:00:00Z"]], [[1]]]).encode()),
    "surrogate": _cursor(json.dumps(["\ud800", 1]).encode()),
    "surrogate-in-date": _cursor(json.dumps(["2026-06-01T00:00:00Z\udc00", 1]).encode()),
    "foreign-digits": _cursor(json.dumps(["٢٠٢٦-06-01T00:00:00Z", 1]).encode()),
    "not-base64-json": _cursor(b"\xff\xfe\x00garbage"),
}


@pytest.mark.parametrize("cursor", HOSTILE_CURSORS.values(), ids=HOSTILE_CURSORS.keys())
@pytest.mark.parametrize("path", ["/campaigns", "/teams"])
def test_a_cursor_the_server_did_not_issue_is_a_422(
    http: httpx.Client, path: str, cursor: str
) -> None:
    response = http.get(path, params={"cursor": cursor})
    assert _error(response, 422, "invalid_request") == "cursor is not valid"


def test_issued_cursors_still_work(http: httpx.Client) -> None:
    first = http.get("/campaigns?limit=2").json()
    second = http.get("/campaigns", params={"limit": 2, "cursor": first["meta"]["next_cursor"]})
    assert second.status_code == 200
    assert {c["id"] for c in first["data"]}.isdisjoint(c["id"] for c in second.json()["data"])


# -- request bodies are bounded --------------------------------------------------------------


def test_a_body_over_the_limit_is_a_413(http: httpx.Client, team_id: str, campaign_id: str) -> None:
    padding = "x" * MAX_BODY_BYTES
    for method, path in (("POST", "/campaigns"), ("PATCH", f"/campaigns/{campaign_id}")):
        response = http.request(
            method, path, json={"name": "Big", "team_id": team_id, "description": padding}
        )
        assert str(MAX_BODY_BYTES) in _error(response, 413, "invalid_request")


def test_a_body_at_the_limit_is_read(http: httpx.Client, team_id: str) -> None:
    body = json.dumps({"name": "Padded", "team_id": team_id}).encode()
    raw = body[:-1] + b" " * (MAX_BODY_BYTES - len(body)) + b"}"
    assert len(raw) == MAX_BODY_BYTES
    assert _post_raw(http, "/campaigns", raw).status_code == 201


def _address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 80


def _read_until_response(sock: socket.socket, seconds: float = 10) -> bytes:
    deadline = time.monotonic() + seconds
    received = b""
    while b"\r\n\r\n" not in received and time.monotonic() < deadline:
        if select.select([sock], [], [], 0.5)[0]:
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
    return received


def test_a_declared_500_mb_body_is_refused_before_any_of_it_is_sent(live_url: str) -> None:
    with socket.create_connection(_address(live_url), timeout=10) as sock:
        sock.sendall(
            b"POST /api/v1/campaigns HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Authorization: Bearer " + ADMIN.encode() + b"\r\n"
            b"Content-Type: application/json\r\nContent-Length: 524288000\r\n\r\n"
        )
        answer = _read_until_response(sock)
    assert answer.startswith(b"HTTP/1.1 413 "), answer


def test_a_streamed_body_is_cut_off_at_the_limit_not_read_whole(live_url: str) -> None:
    """Chunked, with no length to refuse up front: the server reads to the limit, answers 413
    and stops reading, so the sender is stopped long before its 500 MB are through."""
    chunk = b"10000\r\n" + b" " * 0x10000 + b"\r\n"
    sent = 0
    with socket.create_connection(_address(live_url), timeout=10) as sock:
        sock.sendall(
            b"POST /api/v1/campaigns HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Authorization: Bearer " + ADMIN.encode() + b"\r\n"
            b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        deadline = time.monotonic() + 20
        answer = b""
        while sent < 500 * 1024 * 1024 and time.monotonic() < deadline:
            readable, writable, _ = select.select([sock], [sock], [], 0.5)
            if readable:
                answer = _read_until_response(sock)
                break
            if writable:
                try:
                    sock.sendall(chunk)
                except OSError:  # the server closed its side: read what it said
                    answer = _read_until_response(sock)
                    break
                sent += len(chunk)
    assert answer.startswith(b"HTTP/1.1 413 "), (sent, answer[:200])
    assert sent < 64 * 1024 * 1024  # the limit plus what socket buffers hold


# -- redirects, the database file, guessed keys ------------------------------------------------


def test_a_trailing_slash_redirect_does_not_carry_the_host_header(live_url: str) -> None:
    with httpx.Client(headers={"Authorization": f"Bearer {ADMIN}"}) as http:
        response = http.get(
            f"{live_url}/campaigns/?limit=2",
            headers={"Host": "evil.example"},
            follow_redirects=False,
        )
        assert response.status_code == 307
        assert response.headers["location"] == "/api/v1/campaigns?limit=2"
        followed = http.get(f"{live_url}/campaigns/?limit=2", follow_redirects=True)
    assert followed.status_code == 200 and len(followed.json()["data"]) == 2


def test_a_redirect_never_names_another_host_even_from_a_doubled_slash(live_url: str) -> None:
    host, port = _address(live_url)
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(
            b"GET //evil.example/api/v1/campaigns/ HTTP/1.1\r\nHost: evil.example\r\n"
            b"Connection: close\r\n\r\n"
        )
        answer = _read_until_response(sock)
    for line in answer.split(b"\r\n"):
        assert b"evil.example" not in line or not line.lower().startswith(b"location:")


def test_a_new_database_file_is_private(tmp_path: Path) -> None:
    old_umask = os.umask(0o022)  # a usual umask would leave it world-readable
    try:
        path = tmp_path / "sandbox.db"
        store = open_store(str(path))  # seeded: written through its -wal file
        try:
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
        finally:
            store.close()
    finally:
        os.umask(old_umask)
    assert set(modes) == {"sandbox.db", "sandbox.db-wal", "sandbox.db-shm"}
    assert all(mode == 0o600 for mode in modes.values()), modes


def test_an_existing_database_keeps_its_owners_mode(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    open_store(str(path)).close()
    path.chmod(0o640)
    open_store(str(path)).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_repeated_wrong_keys_lock_the_client_out(store: Store) -> None:
    now = [1_800_000_000.0]
    settings = SandboxSettings(rate_limit=0, failed_key_limit=5, rate_clock=lambda: now[0])
    with serve_in_thread(create_app(store, settings)) as url, httpx.Client(base_url=url) as http:

        def get(key: str) -> httpx.Response:
            return http.get("/campaigns", headers={"Authorization": f"Bearer {key}"})

        assert get(ADMIN).status_code == 200
        for guess in range(5):
            assert get(f"sk_guess_{guess}").status_code == 401
        locked = get("sk_guess_5")
        message = _error(locked, 429, "rate_limited")
        assert "wrong API key" in message
        assert 1 <= int(locked.headers["Retry-After"]) <= 60
        # The right key is never refused: a local process guessing cannot lock its owner out.
        assert get(ADMIN).status_code == 200
        assert get("sk_guess_6").status_code == 429
        # A missing key is not a guess, and says so as before.
        assert http.get("/campaigns").status_code == 401
        now[0] += 60
        assert get("sk_guess_7").status_code == 401


async def test_the_lock_out_is_per_client_address(store: Store) -> None:
    app = create_app(store, SandboxSettings(rate_limit=0, failed_key_limit=3))

    def client_at(address: str) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app, client=(address, 40000)),
            base_url="http://127.0.0.1/api/v1",
        )

    async with client_at("203.0.113.7") as guesser, client_at("198.51.100.2") as neighbour:
        for guess in range(3):
            wrong = {"Authorization": f"Bearer sk_guess_{guess}"}
            assert (await guesser.get("/campaigns", headers=wrong)).status_code == 401
        wrong = {"Authorization": "Bearer sk_guess_x"}
        assert (await guesser.get("/campaigns", headers=wrong)).status_code == 429
        assert (await neighbour.get("/campaigns", headers=wrong)).status_code == 401


def _rotating_guesses(url: str, count: int) -> list[int]:
    """`count` wrong keys over loopback, each claiming another address in X-Forwarded-For."""
    with httpx.Client(base_url=url) as http:
        return [
            http.get(
                "/campaigns",
                headers={
                    "Authorization": f"Bearer sk_guess_{n}",
                    "X-Forwarded-For": f"198.51.100.{n % 250 + 1}",
                },
            ).status_code
            for n in range(count)
        ]


def test_a_rotating_forwarded_header_is_not_believed_by_default(store: Store) -> None:
    settings = SandboxSettings(
        rate_limit=0, failed_key_limit=5, rate_clock=lambda: 1_800_000_000.0
    )  # within one minute
    with serve_in_thread(create_app(store, settings)) as url:
        # All from 127.0.0.1, whatever the header claims: the sixth wrong key is refused.
        assert _rotating_guesses(url, 8) == [401] * 5 + [429] * 3
        with httpx.Client(base_url=url) as http:
            right = http.get(
                "/campaigns",
                headers={"Authorization": f"Bearer {ADMIN}", "X-Forwarded-For": "198.51.100.1"},
            )
        assert right.status_code == 200


def test_forwarded_allow_ips_names_the_proxies_believed(store: Store) -> None:
    settings = SandboxSettings(rate_limit=0, failed_key_limit=5, rate_clock=lambda: 1_800_000_000.0)
    app = create_app(store, settings)
    with serve_in_thread(app, forwarded_allow_ips="127.0.0.1") as url:
        # Behind a trusted proxy each claimed address is its own client.
        assert _rotating_guesses(url, 8) == [401] * 8
        with httpx.Client(base_url=url) as http:

            def from_address(address: str, key: str) -> int:
                return http.get(
                    "/campaigns",
                    headers={"Authorization": f"Bearer {key}", "X-Forwarded-For": address},
                ).status_code

            guesses = [from_address("203.0.113.9", f"sk_g{n}") for n in range(6)]
            assert guesses == [401] * 5 + [429]
            assert from_address("203.0.113.10", "sk_g") == 401
            assert from_address("203.0.113.9", ADMIN) == 200
    with serve_in_thread(app, forwarded_allow_ips="192.0.2.1") as url:
        # Another proxy's address: loopback's header is not believed.
        assert _rotating_guesses(url, 6)[-1] == 429


def test_the_sandbox_command_trusts_no_forwarded_header_unless_told(tmp_path: Path) -> None:
    from tests.processes import start_sandbox

    def within_one_minute(url: str) -> list[int]:
        # The lock-out counts per clock minute: a run across a minute's end is run again.
        while True:
            minute = int(time.time() // 60)
            answers = _rotating_guesses(url, 21)
            if int(time.time() // 60) == minute:
                return answers

    for extra, expected in (((), 429), (("--forwarded-allow-ips", "127.0.0.1"), 401)):
        process, url = start_sandbox(tmp_path / f"s{len(extra)}.db", *extra)
        try:
            assert within_one_minute(url)[-1] == expected
        finally:
            process.terminate()
            process.communicate(timeout=20)


def test_activity_has_an_upper_bound(tmp_path: Path) -> None:
    import subprocess
    import sys

    from skipup_campaigns.sandbox.activity import MAX_PER_MINUTE

    refused = subprocess.run(
        [
            sys.executable,
            "-m",
            "skipup_campaigns",
            "sandbox",
            "--port",
            "0",
            "--db",
            str(tmp_path / "s.db"),
            "--activity",
            str(MAX_PER_MINUTE + 1),
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert refused.returncode == 2 and refused.stdout == ""
    assert f"--activity: must be from 0 to {MAX_PER_MINUTE:,} a minute" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert refused.stderr.splitlines()[-1].startswith("skipup-campaigns sandbox: error:")
    helped = subprocess.run(
        [sys.executable, "-m", "skipup_campaigns", "sandbox", "--help"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert f"at most {MAX_PER_MINUTE:,}" in " ".join(helped.stdout.split())


def test_the_lock_out_remembers_a_bounded_number_of_addresses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(FailedKeyGuard, "MAX_TRACKED", 100)
    guard = FailedKeyGuard(limit=2, clock=lambda: 1_800_000_000.0)
    for n in range(1_000):
        guard.failed(f"10.0.{n // 256}.{n % 256}")
        assert len(guard._failures) <= 100


def test_forwarded_allow_ips_refuses_what_is_not_an_address(tmp_path: Path) -> None:
    import subprocess
    import sys

    refused = subprocess.run(
        [
            sys.executable,
            "-m",
            "skipup_campaigns",
            "sandbox",
            "--port",
            "0",
            "--db",
            str(tmp_path / "s.db"),
            "--forwarded-allow-ips",
            "127.0.0.1,proxy.local",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert refused.returncode == 2 and refused.stdout == ""
    assert "'proxy.local' is not an IP address or network" in refused.stderr.splitlines()[-1]
