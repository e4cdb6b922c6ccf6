"""`list`, `show`, `create`, `update`, `deactivate`: one request flow each, through the
workspace's operations, as the UI's (its fetch, create, checked update, and the bulk engine for
a deactivation, even of one campaign). Each returns an exit status from `exit_codes`; nothing
here raises to argv, and nothing here calls the client's writes (tests/scripting/
test_commands_use_the_workspace.py)."""

from __future__ import annotations

import argparse
import shutil
import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from skipup_campaigns.display import records
from skipup_campaigns.display.dates import STATUSES
from skipup_campaigns.scripting import bulk_commands, exit_codes, id_input, output
from skipup_campaigns.scripting.session import CommandError, Session

if TYPE_CHECKING:
    from skipup_campaigns.api.models import Campaign

EXAMPLES = {
    "list": "  skipup-campaigns list\n  skipup-campaigns list --active --csv > campaigns.csv\n"
    "  skipup-campaigns list --status ended --fields id,name,ends_at\n"
    "  skipup-campaigns list --json --fields id,name,booking_rate | jq '.[0]'",
    "show": "  skipup-campaigns show cmp_01HQ...\n  skipup-campaigns show naa-2026 --json\n"
    '  skipup-campaigns show "NAA 2026"',
    "create": '  skipup-campaigns create --name "NAA 2026" --team Sales\n'
    "  skipup-campaigns create --name Webinar --team tm_01HQ... --starts 2026-06-01 "
    "--ends 2026-06-30",
    "update": '  skipup-campaigns update cmp_01HQ... --name "NAA 2026 (EMEA)"\n'
    "  skipup-campaigns update cmp_01HQ... --ends 2026-12-31 --clear-description\n"
    "  skipup-campaigns update cmp_A cmp_B cmp_C --team Sales --dry-run\n"
    "  skipup-campaigns list --json | jq '[.[] | select(.team_name == \"Sales\")]' |\n"
    "      skipup-campaigns update - --ends 2026-12-31 --yes",
    "deactivate": "  skipup-campaigns deactivate cmp_01HQ... cmp_01HR...\n"
    "  skipup-campaigns list --json | jq '[.[] | select(.status == \"ended\")]' |\n"
    "      skipup-campaigns deactivate - --yes\n"
    "  skipup-campaigns list --status ended --csv --fields id | tail -n +2 |\n"
    "      skipup-campaigns deactivate - --dry-run",
}


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    def command(
        name: str, summary: str, run: Callable[..., Awaitable[int]], writes: bool = False
    ) -> argparse.ArgumentParser:
        parser = commands.add_parser(
            name,
            parents=[common],
            help=summary,
            description=summary + ".",
            epilog=f"examples:\n{EXAMPLES[name]}\n\n{exit_codes.EPILOG}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        parser.set_defaults(run=run, writes=writes)
        return parser

    listing = command("list", "Print every campaign (all pages)", run_list)
    listing.add_argument("--active", action="store_true", help="only active campaigns")
    listing.add_argument(
        "--status", choices=STATUSES, help="only campaigns with this status (as the UI shows it)"
    )
    formats = listing.add_mutually_exclusive_group()
    formats.add_argument("--json", action="store_true", help="one JSON array")
    formats.add_argument("--csv", action="store_true", help="CSV with a header row")
    listing.add_argument(
        "--fields", metavar="A,B,C", help=f"columns, in order, from: {', '.join(output.FIELDS)}"
    )

    show = command("show", "Print one campaign", run_show)
    show.add_argument(
        "id", metavar="CAMPAIGN", help="the campaign's id (cmp_…), slug, or exact name"
    )
    show.add_argument("--json", action="store_true", help="the campaign as a JSON object")

    create = command("create", "Create a campaign", run_create, writes=True)
    create.add_argument("--name", required=True)
    create.add_argument("--team", required=True, metavar="TEAM", help="a team's id, name or slug")
    _value_options(create)
    create.add_argument("--json", action="store_true", help="print the new campaign as JSON")

    update = command(
        "update", "Change one or more campaigns (only the fields given)", run_update, writes=True
    )
    update.add_argument(
        "ids",
        nargs="+",
        metavar="ID",
        help="campaign ids (cmp_…), at most 10,000; - reads them from stdin "
        "(one a line, or list --json's array)",
    )
    update.add_argument("--name", help="a new name (one campaign only)")
    update.add_argument("--team", metavar="TEAM", help="a team's id, name or slug")
    _value_options(update, clearable=True)
    _bulk_options(update, "change")
    update.add_argument("--json", action="store_true", help="print the result as JSON")

    deactivate = command(
        "deactivate",
        "Deactivate one or more campaigns (SkipUp has no way back)",
        run_deactivate,
        writes=True,
    )
    deactivate.add_argument(
        "ids",
        nargs="+",
        metavar="ID",
        help="campaign ids (cmp_…), at most 10,000; - reads them from "
        "stdin (one a line, or list --json's array)",
    )
    _bulk_options(deactivate, "deactivate")
    deactivate.add_argument("--json", action="store_true", help="print the result as JSON")


def _bulk_options(parser: argparse.ArgumentParser, verb: str) -> None:
    parser.add_argument(
        "--yes",
        action="store_true",
        help="do not ask (required when stdin is not a terminal"
        + (", for several campaigns)" if verb == "change" else ")"),
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="print each campaign's before → after and send nothing",
    )


def _value_options(parser: argparse.ArgumentParser, *, clearable: bool = False) -> None:
    dates = (
        "2026-06-01, '2026-06-01 09:30' (UTC, or local time with --local-time or the "
        "config's timezone) or ISO 8601 with a zone"
    )
    for flag, dest, what, clear in (
        ("--description", "description", "free text", "remove the description"),
        ("--starts", "starts", f"start: {dates}", "remove the start"),
        ("--ends", "ends", f"end: {dates}; a bare date means its last second", "remove the end"),
    ):
        target = parser.add_mutually_exclusive_group() if clearable else parser
        target.add_argument(flag, dest=dest, help=what)
        if clearable:
            target.add_argument(f"--clear-{dest}", action="store_true", help=clear)


# -- the commands ----------------------------------------------------------------------------


async def run_list(session: Session, args: argparse.Namespace) -> int:
    default = (
        output.FIELDS
        if args.json or args.csv
        else (output.TABLE_FIELDS if session.stdout.isatty() else output.FIELDS)
    )
    try:
        fields = output.parse_fields(args.fields, default)
    except ValueError as exc:
        raise CommandError(exit_codes.USAGE, str(exc)) from None
    campaigns = await session.all_campaigns(active=True if args.active else None)
    now = records.now()
    rows = [records.record(campaign, now) for campaign in campaigns]
    if args.status:
        rows = [row for row in rows if row["status"] == args.status]
    out = session.stdout
    if args.json:
        output.write_json(rows, fields, out)
    elif args.csv:
        output.write_csv(rows, fields, out)
    elif out.isatty():
        output.write_table(rows, fields, out, shutil.get_terminal_size().columns)
    else:
        output.write_tsv(rows, fields, out)
    return exit_codes.OK


async def run_show(session: Session, args: argparse.Namespace) -> int:
    from skipup_campaigns.api.errors import NotFoundError

    wanted = args.id.strip()
    if not wanted:
        raise CommandError(exit_codes.USAGE, "give a campaign's id, slug or name")
    try:
        campaign = await session.workspace.fetch(wanted)
    except NotFoundError:
        campaign = await _campaign_by_slug_or_name(session, wanted)
    _print_campaign(session, campaign, args.json)
    return exit_codes.OK


async def _campaign_by_slug_or_name(session: Session, wanted: str) -> Campaign:
    """The one campaign whose slug, or else exact name, is `wanted`; several are a usage error
    listing them (so the script can pick an id), none is "not found"."""
    everything = await session.all_campaigns()
    for same in (lambda c: c.slug == wanted, lambda c: c.name == wanted):
        matches = [campaign for campaign in everything if same(campaign)]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            listed = "; ".join(
                f"{output.cell(c.id)} ({output.cell(c.team_name)}, "
                f"{records.status_of(c, records.now())})"
                for c in matches
            )
            raise CommandError(
                exit_codes.USAGE,
                f"{len(matches)} campaigns are called "
                f"{output.cell(wanted)!r}: {listed}; give an id",
            )
    raise CommandError(
        exit_codes.NOT_FOUND,
        f"no campaign with the id, slug or name {output.cell(wanted)!r} in this workspace",
    )


async def run_create(session: Session, args: argparse.Namespace) -> int:
    from skipup_campaigns.api.models import CampaignCreate

    values = _dates(args)
    if args.name is not None and not args.name.strip():
        raise CommandError(exit_codes.USAGE, "--name cannot be empty")
    team_id, _ = await _team(session, args.team)
    values |= {"name": args.name, "team_id": team_id, "description": args.description}
    values = {key: value for key, value in values.items() if value is not None}
    CampaignCreate(**values)  # refused here, before anything is sent, if not valid
    # One key for this command's request: the client's retries of it never make two.
    created = await session.workspace.create(values, idempotency_key=str(uuid.uuid4()))
    _print_campaign(session, created, args.json)
    return exit_codes.OK


async def run_update(session: Session, args: argparse.Namespace) -> int:
    from skipup_campaigns.api.models import CampaignUpdate

    changes: dict[str, Any] = _dates(args)
    if args.name is not None:
        if not args.name.strip():
            raise CommandError(exit_codes.USAGE, "--name cannot be empty")
        changes["name"] = args.name
    if args.description is not None or args.clear_description:
        changes["description"] = None if args.clear_description else args.description
    if not changes and args.team is None:
        raise CommandError(
            exit_codes.USAGE,
            "nothing to change: give at least one of --name, "
            "--team, --description, --starts, --ends or a --clear-… option",
        )
    ids = id_input.read_ids(session.stdin, args.ids)
    if len(ids) == 1 and "-" not in args.ids and not args.dry_run:
        # One campaign named on the command line: change it as asked, print it.
        if args.team is not None:
            changes["team_id"], _ = await _team(session, args.team)
        CampaignUpdate(**changes)  # refused here, before anything is sent, if not valid
        return await _update_one(session, ids[0], changes, args.json)
    if "name" in changes:
        raise CommandError(
            exit_codes.USAGE,
            "--name changes one campaign at a time (names are per campaign); give one id",
        )
    from skipup_campaigns.bulk.engine import BulkEdit

    team_id, team_name = await _team(session, args.team) if args.team is not None else (None, None)
    team: dict[str, Any] = (
        {"team_id": team_id, "team_name": team_name} if team_id is not None else {}
    )
    edit = BulkEdit(**changes, **team)
    return await bulk_commands.run(session, args, ids, edit)


async def _update_one(
    session: Session, campaign_id: str, changes: dict[str, Any], as_json: bool
) -> int:
    """One campaign changed as asked (whatever it holds: the command names the values) by the
    workspace's checked update: an answer lost on the way is read back, not the PATCH sent
    again blindly."""
    from skipup_campaigns.checked_write import OutcomeUnknown
    from skipup_campaigns.workspace.workspace import Conflict

    notes: list[str] = []
    try:
        campaign = await session.workspace.update(campaign_id, changes, notes=notes)
    except OutcomeUnknown as exc:
        session.stderr.write(f"{output.cell(campaign_id)}: {output.cell(exc.message)}\n")
        return exit_codes.UNKNOWN
    assert not isinstance(campaign, Conflict)  # nothing expected, so nothing to conflict with
    if notes:  # (the one note an update gives: the answer was lost, the change read back)
        session.stderr.write("the answer was lost, but the change landed (read back)\n")
    _print_campaign(session, campaign, as_json)
    return exit_codes.OK


async def run_deactivate(session: Session, args: argparse.Namespace) -> int:
    from skipup_campaigns.bulk.engine import Deactivation

    ids = id_input.read_ids(session.stdin, args.ids)
    # One id has its own plain output (the record); with --json it is one id of several:
    # the same array of results on stdout and, in a pipe, JSON lines only on stderr.
    if len(ids) == 1 and "-" not in args.ids and not args.dry_run and not args.json:
        return await _deactivate_one(session, args, ids[0])
    return await bulk_commands.run(session, args, ids, Deactivation())


async def _deactivate_one(session: Session, args: argparse.Namespace, campaign_id: str) -> int:
    """One campaign named on the command line, without --json: asked about by name, then
    deactivated as a bulk run of one (the workspace's `deactivate`: the engine's fresh read
    and its rules)."""
    from skipup_campaigns.bulk import nothing_to_do
    from skipup_campaigns.bulk.engine import Outcome

    if not args.yes and not session.stdin.isatty():
        raise CommandError(
            exit_codes.USAGE,
            "refusing to deactivate without --yes: stdin is "
            "not a terminal, so nobody can confirm (SkipUp has no way back)",
        )
    campaign = await session.workspace.fetch(campaign_id)
    needless = nothing_to_do.deactivation(campaign)
    if needless is None:
        if not args.yes and not _confirm(session, campaign):
            session.stderr.write("Not deactivated.\n")
            return exit_codes.USAGE
        result = await session.workspace.deactivate(campaign)
        if result.error is not None:
            raise result.error
        if result.outcome is Outcome.UNKNOWN or result.after is None:
            session.stderr.write(
                f"{output.cell(campaign_id)}: {output.cell(result.reason or '')}\n"
            )
            return exit_codes.UNKNOWN
        if result.outcome is Outcome.DONE:
            _print_campaign(session, result.after, False)
            return exit_codes.OK
        campaign, needless = result.after, result.reason  # deactivated meanwhile, elsewhere
    session.stderr.write(
        f"{output.cell(campaign.name)} ({output.cell(campaign.id)}) was {needless}; "
        "nothing changed.\n"
    )
    return exit_codes.OK


# -- helpers ---------------------------------------------------------------------------------


def _print_campaign(session: Session, campaign: Campaign, as_json: bool) -> None:
    if as_json:
        session.stdout.write(output.exact_json(records.record(campaign)) + "\n")
    else:
        output.write_record(records.record(campaign), output.FIELDS, session.stdout)


def _dates(args: argparse.Namespace) -> dict[str, Any]:
    """--starts/--ends as UTC moments; a time without a zone is read in the display zone
    (`timezone` in the config, or --local-time), as the UI reads it."""
    from skipup_campaigns import config
    from skipup_campaigns.display.dates import DateInputError, DisplayZone, parse_when

    def zone() -> DisplayZone:  # (only with a date to read: no config read otherwise)
        try:
            return config.load_display_zone(
                profile=getattr(args, "profile", None),
                local_time=getattr(args, "local_time", False),
            )
        except config.ConfigError as exc:
            raise CommandError(exit_codes.CONFIG, str(exc)) from None

    values: dict[str, Any] = {}
    for dest, key, end_of_day in (("starts", "starts_at", False), ("ends", "ends_at", True)):
        if getattr(args, f"clear_{dest}", False):
            values[key] = None
        elif getattr(args, dest) is not None:
            if not getattr(args, dest).strip():
                raise CommandError(
                    exit_codes.USAGE, f"--{dest} is empty; to remove the date use --clear-{dest}"
                )
            try:
                values[key] = parse_when(getattr(args, dest), end_of_day=end_of_day, zone=zone())
            except DateInputError as exc:
                raise CommandError(exit_codes.USAGE, f"--{dest}: {exc}") from None
    starts, ends = values.get("starts_at"), values.get("ends_at")
    if starts is not None and ends is not None and ends <= starts:
        raise CommandError(exit_codes.USAGE, "--ends must be after --starts")
    return values


async def _team(session: Session, wanted: str) -> tuple[str, str]:
    """A team's id and name from its id, name or slug (names compared without case). When this
    key may not list teams (403) or the API has no teams endpoint (404), the teams seen in the
    workspace's campaigns stand in (the workspace's `load_teams`, as the UI's form), and one
    line on stderr says so."""
    from skipup_campaigns.workspace.teams import why_unlisted

    wanted = wanted.strip()
    workspace = session.workspace
    teams = await workspace.load_teams(read_campaigns=True)
    from_campaigns = workspace.teams_from_campaigns
    if from_campaigns:
        session.stderr.write(
            f"teams from your campaigns; {why_unlisted(workspace.teams_unlisted)}\n"
        )
        seen = {team.id for team in teams}
        if wanted.startswith("tm_") and wanted not in seen:
            return wanted, wanted  # a team without campaigns yet: let the server judge the id
    for same in (
        lambda t: t.id == wanted,
        lambda t: bool(t.slug) and t.slug == wanted,
        lambda t: t.name.casefold() == wanted.casefold(),
    ):
        matches = [team for team in teams if same(team)]
        if len(matches) == 1:
            return matches[0].id, matches[0].name
        if len(matches) > 1:
            ids = ", ".join(output.cell(team.id) for team in matches)
            raise CommandError(
                exit_codes.USAGE,
                f"more than one team is called {output.cell(wanted)!r} ({ids}); give its id",
            )
    names = ", ".join(output.cell(team.name) for team in teams if team.active) or "none"
    if from_campaigns:
        raise CommandError(
            exit_codes.USAGE,
            f"no campaign is in a team {output.cell(wanted)!r}"
            f"; teams seen: {names}. Give the team's id (tm_…)",
        )
    raise CommandError(
        exit_codes.USAGE,
        f"no team {output.cell(wanted)!r} in this workspace; active teams: {names}",
    )


def _confirm(session: Session, campaign: Campaign) -> bool:
    session.stderr.write(
        f"Deactivate {output.cell(campaign.name)!r} ({output.cell(campaign.id)})"
        f"? SkipUp has no way back. [y/N] "
    )
    session.stderr.flush()
    answer = session.stdin.readline()
    return answer.strip().lower() in ("y", "yes")
