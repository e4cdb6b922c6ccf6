"""Every theme the README, `--help` and the config file's example name exists in the Textual
this tool runs on (a named theme that does not is refused at start)."""

from __future__ import annotations

import re
from pathlib import Path

from textual.app import App

from skipup_campaigns import config
from skipup_campaigns.cli import build_parser

README = Path(__file__).parents[1] / "README.md"


def themes_named_in_the_docs() -> set[str]:
    readme = README.read_text(encoding="utf-8")
    options = re.search(r"`--theme NAME` \((.*?)\)", readme, re.S)
    assert options, "the README no longer describes --theme NAME"
    names = set(re.findall(r"`([a-z0-9-]+)`", options.group(1)))
    names |= set(re.findall(r'^theme = "([^"]+)"', readme, re.M))
    names |= set(re.findall(r'theme = "([^"]+)"', config.__doc__ or ""))
    theme_help = next(
        action.help for action in build_parser()._actions if "--theme" in action.option_strings
    )
    example = re.search(r"e\.g\. (.*?)(?:\(|$)", theme_help or "")
    assert example, theme_help
    names |= {name.strip() for name in example.group(1).split(",")}
    return names


def test_every_theme_the_docs_name_exists() -> None:
    named = themes_named_in_the_docs()
    assert {"textual-light", "nord", "ansi-dark"} <= named  # the texts were read
    missing = named - set(App().available_themes)
    assert not missing, f"named in the docs but not a theme: {sorted(missing)}"
