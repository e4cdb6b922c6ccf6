"""The SkipUp Campaigns API client: models, errors and `SkipUpClient`.

No Textual and no sandbox import: usable from any script or notebook. Each name is imported
from its module on first use (PEP 562): the list's load reads plain records (api/records.py)
and never needs the models (pydantic), and the UI's early first page reads its records with
the standard library alone, before httpx is imported.
"""

from typing import TYPE_CHECKING, Any

from skipup_campaigns.env_names import API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL

if TYPE_CHECKING:
    from skipup_campaigns.api.client import (
        DEFAULT_DEADLINE,
        MAX_RESPONSE_BYTES,
        RateLimitStatus,
        SkipUpClient,
        check_base_url,
        is_loopback_host,
    )
    from skipup_campaigns.api.errors import (
        APIConnectionError,
        APIResponseError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        ConfigurationError,
        FieldValidationError,
        InternalServerError,
        InvalidRequestError,
        NotFoundError,
        PaginationError,
        PermissionDeniedError,
        RateLimitError,
        RequestNotSent,
        ResponseTooLargeError,
        SkipUpError,
        UnprocessableEntityError,
    )
    from skipup_campaigns.api.models import (
        Campaign,
        CampaignCreate,
        CampaignUpdate,
        Page,
        Team,
        Unreadable,
    )

_HOMES = {
    "client": (
        "DEFAULT_DEADLINE",
        "MAX_RESPONSE_BYTES",
        "RateLimitStatus",
        "SkipUpClient",
        "check_base_url",
        "is_loopback_host",
    ),
    "errors": (
        "APIConnectionError",
        "APIResponseError",
        "APIStatusError",
        "APITimeoutError",
        "AuthenticationError",
        "ConfigurationError",
        "FieldValidationError",
        "InternalServerError",
        "InvalidRequestError",
        "NotFoundError",
        "PaginationError",
        "PermissionDeniedError",
        "RateLimitError",
        "RequestNotSent",
        "ResponseTooLargeError",
        "SkipUpError",
        "UnprocessableEntityError",
    ),
    "models": ("Campaign", "CampaignCreate", "CampaignUpdate", "Page", "Team", "Unreadable"),
}
_HOME = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    """A name of the client, its errors or its models, imported when first asked for."""
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = [
    "API_KEY_ENV",
    "BASE_URL_ENV",
    "DEFAULT_BASE_URL",
    "DEFAULT_DEADLINE",
    "MAX_RESPONSE_BYTES",
    "APIConnectionError",
    "APIResponseError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "Campaign",
    "CampaignCreate",
    "CampaignUpdate",
    "ConfigurationError",
    "FieldValidationError",
    "InternalServerError",
    "InvalidRequestError",
    "NotFoundError",
    "Page",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimitError",
    "RateLimitStatus",
    "RequestNotSent",
    "ResponseTooLargeError",
    "SkipUpClient",
    "SkipUpError",
    "Team",
    "Unreadable",
    "UnprocessableEntityError",
    "check_base_url",
    "is_loopback_host",
]
