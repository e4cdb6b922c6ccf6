"""Your own commands (`[[commands]]` in the config file) and the campaign's web link
(`web_url`): argv templates filled from a campaign or the marked set, run without a shell.

    [[commands]]
    name = "Notes"                       # :run Notes, or the palette's "Run: Notes"
    key = "ctrl+n"                       # optional, on the list
    run = ["notes-tool", "open", "--campaign", "{id}", "--title", "{name}"]

    [[commands]]
    name = "Sync marked"
    run = ["crm-sync", "{ids}"]          # {ids}: one argument per marked campaign

A placeholder is replaced inside its argument and never splits it: a name holding quotes,
`;`, `$(…)`, newlines or control sequences reaches the program as one inert argument (there is
no shell to read them). `{ids}` stands alone as an argument. No Textual here.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

FIELDS = ("id", "slug", "name", "email_address", "team_id", "team_name")
"""What a template may name, from the campaign under the cursor."""
MARKED = "{ids}"
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
MAX_OUTPUT = 1024 * 1024
"""Output kept for the result view (the rest is counted, not kept)."""


class CommandConfigError(ValueError):
    """A `[[commands]]` entry or `web_url` that cannot be used; the message says why."""


@dataclass(frozen=True)
class CustomCommand:
    name: str
    run: tuple[str, ...]
    """The program and its arguments, each a template."""
    key: str | None = None

    @property
    def takes_marked(self) -> bool:
        return MARKED in self.run


def _check_template(text: str, where: str, *, alone_ok: bool) -> None:
    if text == MARKED and alone_ok:
        return
    for found in _PLACEHOLDER.finditer(text):
        field = found.group(1)
        if field == "ids":
            raise CommandConfigError(f"In {where}: {{ids}} must be an argument on its own")
        if field not in FIELDS:
            raise CommandConfigError(f"In {where}: no placeholder {{{field}}}; known: "
                                     + ", ".join(f"{{{f}}}" for f in (*FIELDS, "ids")))


def commands_from_config(items: Any, where: str) -> tuple[CustomCommand, ...]:
    """The config file's `[[commands]]` (CommandConfigError when one is wrong)."""
    if items is None:
        return ()
    if not isinstance(items, list):
        raise CommandConfigError(f"In {where}: commands must be an array of tables "
                                 "([[commands]])")
    commands: list[CustomCommand] = []
    for item in items:
        if not isinstance(item, Mapping):
            raise CommandConfigError(f"In {where}: each [[commands]] entry must be a table")
        unknown = sorted(set(item) - {"name", "key", "run"})
        if unknown:
            raise CommandConfigError(f"In {where}: unknown command setting {unknown[0]!r}; "
                                     "known: key, name, run")
        name, key, run = item.get("name"), item.get("key"), item.get("run")
        if not isinstance(name, str) or not name.strip() or not name.isprintable():
            raise CommandConfigError(f"In {where}: a command needs a name (printable text)")
        here = f"{where} (command {name})"
        if (not isinstance(run, list) or not run
                or not all(isinstance(part, str) and part for part in run)):
            raise CommandConfigError(f"In {here}: run must be a list of strings, the program "
                                     'first, e.g. run = ["notes-tool", "{id}"]')
        if key is not None and (not isinstance(key, str) or not key.strip()):
            raise CommandConfigError(f"In {here}: key must be a key name, e.g. \"ctrl+n\"")
        _check_template(run[0], here, alone_ok=False)
        for part in run[1:]:
            _check_template(part, here, alone_ok=True)
        if any(c.name.casefold() == name.strip().casefold() for c in commands):
            raise CommandConfigError(f"In {where}: two commands are named {name!r}")
        commands.append(CustomCommand(name.strip(), tuple(run), key.strip() if key else None))
    return tuple(commands)


def fill(template: str, values: Mapping[str, str]) -> str:
    """One argument with its placeholders replaced (the values are never read as anything)."""
    return _PLACEHOLDER.sub(lambda found: values.get(found.group(1), found.group(0)), template)


def argv_for(command: CustomCommand, values: Mapping[str, str] | None,
             marked: Sequence[str]) -> list[str]:
    """The argv to run: `values` are the cursor's campaign's fields (None: no campaign),
    `marked` the ids `{ids}` expands to. ValueError when the command needs what is missing."""
    needs_campaign = any(_PLACEHOLDER.search(part) and part != MARKED for part in command.run)
    if needs_campaign and values is None:
        raise ValueError(f"{command.name} needs a campaign: put the cursor on one")
    if command.takes_marked and not marked:
        raise ValueError(f"{command.name} acts on the marked campaigns: mark some first "
                         "(space, or :mark)")
    argv: list[str] = []
    for part in command.run:
        if part == MARKED:
            argv.extend(marked)
        else:
            argv.append(fill(part, values or {}))
    if any("\x00" in part for part in argv):  # the one byte no argument can carry
        raise ValueError(f"{command.name} cannot be given this campaign: a value holds a NUL "
                         "byte")
    return argv


def campaign_values(row: Any) -> dict[str, str]:
    """A row's fields as a template reads them (the server's text as it came: the program
    gets it as one argument, never a shell's input)."""
    return {"id": row.id, "slug": row.slug, "name": row.raw_name,
            "email_address": row.email_address or "", "team_id": row.team_id,
            "team_name": row.raw_team}


@dataclass(frozen=True)
class CommandResult:
    argv: tuple[str, ...]
    exit_code: int | None
    """None: the program could not be started (`error` says why)."""
    output: str
    truncated: int = 0
    """Bytes of output past MAX_OUTPUT, not kept."""
    error: str | None = None


def run(argv: Sequence[str], *, echo: IO[bytes] | None = None) -> CommandResult:
    """Run `argv` (no shell), its output (stdout and stderr together) kept and, with `echo`,
    passed on as it comes (the terminal, while the app is suspended)."""
    try:
        process = subprocess.Popen(list(argv), stdout=subprocess.PIPE,  # noqa: S603 - no shell
                                   stderr=subprocess.STDOUT)
    except OSError as exc:
        return CommandResult(tuple(argv), None, "", error=f"cannot run {argv[0]!r}: "
                                                         f"{exc.strerror or exc}")
    kept = bytearray()
    dropped = 0
    assert process.stdout is not None
    for chunk in iter(lambda: process.stdout.read1(65536), b""):  # type: ignore[union-attr]
        if echo is not None:
            echo.write(chunk)
            echo.flush()
        room = MAX_OUTPUT - len(kept)
        kept += chunk[:room]
        dropped += max(0, len(chunk) - room)
    code = process.wait()
    return CommandResult(tuple(argv), code, kept.decode("utf-8", "replace"), dropped)


def web_url_for(template: str, values: Mapping[str, str]) -> str:
    """The campaign's web link from the `web_url` template (values URL-quoted)."""
    from urllib.parse import quote

    return fill(template, {key: quote(value, safe="") for key, value in values.items()})


def check_web_url(template: Any, where: str) -> str | None:
    if template is None:
        return None
    if (not isinstance(template, str) or not template.startswith(("https://", "http://"))
            or not template.isprintable()):
        raise CommandConfigError(f"In {where}: web_url must be an http(s) address, e.g. "
                                 '"https://app.skipup.ai/campaigns/{id}"')
    _check_template(template, where, alone_ok=False)
    return template

