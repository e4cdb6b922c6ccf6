"""The SkipUp Campaigns API client: models, errors and `SkipUpClient`.

No Textual and no sandbox import: usable from any script or notebook.
"""

from skipup_campaigns.api.client import (
    API_KEY_ENV,
    BASE_URL_ENV,
    DEFAULT_BASE_URL,
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
    PermissionDeniedError,
    RateLimitError,
    SkipUpError,
    UnprocessableEntityError,
)
from skipup_campaigns.api.models import Campaign, CampaignCreate, CampaignUpdate, Page, Team

__all__ = [
    "API_KEY_ENV", "BASE_URL_ENV", "DEFAULT_BASE_URL",
    "APIConnectionError", "APIResponseError", "APIStatusError", "APITimeoutError",
    "AuthenticationError", "Campaign", "CampaignCreate", "CampaignUpdate", "ConfigurationError",
    "FieldValidationError", "InternalServerError", "InvalidRequestError", "NotFoundError", "Page",
    "PermissionDeniedError", "RateLimitError", "RateLimitStatus", "SkipUpClient", "SkipUpError",
    "Team", "UnprocessableEntityError", "check_base_url", "is_loopback_host",
]
