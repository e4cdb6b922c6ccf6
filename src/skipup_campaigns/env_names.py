"""The environment variables SkipUp reads, named once. Plain constants and no imports, so both
the settings loader and the API client can use them without pulling in the other (or httpx)."""

API_KEY_ENV = "SKIPUP_API_KEY"
BASE_URL_ENV = "SKIPUP_BASE_URL"
PROFILE_ENV = "SKIPUP_PROFILE"
