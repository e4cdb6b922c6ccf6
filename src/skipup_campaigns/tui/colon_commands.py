"""The `:` command line's language: which commands there are, how a line splits into a
command and its arguments, what Tab completes, and what an unknown command says. Pure (no
Textual): the list screen runs the commands (`list_commands.py`), the prompt widget edits
the line (`widgets/command_prompt.py`), and the command palette offers the same commands.

    :view NAME · :view save NAME · :view delete NAME     :sort COLUMN [asc|desc]
    :columns · :columns +updated -team · :columns name team rate · :columns reset
    :filter TEXT · :marked · :mark · :unmark · :invert   :active [on|off] · :reverse
    :refresh · :since [session|24h|7d|30d] · :report     :theme NAME · :help · :q
    :open (the campaign's web page) · :run NAME (your own command, tui/own_commands.py)
    :profile [NAME] (another profile of the config file, in place)
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from skipup_campaigns.plain_record import FrozenRecord


class CommandError(ValueError):
    """A command that cannot run as typed; the message says why (shown above the prompt)."""


class ColonCommand(FrozenRecord):
    """One command of the `:` line."""

    name: str
    usage: str
    """How it is typed, for the help and for errors."""
    help: str
    palette: str
    """Its name in the command palette."""
    arguments: tuple[str, ...] = ()
    """What each argument is (for completion): a kind `sources` names, or a fixed word list
    ("asc|desc"); the last one takes the rest of the line."""
    needs_argument: bool = False
    """From the palette it opens the `:` line with its name typed, for the argument."""
    aliases: tuple[str, ...] = ()


COMMANDS: tuple[ColonCommand, ...] = (
    ColonCommand(
        "view",
        "view NAME | view save NAME | view delete NAME",
        "switch to a view; keep what is shown as one; drop one",
        "View…",
        ("view-or-verb",),
        needs_argument=True,
    ),
    ColonCommand(
        "sort",
        "sort COLUMN [asc|desc]",
        "sort by a column (any of the columns)",
        "Sort by a column…",
        ("column", "asc|desc"),
        needs_argument=True,
    ),
    ColonCommand(
        "columns",
        "columns | columns +COLUMN -COLUMN … | columns COLUMN … | columns reset",
        "choose the columns (alone: the picker); kept with the view",
        "Choose columns…",
        ("column-edit",),
    ),
    ColonCommand(
        "filter",
        "filter TEXT",
        "set the filter (nothing after it: clear it)",
        "Filter campaigns…",
        ("filter",),
        needs_argument=True,
    ),
    ColonCommand(
        "marked",
        "marked",
        "show only the marked campaigns (again: all)",
        "Show only the marked campaigns",
    ),
    ColonCommand("mark", "mark", "mark every campaign shown", "Mark every campaign shown"),
    ColonCommand("unmark", "unmark", "unmark every campaign shown", "Unmark every campaign shown"),
    ColonCommand(
        "invert",
        "invert",
        "invert the marks of the campaigns shown",
        "Invert the marks of the campaigns shown",
    ),
    ColonCommand(
        "active",
        "active [on|off]",
        "active campaigns only, or all (no word: toggle)",
        "Toggle active only / all",
        ("on|off",),
    ),
    ColonCommand("reverse", "reverse", "reverse the sort", "Reverse sort"),
    ColonCommand("refresh", "refresh", "fetch the list again", "Refresh campaigns"),
    ColonCommand(
        "since",
        "since [session|24h|7d|30d]",
        "count the Δ from that point (no word: the next one)",
        "Δ since the next point",
        ("session|24h|7d|30d",),
    ),
    ColonCommand("report", "report", "the report of the campaigns shown", "Report"),
    ColonCommand(
        "export",
        "export [FILE.csv|FILE.json]",
        "export the marked campaigns (none marked: those shown); no file: ask, as x",
        "Export campaigns…",
        ("filter",),
    ),
    ColonCommand(
        "retry",
        "retry",
        "run the last bulk change again on the ✗ rows (those it left undone, still marked)",
        "Retry the last bulk change on the ✗ rows",
    ),
    ColonCommand(
        "theme",
        "theme NAME",
        "use another colour theme",
        "Change theme…",
        ("theme",),
        needs_argument=True,
    ),
    ColonCommand(
        "open", "open", "open the campaign's page in SkipUp's web app (o)", "Open in the web app"
    ),
    ColonCommand(
        "run",
        "run NAME",
        "run one of your own commands (the config file's [[commands]])",
        "Run one of your commands…",
        ("command",),
        needs_argument=True,
    ),
    ColonCommand(
        "profile",
        "profile [NAME]",
        "switch to another profile of the config file, in place (alone: which one is in use)",
        "Switch profile…",
        ("profile",),
        needs_argument=True,
    ),
    ColonCommand("help", "help", "every key and command", "Keys and commands (help)"),
    ColonCommand(
        "write",
        "write",
        "ask the server again whether this key may change campaigns (changes nothing)",
        "Check write permission again",
    ),
    ColonCommand(
        "q", "q", "quit (asks first if a form has unsaved changes)", "Quit", aliases=("quit",)
    ),
)
VIEW_VERBS = ("save", "delete")


def find(name: str, commands: Sequence[ColonCommand] = COMMANDS) -> ColonCommand | None:
    folded = name.casefold()
    return next((c for c in commands if folded == c.name or folded in c.aliases), None)


def split(line: str) -> tuple[str, str]:
    """(command name, the rest of the line stripped); a leading `:` is allowed."""
    line = line.strip().removeprefix(":").lstrip()
    name, _, rest = line.partition(" ")
    return name.casefold(), rest.strip()


def unknown(name: str, commands: Sequence[ColonCommand] = COMMANDS) -> str:
    """What an unknown command says: what exists (and the nearest, by prefix)."""
    near = [c.name for c in commands if c.name.startswith(name[:2].casefold())] if name else []
    return (
        f"No command {name!r}"
        + (f" (did you mean {' or '.join(near)}?)" if near else "")
        + ". Commands: "
        + ", ".join(c.name for c in commands)
        + "."
    )


class Completion(FrozenRecord):
    """What Tab offers: `head` (kept as typed), the word being completed and the candidates
    that start with it; `last`: the word is the line's last argument (no space after it)."""

    head: str
    word: str
    candidates: tuple[str, ...]
    last: bool

    def line(self, candidate: str) -> str:
        return self.head + candidate + ("" if self.last else " ")

    def common(self) -> str:
        """The candidates' common start (the line Tab makes when several are left)."""
        common = os.path.commonprefix([c.casefold() for c in self.candidates])
        return self.head + (self.candidates[0][: len(common)] if common else self.word)


def complete(
    line: str, sources: Mapping[str, Sequence[str]], commands: Sequence[ColonCommand] = COMMANDS
) -> Completion:
    """What Tab can complete at the end of `line` (candidates from `sources`: "view",
    "column", "theme"... to their names)."""
    if " " not in line.lstrip():
        word = line.strip()
        names = [c.name for c in commands] + [a for c in commands for a in c.aliases]
        return Completion("", word, _starting(names, word), last=False)
    name, _, rest = line.lstrip().partition(" ")
    command = find(name, commands)
    head = f"{name} "
    if command is None or not command.arguments:
        return Completion(line, "", (), last=True)
    if command.arguments == ("view-or-verb",):
        verb, space, after = rest.partition(" ")
        if space and verb.casefold() in VIEW_VERBS:
            return Completion(
                f"{head}{verb} ", after, _starting(sources.get("view", ()), after), last=True
            )
        return Completion(
            head, rest, _starting([*VIEW_VERBS, *sources.get("view", ())], rest), last=True
        )
    words = rest.split(" ")
    done, word = words[:-1], words[-1]
    index = min(len(done), len(command.arguments) - 1)
    kind = command.arguments[index]
    if kind == "filter":
        return Completion(line, "", (), last=True)
    if kind == "column-edit":  # +name, -name, name or reset, as many as wanted
        sign = word[:1] if word[:1] in "+-" and word else ""
        options = [sign + c for c in sources.get("column", ())] + ([] if sign else ["reset"])
        return Completion(
            head + "".join(f"{w} " for w in done), word, _starting(options, word), last=False
        )
    options = kind.split("|") if "|" in kind else list(sources.get(kind, ()))
    return Completion(
        head + "".join(f"{w} " for w in done),
        word,
        _starting(options, word),
        last=index == len(command.arguments) - 1,
    )


def _starting(options: Sequence[str], prefix: str) -> tuple[str, ...]:
    folded = prefix.casefold()
    return tuple(option for option in options if option.casefold().startswith(folded))
