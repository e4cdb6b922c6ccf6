"""The API contract as an OpenAPI 3.1 document (`openapi.json`): the sandbox serves it, the
tests fuzz the sandbox against it and check the client's models on its examples. It is data,
not code, so sharing it does not let one side's bugs hide the other's."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any


@cache
def openapi_text() -> str:
    return files(__package__).joinpath("openapi.json").read_text(encoding="utf-8")


def openapi() -> dict[str, Any]:
    """A fresh copy of the document (callers may change theirs)."""
    return json.loads(openapi_text())
