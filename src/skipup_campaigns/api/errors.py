"""The client's exceptions: one hierarchy, one function that maps a response to a class.

SkipUpError
├── ConfigurationError            missing key, unusable base URL (before any request)
├── RequestNotSent                stopped by the caller before it was sent
├── APIConnectionError            the request did not get an answer (.request_sent)
│   └── APITimeoutError
├── APIResponseError              a 2xx whose body is not what the API sends
│   ├── ResponseTooLargeError     a body or a page past the client's bounds
│   └── PaginationError           pages that would never end (a cursor seen before…)
└── APIStatusError                the server answered with an error status
    ├── AuthenticationError       401
    ├── PermissionDeniedError     403  (.missing_scope)
    ├── NotFoundError             404
    ├── UnprocessableEntityError  422
    │   ├── FieldValidationError  422 validation_error  (.field)
    │   └── InvalidRequestError   422 invalid_request
    ├── RateLimitError            429  (.retry_after)
    └── InternalServerError       5xx
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from skipup_campaigns.api._http import httpx
from skipup_campaigns.debug_log import redact
from skipup_campaigns.number_limits import checked_wait

# Fields a validation message can name, longest first so `team_id` wins over a shorter match.
_FIELDS = ("description", "starts_at", "team_id", "ends_at", "name")
_SCOPE = re.compile(r"required scope:\s*([\w.]+)")

MAX_SERVER_MESSAGE = 500
"""Characters of a server's error message kept in an exception (a hostile server can send
megabytes); the rest is replaced by a note of how much was cut."""


class SkipUpError(Exception):
    """Base class of every error this client raises."""

    attempts: int = 1
    """How many times the client sent the request before giving up."""


class ConfigurationError(SkipUpError, ValueError):
    """The client cannot be set up as asked (no key, an insecure URL)."""


class RequestNotSent(SkipUpError):
    """The caller stopped the request while it waited (for a rate-limit slot, or before a
    retry): nothing of it reached the server."""

    def __init__(self, message: str = "Stopped before it was sent") -> None:
        super().__init__(message)
        self.message = message


class APIConnectionError(SkipUpError):
    """No answer from the server: refused, reset, DNS, TLS."""

    request_sent: bool = True
    """False only when the request surely never left (connection refused, no connection in
    time): then the server cannot have acted on it."""

    def __init__(self, message: str = "Could not reach the SkipUp API") -> None:
        super().__init__(message)
        self.message = message


class APITimeoutError(APIConnectionError):
    """The server did not answer in time."""

    def __init__(self, message: str = "The SkipUp API did not answer in time") -> None:
        super().__init__(message)


class APIResponseError(SkipUpError):
    """A success status whose body does not match the API's documented shape."""


class ResponseTooLargeError(APIResponseError):
    """The body decoded past the client's size cap, or a page held more items than asked."""


class PaginationError(APIResponseError):
    """The server's pages would never end: a cursor it sent before, a page that says there is
    more but adds nothing, or more without a cursor."""


class APIStatusError(SkipUpError):
    """The server answered with an error status."""

    status: int
    type: str | None
    message: str

    def __init__(
        self, status: int, type_: str | None, message: str, headers: httpx.Headers | None = None
    ) -> None:
        super().__init__(f"{message} (HTTP {status}{', ' + type_ if type_ else ''})")
        self.status = status
        self.type = type_
        self.message = message
        self.headers = headers or httpx.Headers()


class AuthenticationError(APIStatusError):
    """401: the key is missing, invalid or expired."""


class PermissionDeniedError(APIStatusError):
    """403: the key lacks the endpoint's scope."""

    @property
    def missing_scope(self) -> str | None:
        """The scope the server named, e.g. `campaigns.write`."""
        match = _SCOPE.search(self.message)
        return match.group(1) if match else None


class NotFoundError(APIStatusError):
    """404: no such resource, or it belongs to another workspace."""


class UnprocessableEntityError(APIStatusError):
    """422: the request was understood but refused."""


class FieldValidationError(UnprocessableEntityError):
    """422 validation_error: a field's value was refused."""

    @property
    def field(self) -> str | None:
        """The field the message names (SkipUp's messages start with it), if any."""
        for name in _FIELDS:
            if re.match(rf"^{name}\b", self.message):
                return name
        for name in _FIELDS:
            if re.search(rf"\b{name}\b", self.message):
                return name
        return None


class InvalidRequestError(UnprocessableEntityError):
    """422 invalid_request: malformed parameters, or an action invalid in the current state."""


class RateLimitError(APIStatusError):
    """429: too many requests."""

    @property
    def retry_after(self) -> float | None:
        """Seconds the server asked us to wait, if it said."""
        return retry_after_seconds(self.headers)


class InternalServerError(APIStatusError):
    """5xx: the server (or a proxy in front of it) failed."""


def retry_after_seconds(headers: httpx.Headers) -> float | None:
    """`Retry-After` as seconds, from either of its forms (delta-seconds or an HTTP date):
    None when absent or not a finite number (`inf`, `nan`), at most a day (MAX_WAIT_SECONDS)."""
    value = headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        return checked_wait(float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return checked_wait((when - datetime.now(timezone.utc)).total_seconds())


def server_text(text: str, secrets: tuple[str, ...] = ()) -> str:
    """A server's message as an exception may carry it: any key redacted (as `--log` does),
    cut to MAX_SERVER_MESSAGE characters."""
    text = redact(text, secrets)  # before cutting, so no part of a key is left at the cut
    if len(text) > MAX_SERVER_MESSAGE:
        cut = len(text) - MAX_SERVER_MESSAGE
        text = f"{text[:MAX_SERVER_MESSAGE]}… ({cut:,} more characters)"
    return text


def _error_fields(response: httpx.Response) -> tuple[str | None, str]:
    """(type, message) from any of the error body shapes SkipUp is known to send."""
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        body = None
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, str) and error.strip():
        return None, error.strip()
    if isinstance(error, dict):
        type_ = error.get("type") if isinstance(error.get("type"), str) else None
        message = error.get("message")
        if isinstance(message, str) and message.strip():
            return type_, message.strip()
        if type_:
            return type_, type_.replace("_", " ")
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return None, body["message"]
    reason = response.reason_phrase or "error"
    return None, f"HTTP {response.status_code} {reason} from the server (no readable error body)"


_BY_STATUS: dict[int, type[APIStatusError]] = {
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: RateLimitError,
}


def make_status_error(response: httpx.Response, secrets: tuple[str, ...] = ()) -> APIStatusError:
    """The exception for an error response: its class by status, then by error type. The
    server's words are cut short and `secrets` (the key we sent) redacted from them."""
    type_, message = _error_fields(response)
    message = server_text(message, secrets)
    type_ = server_text(type_, secrets)[:80] if type_ is not None else None
    status = response.status_code
    cls: type[APIStatusError]
    if status == 422:
        cls = {
            "validation_error": FieldValidationError,
            "invalid_request": InvalidRequestError,
        }.get(type_ or "", UnprocessableEntityError)
    elif status >= 500:
        cls = InternalServerError
    else:
        cls = _BY_STATUS.get(status, APIStatusError)
    return cls(status, type_, message, response.headers)
