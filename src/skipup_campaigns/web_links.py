"""A campaign's page in SkipUp's web app, from the config file's `web_url` template:

    web_url = "https://app.skipup.ai/campaigns/{id}"

Each placeholder's value is percent-encoded whole (a slash too), so a slug like `../../admin`
or one holding a control character stays inside its path segment; only http and https
templates are accepted, with the placeholders after the host. No Textual here.
"""

from __future__ import annotations

import string
import sys
from collections.abc import Mapping
from urllib.parse import quote, urlsplit

from skipup_campaigns.custom_commands import (
    CAMPAIGN_FIELDS,
    HasCampaignFields,
    campaign_values,
)

SET_WEB_URL_HELP = (
    "No web_url is configured, so there is no web page to open. Add one to the "
    "config file (or a profile), e.g. web_url = "
    '"https://app.skipup.ai/campaigns/{id}"; placeholders: '
    + ", ".join("{" + name + "}" for name in CAMPAIGN_FIELDS)
    + "."
)


class WebUrlError(ValueError):
    """The `web_url` template cannot be used; the message says why."""


def check_template(template: str, where: str) -> str:
    """`template`, checked: http(s), a host, known placeholders after the host only."""
    template = template.strip()
    if any(ord(ch) < 0x21 or 0x7F <= ord(ch) < 0xA0 for ch in template):
        raise WebUrlError(f"In {where}: web_url holds a space or a control character")
    try:
        parts = urlsplit(template.replace("{", "").replace("}", ""))
        names = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError:
        raise WebUrlError(f"In {where}: web_url has a lone brace or is not a URL") from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise WebUrlError(
            f"In {where}: web_url must be an http or https address, e.g. "
            '"https://app.skipup.ai/campaigns/{id}"'
        )
    for name in names:
        if name not in CAMPAIGN_FIELDS:
            raise WebUrlError(
                f"In {where}: web_url has an unknown placeholder {{{name}}}; "
                f"known: {', '.join('{' + n + '}' for n in CAMPAIGN_FIELDS)}"
            )
    host_end = template.find("/", len(parts.scheme) + 3)
    host = template if host_end < 0 else template[:host_end]
    if "{" in host:
        raise WebUrlError(f"In {where}: web_url can have placeholders only after the host")
    if any(
        spec or conversion
        for _, name, spec, conversion in string.Formatter().parse(template)
        if name is not None
    ):
        raise WebUrlError(
            f"In {where}: write web_url's placeholders as {{id}}, without a format or conversion"
        )
    return template


def campaign_url(template: str, campaign: HasCampaignFields) -> str:
    """The campaign's page: `template` with each value percent-encoded (nothing is safe, so
    no value can add a path segment, a query or a fragment)."""
    values: Mapping[str, str] = {
        name: quote(value, safe="") for name, value in campaign_values(campaign).items()
    }
    return template.format_map(values)


def can_open_browser(environ: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Whether a graphical browser can be opened here: not over SSH (it would open on the
    far machine), and a desktop (macOS, Windows, or X11/Wayland). Without one, Python's
    `webbrowser` falls back to a text browser, which would fight the app for the terminal."""
    if environ.get("SSH_CONNECTION") or environ.get("SSH_TTY"):
        return False
    if platform == "darwin" or platform.startswith("win"):
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))
