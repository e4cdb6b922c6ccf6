"""Your own commands (`[[commands]]` in the config file): a name, an optional key, and a program
whose arguments are filled in from a campaign or from the marked set.

    [[commands]]
    name = "Open in the CRM"
    key = "ctrl+o"
    program = ["crm-open", "--campaign", "{id}", "--", "{name}"]

    [[commands]]
    name = "Post the marked ones"
    program = ["post-ids", "{ids}"]          # one argument per marked campaign

A command's arguments become an argv list for the program, never a shell line: a name holding
`;`, `$()`, quotes or a newline is one inert argument. (The program may still read an argument
that starts with `-` as an option: put `--` before the templated ones when it takes options.)

No Textual here: parsed when the config file is read, expanded when a command runs.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

CAMPAIGN_FIELDS = ("id", "slug", "name", "email_address", "team_id", "team_name")
"""The placeholders filled from one campaign (the one under the cursor)."""
IDS = "ids"
"""The placeholder that stands for the marked campaigns' ids, one argument each."""
PLACEHOLDERS = (*CAMPAIGN_FIELDS, IDS)
MAX_COMMANDS = 30
_COMMAND_KEYS = {"name", "key", "program"}


class CommandError(ValueError):
    """A `[[commands]]` entry cannot be used, or a command cannot be filled in; the message
    names the command and says why."""


class HasCampaignFields(Protocol):
    """What a command reads of a campaign (api.models.Campaign has it)."""

    # Read-only: a model's fields may be frozen.
    @property
    def id(self) -> str: ...
    @property
    def slug(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def email_address(self) -> str | None: ...
    @property
    def team_id(self) -> str: ...
    @property
    def team_name(self) -> str: ...


@dataclass(frozen=True)
class CustomCommand:
    name: str
    program: tuple[str, ...]
    """The program, then its argument templates ({id}, {name}, … or {ids} alone)."""
    key: str | None = None
    """The key that runs it on the list (Textual's key name, e.g. "ctrl+o" or "b")."""

    @property
    def uses_marks(self) -> bool:
        """It takes the marked set ({ids}) rather than only the cursor's campaign."""
        return any(IDS in placeholders(argument) for argument in self.program[1:])

    @property
    def uses_campaign(self) -> bool:
        return any(set(placeholders(argument)) - {IDS} for argument in self.program[1:])


def placeholders(template: str) -> list[str]:
    """The placeholder names in `template` (ValueError when its braces do not pair)."""
    return [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]


def _check_argument(template: str, where: str) -> None:
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        raise CommandError(
            f"{where}: the argument {template!r} has a lone brace (write {{{{ "
            "or }} for a brace itself)"
        ) from None
    for literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in PLACEHOLDERS:
            raise CommandError(
                f"{where}: unknown placeholder {{{name}}} in {template!r}; "
                f"known: {', '.join('{' + p + '}' for p in PLACEHOLDERS)}"
            )
        if spec or conversion:
            raise CommandError(
                f"{where}: write the placeholder as {{{name}}} alone, without "
                f"a format or conversion, in {template!r}"
            )
        if name == IDS and (len(parsed) != 1 or literal):
            raise CommandError(
                f"{where}: {{ids}} must be a whole argument on its own (it "
                f"becomes one argument per marked campaign), not {template!r}"
            )


def command_from_table(item: Any, where: str, index: int) -> CustomCommand:
    """One `[[commands]]` table, checked (CommandError naming the command)."""
    if not isinstance(item, dict):
        raise CommandError(f"In {where}: each [[commands]] entry must be a table")
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise CommandError(f"In {where}: [[commands]] number {index + 1} needs a name")
    here = f"In {where}, the command {name.strip()!r}"
    unknown = sorted(set(item) - _COMMAND_KEYS)
    if unknown:
        raise CommandError(
            f"{here}: unknown setting {unknown[0]!r}; known: {', '.join(sorted(_COMMAND_KEYS))}"
        )
    program = item.get("program")
    if isinstance(program, str):
        raise CommandError(
            f"{here}: program must be a list, the program then its arguments "
            f'(e.g. program = ["open-crm", "{{id}}"]); it is never run by a shell'
        )
    if (
        not isinstance(program, list)
        or not program
        or not all(isinstance(part, str) for part in program)
    ):
        raise CommandError(
            f"{here}: program must be a non-empty list of strings, the "
            'program then its arguments (e.g. program = ["open-crm", "{id}"])'
        )
    if not program[0].strip():
        raise CommandError(f"{here}: the program is empty")
    if "{" in program[0] or "}" in program[0]:
        raise CommandError(
            f"{here}: the program itself cannot be a placeholder, only its arguments"
        )
    if any("\x00" in part for part in program):
        raise CommandError(f"{here}: the program holds a NUL character")
    for argument in program[1:]:
        _check_argument(argument, here)
    key = item.get("key")
    if key is not None:
        if not isinstance(key, str) or not key.strip() or "," in key or " " in key.strip():
            raise CommandError(f'{here}: key must be one key, e.g. "b" or "ctrl+o"')
        key = key.strip()
    return CustomCommand(name.strip(), tuple(program), key)


def commands_from_config(items: Any, where: str) -> tuple[CustomCommand, ...]:
    """The config file's `[[commands]]` (CommandError when one is wrong, two share a name or
    a key)."""
    if items is None:
        return ()
    if not isinstance(items, list):
        raise CommandError(f"In {where}: commands must be an array of tables ([[commands]])")
    if len(items) > MAX_COMMANDS:
        raise CommandError(f"In {where}: at most {MAX_COMMANDS} [[commands]]")
    commands = [command_from_table(item, where, n) for n, item in enumerate(items)]
    seen_names: set[str] = set()
    seen_keys: dict[str, str] = {}
    for command in commands:
        folded = command.name.casefold()
        if folded in seen_names:
            raise CommandError(f"In {where}: two commands are named {command.name!r}")
        seen_names.add(folded)
        if command.key is not None:
            if command.key in seen_keys:
                raise CommandError(
                    f"In {where}, the command {command.name!r}: the key "
                    f"{command.key!r} is the command "
                    f"{seen_keys[command.key]!r}'s too"
                )
            seen_keys[command.key] = command.name
    return tuple(commands)


def key_clashes(commands: Sequence[CustomCommand], taken: Mapping[str, str], where: str) -> None:
    """CommandError when a command's key is a built-in binding's: `taken` maps each key in
    force (as remapped) to the binding id that has it."""
    for command in commands:
        if command.key is not None and command.key in taken:
            raise CommandError(
                f"In {where}, the command {command.name!r}: the key "
                f"{command.key!r} is taken by the built-in binding "
                f"{taken[command.key]} (choose another key, or remap that one "
                "in [keymap])"
            )


def campaign_values(campaign: HasCampaignFields) -> dict[str, str]:
    """A campaign's placeholder values."""
    return {name: getattr(campaign, name) or "" for name in CAMPAIGN_FIELDS}


def expand(
    command: CustomCommand, campaign: HasCampaignFields | None, marked_ids: Sequence[str]
) -> list[str]:
    """The argv to run: each argument filled in from `campaign`; an {ids} argument becomes one
    argument per id in `marked_ids`. CommandError when a value is missing or cannot be an
    argument (a NUL character: no program can receive one)."""
    values = campaign_values(campaign) if campaign is not None else None
    argv = [command.program[0]]
    for template in command.program[1:]:
        names = placeholders(template)
        if names == [IDS]:
            if not marked_ids:
                raise CommandError(f"{command.name}: no campaign is marked or under the cursor")
            argv.extend(marked_ids)
            continue
        if names and values is None:
            raise CommandError(f"{command.name}: there is no campaign under the cursor")
        argv.append(template.format_map(values or {}))
    if any("\x00" in argument for argument in argv):
        raise CommandError(
            f"{command.name}: a value holds a NUL character, which no program "
            "argument can carry; not run"
        )
    return argv
