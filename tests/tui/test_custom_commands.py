"""Your own commands and `o`: argv templates filled from a campaign or the marked ones, run
without a shell (a hostile name reaches the program as one inert argument), the output and
exit code in a result view; `o` says how to set `web_url` without it, and opens or copies the
link with it."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Static

from skipup_campaigns import config
from skipup_campaigns.config_file import config_path
from skipup_campaigns.custom_commands import (
    CommandConfigError,
    CustomCommand,
    argv_for,
    commands_from_config,
    web_url_for,
)
from skipup_campaigns.sandbox import Store
from skipup_campaigns.tui.app import CampaignsApp
from skipup_campaigns.tui.list_run import CommandResultScreen
from tests.hostile import HOSTILE_NAMES, add_hostile_campaigns
from tests.tui.conftest import list_screen, settle

MakeApp = Callable[..., CampaignsApp]
SHELLISH = 'a "quoted" \'name\'; rm -rf / $(touch PWNED) `id` &&\nnext line \x1b[31mRED'
DUMP = ("import json, sys; open(sys.argv[1], 'w').write(json.dumps(sys.argv[2:])); "
        "print('done with', len(sys.argv) - 2, 'arguments'); sys.exit(3)")


def dump_command(out: Path, *args: str) -> CustomCommand:
    return commands_from_config([{"name": "Dump", "run": [sys.executable, "-c", DUMP, str(out),
                                                          *args]}], "t")[0]


def test_a_placeholder_never_splits_its_argument() -> None:
    command = CustomCommand("X", ("prog", "--name={name}", "{slug}", "{ids}", "end"))
    values = {"id": "cmp_1", "slug": "s; ls", "name": SHELLISH, "email_address": "",
              "team_id": "tm", "team_name": "T"}
    assert argv_for(command, values, ["cmp_1", "cmp_$(x)"]) == [
        "prog", f"--name={SHELLISH}", "s; ls", "cmp_1", "cmp_$(x)", "end"]
    # A value that is itself a placeholder is not read again.
    values["name"] = "{id}"
    assert argv_for(command, values, ["a"])[1] == "--name={id}"
    with pytest.raises(ValueError, match="mark some first"):
        argv_for(command, values, [])
    with pytest.raises(ValueError, match="NUL"):
        argv_for(command, {**values, "name": "a\x00b"}, ["a"])


@pytest.mark.parametrize("item, says", [
    ({"name": "X", "run": "prog {id}"}, "run must be a list"),
    ({"name": "X", "run": ["prog", "{nope}"]}, "no placeholder {nope}"),
    ({"name": "X", "run": ["prog", "--ids={ids}"]}, "{ids} must be an argument on its own"),
    ({"run": ["prog"]}, "needs a name"),
    ({"name": "X", "run": ["prog"], "shell": True}, "unknown command setting 'shell'"),
])
def test_a_wrong_command_says_what_is_wrong(item: dict[str, object], says: str) -> None:
    with pytest.raises(CommandConfigError, match=says.replace("{", r"\{").replace("}", r"\}")):
        commands_from_config([item], "config.toml")


def test_commands_and_web_url_from_the_config_file() -> None:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('web_url = "https://app.skipup.ai/campaigns/{id}"\n'
                    '[[commands]]\nname = "Notes"\nkey = "ctrl+n"\nrun = ["notes", "{id}"]\n')
    os.chmod(path, 0o600)
    settings = config.load_settings(environ={})
    assert settings.commands[0].run == ("notes", "{id}") and settings.commands[0].key == "ctrl+n"
    assert web_url_for(settings.web_url or "", {"id": "cmp_1/../x?y"}) == (
        "https://app.skipup.ai/campaigns/cmp_1%2F..%2Fx%3Fy")
    path.write_text('web_url = "javascript:alert(1)"\n')
    with pytest.raises(config.ConfigError, match="web_url must be an http"):
        config.load_settings(environ={})


async def test_a_hostile_name_reaches_the_program_as_one_argument(
        make_app: MakeApp, store: Store, tmp_path: Path) -> None:
    ids = add_hostile_campaigns(store)
    out = tmp_path / "argv.json"
    command = dump_command(out, "{name}", "{email_address}", "{team_name}")
    async with make_app(commands=(command,)).run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = list_screen(pilot)
        for campaign_id, name in zip(ids, HOSTILE_NAMES):
            if "\x00" in name:
                continue
            screen.select_campaign(campaign_id)
            screen.run_command("run dump")
            await pilot.pause()
            await settle(pilot)
            assert isinstance(pilot.app.screen, CommandResultScreen)
            got = json.loads(out.read_text())
            row = screen.collection.get(campaign_id)
            assert got == [name, row.email_address or "", row.raw_team]
            title = str(pilot.app.screen.query_one("#result-title", Static).render())
            assert "exit code 3" in title
            assert "done with 3 arguments" in str(
                pilot.app.screen.query_one("#result-text", Static).render())
            await pilot.press("escape")
        # The one with a NUL byte is refused with a message, nothing run.
        out.unlink()
        screen.select_campaign(ids[HOSTILE_NAMES.index(next(n for n in HOSTILE_NAMES
                                                            if "\x00" in n))])
        screen.run_command("run Dump")
        await pilot.pause()
        assert not out.exists() and not isinstance(pilot.app.screen, CommandResultScreen)


async def test_ids_of_the_marked_ones_one_argument_each(make_app: MakeApp,
                                                        tmp_path: Path) -> None:
    out = tmp_path / "argv.json"
    command = dump_command(out, "{ids}")
    async with make_app(commands=(command,)).run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = list_screen(pilot)
        await pilot.press("space", "space", "space")
        marked = [row.id for row in pilot.app.workspace.marked_rows()]
        await pilot.press("colon", *"run Dump", "enter")
        await settle(pilot)
        assert json.loads(out.read_text()) == marked and len(marked) == 3
        await pilot.press("q")  # closes the result view, not the app
        assert pilot.app.screen is screen


async def test_a_program_that_is_not_there_says_so(make_app: MakeApp) -> None:
    command = CustomCommand("Gone", ("/nonexistent/program", "{id}"))
    async with make_app(commands=(command,)).run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        list_screen(pilot).run_command("run gone")
        await settle(pilot)
        title = str(pilot.app.screen.query_one("#result-title", Static).render())
        assert "could not run" in title and "/nonexistent/program" in title


async def test_o_without_web_url_says_how_to_set_it(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await pilot.pause()
        assert any("web_url = " in str(n.message) for n in pilot.app._notifications)


async def test_o_copies_the_link_where_no_browser_can_open(make_app: MakeApp,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22")
    copied: list[str] = []
    app = make_app(web_url="https://app.skipup.ai/c/{id}", clipboard="osc52")
    monkeypatch.setattr(app, "copy", lambda text, what: copied.append(text))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        row = list_screen(pilot).table.cursor_row
        assert row is not None and copied == [f"https://app.skipup.ai/c/{row.id}"]
