"""The environment variables SkipUp reads, and the API's own address, named once. Plain
constants and no imports, so the settings loader, the API client and the cold start's first
page can use them without pulling in each other (or httpx)."""

DEFAULT_BASE_URL = "https://api.skipup.ai/api/v1"
"""Where the real SkipUp API answers: the base URL when none is configured."""

API_KEY_ENV = "SKIPUP_API_KEY"
BASE_URL_ENV = "SKIPUP_BASE_URL"
PROFILE_ENV = "SKIPUP_PROFILE"
HISTORY_ENV = "SKIPUP_HISTORY"
"""A directory for the history files (`--history-path`), e.g. on a local disk when the home is
on a network filesystem, where SQLite cannot use WAL."""
