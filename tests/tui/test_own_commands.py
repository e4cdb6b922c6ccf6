"""Your own commands and `o` in the app (Pilot, headless: a command runs captured): a real
Python program receives each hostile string the server sends as one inert argument, on the
campaign under the cursor and on the marks; the result view says how it ended; the campaign's
page shows its web address as an OSC 8 link whose bytes are checked."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from skipup_campaigns.api import SkipUpClient
from skipup_campaigns.custom_commands import CustomCommand
from skipup_campaigns.startup.setup import build_workspace
from skipup_campaigns.tui.app import CampaignsApp, UISettings
from skipup_campaigns.tui.colon_commands import CommandError as LineError
from skipup_campaigns.tui.detail_screen import DetailScreen
from skipup_campaigns.tui.own_commands import ResultScreen
from skipup_campaigns.tui.widgets.key_bar import bar_items, fit
from tests.conftest import IN_PROCESS_URL, Clock
from tests.e2e.test_own_commands_pty import SHELLISH
from tests.hostile_server import campaign as valid_campaign
from tests.hostile_server import create_hostile_app
from tests.tui.conftest import list_screen, settle

WRITE_ARGV = (
    "import json, sys\n"
    "with open(sys.argv[1], 'w', encoding='utf-8') as out:\n"
    "    json.dump(sys.argv[2:], out)\n"
)
FIELDS = ("id", "slug", "name", "email_address", "team_id", "team_name")
WEB_URL = "https://app.skipup.ai/campaigns/{slug}/{id}"


def commands(out: Path) -> tuple[CustomCommand, ...]:
    return (
        CustomCommand(
            "Dump",
            (
                sys.executable,
                "-c",
                WRITE_ARGV,
                str(out / "one.json"),
                *(f"{{{field}}}" for field in FIELDS),
            ),
            "b",
        ),
        CustomCommand(
            "Post the marked",
            (sys.executable, "-c", WRITE_ARGV, str(out / "marked.json"), "{ids}"),
            "m",
        ),
        CustomCommand(
            "Fail",
            (sys.executable, "-c", "import sys; print('boom \\x1b]0;TITLE\\x07'); sys.exit(3)"),
            "f",
        ),
        CustomCommand("Missing", ("no-such-program-for-skipup-tests", "{id}")),
    )


def hostile_app(clock: Clock, **ui: Any) -> tuple[CampaignsApp, Any]:
    server = create_hostile_app("hostile_strings")
    client = SkipUpClient(
        "sk_test_admin", IN_PROCESS_URL, max_retries=0, transport=httpx.ASGITransport(server)
    )
    app = CampaignsApp(
        build_workspace(client, clock=clock), ui=UISettings(remember_theme=False, **ui)
    )
    return app, server.state.hostile


async def result_screen(pilot: Pilot[Any]) -> ResultScreen:
    for _ in range(200):
        await settle(pilot)
        if isinstance(pilot.app.screen, ResultScreen):
            return pilot.app.screen
    raise AssertionError(f"no result view; on {pilot.app.screen!r}")


def shown(screen: ResultScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def toasts(pilot: Pilot[Any]) -> list[str]:
    return [str(n.message) for n in pilot.app._notifications]


async def test_a_command_gets_each_hostile_value_as_one_inert_argument(
    clock: Clock, tmp_path: Path
) -> None:
    app, state = hostile_app(clock, commands=commands(tmp_path))
    state.campaigns["cmp_shell"] = valid_campaign(99, id="cmp_shell", name=SHELLISH, slug=SHELLISH)
    out = tmp_path / "one.json"
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = list_screen(pilot)
        assert "b" in screen.active_bindings and "m" in screen.active_bindings
        names = [str(name) for name, _, _ in screen.palette_commands()]
        assert {"Run: Dump", "Run: Post the marked", "Run: Missing", "Open in the web app"} <= set(
            names
        )
        ran = 0
        for campaign in state.campaigns.values():
            out.unlink(missing_ok=True)
            assert screen.table.select(campaign["id"])
            await pilot.press("b")
            expected = [campaign[field] or "" for field in FIELDS]
            if any("\x00" in value for value in expected):
                await settle(pilot)
                assert not out.exists()  # no argument can carry a NUL: refused, said so
                assert any("NUL" in text for text in toasts(pilot))
                continue
            result = await result_screen(pilot)
            assert json.loads(out.read_text(encoding="utf-8")) == expected
            assert "Exit code 0" in shown(result, "#result-verdict")
            assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", shown(result, "#result-argv"))
            await pilot.press("q")
            await settle(pilot)
            assert pilot.app.screen is screen
            ran += 1
        assert ran >= 10  # (the rest carry a NUL in one field or another)

        # On the marks: {ids} is one argument per marked campaign, in the list's order.
        marked = [row.id for row in screen.table.rows if "\x00" not in row.id][:4]
        for campaign_id in marked:
            screen.workspace.marks.toggle(campaign_id)
        await pilot.press("m")
        await result_screen(pilot)
        assert json.loads((tmp_path / "marked.json").read_text(encoding="utf-8")) == marked
        await pilot.press("escape")
        await settle(pilot)


async def test_a_failure_and_a_missing_program_are_said_plainly(
    clock: Clock, tmp_path: Path
) -> None:
    app, _ = hostile_app(clock, commands=commands(tmp_path))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        result = await result_screen(pilot)
        assert "Exit code 3: the program reports a failure" in shown(result, "#result-verdict")
        output = shown(result, "#result-text")
        assert "boom" in output and "TITLE" in output and "\x1b" not in output
        await pilot.press("q")
        await settle(pilot)
        screen = list_screen(pilot)
        missing = {str(name): run for name, run, _ in screen.palette_commands()}["Run: Missing"]
        missing()
        result = await result_screen(pilot)
        assert "Not run: there is no program 'no-such-program-for-skipup-tests'" in shown(
            result, "#result-verdict"
        )
        await pilot.press("q")
        await settle(pilot)
        # The same from the : command line, and what an unknown name says.
        screen.run_command("run missing")
        result = await result_screen(pilot)
        assert "Not run: there is no program 'no-such-program-for-skipup-tests'" in shown(
            result, "#result-verdict"
        )
        await pilot.press("q")
        await settle(pilot)
        with pytest.raises(LineError, match="your commands: Dump, Post the marked, Fail, Missing"):
            screen.run_command("run nope")
        # The keys are in the key bar (where there is room: after the list's own) and the help.
        items = bar_items(screen)
        assert {"b", "f"} <= {item.key for item in items}
        assert {"b", "f"} <= {item.key for item in fit(items, 300)}
        await pilot.press("question_mark")
        await settle(pilot)
        help_text = " ".join(str(w.render()) for w in pilot.app.screen.query(Static))
        assert "Your own commands" in help_text and "Dump: runs" in help_text
        assert 'in the command palette, as "Run: Missing"' in help_text


async def test_o_without_web_url_says_how_to_set_it(clock: Clock, tmp_path: Path) -> None:
    app, _ = hostile_app(clock)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert any(
            "No web_url is configured" in text and 'web_url = "https://' in text
            for text in toasts(pilot)
        )
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DetailScreen)
        assert not pilot.app.screen.query("#field-web")
        await pilot.press("o")
        await settle(pilot)
        assert sum("No web_url is configured" in text for text in toasts(pilot)) == 2


async def test_the_page_links_to_the_web_app_with_each_value_encoded(
    clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    app, state = hostile_app(clock, web_url=WEB_URL, clipboard="osc52")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = list_screen(pilot)
        hostile_slugs = [
            c
            for c in state.campaigns.values()
            if "\x1b" in c["slug"] or "\n" in c["slug"] or "\x9b" in c["slug"]
        ][:4]
        assert hostile_slugs
        for campaign in hostile_slugs:
            screen.table.select(campaign["id"])
            await pilot.press("enter")
            await settle(pilot)
            page = pilot.app.screen
            assert isinstance(page, DetailScreen)
            link = page.query_one("#field-web .value", Static)
            # The bytes the terminal gets for the link's line (Textual's own rendering).
            raw = "".join(
                link.render_line(y).render(pilot.app.console) for y in range(link.size.height)
            ).encode()
            found = re.findall(rb"\x1b\]8;id=[^;]*;([^\x1b]*)\x1b\\", raw)
            assert found and found[0].startswith(b"https://app.skipup.ai/campaigns/")
            url = found[0].decode()
            assert url == page.web_url()
            assert url.count("/") == 5 and "?" not in url and "#" not in url
            assert all(0x21 <= byte < 0x7F for byte in found[0])
            # Outside the link's own framing and the colours, no escape at all.
            rest = re.sub(rb"\x1b\]8;[^\x1b]*\x1b\\|\x1b\[[0-9;]*m", b"", raw)
            assert not re.search(rb"[\x00-\x1f\x7f]|\xc2[\x80-\x9f]", rest), rest
            pilot.app.clear_notifications()
            await pilot.press("o")  # no desktop here: the address is shown instead
            await pilot.press("w")
            await settle(pilot)
            said = toasts(pilot)
            assert any(f"the page is {url}" in text for text in said), said
            assert any(text.startswith("Copied the web page's address") for text in said)
            await pilot.press("escape")
            await settle(pilot)


async def test_on_a_campaigns_page_a_command_runs_on_that_campaign(
    clock: Clock, tmp_path: Path
) -> None:
    app, state = hostile_app(clock, commands=commands(tmp_path))
    state.campaigns["cmp_shell"] = valid_campaign(99, id="cmp_shell", name=SHELLISH, slug=SHELLISH)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = list_screen(pilot)
        screen.workspace.marks.toggle(next(iter(state.campaigns)))  # (the page ignores marks)
        assert screen.table.select("cmp_shell")
        await pilot.press("enter")
        await settle(pilot)
        page = pilot.app.screen
        assert isinstance(page, DetailScreen)
        await pilot.press("b")
        await result_screen(pilot)
        shell = state.campaigns["cmp_shell"]
        assert json.loads((tmp_path / "one.json").read_text(encoding="utf-8")) == [
            shell[field] or "" for field in FIELDS
        ]
        await pilot.press("q")
        await settle(pilot)
        assert pilot.app.screen is page
        await pilot.press("m")
        await result_screen(pilot)
        assert json.loads((tmp_path / "marked.json").read_text(encoding="utf-8")) == ["cmp_shell"]
