"""Client errors in words, for the screen and the commands alike. The server's message is part
of them, so the words are made safe here: every toast, status and stderr line that shows an
error gets inert text.

The error classes are imported when an error is described (by then the client has been), so
importing this module costs nothing on the way to the first frame."""

from __future__ import annotations

from typing import TYPE_CHECKING

from skipup_campaigns.display.safe_text import safe

if TYPE_CHECKING:
    from skipup_campaigns.api.errors import SkipUpError


def describe_error(exc: SkipUpError, *, sentence: bool = False) -> str:
    """One short line: "cannot reach the API", "not allowed: …", "… (HTTP 500)"; with
    `sentence`, capitalised to start one."""
    text = safe(_describe(exc))
    return text[:1].upper() + text[1:] if sentence else text


def describe_failure(doing: str, exc: BaseException) -> str:
    """ "Could not {doing}: …" for any exception, a refused key with what to do about it, and
    a bug named by its class only (never a traceback)."""
    from skipup_campaigns.api.errors import AuthenticationError, SkipUpError

    if isinstance(exc, AuthenticationError):
        return (
            f"Could not {doing}: the API key was refused. Set a valid key in "
            "SKIPUP_API_KEY (or the config file) and start again."
        )
    if isinstance(exc, SkipUpError):
        return f"Could not {doing}: {describe_error(exc)}."
    return f"Could not {doing}: {describe_unexpected(exc)}."


def describe_unexpected(exc: BaseException) -> str:
    """A failure that is a bug of ours: its class name, nothing the user cannot act on."""
    return f"unexpected error ({type(exc).__name__})"


def _describe(exc: SkipUpError) -> str:
    from skipup_campaigns.api.errors import (
        APIConnectionError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        PermissionDeniedError,
        RateLimitError,
    )

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
