"""What your own command's result view and the page's web link look like (demo data, fixed
sizes; the result is made up, so no machine's paths reach the picture)."""

from __future__ import annotations

from typing import Any

from skipup_campaigns.command_runs import RunResult
from skipup_campaigns.tui.own_commands import ResultScreen
from tests.demo_app import demo_app, loaded
from tests.tui.test_snapshots import open_detail

FAILED = RunResult(
    ("check-campaign", "--", "cmp_1", "Spring push; it's \x1b[31mred"),
    2,
    "checking cmp_1…\nno owner set \x1b]0;TITLE\x07\nerror: 1 problem\n",
)


def test_a_failed_command_at_80x24(snap_compare: Any) -> None:
    async def failed(pilot: Any) -> None:
        await loaded(pilot)
        pilot.app.push_screen(ResultScreen("Check the campaign", FAILED))
        await loaded(pilot)

    assert snap_compare(demo_app(), terminal_size=(80, 24), run_before=failed)


def test_detail_with_its_web_link_at_80x24(snap_compare: Any) -> None:
    app = demo_app(web_url="https://app.skipup.ai/campaigns/{slug}")
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_detail)
