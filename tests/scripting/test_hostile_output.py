"""The hostile-data workspace through `list` in every format: nothing from the data can act on a
terminal, except that JSON gives the exact text back to a program."""

from __future__ import annotations

import csv
import io
import json

import pytest

from skipup_campaigns.sandbox import Store
from tests.hostile import (
    FORBIDDEN_BYTES,
    FORMULA_NAMES,
    FORMULA_TEAM,
    HOSTILE_NAMES,
    HOSTILE_TEAM,
    add_formula_campaigns,
    add_hostile_campaigns,
)
from tests.scripting.conftest import Run

# Any of these in output means the data reached the terminal as a control.
CONTROLS = (
    {chr(c) for c in range(0x20) if c not in (0x09, 0x0A)}
    | {chr(c) for c in range(0x7F, 0xA0)}
    | set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u2028\u2029")
)


def assert_inert(text: str) -> None:
    found = sorted({f"U+{ord(ch):04X}" for ch in text if ch in CONTROLS})
    assert not found, f"control characters from the data reached the output: {found}"
    data = text.encode("utf-8")
    for forbidden in FORBIDDEN_BYTES:
        assert forbidden not in data


@pytest.fixture
def hostile_ids(store: Store) -> list[str]:
    return add_hostile_campaigns(store)


@pytest.mark.parametrize("argv, tty", [((), True), ((), False), (("--csv",), False)])
def test_text_formats_are_inert(
    run: Run, hostile_ids: list[str], argv: tuple[str, ...], tty: bool
) -> None:
    result = run("list", *argv, "--fields", "id,name,description,team_name", tty=tty)
    assert result.code == 0, result.err
    assert_inert(result.out)
    assert all(campaign_id in result.out for campaign_id in hostile_ids)


def test_tsv_and_csv_keep_one_record_per_campaign(run: Run, hostile_ids: list[str]) -> None:
    rows = list(csv.DictReader(io.StringIO(run("list", "--csv").out)))
    by_id = {row["id"]: row for row in rows}
    assert set(hostile_ids) <= set(by_id)
    tsv = run("list", "--fields", "id,name,description").out.splitlines()
    assert all(len(line.split("\t")) == 3 for line in tsv)
    assert len(tsv) == 1 + len(rows)


def test_json_is_exact_and_still_inert(run: Run, hostile_ids: list[str]) -> None:
    result = run("list", "--json", "--fields", "id,name,team_name,description")
    assert_inert(result.out)
    by_id = {c["id"]: c for c in json.loads(result.out)}
    assert [by_id[i]["name"] for i in hostile_ids] == HOSTILE_NAMES
    assert by_id[hostile_ids[0]]["team_name"] == HOSTILE_TEAM
    assert by_id[hostile_ids[2]]["description"] == HOSTILE_NAMES[2] + "\n" + HOSTILE_NAMES[2]


def test_show_and_errors_are_inert(run: Run, hostile_ids: list[str]) -> None:
    for campaign_id in hostile_ids:
        result = run("show", campaign_id)
        assert result.code == 0
        assert_inert(result.out)
    missing = run("show", "\x1b]0;PWNED\x07")
    assert missing.code != 0
    assert_inert(missing.err)


def test_csv_cells_a_spreadsheet_would_run_start_with_a_quote(run: Run, store: Store) -> None:
    ids = add_formula_campaigns(store)
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(run("list", "--csv").out))}
    # The sanitiser makes a tab or a carriage return a space; the quote stays in front.
    shown = [name.replace("\t", " ").replace("\r", " ") for name in FORMULA_NAMES]
    assert [rows[i]["name"] for i in ids] == ["'" + name for name in shown]
    assert {rows[i]["team_name"] for i in ids} == {"'" + FORMULA_TEAM}
    assert {rows[i]["description"] for i in ids} == {"'-1"}
    assert {rows[i]["meetings_booked_count"] for i in ids} == {"1"}  # numbers stay numbers
    # JSON and TSV stay exact.
    exact = {c["id"]: c for c in json.loads(run("list", "--json").out)}
    assert [exact[i]["name"] for i in ids] == FORMULA_NAMES
    tsv = dict(line.split("\t") for line in run("list", "--fields", "id,name").out.splitlines())
    assert [tsv[i] for i in ids] == shown
    report = list(csv.DictReader(io.StringIO(run("report", "--csv").out)))
    assert "'" + FORMULA_TEAM in [line["team"] for line in report]
