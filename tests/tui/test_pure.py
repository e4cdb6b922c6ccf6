"""The UI's pure logic, without Textual: text safety, bars, filter grammar, the collection."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from skipup_campaigns.api.models import Campaign
from skipup_campaigns.workspace.collection import CampaignCollection, ViewSpec, spec_for
from skipup_campaigns.display.dates import campaign_status
from skipup_campaigns.workspace.filtering import Query, parse
from skipup_campaigns.tui.rate_bar import format_rate, rate_band, rate_bar
from skipup_campaigns.display.safe_text import safe
from skipup_campaigns.tui.widgets.campaign_table import NAME_MIN, fit, layout

NOW = datetime(2026, 6, 15, 12, tzinfo=timezone.utc)


# -- safe text -------------------------------------------------------------------------------

@pytest.mark.parametrize("hostile", [
    "\x1b[2J", "\x1b]52;c;cHduZWQ=\x07", "\x1b]8;;https://evil\x1b\\x", "\x9b31m", "\x90q",
    "a\x00b", "\x7f", "\u202eevil", "\u2066iso\u2069", "\r\x08\x07",
])
def test_safe_leaves_no_control_character(hostile: str) -> None:
    out = safe(hostile)
    assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in out)
    assert not any(ch in out for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    assert len(out) >= 1  # shown, not silently dropped


def test_safe_keeps_ordinary_and_wide_text_and_markup_as_characters() -> None:
    text = "[@click=app.quit]x 東京 é\u0301 [link=https://e]y[/]"
    assert safe(text) == text
    assert safe("👩\u200d💻 a\u200bb") == "👩💻 ab"
    assert safe("👩\u200d💻", multiline=True) == "👩\u200d💻"
    assert safe("esc\x1b") == "esc␛"
    assert safe("a\tb\nc") == "a b c"
    assert safe("a\tb\nc\r\n", multiline=True) == "a    b\nc\n"
    assert safe(None) == ""


def test_safe_fast_path_only_skips_text_the_tables_would_leave_alone() -> None:
    """safe() returns printable text untouched without translating it: that is right only
    while every character it replaces is one str.isprintable() refuses."""
    from skipup_campaigns.display import safe_text

    for table in (safe_text._SINGLE_LINE, safe_text._MULTI_LINE):  # noqa: SLF001
        assert not [hex(code) for code in table if chr(code).isprintable()]


# -- rate bar --------------------------------------------------------------------------------

@pytest.mark.parametrize(("rate", "width", "bar"), [
    (42.9, 12, "█████▏      "), (0.0, 5, "     "), (100.0, 4, "████"), (50.0, 3, "█▌ "),
    (150.0, 2, "██"), (-3.0, 2, "  "), (1.0, 10, "▏         "), (33.3, 0, ""),
])
def test_rate_bar_is_exactly_width_cells(rate: float, width: int, bar: str) -> None:
    assert rate_bar(rate, width) == bar
    assert len(rate_bar(rate, width)) == width


def test_rate_text_and_bands() -> None:
    assert format_rate(42.9) == " 42.9%" and format_rate(100.0) == "100.0%"
    assert [rate_band(r, 10) for r in (0.0, 19.9, 20.0, 39.9, 40.0, 100.0)] == [
        "low", "low", "mid", "mid", "high", "high"]
    assert rate_band(0.0, 0) == "none"


# -- filter grammar --------------------------------------------------------------------------

def test_parse_words_and_qualifiers() -> None:
    assert parse("  NAA  team:Sales status:ENDED q3:x team: ") == Query(
        ("naa", "q3:x"), (("team", "sales"), ("status", "ended")))
    assert parse("").is_empty
    assert parse("team_id:TM_01HQ team_id:") == Query((), (("team_id", "tm_01hq"),))


def test_team_id_matches_the_whole_id_only() -> None:
    from types import SimpleNamespace

    from skipup_campaigns.workspace.filtering import matches, team_id_term

    sales = SimpleNamespace(team_id="tm_01SALES", team_key="sales", haystack="")
    presales = SimpleNamespace(team_id="tm_01SALES2", team_key="presales", haystack="")
    query = parse(team_id_term("tm_01SALES") or "")
    assert [matches(row, query) for row in (sales, presales)] == [True, False]
    assert matches(presales, parse("team:sales"))  # the substring the report used to write
    assert team_id_term("tm_a b") is None and team_id_term("tm_\x1b") is None
    assert team_id_term("") is None


@pytest.mark.parametrize(("old", "new", "narrows"), [
    ("na", "naa", True), ("naa", "naa 2026", True), ("team:sa", "team:sales", True),
    ("naa", "na", False), ("naa 2026", "naa", False), ("team:sales", "sales", False),
    ("", "anything", True), ("x", "", False),
    ("team_id:tm_1", "team_id:tm_1 q3", True), ("team_id:tm_1", "team_id:tm_12", False),
    ("team_id:tm_12", "team_id:tm_1", False), ("team:sa", "team_id:tm_1", False),
])
def test_narrowing_is_detected_only_when_it_is_safe(old: str, new: str, narrows: bool) -> None:
    assert parse(new).narrows(parse(old)) is narrows


# -- status and layout -----------------------------------------------------------------------

def test_status_words() -> None:
    past, future = NOW - timedelta(days=1), NOW + timedelta(days=1)
    assert campaign_status(deactivated_at=past, starts_at=None, ends_at=future, now=NOW) == \
        "deactivated"
    assert campaign_status(deactivated_at=None, starts_at=None, ends_at=past, now=NOW) == "ended"
    assert campaign_status(deactivated_at=None, starts_at=future, ends_at=None, now=NOW) == \
        "scheduled"
    assert campaign_status(deactivated_at=None, starts_at=past, ends_at=future, now=NOW) == \
        "active"


@pytest.mark.parametrize("width", [40, 60, 80, 100, 120, 200])
def test_layout_fills_the_width_and_always_keeps_name_and_rate(width: int) -> None:
    columns = layout(width)
    keys = [c.key for c, _ in columns]
    assert "name" in keys and "rate" in keys
    if width >= 80:
        used = 2 + sum(w for _, w in columns) + len(columns) - 1
        assert used == width
        assert dict((c.key, w) for c, w in columns)["name"] >= NAME_MIN
    assert len(layout(200)) == 10 and len(layout(80)) < 9
    assert len(layout(200, frozenset({"gained"}))) == 9  # no history: no Δ column


def test_layout_drops_least_useful_columns_first() -> None:
    at80 = {c.key for c, _ in layout(80)}
    assert {"status", "team", "requests"} <= at80
    assert not {"created", "starts"} & at80
    # Δ gives way at 80 (names and rates stay; the summary line has its total) and shows
    # from 90.
    assert "gained" not in at80 and "gained" in {c.key for c, _ in layout(90)}


def test_fit_cuts_by_cells_with_an_ellipsis() -> None:
    assert fit("東京東京", 5) == "東京…"
    assert fit("abc", 5) == "abc  " and fit("abc", 5, right=True) == "  abc"
    assert fit("abcdef", 4) == "abc…"


# -- collection ------------------------------------------------------------------------------

def campaign(n: int, **fields: object) -> Campaign:
    data = {
        "id": f"cmp_{n}", "name": f"Campaign {n}", "slug": f"campaign-{n}",
        "team_id": "tm_1", "team_name": "Sales" if n % 2 else "Partnerships",
        "active": True, "meeting_request_count": n * 10, "meetings_booked_count": n,
        "booking_rate": 10.0, "created_at": NOW - timedelta(days=n),
        "updated_at": NOW - timedelta(days=n),
    }
    data.update(fields)
    return Campaign.model_validate(data)


def test_merge_updates_in_place_and_retain_drops() -> None:
    collection = CampaignCollection()
    collection.merge([campaign(1), campaign(2), campaign(3)], NOW)
    collection.merge([campaign(2, name="Renamed")], NOW)
    assert len(collection) == 3 and collection.get("cmp_2").name == "Renamed"
    assert collection.get("cmp_2").arrival == 1  # kept its place in the server's order
    collection.retain({"cmp_1", "cmp_2"})
    assert "cmp_3" not in collection and len(collection) == 2


def test_view_filters_toggles_and_sorts() -> None:
    collection = CampaignCollection()
    collection.merge([campaign(n, active=n != 4, name=f"Item {10 - n}") for n in range(1, 7)],
                     NOW)
    ids = lambda spec: [r.id for r in collection.view(spec)]  # noqa: E731
    assert ids(ViewSpec()) == ["cmp_1", "cmp_2", "cmp_3", "cmp_5", "cmp_6"]
    assert len(ids(ViewSpec(active_only=False))) == 6
    assert ids(spec_for("team:part", active_only=False, sort="created", reverse=False)) == [
        "cmp_2", "cmp_4", "cmp_6"]
    assert ids(spec_for("", active_only=True, sort="name", reverse=False))[0] == "cmp_6"
    assert ids(spec_for("", active_only=True, sort="requests", reverse=False))[0] == "cmp_6"
    assert ids(spec_for("", active_only=True, sort="requests", reverse=True))[0] == "cmp_1"


def test_incremental_filter_gives_the_same_answer_as_a_full_one() -> None:
    collection = CampaignCollection()
    collection.merge([campaign(n) for n in range(1, 300)], NOW)
    typed = ""
    for ch in "campaign 1":
        typed += ch
        spec = spec_for(typed, active_only=True, sort="created", reverse=False)
        incremental = [r.id for r in collection.view(spec)]
        fresh = CampaignCollection()
        fresh.merge([campaign(n) for n in range(1, 300)], NOW)
        assert incremental == [r.id for r in fresh.view(spec)]
    # Deleting a character widens again.
    wider = spec_for("campaign", active_only=True, sort="created", reverse=False)
    assert len(collection.view(wider)) == 299


def test_totals() -> None:
    collection = CampaignCollection()
    collection.merge([campaign(1), campaign(2)], NOW)
    totals = collection.totals(collection.view(ViewSpec()))
    assert (totals.campaigns, totals.requests, totals.booked, totals.rate) == (2, 30, 3, 10.0)


# -- dates as typed --------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "end", "expected"), [
    ("2026-06-01", False, "2026-06-01T00:00:00Z"),
    ("2026-06-01", True, "2026-06-01T23:59:59Z"),
    ("2026-06-01 09:30", False, "2026-06-01T09:30:00Z"),
    ("2026-06-01T09:30:15Z", True, "2026-06-01T09:30:15Z"),
    ("2026-06-01T09:30:00+02:00", False, "2026-06-01T07:30:00Z"),
    ("  2026-06-01T09:30:00.5-01:00 ", False, "2026-06-01T10:30:00Z"),
])
def test_parse_when_accepts_the_documented_forms(text: str, end: bool, expected: str) -> None:
    from skipup_campaigns.display.dates import parse_when, wire

    assert wire(parse_when(text, end_of_day=end)) == expected


@pytest.mark.parametrize("text", ["tomorrow", "2026-13-01", "01/06/2026", "2026-06-01 25:00",
                                  "2026-06-01T09:30:00+25:00"])
def test_parse_when_refuses_with_a_message(text: str) -> None:
    from skipup_campaigns.display.dates import DateInputError, parse_when

    with pytest.raises(DateInputError):
        parse_when(text)
    assert parse_when("   ") is None


@pytest.mark.parametrize(("delta", "expected"), [
    (timedelta(days=5, hours=1), "ends in 5 days"), (timedelta(days=-95), "ended 3 months ago"),
    (timedelta(hours=-1), "ended 1 hour ago"), (timedelta(seconds=20), "ends in less than a minute"),
    (timedelta(days=800), "ends in 2 years"),
])
def test_relative_hints(delta: timedelta, expected: str) -> None:
    from skipup_campaigns.display.dates import relative

    assert relative(NOW + delta, NOW, past="ended", future="ends") == expected


# -- clipboard -------------------------------------------------------------------------------

def test_osc52_and_its_tmux_form() -> None:
    from skipup_campaigns.tui.clipboard import ClipboardError, osc52, tmux_wrapped

    assert osc52("cmp_1") == "\x1b]52;c;Y21wXzE=\x07"
    assert tmux_wrapped(osc52("cmp_1")) == "\x1bPtmux;\x1b\x1b]52;c;Y21wXzE=\x07\x1b\\"
    with pytest.raises(ClipboardError, match="too long"):
        osc52("x" * 9000)


# -- the form's logic ------------------------------------------------------------------------

def test_form_check_reads_values_and_reports_per_field() -> None:
    from skipup_campaigns.tui.campaign_form import FormText, check

    good = check(FormText(name="  NAA  ", description="", team_id="tm_1",
                          starts="2026-06-01", ends="2026-06-30"))
    assert good.ok and good.values["name"] == "NAA" and good.values["description"] is None
    assert good.values["ends_at"] == datetime(2026, 6, 30, 23, 59, 59, tzinfo=timezone.utc)
    bad = check(FormText(name=" ", description="d" * 5001, team_id="", starts="x",
                         ends="2026-06-01"))
    assert set(bad.errors) == {"name", "description", "team_id", "starts_at"}
    order = check(FormText(name="n", team_id="t", starts="2026-06-02", ends="2026-06-01"))
    assert order.errors == {"ends_at": "the end must be after the start"}


def test_only_touched_fields_are_sent_and_merges_keep_mine() -> None:
    from skipup_campaigns.tui.campaign_form import (
        FormText,
        changed_fields,
        check,
        merged,
        touched,
    )

    original = campaign(1, description="old", starts_at=NOW)
    start = FormText.of(original)
    now = start.with_(name="Renamed")
    mine = touched(start, now)
    assert mine == {"name"}
    assert changed_fields(original, check(now).values, only=mine) == {"name": "Renamed"}
    theirs = campaign(1, description="theirs", name="Their name")
    assert merged(theirs, now, keep=mine) == FormText.of(theirs).with_(name="Renamed")


def test_a_row_gives_back_the_campaign_it_was_built_from() -> None:
    from skipup_campaigns.api.models import Campaign

    original = campaign(7, description="d", email_address="x@skipup.co", starts_at=NOW,
                        ends_at=NOW + timedelta(days=3), deactivated_at=NOW)
    collection = CampaignCollection()
    collection.merge([original], NOW)
    row = collection.get("cmp_7")
    assert row.campaign == original
    assert Campaign.model_validate(row.wire()) == original
    assert (row.starts, row.ends, row.created) == ("2026-06-15", "2026-06-18", "2026-06-08")


def test_rows_share_one_copy_of_repeated_team_names() -> None:
    collection = CampaignCollection()
    collection.merge([campaign(n) for n in range(1, 5)], NOW)
    first, third = collection.get("cmp_1"), collection.get("cmp_3")
    assert first.raw_team == third.raw_team and first.raw_team is third.raw_team


def test_wire_dates_keep_four_digit_years() -> None:
    from datetime import datetime, timezone

    from skipup_campaigns.api.models import to_wire
    from skipup_campaigns.display.dates import short_date, wire

    early = datetime(199, 6, 21, 0, 27, 50, tzinfo=timezone.utc)
    assert wire(early) == to_wire(early) == "0199-06-21T00:27:50Z"
    assert short_date(early) == "0199-06-21"


def test_one_timestamp_formatter_refuses_naive_moments() -> None:
    """The screens' `wire` is the client's `to_wire`: a naive datetime is refused (it used to
    be read as local time on screen), and an offset is shown in UTC."""
    from datetime import datetime, timedelta, timezone

    from skipup_campaigns.api.models import to_wire
    from skipup_campaigns.display.dates import wire

    assert wire is to_wire
    with pytest.raises(ValueError, match="time zone"):
        wire(datetime(2026, 6, 1, 9, 30))
    with pytest.raises(ValueError, match="years 1-9999"):
        wire(datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))))
    plus_two = datetime(2026, 6, 1, 11, 30, 5, 999_999, tzinfo=timezone(timedelta(hours=2)))
    assert wire(plus_two) == "2026-06-01T09:30:05Z"
