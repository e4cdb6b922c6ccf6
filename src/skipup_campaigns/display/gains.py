"""How a gain reads, in the list's Δ column, its summary total, the report screen and the
text report alike: requests and booked signed ("+12", "+0"), and a plain "0" when neither
moved (no change has no sign)."""

from __future__ import annotations


def signed_pair(requests: int, booked: int) -> tuple[str, str]:
    """("+12", "+4"), ("+3", "+0"); ("0", "0") for no change."""
    if not requests and not booked:
        return "0", "0"
    return f"{requests:+,}", f"{booked:+,}"


def gained_text(gained: tuple[int, int] | None) -> str:
    """The Δ cell: "+12/+4" (requests/booked gained), "0" for no change, empty without a
    sample old enough (unknown is not zero)."""
    if gained is None:
        return ""
    if not any(gained):
        return "0"
    return "/".join(signed_pair(*gained))
