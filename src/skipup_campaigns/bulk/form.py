"""The bulk edit form's logic without Textual: each field is left unchanged (the default, and
not sent), set, or cleared; this turns the choices into the engine's `BulkEdit`, with a
message per field that cannot be sent. Dates read as the single form reads them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from skipup_campaigns.display.campaign_form import DESCRIPTION_MAX
from skipup_campaigns.display.dates import UTC_ZONE, DateInputError, DisplayZone, parse_when

Mode = Literal["unchanged", "set", "clear"]
MODES: tuple[Mode, ...] = ("unchanged", "set", "clear")


@dataclass(frozen=True)
class BulkChoices:
    """What the bulk edit form says: a mode per field and the text typed for "set"."""

    starts: Mode = "unchanged"
    starts_text: str = ""
    ends: Mode = "unchanged"
    ends_text: str = ""
    team: Literal["unchanged", "set"] = "unchanged"
    team_id: str = ""
    team_name: str | None = None
    description: Mode = "unchanged"
    description_text: str = ""


@dataclass(frozen=True)
class BulkChecked:
    values: dict[str, Any]
    """The fields to send (API names); a cleared one is None."""
    errors: dict[str, str]
    """Field (API name, or "" for the form) → what is wrong."""

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.values)


def check_bulk(choices: BulkChoices, zone: DisplayZone = UTC_ZONE) -> BulkChecked:
    """The choices as the fields to send, dates read in `zone`, with what is wrong."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, mode, text, end in (
        ("starts_at", choices.starts, choices.starts_text, False),
        ("ends_at", choices.ends, choices.ends_text, True),
    ):
        if mode == "clear":
            values[key] = None
        elif mode == "set":
            try:
                moment = parse_when(text, end_of_day=end, zone=zone)
            except DateInputError as exc:
                errors[key] = str(exc)
                continue
            if moment is None:
                errors[key] = "type a date, or choose clear"
            else:
                values[key] = moment
    starts, ends = values.get("starts_at"), values.get("ends_at")
    if isinstance(starts, datetime) and isinstance(ends, datetime) and ends <= starts:
        errors["ends_at"] = "the end must be after the start"
    if choices.team == "set":
        if choices.team_id.strip():
            values["team_id"] = choices.team_id.strip()
        else:
            errors["team_id"] = "choose a team"
    if choices.description == "clear":
        values["description"] = None
    elif choices.description == "set":
        text = choices.description_text
        if not text.strip():
            errors["description"] = "type a description, or choose clear"
        elif len(text) > DESCRIPTION_MAX:  # the single form's limit and words
            errors["description"] = f"at most {DESCRIPTION_MAX:,} characters ({len(text):,} now)"
        else:
            values["description"] = text
    if not values and not errors:
        errors[""] = "every field is unchanged: choose something to change"
    return BulkChecked(values, errors)


def bulk_edit_of(checked: BulkChecked, team_name: str | None = None) -> Any:
    """The engine's `BulkEdit` for checked values (fields not chosen stay UNCHANGED)."""
    from skipup_campaigns.bulk.engine import BulkEdit

    return BulkEdit(**checked.values, team_name=team_name)


def describe_change(change: Any) -> str:
    """ "set the end date, clear the description" — for titles and toasts."""
    from skipup_campaigns.bulk.engine import Deactivation

    if isinstance(change, Deactivation):
        return "deactivate"
    words = {
        "starts_at": "start date",
        "ends_at": "end date",
        "team_id": "team",
        "description": "description",
    }
    parts = []
    for key, value in change.fields().items():
        if key == "team_id":
            parts.append("move to another team")
        else:
            parts.append(f"{'clear' if value is None else 'set'} the {words[key]}")
    return ", ".join(parts)
