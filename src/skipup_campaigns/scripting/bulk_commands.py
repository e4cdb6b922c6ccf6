"""`deactivate` and `update` on several campaigns (their ids read by `id_input`): the preview's
reads with their progress, a dry run's before → after, a confirmation, the workspace's bulk
action (`workspace.bulk`, as the UI's marks run) with a line per campaign, a summary and the
ids to run again."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from typing import Any, TextIO

from skipup_campaigns.display import records
from skipup_campaigns.scripting import exit_codes, output
from skipup_campaigns.scripting.session import CommandError, Session

BULK_RETRIES = 5
"""A batch runs unattended: let the client ride out more of the failures it may retry."""
SHOWN_BEFORE_ASKING = 20
TEXT_LABELS = {"active": "status"}
"""A change's label in the text preview where its field is not what the line shows: a
deactivation is the API's `active` true → false (so in --json), said as the status it ends
("status: scheduled → deactivated", as the UI's preview says Status)."""


async def run(session: Session, args: argparse.Namespace, ids: list[str], change: Any) -> int:
    """Preview, confirm, run and report a change to several campaigns."""
    from skipup_campaigns.api.errors import SkipUpError
    from skipup_campaigns.bulk import engine as bulk
    from skipup_campaigns.display.messages import describe_error

    deactivating = isinstance(change, bulk.Deactivation)
    can_ask = session.stdin.isatty() and "-" not in args.ids
    if not args.dry_run and not args.yes and not can_ask:
        what = "deactivate" if deactivating else "change"
        why = "stdin held the ids" if "-" in args.ids else "stdin is not a terminal"
        raise CommandError(
            exit_codes.USAGE,
            f"refusing to {what} {len(ids)} campaign"
            f"{'s' if len(ids) != 1 else ''} without --yes: {why}, so nobody "
            f"can confirm" + (" (SkipUp has no way back)" if deactivating else ""),
        )
    client = await session.client()
    client.max_retries = max(client.max_retries, BULK_RETRIES)
    # --json in a pipe: stderr holds JSON only (each campaign's line as an object; progress,
    # notes and the summary left out, stdout's array holds every result).
    json_stderr = session.status.quiet
    progress = ReadProgress(session.stderr, len(ids), quiet=json_stderr)
    reads = _PreviewReads()
    stopping: list[Any] = [reads]  # what Ctrl-C stops now: the preview's reads, then the run
    with _ctrl_c_stops(session, lambda: stopping[0], quiet=json_stderr):
        try:
            loaded = await reads.load(session, ids, progress.step)
        finally:
            progress.close()
    if reads.cancelled and not args.dry_run:
        # Stopped before the first write: every campaign is "not started", said as a stop
        # after some writes is (the --json array, the ids to run again, exit 130).
        stopped = [_not_started_row(campaign_id, item) for campaign_id, item in zip(ids, loaded)]
        if args.json:
            session.stdout.write(output.exact_json(stopped) + "\n")
            session.stdout.flush()
        return _summarise(session, stopped, True, args, quiet=json_stderr)
    if reads.cancelled:
        raise KeyboardInterrupt  # a dry run stopped: nothing to preview, nothing was sent
    unloaded = [
        (campaign_id, item)
        for campaign_id, item in zip(ids, loaded)
        if isinstance(item, SkipUpError)
    ]
    campaigns = [item for item in loaded if not isinstance(item, SkipUpError)]
    targets = bulk.plan(campaigns, change)
    rows: list[dict[str, Any]] = [
        {
            "id": campaign_id,
            "name": None,
            "outcome": "failed",
            "reason": describe_error(error),
            "exit_code": exit_codes.for_error(error),
            "status": None,
            "campaign": None,
        }
        for campaign_id, error in unloaded
    ]
    for row in rows:
        _say_result(session, row, as_json=json_stderr)
    if args.dry_run:
        _write_preview(session, bulk.preview(targets), rows, args.json, quiet=json_stderr)
        return exit_codes.PARTIAL if rows else exit_codes.OK
    previewed = bulk.preview(targets)
    if (
        not args.yes
        and any(item.changes for item in previewed)
        and not _confirm_many(session, previewed, deactivating)
    ):
        session.stderr.write("Nothing changed.\n")
        return exit_codes.USAGE

    refused: list[bulk.ItemResult] = []

    def said(result: bulk.ItemResult) -> None:
        if result.outcome is not bulk.Outcome.NOT_STARTED:  # those are counted at the end
            _say_result(session, _result_row(result), as_json=json_stderr)
        if not refused and _write_refused(result):
            # Every other campaign would be refused the same: stop at the first refusal.
            refused.append(result)
            bulk_run.cancel()

    bulk_run = session.workspace.bulk.start(targets, on_result=said)
    stopping[0] = bulk_run
    # Until the results are out, however often pressed:
    with _ctrl_c_stops(session, lambda: bulk_run, quiet=json_stderr):
        report = await bulk_run.run()
        rows = _in_input_order(ids, rows + [_result_row(result) for result in report.results])
        if args.json:  # stopped or not: the array says what was done and what was not
            session.stdout.write(output.exact_json(rows) + "\n")
            session.stdout.flush()
        if refused:
            return _refused(session, rows, as_json=json_stderr)
        return _summarise(session, rows, report.cancelled, args, quiet=json_stderr)


def _in_input_order(ids: list[str], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows in the order the ids were given (those that could not be read are known first,
    the rest as the run ends): a script pairs its input with the array by position."""
    position = {campaign_id: index for index, campaign_id in reversed(list(enumerate(ids)))}
    return sorted(rows, key=lambda row: position.get(row["id"], len(ids)))


def _write_refused(result: Any) -> bool:
    from skipup_campaigns.api.errors import PermissionDeniedError

    error = result.error
    return isinstance(error, PermissionDeniedError) and error.missing_scope in (
        None,
        "campaigns.write",
    )


def _refused(session: Session, rows: list[dict[str, Any]], *, as_json: bool) -> int:
    """The key may not write: one line saying so, the counts, the permission exit code."""
    from collections import Counter

    from skipup_campaigns.scripting.session import report

    counts = Counter(row["outcome"] for row in rows)
    order = ("done", "skipped", "failed", "not started")
    summary = ", ".join(f"{counts[kind]} {kind}" for kind in order if counts[kind])
    why = (
        "stopped at the first refusal: this key cannot change campaigns (it lacks the "
        "campaigns.write scope); the rest were not sent"
    )
    if as_json:
        return report(session.stderr, exit_codes.FORBIDDEN, f"{why} ({summary})", True)
    session.stderr.write(f"{summary}\n{why}\n")
    return exit_codes.FORBIDDEN


class ReadProgress:
    """ "reading 120 of 400…" on stderr while the preview's reads run: one line rewritten on a
    terminal, a plain line at each tenth otherwise (a log stays short). Nothing for one id."""

    def __init__(self, stream: TextIO, total: int, *, quiet: bool = False) -> None:
        """`quiet`: show nothing (--json in a pipe, where stderr holds only JSON)."""
        self.stream = stream
        self.total = total
        self.shown = total > 1 and not quiet
        self.terminal = self.shown and stream.isatty()
        self._done = 0
        self._next_tenth = 1

    def step(self) -> None:
        """One more campaign read (or failed to read)."""
        self._done += 1
        if not self.shown:
            return
        text = f"reading {self._done} of {self.total}…"
        if self.terminal:
            self.stream.write(f"\r{text}\x1b[K")
        elif self._done * 10 >= self._next_tenth * self.total or self._done == self.total:
            while self._done * 10 >= self._next_tenth * self.total:
                self._next_tenth += 1
            self.stream.write(text + "\n")
        else:
            return
        self.stream.flush()

    def close(self) -> None:
        """End the rewritten line, so what follows starts on its own."""
        if self.terminal and self._done:
            self.stream.write(
                "\r\x1b[K" if self._done < self.total else f"\rread {self.total} campaigns\x1b[K\n"
            )
            self.stream.flush()


class _PreviewReads:
    """The preview's reads as Ctrl-C stops them, like a run (`_ctrl_c_stops`): the first press
    sends nothing more and ends the waits (reads on the wire are awaited), a second abandons
    those too."""

    def __init__(self) -> None:
        import asyncio

        self.stop = asyncio.Event()
        self.finished = asyncio.Event()
        """Never set: a Ctrl-C just after the reads still stops the command before any write."""
        self._task: asyncio.Future[list[Any]] | None = None

    @property
    def cancelled(self) -> bool:
        return self.stop.is_set()

    def cancel(self) -> None:
        self.stop.set()

    def abort(self) -> None:
        self.cancel()
        if self._task is not None:
            self._task.cancel()

    async def load(self, session: Session, ids: list[str], on_loaded: Any) -> list[Any]:
        """Each campaign or the error reading it; after an abort, RequestNotSent for all."""
        import asyncio

        from skipup_campaigns.api.errors import RequestNotSent

        self._task = asyncio.ensure_future(
            session.workspace.bulk.load(ids, on_loaded=on_loaded, stop=self.stop)
        )
        try:
            return await self._task
        except asyncio.CancelledError:
            if not self._task.cancelled() or not self.cancelled:
                raise  # this command itself was cancelled, not the reads abandoned
            return [RequestNotSent() for _ in ids]


def _not_started_row(campaign_id: str, item: Any) -> dict[str, Any]:
    """A campaign the run never reached, with what its read said when it was read."""
    from skipup_campaigns.api.models import Campaign
    from skipup_campaigns.bulk import engine as bulk

    campaign = item if isinstance(item, Campaign) else None
    return {
        "id": campaign_id,
        "name": campaign.name if campaign else None,
        "outcome": bulk.Outcome.NOT_STARTED.value,
        "reason": bulk.STOPPED,
        "exit_code": None,
        "status": records.status_of(campaign, records.now()) if campaign else None,
        "campaign": None,
    }


@contextlib.contextmanager
def _ctrl_c_stops(session: Session, current: Any, *, quiet: bool) -> Iterator[None]:
    """While a bulk command reads its preview or runs, Ctrl-C stops `current()` at once:
    nothing more is sent, waits end, and only the requests on the wire are awaited (their
    outcome is then known and reported). A second Ctrl-C abandons those too (a change
    abandoned on its way is reported unknown). `quiet`: without saying so on stderr."""
    import asyncio
    import signal

    def interrupted() -> None:
        run = current()
        if run.finished.is_set():
            return  # the results are being written: they are what the user needs now
        if not quiet:
            session.status.clear()  # the countdown's line, so the words start on their own
        if run.cancelled:
            if not quiet:
                session.stderr.write("abandoning the requests on the wire…\n")
            run.abort()
            return
        if not quiet:
            session.stderr.write(
                "stopping: waiting only for the requests on the wire "
                "(Ctrl-C again to abandon them)…\n"
            )
        run.cancel()

    loop = asyncio.get_running_loop()
    try:
        loop.add_signal_handler(signal.SIGINT, interrupted)
    except (NotImplementedError, RuntimeError, ValueError):
        pass  # not the main thread, or no signals here: Ctrl-C stops at once instead
    try:
        yield
    finally:
        try:
            loop.remove_signal_handler(signal.SIGINT)
        except (NotImplementedError, RuntimeError, ValueError):
            pass


def _result_row(result: Any) -> dict[str, Any]:
    """One campaign's outcome for `--json` (the same keys for every outcome)."""
    campaign = result.after or result.target.campaign
    return {
        "id": result.campaign_id,
        "name": result.target.campaign.name,
        "outcome": result.outcome.value,
        "reason": result.reason,
        "exit_code": (
            exit_codes.UNKNOWN
            if result.outcome.value == "unknown"
            else exit_codes.for_error(result.error)
            if result.error
            else None
        ),
        "status": records.status_of(campaign, records.now()),
        "campaign": records.record(result.after) if result.after is not None else None,
    }


def _say_result(session: Session, row: dict[str, Any], *, as_json: bool) -> None:
    """A campaign's line on stderr as it finishes; with `as_json` one JSON object (the row of
    stdout's array without the campaign's record)."""
    if as_json:
        line = {key: value for key, value in row.items() if key != "campaign"}
        session.stderr.write(output.exact_json(line, indent=None) + "\n")
        session.stderr.flush()
        return
    name = f"  {output.cell(row['name'])}" if row["name"] else ""
    reason = f": {output.cell(row['reason'])}" if row["reason"] else ""
    session.status.clear()  # the countdown's line, if shown, comes back on its next second
    session.stderr.write(f"{row['outcome']:<8} {output.cell(row['id'])}{name}{reason}\n")
    session.stderr.flush()


def _summarise(
    session: Session,
    rows: list[dict[str, Any]],
    cancelled: bool,
    args: argparse.Namespace,
    *,
    quiet: bool,
) -> int:
    """The counts, the ids to run again, and the exit status (`quiet`: the status only)."""
    from collections import Counter

    from skipup_campaigns.bulk import nothing_to_do

    counts = Counter(row["outcome"] for row in rows)
    order = ("done", "skipped", "failed", "unknown", "not started")
    summary = ", ".join(f"{counts[kind]} {kind}" for kind in order if counts[kind])
    unknown = [row["id"] for row in rows if row["outcome"] == "unknown"]
    again = [
        row["id"]
        for row in rows
        if row["outcome"] in ("failed", "not started")
        or (row["outcome"] == "skipped" and not nothing_to_do.done_already(row["reason"]))
    ]
    if not quiet:
        _say_summary(session, summary, cancelled, again, unknown, args)
    if cancelled:
        return exit_codes.INTERRUPTED
    if unknown:
        return exit_codes.UNKNOWN
    if not again:
        return exit_codes.OK
    if len(rows) == 1 and rows[0]["exit_code"] is not None:
        return int(rows[0]["exit_code"])  # one campaign: its own failure's status
    return exit_codes.PARTIAL


def _say_summary(
    session: Session,
    summary: str,
    cancelled: bool,
    again: list[str],
    unknown: list[str],
    args: argparse.Namespace,
) -> None:
    session.stderr.write(f"{summary or 'nothing to do'}{' (interrupted)' if cancelled else ''}\n")
    if again:
        command = "deactivate" if args.command == "deactivate" else "update"
        session.stderr.write(
            f"not done ({len(again)}): {' '.join(output.cell(i) for i in again)}"
            f"\n  run again on just these: skipup-campaigns {command} "
            f"{' '.join(output.cell(i) for i in again)} …\n"
        )
    if unknown:
        session.stderr.write(
            f"unknown ({len(unknown)}), look at these before running again: "
            f"{' '.join(output.cell(i) for i in unknown)}\n"
        )


def _write_preview(
    session: Session,
    items: list[Any],
    unloaded: list[dict[str, Any]],
    as_json: bool,
    *,
    quiet: bool,
) -> None:
    """`--dry-run`: each campaign's before → after on stdout; nothing was sent (said on
    stderr unless `quiet`)."""
    from skipup_campaigns.api.models import to_wire

    def plain(value: Any) -> Any:
        return to_wire(value) if hasattr(value, "tzinfo") else value

    changing = sum(1 for item in items if item.changes)
    if as_json:
        session.stdout.write(
            output.exact_json(
                [
                    {
                        "id": item.campaign.id,
                        "name": item.campaign.name,
                        "changes": [
                            {"field": c.name, "before": plain(c.before), "after": plain(c.after)}
                            for c in item.changes
                        ],
                        "nothing_to_do": item.nothing_to_do,
                    }
                    for item in items
                ]
            )
            + "\n"
        )
    else:
        for line in _preview_lines(items):
            session.stdout.write(line + "\n")
    if quiet:
        return
    failed = f"; {len(unloaded)} could not be loaded" if unloaded else ""
    session.stderr.write(
        f"dry run: {changing} of {len(items) + len(unloaded)} would change"
        f"{failed}; nothing was sent\n"
    )


def _preview_lines(items: list[Any]) -> list[str]:
    lines = []
    for item in items:
        lines.append(f"{output.cell(item.campaign.id)}  {output.cell(item.campaign.name)}")
        if item.nothing_to_do:
            lines.append(f"  nothing to do: {item.nothing_to_do}")
        for change in item.changes:
            label = TEXT_LABELS.get(change.name, change.name)
            lines.append(
                f"  {label}: {output.cell(change.before_text)} → {output.cell(change.after_text)}"
            )
    return lines


def _confirm_many(session: Session, items: list[Any], deactivating: bool) -> bool:
    lines = _preview_lines(items)
    shown = lines[: SHOWN_BEFORE_ASKING * 2]
    for line in shown:
        session.stderr.write(line + "\n")
    if len(lines) > len(shown):
        session.stderr.write(f"… and more ({len(items)} campaigns in all)\n")
    count = sum(1 for item in items if item.changes)
    these = "this campaign" if count == 1 else f"these {count} campaigns"
    question = (
        f"Deactivate {these}? SkipUp has no way back." if deactivating else f"Change {these}?"
    )
    session.stderr.write(f"{question} [y/N] ")
    session.stderr.flush()
    return session.stdin.readline().strip().lower() in ("y", "yes")
