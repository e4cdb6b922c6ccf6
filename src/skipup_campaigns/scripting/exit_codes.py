"""What a command's exit status means, one number per kind of failure, so a script can tell
"fix your command" from "try again later". The README lists them."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the parser imports this module: it must not pull in httpx and pydantic
    from skipup_campaigns.api.errors import SkipUpError

OK = 0
FAILED = 1
"""Anything not listed below (a bug: the message says so)."""
USAGE = 2
"""The command line was wrong: an unknown option, a bad date, a missing confirmation."""
CONFIG = 3
"""No key, an unsafe or unreadable config file, an unknown profile, a refused base URL."""
UNREACHABLE = 4
"""The API could not be reached or did not answer in time."""
AUTH = 5
"""401: the key was refused."""
FORBIDDEN = 6
"""403: the key lacks the scope."""
NOT_FOUND = 7
"""404: no such campaign or team in this workspace."""
REJECTED = 8
"""422: the server refused the values or the action."""
RATE_LIMITED = 9
"""429, still after the client's retries."""
SERVER = 10
"""5xx, or an answer that is not what the API sends."""
PARTIAL = 11
"""A command on several campaigns left some not done (failed, or changed on the server
meanwhile); their ids are printed, to run it again on just those."""
UNKNOWN = 12
"""A change left but its answer was lost, and reading the campaign back could not tell whether
it landed (someone else changed it meanwhile, or it could not be read): look at those campaigns
(their ids are printed) before running again."""
INTERRUPTED = 130

KINDS: dict[int, str] = {
    FAILED: "failed",
    USAGE: "usage",
    CONFIG: "config",
    UNREACHABLE: "unreachable",
    AUTH: "unauthorized",
    FORBIDDEN: "forbidden",
    NOT_FOUND: "not_found",
    REJECTED: "rejected",
    RATE_LIMITED: "rate_limited",
    SERVER: "server_error",
    PARTIAL: "partial",
    UNKNOWN: "unknown",
    INTERRUPTED: "interrupted",
}


def for_error(exc: SkipUpError) -> int:
    from skipup_campaigns.api.errors import (
        APIConnectionError,
        AuthenticationError,
        ConfigurationError,
        NotFoundError,
        PermissionDeniedError,
        RateLimitError,
        UnprocessableEntityError,
    )

    for kind, code in (
        (ConfigurationError, CONFIG),
        (APIConnectionError, UNREACHABLE),
        (AuthenticationError, AUTH),
        (PermissionDeniedError, FORBIDDEN),
        (NotFoundError, NOT_FOUND),
        (UnprocessableEntityError, REJECTED),
        (RateLimitError, RATE_LIMITED),
    ):
        if isinstance(exc, kind):
            return code
    return SERVER


EPILOG = """exit status:
  0 done              2 usage (bad option, date or field; no confirmation)
  3 configuration     4 cannot reach the API     5 key refused (401)
  6 not allowed (403, or a read-only profile)    7 not found (404)
  8 refused by the server (422)   9 rate limited (429)   10 server error (5xx)
  11 several campaigns, some not done (their ids are printed)
  12 a change's answer was lost and whether it landed is unknown (look first)"""
