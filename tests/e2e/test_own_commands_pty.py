"""Your own command in a real pseudo-terminal against the hostile server, each step's keys in
ONE write: its key hands the terminal to a real program (its output shows as it runs), which
receives a shell-hostile campaign name as one inert argument; the result view says how it
ended and q goes back. The campaign's page then writes its web address as an OSC 8 link whose
bytes are checked: the hostile slug percent-encoded, no raw control byte."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

from tests.e2e.terminal import Terminal
from tests.e2e.test_console_script import console_script
from tests.e2e.test_hostile_server_ui import app_env
from tests.hostile_server import campaign, serve_hostile, terminal_output_problems

SHELLISH = (
    'SHELLTOKEN it\'s "quoted"; touch PWNED; echo $(id) `id` | cat > out &\n'
    "second line \x1b]0;TITLE\x07 \x1b[31mred"
)
SLUG = "../../admin?x=1#top \x1b]8;;https://evil.example\x07"
WRITE_ARGV = (
    "import json, sys\n"
    "print('HELLO-FROM-THE-PROGRAM', flush=True)\n"
    "with open(sys.argv[1], 'w', encoding='utf-8') as out:\n"
    "    json.dump(sys.argv[2:], out)\n"
)


def write_config(env: dict[str, str], out: Path) -> None:
    path = Path(env["XDG_CONFIG_HOME"]) / "skipup-campaigns" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    program = json.dumps([sys.executable, "-c", WRITE_ARGV, str(out), "{name}", "{slug}", "{id}"])
    path.write_text(
        f'web_url = "https://app.skipup.ai/campaigns/{{slug}}"\n\n'
        f'[[commands]]\nname = "Show argv"\nkey = "b"\nprogram = {program}\n'
    )
    os.chmod(path, 0o600)


def test_a_command_key_runs_a_real_program_with_a_hostile_name_as_one_argument(
    tmp_path: Path,
) -> None:
    out = tmp_path / "argv.json"
    with serve_hostile("hostile_strings") as url:
        url.state.campaigns["cmp_shell"] = campaign(99, id="cmp_shell", name=SHELLISH, slug=SLUG)
        env = app_env(tmp_path, url)
        write_config(env, out)
        with Terminal([console_script()], cols=120, rows=40, env=env) as term:
            term.wait_for("of 19 campaigns")
            term.send("/shelltoken")
            term.wait_for(" 1 of 19 campaigns")
            term.send("\r")
            term.wait_for("⏎ Open")  # the filter is left: the key bar is the list's again
            term.send("b")
            screen = term.wait_for("Exit code 0")
            assert "Your command: Show argv" in screen
            assert b"HELLO-FROM-THE-PROGRAM" in term.raw  # shown while it ran
            assert json.loads(out.read_text(encoding="utf-8")) == [SHELLISH, SLUG, "cmp_shell"]
            assert not (tmp_path / "PWNED").exists() and not Path("PWNED").exists()
            term.send("q")
            term.wait_gone("Exit code 0")
            term.wait_for(" 1 of 19 campaigns")
            start = len(term.raw)
            term.send("\r")
            term.wait_for("Web page")
            screen = term.wait_for("https://app.skipup.ai/campaigns/")
            term.send("q")
            term.wait_for(" 1 of 19 campaigns")
            term.send("q")
            assert term.wait_exit() == 0
            page = bytes(term.raw[start:])  # the page, and the list drawn again
    links = re.findall(rb"\x1b\]8;id=[^;\x1b\x07]*;([^\x1b\x07]*)\x1b\\", page)
    encoded = (
        b"https://app.skipup.ai/campaigns/..%2F..%2Fadmin%3Fx%3D1%23top%20%1B%5D8%3B%3B"
        b"https%3A%2F%2Fevil.example%07"
    )
    assert links and set(links) <= {encoded, b""}, links
    # With the link's own framing taken out, the page is as clean as any other screen.
    rest = re.sub(rb"\x1b\]8;[^\x1b\x07]*\x1b\\", b"", page)
    assert terminal_output_problems(rest, payloads=[SHELLISH, SLUG]) == []


def test_a_command_on_a_built_in_key_stops_the_start_with_its_name(tmp_path: Path) -> None:
    env = {
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    path = Path(env["XDG_CONFIG_HOME"]) / "skipup-campaigns" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text('[[commands]]\nname = "Mine"\nkey = "r"\nprogram = ["true"]\n')
    os.chmod(path, 0o600)
    with Terminal([console_script(), "--demo"], cols=100, rows=30, env=env) as term:
        screen = term.wait_for("SkipUp campaigns cannot start")
        said = " ".join(re.sub(r"[│╭╮╰╯─]", " ", screen).split())
        assert (
            "the command 'Mine': the key 'r' is taken by the built-in binding list.refresh"
        ) in said
        assert "Traceback" not in screen
        term.send("q")
        term.wait_exit()
