"""The SkipUp Campaigns API client: models, errors and `SkipUpClient`.

No Textual and no sandbox import: usable from any script or notebook. The models (pydantic)
are imported on first use of one of their names: the list's load reads plain records
(api/records.py) and needs none, so importing the client does not bring pydantic in.
"""

from typing import TYPE_CHECKING, Any

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
from skipup_campaigns.env_names import API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL

if TYPE_CHECKING:
    from skipup_campaigns.api.models import (
        Campaign,
        CampaignCreate,
        CampaignUpdate,
        Page,
        Team,
        Unreadable,
    )

_MODELS = frozenset(("Campaign", "CampaignCreate", "CampaignUpdate", "Page", "Team", "Unreadable"))


def __getattr__(name: str) -> Any:
    """The models' names, imported when first asked for (PEP 562)."""
    if name in _MODELS:
        from skipup_campaigns.api import models

        return getattr(models, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
