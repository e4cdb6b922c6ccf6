"""`report`: the report screen's numbers for scripts and messages.

`report` loads every campaign, applies the list's filter grammar and active toggle, and prints
the breakdown as an aligned table, CSV, Markdown (for pasting into a message) or JSON. With
`--since`, each team's gain over the window comes from the history file; every run also records
the counts it loaded there (unless history is off), so the next run has a baseline. The
campaigns go into the workspace's collection and the history through its link
(`HistoryLink.record_run`), so the window is chosen as the UI's Δ chooses it.
"""

from __future__ import annotations

import argparse
import csv
import re
import shutil
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, TextIO

from rich.cells import cell_len

from skipup_campaigns.display.cells import fit
from skipup_campaigns.display.formats import csv_cell
from skipup_campaigns.display.gains import signed_pair
from skipup_campaigns.scripting import exit_codes, output
from skipup_campaigns.scripting.session import CommandError, Session

if TYPE_CHECKING:
    from skipup_campaigns.report import Line, Ranked, Report
    from skipup_campaigns.workspace.history_link import Baseline, HistoryLink

REPORT_EXAMPLES = """examples:
  skipup-campaigns report
  skipup-campaigns report --active --since 7d
  skipup-campaigns report --by status --filter team:sales --markdown
  skipup-campaigns report --json | jq '.teams[] | {team, booking_rate}'
  skipup-campaigns report --csv --since 2026-11-01 > teams.csv"""
RATE_NOTE = (
    "Rates are sums of booked over sums of requests, rounded half up to one decimal; "
    "never averages of rates."
)


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    report = commands.add_parser(
        "report",
        parents=[common],
        help="print a report by team or status, with trends",
        description="Print the campaigns report: campaigns, requests, booked, booking rate and "
        "share of requests by team (or by status), the five best and worst "
        "campaigns by booking rate, and with --since what each team gained.",
        epilog=f"{REPORT_EXAMPLES}\n\n{exit_codes.EPILOG}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    report.set_defaults(run=run_report)
    report.add_argument(
        "--by",
        choices=("team", "status"),
        default="team",
        help="the breakdown (default team; --json always has both)",
    )
    report.add_argument("--active", action="store_true", help="only active campaigns")
    report.add_argument(
        "--filter",
        metavar="TEXT",
        default="",
        help="the list's filter, e.g. 'webinar team:sales status:ended'",
    )
    # SUPPRESS: the same options given before the command's name (the UI's) still count.
    report.add_argument(
        "--since",
        metavar="WHEN",
        default=argparse.SUPPRESS,
        help="add what each team gained since: session (the last run), 24h, "
        "7d, 30d or a date like 2026-11-01",
    )
    report.add_argument(
        "--min-requests",
        type=_non_negative,
        default=None,
        metavar="N",
        help="requests a campaign needs to be ranked best or worst (default 20)",
    )
    report.add_argument(
        "--no-history",
        action="store_true",
        default=argparse.SUPPRESS,
        help="neither read nor record the local history",
    )
    formats = report.add_mutually_exclusive_group()
    formats.add_argument("--json", action="store_true", help="everything as one JSON object")
    formats.add_argument("--csv", action="store_true", help="the breakdown as CSV")
    formats.add_argument(
        "--markdown", action="store_true", help="Markdown tables, for pasting into a message"
    )


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


# -- the report --------------------------------------------------------------------------------


async def run_report(session: Session, args: argparse.Namespace) -> int:
    from skipup_campaigns.history.since import describe_since, parse_since
    from skipup_campaigns.report import DEFAULT_MIN_REQUESTS, build_report
    from skipup_campaigns.workspace.collection import spec_for

    started = datetime.now(timezone.utc)
    since = None
    args.since = getattr(args, "since", None)
    args.no_history = getattr(args, "no_history", False)
    if args.since is not None:
        if args.no_history:
            raise CommandError(exit_codes.USAGE, "--since needs the history; drop --no-history")
        try:
            since = parse_since(args.since, started)
        except ValueError as exc:
            raise CommandError(exit_codes.USAGE, str(exc)) from None
    await session.client()  # first: it says best what is wrong with the settings
    workspace = session.workspace
    history = None if args.no_history else workspace.history
    if since is not None and history is None:
        raise CommandError(
            exit_codes.CONFIG,
            "--since needs the history, which is off (history = false in the config file)",
        )
    # The workspace's collection, as the UI's report reads the list's: the same rows, filter
    # and active toggle, and the history records what it holds.
    campaigns = await session.all_campaigns()
    loaded = datetime.now(timezone.utc)
    workspace.collection.merge(campaigns, loaded)
    rows = workspace.collection.view(
        spec_for(args.filter, active_only=args.active, sort="created", reverse=False)
    )
    baseline = None
    if history is not None:
        baseline = await _record(session, history, args.since, loaded)
    report = build_report(
        rows,
        baseline=None if baseline is None else baseline.counts,
        min_requests=(DEFAULT_MIN_REQUESTS if args.min_requests is None else args.min_requests),
    )
    window = describe_since(args.since) if since is not None else None
    counted_from = None if baseline is None else baseline.counted_from
    if counted_from is not None:  # asked for more than the history holds: say where it starts
        window = (
            f"since {counted_from:%Y-%m-%d %H:%M} UTC (the history's start; "
            f"{args.since.strip()} asked)"
        )
        args.history_from = counted_from
    out = session.stdout
    if args.json:
        out.write(output.exact_json(_as_json(report, args, window)) + "\n")
    elif args.csv:
        _write_csv(report, args.by, window is not None, out)
    elif args.markdown:
        _write_markdown(report, args, window, out)
    else:
        _write_text(report, args, window, out)
    return exit_codes.OK


async def _record(
    session: Session, history: HistoryLink, since: str | None, loaded: datetime
) -> Baseline | None:
    """This run through the workspace's history link (`record_run`: the window's baseline,
    then the counts loaded recorded, as the UI's loads are). A history that cannot be written
    is a warning, not a failure, unless a window was asked for (`since`)."""

    def warn(text: str) -> None:
        session.stderr.write(f"skipup-campaigns: {text}\n")

    try:
        return await history.record_run(loaded, window=since, on_warning=warn)
    except Exception as exc:  # noqa: BLE001 - the report stands without history
        if since is not None:
            raise CommandError(
                exit_codes.FAILED, f"cannot read the history file {history.settings.path}: {exc}"
            ) from None
        warn(f"could not record the history ({exc})")
        return None
    finally:
        await history.aclose()


def _rate(value: Any) -> float | None:
    return None if value is None else float(value)


def _as_json(report: Report, args: argparse.Namespace, window: str | None) -> dict[str, Any]:
    def line(item: Line, key: str) -> dict[str, Any]:
        out = {
            key: item.label,
            "campaigns": item.campaigns,
            "requests": item.requests,
            "booked": item.booked,
            "booking_rate": _rate(item.rate),
            "share_of_requests": _rate(item.share),
        }
        if key == "team":
            out = {"team_id": item.key, **out}
            if window is not None:
                out |= {
                    "gained_requests": item.gained_requests,
                    "gained_booked": item.gained_booked,
                }
        return out

    def ranked(item: Ranked) -> dict[str, Any]:
        return {
            "id": item.id,
            "name": item.name,
            "team": item.team,
            "requests": item.requests,
            "booked": item.booked,
            "booking_rate": _rate(item.rate),
        }

    out: dict[str, Any] = {
        "campaigns": report.campaigns,
        "requests": report.requests,
        "booked": report.booked,
        "booking_rate": _rate(report.rate),
        "active_only": args.active,
        "filter": args.filter,
        "min_requests": report.min_requests,
    }
    if window is not None:
        out |= {
            "since": args.since,
            "gained_requests": report.gained_requests,
            "gained_booked": report.gained_booked,
        }
        counted_from = getattr(args, "history_from", None)
        if counted_from is not None:  # the history holds less than asked: counted from here
            out["history_from"] = counted_from.isoformat().replace("+00:00", "Z")
    out |= {
        "teams": [line(item, "team") for item in report.teams],
        "statuses": [line(item, "status") for item in report.statuses],
        "best": [ranked(item) for item in report.best],
        "worst": [ranked(item) for item in report.worst],
    }
    return out


def _number(value: Any) -> str:
    return "" if value is None else str(value)


def _signed(value: int | None) -> str:
    return "" if value is None else f"{value:+,d}"


def _percent(value: Any) -> str:
    """`34.3%`, as the UI writes a rate (`–`: no requests to book from)."""
    return "–" if value is None else f"{value}%"


def _grouped(value: int) -> str:
    """`12,400`: a count with thousands separators, as the UI shows it."""
    return f"{value:,}"


def _breakdown(
    report: Report,
    by: str,
    with_gains: bool,
    fmt_rate: Any = _percent,
    clip: bool = False,
    fmt_count: Any = _grouped,
) -> tuple[list[str], list[list[str]]]:
    """The chosen breakdown as headings and sanitised cells."""
    headings = [by, "campaigns", "requests", "booked", "booking rate", "share of requests"]
    lines = report.teams if by == "team" else report.statuses
    if by == "team" and with_gains:
        headings += ["gained requests", "gained booked"]
    rows = []
    for line in lines:
        label = output.cell(line.label)
        row = [
            _clip(label, 32) if clip else label,
            fmt_count(line.campaigns),
            fmt_count(line.requests),
            fmt_count(line.booked),
            fmt_rate(line.rate),
            fmt_rate(line.share),
        ]
        if by == "team" and with_gains:
            row += [_signed(line.gained_requests), _signed(line.gained_booked)]
        rows.append(row)
    return headings, rows


def _write_csv(report: Report, by: str, with_gains: bool, out: TextIO) -> None:
    headings, rows = _breakdown(report, by, with_gains, fmt_rate=_number, fmt_count=str)
    headings = [h.replace(" ", "_") for h in headings]
    lines = report.teams if by == "team" else report.statuses
    for line, row in zip(lines, rows):
        row[0] = csv_cell(line.label)  # a spreadsheet must not run a team's name
    if by == "team":
        headings.insert(0, "team_id")
        for line, row in zip(report.teams, rows):
            row.insert(0, csv_cell(line.key))
            if with_gains:  # plain integers for spreadsheets, empty where unknown
                row[-2:] = [_number(line.gained_requests), _number(line.gained_booked)]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headings)
    writer.writerows(rows)


def _summary(report: Report, args: argparse.Namespace) -> str:
    scope = []
    if args.active:
        scope.append("active only")
    if args.filter.strip():
        scope.append(f"filter {output.cell(args.filter.strip())!r}")
    campaigns = "campaign" if report.campaigns == 1 else "campaigns"
    text = (
        f"{report.campaigns:,} {campaigns}, {report.requests:,} requests, "
        f"{report.booked:,} booked, booking rate {_percent(report.rate)}"
    )
    return text + (f" ({', '.join(scope)})" if scope else "")


def _gain_line(report: Report, window: str) -> str:
    if report.gained_requests is None:
        return f"Gained {window}: unknown (no history that old yet)"
    requests, booked = signed_pair(report.gained_requests, report.gained_booked or 0)
    return f"Gained {window}: {requests} requests, {booked} booked"


def _ranked_rows(items: list[Ranked], *, clip: bool = False) -> list[list[str]]:
    name = (lambda text: _clip(text, 40)) if clip else (lambda text: text)
    team = (lambda text: _clip(text, 24)) if clip else (lambda text: text)
    return [
        [
            name(output.cell(item.name)),
            team(output.cell(item.team)),
            _grouped(item.requests),
            _grouped(item.booked),
            _percent(item.rate),
        ]
        for item in items
    ]


def _clip(text: str, width: int) -> str:
    """At most `width` cells, ending in `…` when cut (a table stays readable at 80 columns)."""
    if cell_len(text) <= width:
        return text
    return fit(text, width).rstrip(" ")  # a wide character at the cut leaves a pad cell


_RANKED_HEADINGS = ["campaign", "team", "requests", "booked", "booking rate"]


def _write_text(report: Report, args: argparse.Namespace, window: str | None, out: TextIO) -> None:
    # On a terminal the tables fit its width where they can (a wrapped line breaks the
    # columns); into a pipe or a file they keep their full headings.
    width = shutil.get_terminal_size().columns if out.isatty() else None
    out.write(_summary(report, args) + "\n")
    if window is not None:
        out.write(_gain_line(report, window) + "\n")
    out.write("\n")
    _aligned(*_breakdown(report, args.by, window is not None, clip=True), out, width)
    for title, items in (("Best", report.best), ("Worst", report.worst)):
        out.write(
            f"\n{title} booking rates (campaigns with at least {report.min_requests} requests):\n"
        )
        if items:
            _aligned(_RANKED_HEADINGS, _ranked_rows(items, clip=True), out, width)
        else:
            out.write("  none\n")
    out.write(f"\n{RATE_NOTE}\n")


SHORT_HEADINGS = {
    "share of requests": "share",
    "gained requests": "+requests",
    "gained booked": "+booked",
    "booking rate": "rate",
    "campaigns": "camp.",
}
"""What a heading wider than its column's values becomes on a terminal too narrow for the
table, in this order, before a text column is cut."""
TEXT_FLOOR = 10
"""A text column (a team, a status, a campaign's name) is cut no shorter than this."""


def _aligned(
    headings: list[str], rows: list[list[str]], out: TextIO, width: int | None = None
) -> None:
    """Columns padded to their widest cell; text left, numbers right. Within `width` where
    it can: long headings shorten, then the text columns are cut (never a number)."""
    numeric = [
        i > 0 and all(not r[i] or r[i][0] in "+-–0123456789" for r in rows)
        for i in range(len(headings))
    ]

    def widths() -> list[int]:
        return [
            max([cell_len(h)] + [cell_len(row[i]) for row in rows]) for i, h in enumerate(headings)
        ]

    def excess(sizes: list[int]) -> int:
        return 0 if width is None else sum(sizes) + 2 * (len(sizes) - 1) - width

    headings = list(headings)
    for long, short in SHORT_HEADINGS.items():
        if excess(widths()) > 0 and long in headings:
            headings[headings.index(long)] = short
    columns = widths()
    for i, is_number in enumerate(numeric):
        over = excess(columns)
        if over > 0 and not is_number:
            floor = max(TEXT_FLOOR, cell_len(headings[i]))
            columns[i] -= min(over, max(0, columns[i] - floor))
    for row in [headings, *rows]:
        cells = []
        for i, text in enumerate(row):
            text = text if numeric[i] else _clip(text, columns[i])
            pad = " " * (columns[i] - cell_len(text))
            cells.append(pad + text if numeric[i] else text + pad)
        out.write("  ".join(cells).rstrip() + "\n")


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def _md(text: str) -> str:
    """Sanitised text with Markdown's punctuation escaped, so a name cannot format, link or
    break a table."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _md_table(
    headings: list[str], rows: list[list[str]], out: TextIO, numeric_from: int = 1
) -> None:
    out.write("| " + " | ".join(headings) + " |\n")
    out.write(
        "|" + "|".join("---:" if i >= numeric_from else "---" for i in range(len(headings))) + "|\n"
    )
    for row in rows:
        cells = [_md(text) if i < numeric_from else text for i, text in enumerate(row)]
        out.write("| " + " | ".join(cells) + " |\n")


def _write_markdown(
    report: Report, args: argparse.Namespace, window: str | None, out: TextIO
) -> None:
    title = "by team" if args.by == "team" else "by status"
    out.write(f"**Campaigns report, {title}**: {_md(_summary(report, args))}\n\n")
    if window is not None:
        out.write(_md(_gain_line(report, window)) + "\n\n")
    _md_table(*_breakdown(report, args.by, window is not None), out)
    for heading, items in (("Best", report.best), ("Worst", report.worst)):
        out.write(f"\n**{heading} booking rates** (at least {report.min_requests} requests)\n\n")
        if items:
            _md_table(_RANKED_HEADINGS, _ranked_rows(items), out, numeric_from=2)
        else:
            out.write("None.\n")
    out.write(f"\n_{_md(RATE_NOTE)}_\n")
