"""Client errors as one short line for the screen. The server's message is part of it, so the
line is made safe here: every toast and status that shows an error gets inert text."""

from __future__ import annotations

from skipup_campaigns.api.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    PermissionDeniedError,
    RateLimitError,
    SkipUpError,
)
from skipup_campaigns.display.safe_text import safe


def describe_error(exc: SkipUpError) -> str:
    return safe(_describe(exc))


def _describe(exc: SkipUpError) -> str:
    if isinstance(exc, APITimeoutError):
        return "the API did not answer in time"
    if isinstance(exc, APIConnectionError):
        return "cannot reach the API"
    if isinstance(exc, AuthenticationError):
        return f"the API key was refused ({exc.message})"
    if isinstance(exc, PermissionDeniedError):
        return f"not allowed: {exc.message}"
    if isinstance(exc, RateLimitError):
        wait = exc.retry_after
        return "rate limited" + (f", retry in {wait:.0f}s" if wait else "")
    if isinstance(exc, APIStatusError):
        return f"{exc.message} (HTTP {exc.status})"
    return str(exc)
