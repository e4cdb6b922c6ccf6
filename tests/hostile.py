"""Campaign and team names that try to act on the terminal or the UI, for every screen's tests.

Each payload carries a marker that must never reach the terminal right after the sequence
that would make it act (see FORBIDDEN_BYTES)."""

from __future__ import annotations

from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from skipup_campaigns.sandbox.store import Store

HOSTILE_NAMES = [
    "[@click=app.quit]click me",
    "[link=https://evil.example]phish[/link] [b]bold[/b",
    "\x1b[2J\x1b[31mREDTEXT screen clear",
    "\x1b]0;PWNED-TITLE\x07 title set",
    "\x1b]52;c;UFdORUQtQ0xJUA==\x07 clipboard write",
    "\x1b]8;;https://evil.example\x1b\\osc8 link\x1b]8;;\x1b\\",
    "\x9b31mC1CSI and \x9d0;C1OSC\x9c",
    "nul\x00byte and bell\x07",
    "bidi \u202eEVIL\u202c and \u2066isolate\u2069",
    "tab\there\nnew line\\ back\\slash [[nested]]",
    "zero\u200bwidth \u200djoiner e\u0301\u0301\u0301 combining",
    "東京 wide 👩‍💻 emoji",
    "Long " + "x" * 9995,
]
# One campaign's e-mail address carries a payload too: it reaches a toast when copied.
HOSTILE_EMAIL = "\x1b]0;MAILTITLE\x07\x1b[31mREDMAIL@evil.example"
HOSTILE_EMAIL_AT = 1
HOSTILE_TEAM = "[bold red]Team[/] \x1b[5mBLINKTEAM\x1b]2;TEAMTITLE\x07"

FORBIDDEN_BYTES = [
    b"\x1b[31mREDTEXT",
    b"\x1b]0;PWNED",
    b"\x1b]52;c;UFdO",
    b"\x1b]8;;https://evil",
    b"\xc2\x9b31m",
    b"\xc2\x9d0;",
    b"\x1b[5mBLINKTEAM",
    b"\x1b]2;TEAMTITLE",
    "\u202e".encode(),
    "\u2066".encode(),
    b"\x00",
    b"\x1b]0;MAILTITLE",
    b"\x1b[31mREDMAIL",
]


def add_hostile_campaigns(store: Store) -> list[str]:
    """A hostile team and a campaign per hostile name (with hostile descriptions too)."""
    now = store.now()
    team_id = store.new_id("tm_")
    store.add_teams(
        [
            {
                "id": team_id,
                "workspace_id": MAIN_WORKSPACE,
                "name": HOSTILE_TEAM,
                "slug": "hostile",
                "description": HOSTILE_TEAM,
                "mode": "pool",
                "email_address": None,
                "member_count": 1,
                "stack_always_apply": 0,
                "include_all_members": 1,
                "introduce_member": 0,
                "introduction_guidance": None,
                "deactivated_at": None,
                "created_at": now,
                "updated_at": now,
            }
        ]
    )
    # Straight into the store, past the API's limits: the client must cope with whatever the
    # real service sends (a 10,000-character name included).
    rows = []
    for n, name in enumerate(HOSTILE_NAMES):
        rows.append(
            {
                "id": store.new_id("cmp_"),
                "workspace_id": MAIN_WORKSPACE,
                "name": name,
                "slug": f"hostile-{n}",
                "description": name + "\n" + name,
                "email_address": HOSTILE_EMAIL
                if n == HOSTILE_EMAIL_AT
                else f"hostile-{n}.acme@skipup.co",
                "team_id": team_id,
                "starts_at": None,
                "ends_at": None,
                "deactivated_at": None,
                "meeting_request_count": 10 * n,
                "meetings_booked_count": n,
                "created_at": now,
                "updated_at": now,
            }
        )
    store.add_campaigns(rows)
    return [row["id"] for row in rows]


# Names a spreadsheet would run as formulas if a CSV cell started with them.
FORMULA_NAMES = [
    '=HYPERLINK("https://evil.example","Open")',
    "+1+1",
    "-2+3",
    "@SUM(1)",
    "\t=1+1",
    "\r=2+2",
]
FORMULA_TEAM = "=cmd|' /C calc'!A0"


def add_formula_campaigns(store: Store) -> list[str]:
    """A team and a campaign per formula name, straight into the store."""
    now = store.now()
    team_id = store.new_id("tm_")
    store.add_teams(
        [
            {
                "id": team_id,
                "workspace_id": MAIN_WORKSPACE,
                "name": FORMULA_TEAM,
                "slug": "formula",
                "description": None,
                "mode": "pool",
                "email_address": None,
                "member_count": 1,
                "stack_always_apply": 0,
                "include_all_members": 1,
                "introduce_member": 0,
                "introduction_guidance": None,
                "deactivated_at": None,
                "created_at": now,
                "updated_at": now,
            }
        ]
    )
    rows = [
        {
            "id": store.new_id("cmp_"),
            "workspace_id": MAIN_WORKSPACE,
            "name": name,
            "slug": f"formula-{n}",
            "description": "-1",
            "email_address": None,
            "team_id": team_id,
            "starts_at": None,
            "ends_at": None,
            "deactivated_at": None,
            "meeting_request_count": 10,
            "meetings_booked_count": 1,
            "created_at": now,
            "updated_at": now,
        }
        for n, name in enumerate(FORMULA_NAMES)
    ]
    store.add_campaigns(rows)
    return [row["id"] for row in rows]
