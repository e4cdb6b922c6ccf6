"""Typed objects of the SkipUp API, lenient in what they accept from the real service.

Unknown fields are ignored, timestamps may carry fractions or `+00:00`, `booking_rate` may be
an integer, `meta` may lack `next_cursor` or `limit` (see the reference, section 8).

Strict where a value could break a caller: counts are whole numbers from 0 to 2**53, the rate
is finite, and a timestamp must have a UTC form within years 1–9999. A value outside that is a
validation error of its one object (in a list: that item is skipped and counted on the page).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    PlainSerializer,
    field_validator,
)
from pydantic_core import CoreSchema, core_schema

from skipup_campaigns.number_limits import MAX_COUNT
from skipup_campaigns.timestamps import as_utc as _as_utc
from skipup_campaigns.timestamps import to_wire as to_wire  # re-exported: the one formatter


class _InUTC:
    """Validation of a received timestamp: aware, converted to UTC. A timestamp already at
    offset zero (all SkipUp sends) is accepted natively, with no Python call per value: that
    call was half the cost of reading a page. Its tzinfo then equals `timezone.utc` (it is
    pydantic's zero-offset `TzInfo`); any other offset is converted by `_as_utc`."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.union_schema(
            [
                core_schema.datetime_schema(tz_constraint=0),
                core_schema.no_info_after_validator_function(
                    _as_utc, core_schema.datetime_schema(tz_constraint="aware")
                ),
            ],
            mode="left_to_right",
            custom_error_type="utc_datetime",
            custom_error_message="Input should be a date-time with a time zone, within years "
            "1-9999 in UTC",
        )


UTCDateTime = Annotated[datetime, _InUTC]
"""An aware datetime, in UTC (its tzinfo equals `timezone.utc`)."""

WireDateTime = Annotated[datetime, AfterValidator(_as_utc), PlainSerializer(to_wire)]
"""A datetime sent to the API: required to be aware, written as `YYYY-MM-DDTHH:MM:SSZ`."""

Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
"""A count as JSON can carry it exactly: a 10**400 would overflow any rate computed from it
(the limit is number_limits', shared with the readers that run without pydantic)."""
Rate = Annotated[float, Field(allow_inf_nan=False)]
"""A finite float: NaN or infinity is not JSON and sorts nowhere."""


class _Received(BaseModel):
    """An object read from the API: extra fields ignored, never mutated in place."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class Campaign(_Received):
    """A campaign: a named bucket of inbound meeting requests, bound to a team."""

    id: str
    name: str
    slug: str
    description: str | None = None
    email_address: str | None = None
    team_id: str
    team_name: str
    active: bool
    starts_at: UTCDateTime | None = None
    ends_at: UTCDateTime | None = None
    deactivated_at: UTCDateTime | None = None
    meeting_request_count: Count = 0
    meetings_booked_count: Count = 0
    booking_rate: Rate = 0.0
    """Booked / requests × 100, one decimal, as the server computed it."""
    created_at: UTCDateTime
    updated_at: UTCDateTime


class Team(_Received):
    """A team that campaigns route meeting requests to."""

    id: str
    name: str
    slug: str
    description: str | None = None
    mode: Literal["pool", "stack", "manual"] | str
    email_address: str | None = None
    member_count: Count = 0
    active: bool = True
    deactivated_at: UTCDateTime | None = None
    created_at: UTCDateTime | None = None
    updated_at: UTCDateTime | None = None


T = TypeVar("T")


class Unreadable(_Received):
    """An item of a list page that is not as documented, left out of the page's `data`."""

    position: int
    """Its index in the page as sent."""
    id: str | None = None
    """Its `id`, when that was a string (server text: show it through the safe-text helper)."""
    reason: str
    """What was wrong, e.g. `booking_rate: Input should be a finite number`."""


class Page(_Received, Generic[T]):
    """One page of a list; pass `next_cursor` back to get the next.

    `data` holds the items that read as documented; `skipped` says which did not, so a caller
    can show the good ones and say "N unreadable" instead of losing the page."""

    data: list[T]
    has_more: bool = False
    next_cursor: str | None = None
    limit: int | None = None
    skipped: list[Unreadable] = Field(default_factory=list)


class _Meta(_Received):
    has_more: bool = False
    next_cursor: str | None = None
    limit: int | None = None


class ListEnvelope(_Received, Generic[T]):
    """`{"data": [...], "meta": {...}}` as sent."""

    data: list[T]
    meta: _Meta = Field(default_factory=_Meta)

    def page(self, skipped: list[Unreadable] | None = None) -> Page[T]:
        # Fields already validated: construct, do not validate every item a second time.
        return _AnyPage.model_construct(
            data=self.data,
            has_more=self.meta.has_more,
            next_cursor=self.meta.next_cursor,
            limit=self.meta.limit,
            skipped=skipped or [],
        )


_AnyPage = Page[Any]  # subscripted once, not per page


class ObjectEnvelope(_Received, Generic[T]):
    """`{"data": {...}}` as sent."""

    data: T


class CampaignCreate(BaseModel):
    """What `POST /campaigns` takes. Fields left as None are not sent."""

    model_config = ConfigDict(extra="forbid")

    name: str
    team_id: str
    description: str | None = None
    starts_at: WireDateTime | None = None
    ends_at: WireDateTime | None = None

    def to_body(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


class CampaignUpdate(BaseModel):
    """What `PATCH /campaigns/:id` takes. Only fields you set are sent; setting
    `description`, `starts_at` or `ends_at` to None clears it on the server."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    team_id: str | None = None
    description: str | None = None
    starts_at: WireDateTime | None = None
    ends_at: WireDateTime | None = None

    @field_validator("name", "team_id")
    @classmethod
    def _not_null(cls, value: str | None) -> str | None:
        if value is None:
            raise ValueError("cannot be cleared (leave it out to keep the current value)")
        return value

    def to_body(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_unset=True)
