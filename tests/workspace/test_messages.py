"""Errors in words, one place for the screens and the commands."""

from __future__ import annotations

from skipup_campaigns.api.errors import (
    APIConnectionError,
    AuthenticationError,
    PermissionDeniedError,
)
from skipup_campaigns.display.messages import describe_error, describe_failure


def status_error(cls: type, status: int, message: str):  # noqa: ANN205 - an APIStatusError
    return cls(status, "x", message)


def test_server_words_are_made_inert_and_can_start_a_sentence() -> None:
    denied = status_error(PermissionDeniedError, 403, "no \x1b[31mway")
    assert describe_error(denied) == "not allowed: no ␛[31mway"
    assert describe_error(denied, sentence=True) == "Not allowed: no ␛[31mway"


def test_a_failure_says_what_could_not_be_done() -> None:
    refused = status_error(AuthenticationError, 401, "bad key")
    assert describe_failure("load the teams", refused).startswith(
        "Could not load the teams: the API key was refused. Set a valid key"
    )
    offline = APIConnectionError()
    assert describe_failure("fetch the campaign", offline) == (
        "Could not fetch the campaign: cannot reach the API."
    )
    assert describe_failure("undo the edit", KeyError("x")) == (
        "Could not undo the edit: unexpected error (KeyError)."
    )
