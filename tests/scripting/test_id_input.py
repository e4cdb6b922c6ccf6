"""Ids on stdin for `deactivate -` and `update -`, as a script feeds them, against the sandbox
over loopback. Unreadable input is one line and exit 2 before any request; more than the cap is
refused at once; the preview's reads show their progress on stderr.

Most cases run in-process through the commands' own entry, with stdin a real pipe (`os.pipe`,
fed by a thread, so reads come in the pipe's chunks as a script's do); a few start the program,
for what only a process shows: its exit status, and that nothing else reaches its stderr."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

import pytest

from skipup_campaigns.cli import build_parser
from skipup_campaigns.sandbox import Store
from skipup_campaigns.scripting import exit_codes, session
from skipup_campaigns.scripting.bulk_commands import ReadProgress
from skipup_campaigns.scripting.id_input import MAX_IDS
from tests.conftest import ADMIN, campaigns_on_server
from tests.scripting.conftest import Result, TerminalStream
from tests.transports import CountingApp


def command(live_url: str, *argv: str, stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    """The program in a new process (for what only a process shows)."""
    env = dict(os.environ, SKIPUP_API_KEY=ADMIN, SKIPUP_BASE_URL=live_url)
    return subprocess.run(
        [sys.executable, "-m", "skipup_campaigns", *argv],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )


@contextmanager
def pipe_holding(data: bytes) -> Iterator[TextIO]:
    """A real pipe's read end as a text stream (as `sys.stdin` is), a thread writing `data`
    into it; the command may stop reading early (refused at once), which ends the writer."""
    read_end, write_end = os.pipe()

    def feed() -> None:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(write_end, view) :]
        except BrokenPipeError:
            pass  # the reader gave up on the rest: what a refusal at once does
        finally:
            os.close(write_end)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    with open(read_end, encoding="utf-8") as stdin:
        yield stdin
    writer.join(timeout=30)
    assert not writer.is_alive()


@pytest.fixture
def piped(live_url: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """`piped("deactivate", "-", stdin=b"...")`: the command in-process, stdin a real pipe."""
    monkeypatch.setenv("SKIPUP_API_KEY", ADMIN)
    monkeypatch.setenv("SKIPUP_BASE_URL", live_url)

    def run(*argv: str, stdin: bytes) -> Result:
        args = build_parser().parse_args(list(argv))
        out, err = io.StringIO(), io.StringIO()
        with pipe_holding(stdin) as stream:
            code = session.run(args.run, args, stdin=stream, stdout=out, stderr=err)
        return Result(code, out.getvalue(), err.getvalue())

    return run


UNREADABLE = {
    "too deep": (b"[" * 200_000, "nested too deeply"),
    "not UTF-8": (b"cmp_one\n\xff\xfe\x00cmp_two\n", "stdin line 2 is not UTF-8"),
    "not ids": (b"these are not ids\n", "stdin line 1: 'these are not ids' is not a campaign"),
    "not an array of ids": (b"[1, 2, 3]", "must hold ids or objects"),
    "broken JSON": (b'[{"id": "cmp_1"}, {"id": ', "not a JSON array of campaigns"),
    "one endless line": (b"c" * 1_000_000, "longer than 4,096 bytes"),
    # JSON that is not an array is not ids, however id-like the string inside (jq without -r).
    "a lone JSON string": (b'"cmp_a"', "cannot be ids"),
    "JSON strings a line": (b'"cmp_a"\n"cmp_b"\n', "cannot be ids"),
    "a JSON object": (b'{"id": "cmp_a"}', "cannot be ids"),
}


VERBS = {
    "deactivate": ["deactivate", "-", "--yes"],
    "update": ["update", "-", "--description", "x", "--yes"],
}


@pytest.mark.parametrize("case", UNREADABLE)
@pytest.mark.parametrize("verb", VERBS)
def test_unreadable_stdin_is_one_line_and_a_usage_error(
    piped: Any, sandbox_app: CountingApp, verb: str, case: str
) -> None:
    data, said = UNREADABLE[case]
    result = piped(*VERBS[verb], stdin=data)
    assert result.code == exit_codes.USAGE, result.err
    assert result.err.count("\n") == 1 and said in result.err
    assert result.err.startswith("skipup-campaigns: ")
    assert "bug" not in result.err and "Traceback" not in result.err and result.out == ""
    assert sandbox_app.methods == Counter()  # refused before any request
    as_json = piped(*VERBS[verb], "--json", stdin=data)
    error = json.loads(as_json.err)["error"]
    assert as_json.code == exit_codes.USAGE and error["kind"] == "usage"


@pytest.mark.parametrize(
    ("verb", "case"), [("deactivate", "one endless line"), ("update", "not UTF-8")]
)
def test_unreadable_stdin_exits_2_with_one_line_from_the_program(
    live_url: str, sandbox_app: CountingApp, verb: str, case: str
) -> None:
    """The same refusal from the program itself: its exit status, and nothing else on stderr."""
    data, said = UNREADABLE[case]
    result = command(live_url, *VERBS[verb], stdin=data)
    err = result.stderr.decode()
    assert result.returncode == exit_codes.USAGE, err
    assert err.count("\n") == 1 and said in err and err.startswith("skipup-campaigns: ")
    assert "Traceback" not in err and result.stdout == b""
    assert sandbox_app.methods == Counter()
    as_json = command(live_url, *VERBS[verb], "--json", stdin=data)
    error = json.loads(as_json.stderr)["error"]
    assert as_json.returncode == exit_codes.USAGE and error["kind"] == "usage"


def test_more_ids_than_the_cap_are_refused_at_once(
    piped: Any, store: Store, sandbox_app: CountingApp
) -> None:
    before = campaigns_on_server(store)
    ids = "".join(f"cmp_{n:06d}\n" for n in range(50_000)).encode()
    result = piped("deactivate", "-", "--yes", stdin=ids)
    assert result.code == exit_codes.USAGE
    assert f"more than {MAX_IDS:,} campaign ids" in result.err and result.err.count("\n") == 1
    assert result.out == "" and sandbox_app.methods == Counter()
    as_array = json.dumps([{"id": f"cmp_{n}"} for n in range(MAX_IDS + 1)]).encode()
    result = piped("update", "-", "--description", "x", "--yes", stdin=as_array)
    assert result.code == exit_codes.USAGE and "more than 10,000" in result.err
    assert sandbox_app.methods == Counter() and campaigns_on_server(store) == before


def test_the_previews_reads_show_progress_on_stderr(piped: Any, store: Store) -> None:
    campaigns = campaigns_on_server(store, active=True)[:30]
    count = len(campaigns)
    assert count > 20
    ids = json.dumps([{"id": c["id"]} for c in campaigns]).encode()
    result = piped("update", "-", "--description", "moved", "--dry-run", stdin=ids)
    assert result.code == exit_codes.OK, result.err
    lines = result.err.splitlines()
    progress = [line for line in lines if line.startswith("reading ")]
    # Not a terminal: plain lines, about one a tenth, the last one complete.
    assert 3 <= len(progress) <= 11 and progress[-1] == f"reading {count} of {count}…"
    assert lines.index(progress[-1]) < lines.index(lines[-1])  # before the dry run's summary
    assert f"dry run: {count} of {count} would change" in lines[-1]
    assert all(c["id"] in result.out for c in campaigns)
    assert campaigns_on_server(store, active=True)[:count] == campaigns  # nothing was sent


def test_on_a_terminal_progress_rewrites_one_line() -> None:
    stream = TerminalStream()
    progress = ReadProgress(stream, 400)
    for _ in range(120):
        progress.step()
    shown = stream.getvalue()
    assert "\n" not in shown and shown.count("\r") == 120
    assert shown.endswith("\rreading 120 of 400…\x1b[K")
    for _ in range(280):
        progress.step()
    progress.close()
    assert stream.getvalue().endswith("\rread 400 campaigns\x1b[K\n")
    assert stream.getvalue().count("\n") == 1


def test_one_id_shows_no_progress() -> None:
    stream = io.StringIO()
    progress = ReadProgress(stream, 1)
    progress.step()
    progress.close()
    assert stream.getvalue() == ""


def json_lines(stderr: bytes) -> list[dict[str, Any]]:
    """Every line of stderr as a JSON object (fails on any plain-text line)."""
    return [json.loads(line) for line in stderr.decode().splitlines()]


def test_with_json_in_a_pipe_stderr_holds_only_json(live_url: str, store: Store) -> None:
    """Progress and summaries are left out; each campaign's line is a JSON object (stdout's
    row without the record); a dry run says nothing on stderr but its failures."""
    chosen = [c["id"] for c in campaigns_on_server(store, active=True)[:3]]
    ids = json.dumps([{"id": i} for i in [*chosen, "cmp_missing"]]).encode()
    dry = command(
        live_url, "update", "-", "--description", "moved", "--dry-run", "--json", stdin=ids
    )
    assert dry.returncode == exit_codes.PARTIAL
    assert [(line["id"], line["outcome"]) for line in json_lines(dry.stderr)] == [
        ("cmp_missing", "failed")
    ]
    result = command(
        live_url, "update", "-", "--description", "moved", "--yes", "--json", stdin=ids
    )
    assert result.returncode == exit_codes.PARTIAL, result.stderr.decode()
    lines = json_lines(result.stderr)
    assert sorted((line["id"], line["outcome"]) for line in lines) == sorted(
        [(i, "done") for i in chosen] + [("cmp_missing", "failed")]
    )
    assert all("campaign" not in line for line in lines)
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    assert rows["cmp_missing"]["outcome"] == "failed" and len(rows) == 4
    assert all(c["description"] == "moved" for c in campaigns_on_server(store) if c["id"] in chosen)
