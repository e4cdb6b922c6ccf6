"""Each command against the sandbox over loopback: outputs parsed back, the server's state
checked, exit codes by kind of failure."""

from __future__ import annotations

import csv
import io
import json

import pytest

from skipup_campaigns.sandbox import Store
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from skipup_campaigns.scripting import exit_codes
from skipup_campaigns.scripting.output import FIELDS, TABLE_FIELDS
from tests.conftest import READONLY, campaigns_on_server
from tests.scripting.conftest import Run


def test_list_json_is_every_campaign_in_the_servers_order(run: Run, store: Store) -> None:
    result = run("list", "--json")
    assert result.code == 0 and result.err == ""
    listed = json.loads(result.out)
    on_server = campaigns_on_server(store)
    assert [c["id"] for c in listed] == [c["id"] for c in on_server]
    assert len(listed) > 25  # more than one page of the API's default size
    assert list(listed[0]) == list(FIELDS)
    first = on_server[0]
    assert listed[0]["name"] == first["name"]
    assert listed[0]["booking_rate"] == first["booking_rate"]


def test_list_active_csv_with_chosen_fields_parses_back(run: Run, store: Store) -> None:
    result = run("list", "--active", "--csv", "--fields", "id,name,booking_rate")
    assert result.code == 0
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert list(rows[0]) == ["id", "name", "booking_rate"]
    active = campaigns_on_server(store, active=True)
    assert [row["id"] for row in rows] == [c["id"] for c in active]
    assert len(active) < len(campaigns_on_server(store))
    assert all(float(row["booking_rate"]) == c["booking_rate"] for row, c in zip(rows, active))


def test_list_on_a_terminal_is_a_table_fitted_to_its_width(
    run: Run, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = run("list", tty=True)
    lines = result.out.splitlines()
    assert lines[0].split() == ["id", "name", "team", "status", "reqs", "booked", "rate%"]
    on_server = campaigns_on_server(store)
    assert len(lines) == 1 + len(on_server)
    assert max(len(line) for line in lines) <= 80
    assert any("…" in line for line in lines)  # long names give way, marked
    assert [line.split()[0] for line in lines[1:]] == [c["id"] for c in on_server]  # ids whole


def test_list_in_a_pipe_is_tab_separated_with_a_header(run: Run, store: Store) -> None:
    result = run("list", "--fields", "id,team_name")
    lines = result.out.splitlines()
    assert lines[0] == "id\tteam_name"
    assert lines[1].split("\t")[0] == campaigns_on_server(store)[0]["id"]


def test_unknown_field_is_a_usage_error_naming_the_choices(run: Run) -> None:
    result = run("list", "--fields", "id,colour")
    assert result.code == exit_codes.USAGE
    assert "colour" in result.err and "booking_rate" in result.err and result.out == ""


def test_show_prints_one_campaign_and_its_json(run: Run, store: Store) -> None:
    first = campaigns_on_server(store)[0]
    text = run("show", first["id"])
    assert text.code == 0
    assert "name:" in text.out and first["name"] in text.out
    exact = json.loads(run("show", first["id"], "--json").out)
    assert {k: exact[k] for k in ("id", "name", "slug", "team_id")} == {
        k: first[k] for k in ("id", "name", "slug", "team_id")
    }


def test_create_by_team_name_makes_exactly_one(run: Run, store: Store) -> None:
    before = len(campaigns_on_server(store))
    result = run(
        "create",
        "--name",
        "Scripted launch",
        "--team",
        "sales",
        "--description",
        "from a script",
        "--starts",
        "2026-07-01",
        "--ends",
        "2026-07-31",
        "--json",
    )
    assert result.code == 0, result.err
    made = json.loads(result.out)
    on_server = [c for c in campaigns_on_server(store) if c["id"] == made["id"]]
    assert len(campaigns_on_server(store)) == before + 1 and len(on_server) == 1
    assert on_server[0]["team_name"] == "Sales"
    assert on_server[0]["starts_at"] == "2026-07-01T00:00:00Z"
    assert on_server[0]["ends_at"] == "2026-07-31T23:59:59Z"  # a bare end date: its last second


def test_update_sends_only_the_given_fields_and_clears_on_request(run: Run, store: Store) -> None:
    target = next(c for c in campaigns_on_server(store) if c["description"] and c["ends_at"])
    result = run("update", target["id"], "--name", "Renamed by script", "--clear-description")
    assert result.code == 0, result.err
    after = store.get_campaign(MAIN_WORKSPACE, target["id"])
    assert after["name"] == "Renamed by script" and after["description"] is None
    assert after["ends_at"] == target["ends_at"] and after["team_id"] == target["team_id"]


def test_update_with_nothing_to_change_is_a_usage_error(run: Run) -> None:
    result = run("update", "cmp_x")
    assert result.code == exit_codes.USAGE and "nothing to change" in result.err


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (("--starts", "June 1st"), "not a date"),
        (("--starts", "2026-06-02", "--ends", "2026-06-01"), "after --starts"),
        (("--starts", "2026-06-01T09:30"), None),
    ],
)
def test_dates_take_the_edit_forms_forms(
    run: Run, store: Store, argv: tuple[str, ...], fragment: str | None
) -> None:
    target = campaigns_on_server(store)[0]
    result = run("update", target["id"], *argv)
    if fragment is None:
        assert result.code == 0, result.err
        assert (
            store.get_campaign(MAIN_WORKSPACE, target["id"])["starts_at"] == "2026-06-01T09:30:00Z"
        )
    else:
        assert result.code == exit_codes.USAGE and fragment in result.err


def test_deactivate_with_yes_deactivates_and_a_second_time_changes_nothing(
    run: Run, store: Store
) -> None:
    target = campaigns_on_server(store, active=True)[0]
    first = run("deactivate", target["id"], "--yes")
    assert first.code == 0, first.err
    assert store.get_campaign(MAIN_WORKSPACE, target["id"])["deactivated_at"]
    again = run("deactivate", target["id"], "--yes")
    assert again.code == 0 and "already deactivated" in again.err


def test_deactivate_without_yes_refuses_when_stdin_is_not_a_terminal(
    run: Run, store: Store
) -> None:
    target = campaigns_on_server(store, active=True)[0]
    result = run("deactivate", target["id"], stdin="y\n")
    assert result.code == exit_codes.USAGE and "--yes" in result.err
    assert store.get_campaign(MAIN_WORKSPACE, target["id"])["deactivated_at"] is None


@pytest.mark.parametrize(
    "argv, code, kind",
    [
        (("show", "cmp_missing"), exit_codes.NOT_FOUND, "not_found"),
        (("update", "cmp_missing", "--name", "x"), exit_codes.NOT_FOUND, "not_found"),
        (("create", "--name", " ", "--team", "Sales"), exit_codes.USAGE, "usage"),
        (("create", "--name", "x" * 201, "--team", "Sales"), exit_codes.REJECTED, "rejected"),
        (("create", "--name", "x", "--team", "No such team"), exit_codes.USAGE, "usage"),
    ],
)
def test_errors_are_one_line_and_json_with_json(
    run: Run, argv: tuple[str, ...], code: int, kind: str
) -> None:
    plain = run(*argv)
    assert plain.code == code
    assert plain.err.count("\n") == 1 and plain.err.startswith("skipup-campaigns: ")
    assert "Traceback" not in plain.err
    as_json = run(*argv, "--json")
    error = json.loads(as_json.err)["error"]
    assert (as_json.code, error["kind"], error["exit_code"]) == (code, kind, code)


def test_a_key_without_write_scope_is_forbidden(
    run: Run, monkeypatch: pytest.MonkeyPatch, store: Store
) -> None:
    monkeypatch.setenv("SKIPUP_API_KEY", READONLY)
    target = campaigns_on_server(store)[0]
    result = run("update", target["id"], "--name", "nope", "--json")
    assert result.code == exit_codes.FORBIDDEN
    assert json.loads(result.err)["error"]["status"] == 403
    assert store.get_campaign(MAIN_WORKSPACE, target["id"])["name"] == target["name"]


def test_a_refused_key_and_an_unreachable_server_have_their_own_codes(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKIPUP_API_KEY", "sk_test_wrong")
    assert run("list").code == exit_codes.AUTH
    monkeypatch.setenv("SKIPUP_API_KEY", "sk_test_admin")
    monkeypatch.setenv("SKIPUP_BASE_URL", "http://127.0.0.1:9/api/v1")  # discard: nobody there
    result = run("list")
    assert result.code == exit_codes.UNREACHABLE and "cannot reach" in result.err


def test_no_key_is_a_configuration_error_that_says_what_to_do(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SKIPUP_API_KEY")
    result = run("list")
    assert result.code == exit_codes.CONFIG and "config set-key" in result.err


def test_table_fields_are_known_fields() -> None:
    assert set(TABLE_FIELDS) <= set(FIELDS)


def test_a_usage_error_with_json_is_json_too(capsys: pytest.CaptureFixture[str]) -> None:
    from skipup_campaigns.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["list", "--json", "--no-such-option"])
    assert exited.value.code == exit_codes.USAGE
    error = json.loads(capsys.readouterr().err)["error"]
    assert error["kind"] == "usage" and "--no-such-option" in error["message"]
    with pytest.raises(SystemExit):
        main(["list", "--no-such-option"])
    assert capsys.readouterr().err.startswith("usage: ")


def test_dates_are_read_in_the_configured_zone_as_the_ui_reads_them(run: Run, store: Store) -> None:
    from tests.test_config import write_config

    target = campaigns_on_server(store)[0]
    write_config('timezone = "America/New_York"\n')
    result = run("update", target["id"], "--starts", "2026-06-01 9:30", "--ends", "2026-12-01")
    assert result.code == 0, result.err
    held = store.get_campaign(MAIN_WORKSPACE, target["id"])
    assert held["starts_at"] == "2026-06-01T13:30:00Z"  # EDT
    assert held["ends_at"] == "2026-12-02T04:59:59Z"  # the day's last second, EST
    result = run("update", target["id"], "--starts", "2026-03-08 02:30")
    assert result.code == exit_codes.USAGE and "does not exist" in result.err
    write_config('timezone = "Mars/Olympus"\n')
    result = run("update", target["id"], "--starts", "2026-06-01 9:30")
    assert result.code == exit_codes.CONFIG and "timezone must be" in result.err
