"""The edit/create form's logic without Textual: what the fields say, what is wrong with them,
and what a save would send.

The form holds raw text exactly as typed (so nothing typed is ever lost); this module turns it
into API fields, and compares it with the campaign it started from.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from skipup_campaigns.display.dates import (
    UTC_ZONE,
    DateInputError,
    DisplayZone,
    parse_when,
    shown_time,
)
from skipup_campaigns.display.safe_text import safe

if TYPE_CHECKING:
    from skipup_campaigns.api.models import Campaign

NAME_MAX = 200
DESCRIPTION_MAX = 5000
FIELD_LABELS = {
    "name": "Name",
    "description": "Description",
    "team_id": "Team",
    "starts_at": "Start",
    "ends_at": "End",
}


@dataclass(frozen=True)
class FormText:
    """The form's fields as typed."""

    name: str = ""
    description: str = ""
    team_id: str = ""
    starts: str = ""
    ends: str = ""

    @classmethod
    def of(cls, campaign: Campaign, zone: DisplayZone = UTC_ZONE) -> FormText:
        """The campaign as the form shows it, times in `zone`. Server text is made safe
        first: an input field would otherwise hand its control characters to the terminal. A
        field the user does not touch is never sent, so the server's exact value survives a
        save."""
        return cls(
            name=safe(campaign.name),
            description=safe(campaign.description, multiline=True),
            team_id=safe(campaign.team_id),
            starts=shown_time(campaign.starts_at, zone) if campaign.starts_at else "",
            ends=shown_time(campaign.ends_at, zone) if campaign.ends_at else "",
        )

    def with_(self, **changes: str) -> FormText:
        return replace(self, **changes)


@dataclass(frozen=True)
class Checked:
    """The form read as API values, with a message per field that is not acceptable."""

    values: dict[str, Any]
    errors: dict[str, str]

    @property
    def ok(self) -> bool:
        return not self.errors


def check(text: FormText, zone: DisplayZone = UTC_ZONE) -> Checked:
    """What the server would refuse, found before anything is sent (times read in `zone`)."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    name = text.name.strip()
    if not name:
        errors["name"] = "a name is required"
    elif len(name) > NAME_MAX:
        errors["name"] = f"at most {NAME_MAX} characters ({len(name)} now)"
    values["name"] = name
    if len(text.description) > DESCRIPTION_MAX:
        errors["description"] = (
            f"at most {DESCRIPTION_MAX:,} characters ({len(text.description):,} now)"
        )
    values["description"] = text.description if text.description.strip() else None
    if not text.team_id.strip():
        errors["team_id"] = "choose a team"
    values["team_id"] = text.team_id.strip()
    for key, raw, end in (("starts_at", text.starts, False), ("ends_at", text.ends, True)):
        try:
            values[key] = parse_when(raw, end_of_day=end, zone=zone)
        except DateInputError as exc:
            errors[key] = str(exc)
    starts, ends = values.get("starts_at"), values.get("ends_at")
    if isinstance(starts, datetime) and isinstance(ends, datetime) and ends <= starts:
        errors["ends_at"] = "the end must be after the start"
    return Checked(values, errors)


def normalised_hint(raw: str, *, end_of_day: bool, zone: DisplayZone = UTC_ZONE) -> str:
    """What a date field's text means, shown beside it as it is typed: the moment as the API
    will get it (UTC), and in `zone` too when that is another."""
    try:
        moment = parse_when(raw, end_of_day=end_of_day, zone=zone)
    except DateInputError:
        return ""
    if moment is None:
        return "no date"
    return f"= {shown_time(moment)}" + ("" if zone.is_utc else f" = {shown_time(moment, zone)}")


TEXT_TO_FIELD = {
    "name": "name",
    "description": "description",
    "team_id": "team_id",
    "starts": "starts_at",
    "ends": "ends_at",
}


def touched(start: FormText, now: FormText) -> set[str]:
    """The API fields whose text the user changed since the form was filled."""
    return {
        api for text, api in TEXT_TO_FIELD.items() if getattr(start, text) != getattr(now, text)
    }


def changed_fields(
    campaign: Campaign, values: dict[str, Any], only: set[str] | None = None
) -> dict[str, Any]:
    """The values (of the fields in `only`, if given) that differ from the campaign: all a
    PATCH should carry."""
    return {
        key: value
        for key, value in values.items()
        if (only is None or key in only) and getattr(campaign, key) != value
    }


def merged(
    theirs: Campaign, mine: FormText, keep: set[str], zone: DisplayZone = UTC_ZONE
) -> FormText:
    """The server's version, with the user's text kept in the fields they touched."""
    out = FormText.of(theirs, zone)
    for text, api in TEXT_TO_FIELD.items():
        if api in keep:
            out = out.with_(**{text: getattr(mine, text)})
    return out


def differences(
    mine: dict[str, Any], theirs: Campaign, base: Campaign
) -> list[tuple[str, Any, Any | None]]:
    """For a conflict: (field, theirs, mine) for each field that differs from the server now.
    `mine` holds only the fields the user changed (the only ones an overwrite sends); a field
    the server moved that the user did not touch comes with None for mine: theirs stays."""
    out: list[tuple[str, Any, Any | None]] = []
    for key in FIELD_LABELS:
        now = getattr(theirs, key)
        if key in mine:
            if mine[key] != now:
                out.append((key, now, mine[key]))
        elif getattr(base, key) != now:
            out.append((key, now, None))
    return out


def is_dirty(start: FormText, now: FormText) -> bool:
    return any(getattr(start, f.name) != getattr(now, f.name) for f in fields(FormText))


def show_value(value: Any, zone: DisplayZone = UTC_ZONE) -> str:
    """A field value as the conflict dialog shows it, times in `zone` (still to be made safe
    for the screen)."""
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, datetime):
        return shown_time(value, zone)
    return str(value)
