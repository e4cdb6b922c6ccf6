"""The SkipUp Campaigns API client: models, errors and `SkipUpClient`.

No Textual and no sandbox import: usable from any script or notebook.
"""

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
from skipup_campaigns.env_names import API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL

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
