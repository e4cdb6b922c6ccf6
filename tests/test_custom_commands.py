"""Your own commands and the web page's address: read from the config file, checked at load,
filled in from a campaign (pure: no app, no server)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import pytest

from skipup_campaigns import config
from skipup_campaigns.custom_commands import (
    CommandError,
    CustomCommand,
    commands_from_config,
    expand,
    key_clashes,
)
from skipup_campaigns.web_links import (
    WebUrlError,
    campaign_url,
    can_open_browser,
    check_template,
)
from tests.hostile_server import HOSTILE_TEXTS
from tests.test_config import write_config


@dataclass
class Fake:
    id: str = "cmp_1"
    slug: str = "spring-push"
    name: str = "Spring push"
    email_address: str | None = "spring.acme@skipup.co"
    team_id: str = "tm_1"
    team_name: str = "Sales"


# -- the config file ---------------------------------------------------------------------------


def test_commands_and_web_url_are_read_per_profile() -> None:
    write_config(
        'web_url = "https://app.skipup.ai/campaigns/{id}"\n'
        '[[commands]]\nname = "Top"\nprogram = ["echo", "{id}"]\n'
        '[profiles.other]\nweb_url = "http://127.0.0.1:9/c/{slug}"\n'
        '[[profiles.other.commands]]\nname = "Own"\nkey = "b"\n'
        'program = ["post", "{ids}"]\n'
    )
    top = config.load_settings()
    assert top.web_url == "https://app.skipup.ai/campaigns/{id}"
    assert top.commands == (CustomCommand("Top", ("echo", "{id}")),)
    other = config.load_settings(profile="other")
    assert other.web_url == "http://127.0.0.1:9/c/{slug}"
    assert other.commands == (CustomCommand("Own", ("post", "{ids}"), "b"),)
    assert other.commands[0].uses_marks and not other.commands[0].uses_campaign


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (
            'name = "Bad"\nprogram = ["echo", "{nmae}"]',
            "the command 'Bad': unknown placeholder {nmae}",
        ),
        ('name = "Empty"\nprogram = []', "the command 'Empty': program must be a non-empty list"),
        ('name = "Blank"\nprogram = [" "]', "the command 'Blank': the program is empty"),
        ('name = "Shell"\nprogram = "echo {id}"', "the command 'Shell': program must be a list"),
        ('name = "Glued"\nprogram = ["echo", "x{ids}"]', "{ids} must be a whole argument"),
        ('name = "Prog"\nprogram = ["{name}"]', "the program itself cannot be a placeholder"),
        ('name = "Spec"\nprogram = ["echo", "{id!r}"]', "without a format or conversion"),
        ('name = "Brace"\nprogram = ["echo", "{id"]', "lone brace"),
        ('name = "Two"\nkey = "a,b"\nprogram = ["echo"]', "key must be one key"),
        ('name = "Odd"\nprogram = ["echo"]\nshell = true', "unknown setting 'shell'"),
        ('program = ["echo"]', "[[commands]] number 1 needs a name"),
    ],
)
def test_a_wrong_command_is_a_config_error_naming_it(body: str, says: str) -> None:
    write_config(f"[[commands]]\n{body}\n")
    with pytest.raises(config.ConfigError) as raised:
        config.load_settings()
    assert says in str(raised.value)
    assert str(config.config_path()) in str(raised.value)


def test_two_commands_with_one_name_or_key_are_refused() -> None:
    with pytest.raises(CommandError, match="two commands are named 'a'"):
        commands_from_config(
            [{"name": "A", "program": ["x"]}, {"name": "a", "program": ["y"]}], "f"
        )
    with pytest.raises(CommandError, match="the key 'b' is the command 'A''s too"):
        commands_from_config(
            [
                {"name": "A", "key": "b", "program": ["x"]},
                {"name": "B", "key": "b", "program": ["y"]},
            ],
            "f",
        )


def test_a_key_taken_by_a_built_in_binding_is_refused() -> None:
    commands = commands_from_config([{"name": "Mine", "key": "r", "program": ["x"]}], "f")
    with pytest.raises(
        CommandError, match="'Mine': the key 'r' is taken by the built-in binding list.refresh"
    ):
        key_clashes(commands, {"r": "list.refresh"}, "f")
    key_clashes(commands, {"f5": "list.refresh"}, "f")  # remapped away: free


def test_a_key_of_the_app_is_taken_as_remapped_by_the_keymap() -> None:
    from skipup_campaigns.tui.app import command_key_problem

    mine = (CustomCommand("Mine", ("x",), "o"),)
    problem = command_key_problem(mine, {}, "f")
    assert problem is not None
    assert (
        "the command 'Mine': the key 'o' is taken by the built-in binding list.open_web" in problem
    )
    assert command_key_problem(mine, {"list.open_web": "O", "detail.open_web": "O"}, "f") is None


@pytest.mark.parametrize(
    ("template", "says"),
    [
        ("ftp://app.skipup.ai/{id}", "http or https"),
        ("javascript:alert(1)//{id}", "http or https"),
        ("https://{slug}.skipup.ai/x", "only after the host"),
        ("https://app.skipup.ai/{nope}", "unknown placeholder {nope}"),
        ("https://app.skipup.ai/a b/{id}", "space or a control character"),
        ("https://app.skipup.ai/\x1b]0;x/{id}", "space or a control character"),
        ("https://app.skipup.ai/{id", "lone brace"),
    ],
)
def test_a_wrong_web_url_is_refused(template: str, says: str) -> None:
    with pytest.raises(WebUrlError, match="web_url"):
        check_template(template, "f")
    with pytest.raises(WebUrlError) as raised:
        check_template(template, "f")
    assert says in str(raised.value)


# -- filling in ------------------------------------------------------------------------------


def test_arguments_are_filled_from_the_campaign() -> None:
    command = CustomCommand(
        "C",
        (
            "prog",
            "--id={id}",
            "{slug}",
            "{name}",
            "{email_address}",
            "{team_id}",
            "{team_name}",
            "{{literal}}",
        ),
    )
    assert expand(command, Fake(), []) == [
        "prog",
        "--id=cmp_1",
        "spring-push",
        "Spring push",
        "spring.acme@skipup.co",
        "tm_1",
        "Sales",
        "{literal}",
    ]


def test_ids_becomes_one_argument_per_marked_campaign() -> None:
    command = CustomCommand("Post", ("post", "--", "{ids}", "end"))
    assert expand(command, Fake(), ["cmp_1", "cmp 2; rm -rf /", "cmp_3"]) == [
        "post",
        "--",
        "cmp_1",
        "cmp 2; rm -rf /",
        "cmp_3",
        "end",
    ]
    with pytest.raises(CommandError, match="no campaign is marked"):
        expand(command, None, [])


def test_hostile_values_stay_one_argument_each() -> None:
    command = CustomCommand("C", ("prog", "{name}", "{slug}"))
    for text in HOSTILE_TEXTS:
        if "\x00" in text:
            continue
        assert expand(command, Fake(name=text, slug=text + "{id}"), []) == [
            "prog",
            text,
            text + "{id}",
        ]  # a brace in a value is not a placeholder


def test_a_nul_in_a_value_refuses_the_run() -> None:
    with pytest.raises(CommandError, match="NUL"):
        expand(CustomCommand("C", ("prog", "{name}")), Fake(name="a\x00b"), [])


def test_without_a_campaign_a_per_campaign_command_says_so() -> None:
    with pytest.raises(CommandError, match="no campaign under the cursor"):
        expand(CustomCommand("C", ("prog", "{id}")), None, ["cmp_1"])


# -- the web page ----------------------------------------------------------------------------


def test_each_value_is_percent_encoded_whole() -> None:
    template = check_template("https://app.skipup.ai/campaigns/{slug}?team={team_id}", "f")
    hostile = "../../admin?x=1#frag/\x1b]8;;https://evil\x07 é"
    url = campaign_url(template, Fake(slug=hostile, team_id="a&b=c"))
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc) == ("https", "app.skipup.ai")
    assert parts.path.count("/") == 2 and parts.fragment == ""
    assert parts.query == "team=a%26b%3Dc"
    assert unquote(parts.path.rsplit("/", 1)[1]) == hostile
    assert all(0x21 <= ord(ch) < 0x7F for ch in url)


def test_a_browser_is_opened_only_on_a_desktop_not_over_ssh() -> None:
    assert can_open_browser({"DISPLAY": ":0"}, "linux")
    assert can_open_browser({}, "darwin")
    assert not can_open_browser({}, "linux")  # a text browser would take the terminal
    assert not can_open_browser({"DISPLAY": ":0", "SSH_CONNECTION": "1 2 3 4"}, "linux")
