"""Seed data: the demo workspace people see in `--demo`, and synthetic campaigns for scale work.

Dates are placed relative to the store's clock, so the demo always has past, running and future
campaigns. Everything random comes from one `random.Random(seed)`: the same seed and clock give
the same database.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any

from skipup_campaigns.sandbox import rules
from skipup_campaigns.sandbox.store import Store

MAIN_WORKSPACE = "ws_acme"
OTHER_WORKSPACE = "ws_globex"
DEFAULT_RANDOM_SEED = 42
# Seeded ids take their time part from this fixed moment, not the clock, so the same random
# seed gives the same ids on any day (the README's curl examples rely on it).
SEED_ID_EPOCH = datetime(2026, 1, 1, tzinfo=timezone.utc)

# (name, mode, members, deactivated?)
_TEAMS = [
    ("Sales", "pool", 8, False),
    ("Customer Success", "stack", 5, False),
    ("Partnerships", "pool", 3, False),
    ("Executive Office", "manual", 2, False),
    ("Legacy Outbound", "pool", 4, True),
]

# (name, team index, start offset days, length days or None, requests, booked, deactivated?,
#  description). Offsets are from "now"; None start means no start date.
_CAMPAIGNS: list[tuple[str, int, int | None, int | None, int, int, bool, str | None]] = [
    ("NAA 2026", 0, -20, 45, 214, 92, False, "North American Assembly booth leads."),
    (
        "Spring webinar: pipeline hygiene",
        0,
        -60,
        30,
        120,
        45,
        False,
        "Registrants who asked for a follow-up call.",
    ),
    ("Q4 renewals", 1, -30, 75, 88, 61, False, "Accounts up for renewal before year end."),
    ("Product launch waitlist", 0, 10, 60, 0, 0, False, "Opens with the launch announcement."),
    ("Partner referrals", 2, None, None, 57, 19, False, "Inbound intros from resellers."),
    ("Board introductions", 3, None, None, 9, 7, False, "Warm introductions from the board."),
    (
        "Café Mondays — Paris",
        1,
        -90,
        None,
        33,
        12,
        False,
        "Rencontres clients autour d'un café, chaque lundi.",
    ),
    ("Dreamforce 2026 booth", 0, -75, 4, 310, 101, False, "Badge scans from the booth."),
    ("Trade show follow-ups (EMEA)", 0, -40, 20, 140, 38, False, None),
    (
        "Pricing page demo requests",
        0,
        None,
        None,
        1024,
        433,
        False,
        "The 'Book a demo' button on /pricing.",
    ),
    ("Enterprise trial conversions", 1, -15, 30, 64, 40, False, None),
    ("Holiday outreach", 0, 25, 20, 0, 0, False, "Seasonal campaign, scheduled."),
    ("Customer advisory board", 3, -200, 365, 12, 11, False, "Quarterly CAB sessions."),
    ("Churn save desk", 1, None, None, 75, 20, False, "Cancellation-flow meetings."),
    ("Developer conference São Paulo", 2, -10, 3, 41, 9, False, "Palestras e reuniões no evento."),
    ("Tokyo roadshow 東京", 2, 30, 5, 0, 0, False, "Roadshow meetings in Tokyo."),
    ("Q1 kickoff outreach", 0, -300, 30, 205, 77, False, None),
    ("Summer webinar series", 0, -150, 60, 180, 54, False, "Three-part webinar series."),
    ("Legacy cold outbound", 4, -400, None, 500, 31, True, "Retired with the old SDR motion."),
    ("Beta feedback calls", 1, -120, 40, 46, 46, False, "Every request booked."),
    ("Analyst briefings", 3, -50, None, 6, 2, False, None),
    ("Regional meetups — Nordics", 2, -35, 10, 29, 13, False, None),
    ("Website chat handoffs", 0, None, None, 640, 211, False, "Chat widget escalations."),
    (
        "Paid social: LinkedIn lead gen forms for mid-market operations leaders in North America",
        0,
        -25,
        50,
        97,
        22,
        False,
        "A deliberately long name to show how the list truncates.",
    ),
    ("Re-engagement: dormant trials", 1, -5, 25, 16, 3, False, None),
    ("Podcast sponsorship", 2, -70, 90, 8, 1, False, "Listener offer code."),
    ("Event: RevOps Summit", 0, 45, 2, 0, 0, False, "Meetings at the summit next quarter."),
    ("Old newsletter CTA", 0, -500, None, 90, 12, True, None),
    ("Win-back 2025", 1, -365, 60, 70, 15, False, None),
    ("Onboarding office hours", 1, None, None, 132, 118, False, "New customers' first 30 days."),
    ("Executive dinners", 3, -14, 60, 5, 4, False, "Small-group dinners with the CEO."),
    ("ABM: top 50 accounts", 0, -45, 120, 38, 17, False, None),
    ("Integration partners", 2, None, None, 0, 0, False, "No requests yet."),
    ("Cold email sequence A/B", 0, -100, 30, 260, 18, True, "Stopped after the test."),
    ("Security review calls", 1, -20, None, 22, 15, False, None),
    ("Free tool sign-ups", 0, -8, None, 3, 1, False, None),
    ("Hackathon sponsors", 2, 60, 3, 0, 0, False, None),
    ("Case study interviews", 1, -160, 30, 14, 13, False, None),
    ("Field marketing — DACH", 0, -55, 40, 49, 16, False, "Veranstaltungen in Deutschland."),
    ("Expansion upsell", 1, -12, 80, 27, 8, False, None),
]

_OTHER_CAMPAIGNS = ["Globex spring push", "Globex partner days"]

_WORDS = (
    "Spring Summer Autumn Winter Webinar Roadshow Summit Outreach Trial Renewal Demo "
    "Partner Field Launch Pipeline Expansion Meetup Briefing Enterprise Regional"
).split()


def _team_rows(
    workspace_id: str,
    handle: str,
    rng: random.Random,
    now: datetime,
    teams: list[tuple[str, str, int, bool]],
) -> list[dict[str, Any]]:
    rows = []
    for i, (name, mode, members, deactivated) in enumerate(teams):
        created = now - timedelta(days=700 - i)
        slug = rules.slugify(name)
        rows.append(
            {
                "id": rules.new_id("tm_", SEED_ID_EPOCH, rng),
                "workspace_id": workspace_id,
                "name": name,
                "slug": slug,
                "description": f"The {name} team.",
                "mode": mode,
                "email_address": None if mode == "manual" else f"{slug}.{handle}@skipup.co",
                "member_count": members,
                "stack_always_apply": int(mode == "stack"),
                "include_all_members": int(mode == "pool"),
                "introduce_member": 0,
                "introduction_guidance": None,
                "deactivated_at": rules.format_timestamp(now - timedelta(days=30))
                if deactivated
                else None,
                "created_at": rules.format_timestamp(created),
                "updated_at": rules.format_timestamp(created),
            }
        )
    return rows


def _campaign_row(
    workspace_id: str,
    handle: str,
    team_id: str,
    name: str,
    slug: str,
    created: datetime,
    rng: random.Random,
    **fields: Any,
) -> dict[str, Any]:
    stamp = rules.format_timestamp(created)
    row = {
        "id": rules.new_id("cmp_", SEED_ID_EPOCH, rng),
        "workspace_id": workspace_id,
        "name": name,
        "slug": slug,
        "description": None,
        "email_address": f"{slug}.{handle}@skipup.co",
        "team_id": team_id,
        "starts_at": None,
        "ends_at": None,
        "deactivated_at": None,
        "meeting_request_count": 0,
        "meetings_booked_count": 0,
        "created_at": stamp,
        "updated_at": stamp,
    }
    row.update(fields)
    return row


def seed_demo(
    store: Store, *, random_seed: int = DEFAULT_RANDOM_SEED, campaigns: bool = True
) -> None:
    """The demo workspace (`sk_test_admin`) and a small second one (`sk_test_other`).

    With `campaigns=False` only the workspaces and teams: the `empty` seed, where campaigns can
    still be created.
    """
    rng = random.Random(random_seed)
    now = store.clock().replace(microsecond=0)
    store.add_workspace(MAIN_WORKSPACE, "acme", "Acme Inc.")
    store.add_workspace(OTHER_WORKSPACE, "globex", "Globex Corporation")
    teams = _team_rows(MAIN_WORKSPACE, "acme", rng, now, _TEAMS)
    other_teams = _team_rows(
        OTHER_WORKSPACE, "globex", rng, now, [("Globex Sales", "pool", 3, False)]
    )
    store.add_teams(teams + other_teams)
    if not campaigns:
        return

    rows = []
    taken: set[str] = set()
    for i, (name, team, start, length, requests, booked, deactivated, description) in enumerate(
        _CAMPAIGNS
    ):
        # The list's order: entry 0 is the newest; creation precedes the start date.
        created = now - timedelta(
            days=2 + i * 3 + max(0, -(start or 0)) // 4, minutes=rng.randrange(600)
        )
        starts = None if start is None else now + timedelta(days=start)
        ends = None if starts is None or length is None else starts + timedelta(days=length)
        slug = rules.unique_slug(rules.slugify(name), taken)
        taken.add(slug)
        rows.append(
            _campaign_row(
                MAIN_WORKSPACE,
                "acme",
                teams[team]["id"],
                name,
                slug,
                created,
                rng,
                description=description,
                starts_at=None
                if starts is None
                else rules.format_timestamp(starts.replace(hour=9, minute=0, second=0)),
                ends_at=None
                if ends is None
                else rules.format_timestamp(ends.replace(hour=17, minute=0, second=0)),
                deactivated_at=rules.format_timestamp(now - timedelta(days=7 + i))
                if deactivated
                else None,
                meeting_request_count=requests,
                meetings_booked_count=booked,
                updated_at=rules.format_timestamp(created + timedelta(hours=1)),
            )
        )
    for i, name in enumerate(_OTHER_CAMPAIGNS):
        created = now - timedelta(days=10 + i)
        rows.append(
            _campaign_row(
                OTHER_WORKSPACE,
                "globex",
                other_teams[0]["id"],
                name,
                rules.slugify(name),
                created,
                rng,
                meeting_request_count=10 * (i + 1),
                meetings_booked_count=i + 3,
            )
        )
    store.add_campaigns(rows)


def seed_synthetic(store: Store, count: int, *, random_seed: int = DEFAULT_RANDOM_SEED) -> None:
    """`count` generated campaigns spread over the main workspace's active teams (fast: one
    transaction, no per-row rules beyond a unique slug)."""
    rng = random.Random(random_seed ^ 0x5EED)
    now = store.clock().replace(microsecond=0)
    teams, _ = store.list_teams(MAIN_WORKSPACE, limit=100, cursor=None)
    team_ids = [t["id"] for t in teams if t["active"]]
    rows = []
    for n in range(count):
        # The running number keeps every name, and so every slug, unique.
        name = f"{rng.choice(_WORDS)} {rng.choice(_WORDS)} {n + 1}"
        slug = rules.slugify(name)
        created = now - timedelta(minutes=n * 7 + 1)
        requests = rng.choice((0, rng.randrange(1, 50), rng.randrange(50, 2000)))
        starts = created + timedelta(days=rng.randrange(0, 30))
        ends = starts + timedelta(days=rng.randrange(1, 400)) if rng.random() < 0.7 else None
        # Drawn as before either way, so the rest of the generated data stays the same.
        scheduled = starts > now  # nobody can have asked for a meeting yet
        rows.append(
            _campaign_row(
                MAIN_WORKSPACE,
                "acme",
                rng.choice(team_ids),
                name,
                slug,
                created,
                rng,
                description=rng.choice((None, f"Synthetic campaign number {n + 1}.")),
                starts_at=rules.format_timestamp(starts),
                ends_at=None if ends is None else rules.format_timestamp(ends),
                deactivated_at=rules.format_timestamp(created + timedelta(days=1))
                if rng.random() < 0.1
                else None,
                meeting_request_count=0 if scheduled else requests,
                meetings_booked_count=(rng.randrange(0, requests + 1) if requests else 0)
                * (not scheduled),
            )
        )
    store.add_campaigns(rows)
