"""Typed objects of the SkipUp API, lenient in what they accept from the real service.

Unknown fields are ignored, timestamps may carry fractions or `+00:00`, `booking_rate` may be
an integer, `meta` may lack `next_cursor` or `limit` (see the reference, section 8).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    field_validator,
)


def _as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("a date-time needs a time zone (a naive datetime is ambiguous)")
    return moment.astimezone(timezone.utc)


def to_wire(moment: datetime) -> str:
    """The API's timestamp form: UTC, whole seconds, `Z`."""
    return _as_utc(moment).replace(tzinfo=None, microsecond=0).isoformat() + "Z"


UTCDateTime = Annotated[datetime, AfterValidator(_as_utc)]
"""An aware datetime, converted to UTC."""

WireDateTime = Annotated[datetime, AfterValidator(_as_utc), PlainSerializer(to_wire)]
"""A datetime sent to the API: required to be aware, written as `YYYY-MM-DDTHH:MM:SSZ`."""


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
    meeting_request_count: int = 0
    meetings_booked_count: int = 0
    booking_rate: float = 0.0
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
    member_count: int = 0
    active: bool = True
    deactivated_at: UTCDateTime | None = None
    created_at: UTCDateTime | None = None
    updated_at: UTCDateTime | None = None


T = TypeVar("T")


class Page(_Received, Generic[T]):
    """One page of a list; pass `next_cursor` back to get the next."""

    data: list[T]
    has_more: bool = False
    next_cursor: str | None = None
    limit: int | None = None


class _Meta(_Received):
    has_more: bool = False
    next_cursor: str | None = None
    limit: int | None = None


class ListEnvelope(_Received, Generic[T]):
    """`{"data": [...], "meta": {...}}` as sent."""

    data: list[T]
    meta: _Meta = Field(default_factory=_Meta)

    def page(self) -> Page[T]:
        return Page[Any](data=self.data, has_more=self.meta.has_more,
                         next_cursor=self.meta.next_cursor, limit=self.meta.limit)


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
